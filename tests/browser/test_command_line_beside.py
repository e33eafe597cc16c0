"""One store, several hands: the command line imports while the dashboard serves the same file,
and the page shows the new figures at its next interaction."""

import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, expect

from spend.paths import ROOT
from tests.browser.dom import assert_no_error, expect_metric, nav_link, open_page, wait_idle
from tests.browser.server import Server

CREDITS_2023 = (
    "operation_code,imputation,label,year,credits\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2023,2600.00\n"
)


def test_a_command_line_import_while_the_dashboard_serves(
    page: Page, fresh_server: Server, tmp_path: Path
) -> None:
    open_page(page, fresh_server, "/?annee=2023", "Vue d'ensemble")
    expect_metric(page, "Crédits disponibles", "0,00 €")
    folder = tmp_path / "nuit"
    folder.mkdir()
    (folder / "budget_lines.csv").write_text(CREDITS_2023, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "spend", "import", str(folder), "--db", str(fresh_server.db),
         "--as", "import-de-nuit"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Import réussi" in done.stdout
    # The next interaction shows it: 2 600,00 − 2 508,33 = 91,67.
    nav_link(page, "Budget").click()
    wait_idle(page)
    nav_link(page, "Vue d'ensemble").click()
    wait_idle(page)
    expect_metric(page, "Crédits disponibles", "2 600,00 €")
    expect_metric(page, "Solde", "91,67 €")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("import nuit")
    assert_no_error(page, "vue d'ensemble après l'import de la ligne de commande")
