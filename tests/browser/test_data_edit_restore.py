"""An editor left open across a restore: its save is refused in French, and the restored figures
stay (issue 16, finding 3). The restore is made from the command line, as an administrator on
the server would, while the page keeps the rows it loaded."""

from playwright.sync_api import Page, expect

from spend.store.backups import latest_backup
from tests.browser.dom import (
    alert,
    assert_no_error,
    edit_grid_cell,
    grid_cell,
    grid_cell_position,
    spaced,
)
from tests.browser.server import Server
from tests.browser.test_data_edit import edit_credits_2022, expect_overview_2022, open_table_editor
from tests.conftest import run_cli


def test_a_save_from_an_editor_loaded_before_a_restore_is_refused(
    page: Page, fresh_server: Server
) -> None:
    editor = open_table_editor(page, fresh_server)
    edit_credits_2022(page, editor, "3100")  # the backup taken before it holds 3 000,00
    expect(alert(page, "Modifications enregistrées")).to_be_visible()
    # The full copy taken before the edit, put back as it was (without the write log after it).
    before_edit = latest_backup(fresh_server.db)
    assert before_edit is not None
    restored = run_cli("restore", str(before_edit.path), "--db", str(fresh_server.db))
    assert restored.returncode == 0, restored.stderr
    # The editor still shows 3 100,00, as loaded: its save would write that back.
    col, row = grid_cell_position(editor, "Crédits", "Exercice", "2022")
    expect(grid_cell(editor, col, row)).to_have_text(spaced("3 100,00"))
    edit_grid_cell(page, editor, col, row, "3200")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    refusal = alert(page, "rien n'a été enregistré")
    expect(refusal).to_contain_text(spaced("La base a été restaurée par", whole=False))
    assert_no_error(page, "sauvegarde refusée après une restauration")
    # The restored figures stand: 3 000,00 − 2 800,00 = 200,00.
    expect_overview_2022(page, fresh_server, "3 000,00 €", "200,00 €")
    assert "page error" not in fresh_server.log_text(), fresh_server.log_tail()
