"""Editing a stored table in place on the Données page ("Modifier une table"): a good edit is
saved and the overview follows, a bad one is refused with the table, line and column named and
nothing written. Each test has its own server and database: the others keep seeing the seed."""

from collections.abc import Callable

from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.browser.dom import (
    alert,
    assert_no_error,
    edit_grid_cell,
    expect_metric,
    grid_cell,
    grid_cell_position,
    open_page,
    spaced,
    wait_idle,
)
from tests.browser.server import Server

TABLE = "Lignes budgétaires"
SAVE = "Enregistrer les modifications"


def open_table_editor(page: Page, server: Server) -> Locator:
    """Open /data, the tab « Modifier une table », the budget lines: the editor of that tab."""
    open_page(page, server, "/data", "Données")
    page.get_by_role("tab", name="Modifier une table").click()
    panel = page.get_by_role("tabpanel", name="Modifier une table")
    choice = panel.get_by_role("combobox", name="Table")
    choice.click()
    page.get_by_role("option", name=TABLE, exact=True).click()
    expect(choice).to_have_value(TABLE)
    wait_idle(page)
    editor = panel.get_by_test_id("stDataFrame")
    expect(editor).to_have_count(1)
    # The grid's accessible table, inside the canvas, shows the chosen table's headers.
    expect(editor.locator("thead th").first).to_have_text("Code opération")
    return editor


def edit_credits_2022(page: Page, editor: Locator, value: str) -> None:
    col, row = grid_cell_position(editor, "Crédits", "Exercice", "2022")
    expect(grid_cell(editor, col, row)).to_have_text(spaced("3 000,00"))  # as a manager reads it
    edit_grid_cell(page, editor, col, row, value)
    page.get_by_role("button", name=SAVE).click()


def expect_overview_2022(page: Page, server: Server, credits: str, balance: str) -> None:
    open_page(page, server, "/?annee=2022", "Vue d'ensemble")
    expect_metric(page, "Crédits disponibles", credits)
    expect_metric(page, "Engagé (TTC)", "2 800,00 €")
    expect_metric(page, "Solde", balance)


def test_edit_in_place_is_saved(page: Page, fresh_server: Server) -> None:
    editor = open_table_editor(page, fresh_server)
    edit_credits_2022(page, editor, "3100.00")
    expect(alert(page, "Modifications enregistrées")).to_contain_text(f"{TABLE} : 1 ligne(s)")
    assert_no_error(page, "édition enregistrée")

    # 3 100,00 − 2 800,00 = 300,00
    expect_overview_2022(page, fresh_server, "3 100,00 €", "300,00 €")
    expect(page.get_by_test_id("stSidebar")).to_contain_text(
        spaced(f"dernière modification « édition {TABLE} »", whole=False)
    )
    assert_no_error(page, "vue d'ensemble après l'édition")
    assert "page error" not in fresh_server.log_text(), fresh_server.log_tail()


def test_edit_in_place_refuses_a_bad_amount(page: Page, fresh_server: Server) -> None:
    editor = open_table_editor(page, fresh_server)
    edit_credits_2022(page, editor, "abc")
    expect(alert(page, "Rien n'a été enregistré")).to_contain_text("1 problème(s)")
    problems = page.get_by_role("tabpanel", name="Modifier une table").get_by_test_id("stCode")
    expect(problems).to_contain_text(
        # The row as the editor counts it: the 2022 credits are its first row.
        f"{TABLE} (édition), ligne 1, Crédits : montant illisible « abc »"
    )
    expect(alert(page, "Modifications enregistrées")).to_have_count(0)
    assert_no_error(page, "édition refusée")

    # Nothing was written.
    expect_overview_2022(page, fresh_server, "3 000,00 €", "200,00 €")
    assert_no_error(page, "vue d'ensemble après le refus")
    assert "page error" not in fresh_server.log_text(), fresh_server.log_tail()


def test_two_managers_editing_the_same_table_never_lose_a_save(
    new_context: Callable[..., BrowserContext], fresh_server: Server
) -> None:
    first, second = new_context().new_page(), new_context().new_page()
    first_editor = open_table_editor(first, fresh_server)
    second_editor = open_table_editor(second, fresh_server)  # loaded before the first's save
    edit_credits_2022(first, first_editor, "3100")
    expect(alert(first, "Modifications enregistrées")).to_be_visible()
    edit_credits_2022(second, second_editor, "3200")
    refusal = alert(second, "depuis que vous l'avez ouverte")
    expect(refusal).to_contain_text(
        spaced("« Lignes budgétaires » a été modifiée par", whole=False)
    )
    expect(refusal).to_contain_text("rien n'a été enregistré")
    assert_no_error(second, "sauvegarde refusée")
    # The first save stands: 3 100,00 − 2 800,00 = 300,00.
    expect_overview_2022(second, fresh_server, "3 100,00 €", "300,00 €")
