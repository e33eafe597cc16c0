"""The Journal in a real browser at 1366 px: after an import and an edit, one line per
operation; the edit opens onto its row in French words with « Après » in view; the import is
undone as one operation, after a confirmation that says what will change. On 10⁴ demonstration
conventions (slow), the same screen is shot under test-output/screenshots/journal-*.png."""

import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from spend.paths import ROOT
from tests.browser.dom import (
    alert,
    assert_no_error,
    edit_grid_cell,
    open_page,
    spaced,
    wait_heading,
    wait_idle,
)
from tests.browser.server import Server, running_server
from tests.browser.test_data_edit import edit_credits_2022, open_table_editor
from tests.browser.test_data_upload import CREDITS_2023, upload, validate

SHOTS = ROOT / "test-output" / "screenshots"
SLOW_MS = 120_000


def grids(page: Page) -> Locator:
    return page.get_by_test_id("stMain").get_by_test_id("stDataFrame")


def headers_in_view(grid: Locator) -> list[str]:
    """The headers the grid draws: only those of the columns in view."""
    expect(grid.locator("thead th").first).to_be_attached()
    return [h.strip() for h in grid.locator("thead th").all_inner_texts()]


def open_operation(page: Page, label_start: str) -> None:
    choice = page.get_by_test_id("stMain").get_by_role("combobox", name="Ouvrir l'opération")
    choice.click()
    page.get_by_role("option", name=spaced(label_start, whole=False)).first.click()
    wait_idle(page)


def import_and_edit(page: Page, server: Server) -> None:
    open_page(page, server, "/data", "Données")
    upload(page, CREDITS_2023)
    validate(page)
    expect(alert(page, "Import réussi")).to_be_visible()
    editor = open_table_editor(page, server)
    edit_credits_2022(page, editor, "3100.00")
    expect(alert(page, "Modifications enregistrées")).to_be_visible()


def test_import_edit_then_undo_the_import_as_one_operation(
    page: Page, fresh_server: Server
) -> None:
    import_and_edit(page, fresh_server)
    open_page(page, fresh_server, "/journal", "Journal")
    main = page.get_by_test_id("stMain")
    operations, rows = grids(page).nth(0), grids(page).nth(1)
    first_line = operations.locator("tbody tr").first
    expect(first_line).to_contain_text("modification")
    expect(operations.locator("tbody tr").nth(1)).to_contain_text("import")
    # The newest operation, the edit, is open: its row in French, « Après » in view.
    assert {"Avant", "Après"} <= set(headers_in_view(rows)), headers_in_view(rows)
    expect(rows.locator("tbody tr").first).to_contain_text(
        spaced("Crédits : 3 000,00 €", whole=False)
    )
    expect(rows.locator("tbody tr").first).to_contain_text(
        spaced("Crédits : 3 100,00 €", whole=False)
    )
    expect(main).to_contain_text("heure de Paris")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "journal-seed-1366.png")
    rows.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "journal-seed-rows-1366.png")
    assert_no_error(page, "journal après un import et une modification")

    open_operation(page, "— import du")
    main.get_by_role("button", name="Annuler l'opération n°").click()
    warning = alert(page, "remettra ses")
    expect(warning).to_contain_text(
        spaced("Lignes budgétaires : 1 ligne ajoutée sera supprimée", whole=False)
    )
    confirm = main.get_by_role("button", name="Annuler l'opération", exact=True)
    expect(confirm).to_be_disabled()  # until the confirmation is ticked
    main.get_by_text("Je confirme l'annulation").click()
    expect(confirm).to_be_enabled()
    confirm.click()
    expect(alert(page, "annulée")).to_contain_text("1 ligne(s) remise(s)")
    expect(grids(page).nth(0).locator("tbody tr").first).to_contain_text("annulation")
    assert_no_error(page, "journal après l'annulation")
    assert "page error" not in fresh_server.log_text(), fresh_server.log_tail()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("journal_demo") / "demo.duckdb"
    command = [sys.executable, "-m", "spend", "demo", "--db", str(db), "--conventions", "10000"]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    log = ROOT / "test-output" / "browser" / "logs" / "journal_demo.log"
    with running_server(db, log) as server:
        yield server


@pytest.mark.slow
def test_journal_screens_on_ten_thousand_conventions(page: Page, demo_server: Server) -> None:
    """The demo's import of 10⁴ conventions, then an edit: two lines, each opening onto its rows."""
    page.set_default_timeout(SLOW_MS)
    open_page(page, demo_server, "/data", "Données")
    editor = open_table_editor(page, demo_server)
    expect(editor.locator("thead th").first).to_be_attached()
    col = int(editor.locator("thead th", has_text="Crédits").first.get_attribute("aria-colindex"))
    edit_grid_cell(page, editor, col, 0, "123456.78")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(alert(page, "Modifications enregistrées")).to_be_visible()
    page.goto(demo_server.url + "/journal")
    wait_heading(page, "Journal", timeout_ms=SLOW_MS)
    wait_idle(page, SLOW_MS)
    rows = grids(page).nth(1)
    assert {"Avant", "Après"} <= set(headers_in_view(rows))
    expect(rows.locator("tbody tr").first).to_contain_text(spaced("123 456,78 €", whole=False))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "journal-demo-1366.png")
    rows.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "journal-demo-edit-1366.png")
    open_operation(page, "— import du")
    expect(grids(page).nth(1).locator("tbody tr").first).to_contain_text("ajoutée")
    grids(page).nth(1).scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "journal-demo-import-1366.png")
    assert_no_error(page, "journal de la démo")
