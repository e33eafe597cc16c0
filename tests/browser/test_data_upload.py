"""Flows 5 and 7: import on the Données page (a refused file, then a good one), and two
managers at once, one importing while the other reads. Each test has its own server and
database: the others keep seeing the seed."""

import json
import urllib.parse
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.browser.dom import (
    alert,
    assert_no_error,
    expect_metric,
    nav_link,
    open_from_sidebar,
    open_page,
    spaced,
    wait_charts,
    wait_idle,
)
from tests.browser.server import Server

HEADER = "operation_code;imputation;label;year;credits"
# Line 1 is the header: line 2 is the first data line, with a negative credit.
REFUSED = (
    f"{HEADER}\n"
    "C06-020M02;6281/930202;Informatique-Fonctionnement;2023;-5,00\n"
    "C06-020M02;6281/930202;Informatique-Fonctionnement;2024;100,00\n"
).encode()
CREDITS_2023 = (
    b"operation_code,imputation,label,year,credits\n"
    b"C06-020M02,6281/930202,Informatique-Fonctionnement,2023,2600.00\n"
)


def uploader(page: Page) -> Locator:
    return page.get_by_test_id("stFileUploader").filter(has_text="Fichiers à importer")


def upload(page: Page, content: bytes, name: str = "budget_lines.csv") -> None:
    uploader(page).locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    expect(page.get_by_test_id("stExpander").filter(has_text=f"Aperçu : {name}")).to_be_visible()
    wait_idle(page)


def validate(page: Page) -> None:
    page.get_by_role("button", name="Valider et enregistrer").click()


def expect_credits_2023(page: Page, credits: str, balance: str) -> None:
    expect_metric(page, "Crédits disponibles", credits)
    expect_metric(page, "Engagé (TTC)", "2 508,33 €")
    expect_metric(page, "Solde", balance)


def test_import_refuses_a_bad_file_then_takes_a_good_one(
    new_context: Callable[..., BrowserContext], fresh_server: Server
) -> None:
    page = new_context().new_page()
    open_from_sidebar(page, fresh_server, "Vue d'ensemble", "?annee=2023")
    expect_credits_2023(page, "0,00 €", "−2 508,33 €")

    nav_link(page, "Données").click()
    expect(page.locator("h1").first).to_have_text("Données")
    wait_idle(page)
    upload(page, REFUSED)
    # The problems are shown as soon as the file is read; nothing to validate then.
    expect(alert(page, "Rien n'a été enregistré")).to_contain_text("1 problème(s)")
    expect(page.get_by_role("button", name="Valider et enregistrer")).to_have_count(0)
    problems = page.get_by_role("tabpanel", name="Importer").get_by_test_id("stCode")
    expect(problems).to_contain_text("budget_lines.csv, ligne 2, Crédits")
    expect(problems).to_contain_text("-5,00")
    expect(problems).not_to_contain_text("ligne 3")
    assert_no_error(page, "import refusé")

    # Nothing was written: another manager still sees no credits for 2023.
    other = new_context().new_page()
    open_from_sidebar(other, fresh_server, "Vue d'ensemble", "?annee=2023")
    expect_credits_2023(other, "0,00 €", "−2 508,33 €")

    # Remove the refused file, drop the good one.
    uploader(page).get_by_test_id("stFileChipDeleteBtn").click()
    expect(page.get_by_role("button", name="Valider et enregistrer")).to_have_count(0)
    upload(page, CREDITS_2023)
    validate(page)
    expect(alert(page, "Import réussi")).to_be_visible()
    expect(uploader(page).get_by_test_id("stFileChip")).to_have_count(0)
    assert_no_error(page, "import réussi")

    nav_link(page, "Vue d'ensemble").click()
    expect(page.locator("h1").first).to_have_text("Vue d'ensemble")
    # 2 600,00 − (1 800,00 + 708,33) = 91,67
    expect_credits_2023(page, "2 600,00 €", "91,67 €")
    expect(page.get_by_test_id("stSidebar")).to_contain_text(
        spaced("dernière modification « import budget_lines.csv »", whole=False)
    )
    assert "page error" not in fresh_server.log_text(), fresh_server.log_tail()


def test_two_managers_at_once(
    new_context: Callable[..., BrowserContext], fresh_server: Server
) -> None:
    importer = new_context().new_page()
    reader = new_context().new_page()
    open_from_sidebar(importer, fresh_server, "Données", "?annee=2023")
    caih = urllib.parse.quote(json.dumps({"scope_kind": "body", "scope_value": "CAIH"}))
    open_page(reader, fresh_server, f"/simulation?annee=2023&scenario={caih}", "Simulation")
    expect_metric(reader, "Solde enregistré", "−2 508,33 €")

    upload(importer, CREDITS_2023)
    slider = reader.get_by_role("slider", name="Cotisations du périmètre")
    slider.focus()
    # Both sessions run at once: the import's write and the reader's scenario runs.
    validate(importer)
    for _ in range(10):
        reader.keyboard.press("ArrowRight")
    expect(importer.get_by_test_id("stAlert").filter(has_text="Import réussi")).to_be_visible()
    expect(slider).to_have_attribute("aria-valuetext", spaced("+10 %"))
    # CAIH 2023: 1 500 € HT + 10 % → 1 980 € TTC, plus Resah 708,33 €.
    expect_metric(reader, "Engagé scénario", "2 688,33 €")
    assert_no_error(importer, "import pendant une lecture")
    assert_no_error(reader, "simulation pendant un import")

    # The reader's next run sees the new credits, without reloading.
    reader.keyboard.press("ArrowLeft")
    expect_metric(reader, "Solde enregistré", "91,67 €")
    nav_link(reader, "Vue d'ensemble").click()
    expect(reader.locator("h1").first).to_have_text("Vue d'ensemble")
    wait_idle(reader)
    wait_charts(reader)
    expect_credits_2023(reader, "2 600,00 €", "91,67 €")
    assert_no_error(reader, "vue d'ensemble après l'import d'un autre")

    # And the importer keeps working.
    nav_link(importer, "Budget").click()
    expect(importer.locator("h1").first).to_have_text("Budget")
    wait_idle(importer)
    expect(importer.get_by_test_id("stMain")).to_contain_text(spaced("solde 91,67 €", whole=False))
    assert_no_error(importer, "budget après import")
    assert "page error" not in fresh_server.log_text(), fresh_server.log_tail()
