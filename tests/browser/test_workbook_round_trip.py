"""The workbook of Données › Exporter, downloaded through the real button and imported back
through the page into an empty database, gives the seed's figures."""

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import openpyxl
from playwright.sync_api import BrowserContext, Page, expect

from spend.paths import ROOT
from tests.browser.conftest import OUTPUT, _slug
from tests.browser.dom import (
    alert,
    assert_no_error,
    expect_metric,
    nav_link,
    open_from_sidebar,
    open_page,
    wait_idle,
)
from tests.browser.server import Server, running_server
from tests.browser.test_downloads import download

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    wait_idle(page)


def _expect_figures(page: Page, credits: str, committed: str, balance: str) -> None:
    expect_metric(page, "Crédits disponibles", credits)
    expect_metric(page, "Engagé (TTC)", committed)
    expect_metric(page, "Solde", balance)


def test_the_exported_workbook_imports_back_into_an_empty_database(
    new_context: Callable[..., BrowserContext], seed_server: Server, tmp_path: Path
) -> None:
    page = new_context().new_page()
    open_from_sidebar(page, seed_server, "Données")
    _tab(page, "Exporter")
    name, workbook = download(
        page, page.get_by_test_id("stDownloadButton").filter(has_text="Classeur Excel (XLSX)")
    )
    assert name == "centrales_donnees.xlsx", name
    sheets = openpyxl.load_workbook(io.BytesIO(workbook), read_only=True).sheetnames
    assert "Conventions" in sheets and "Grilles tarifaires" in sheets, sheets

    empty = tmp_path / "vide.duckdb"
    subprocess.run(
        [sys.executable, "-m", "spend", "init", "--empty", "--db", str(empty)], cwd=ROOT, check=True
    )
    log = OUTPUT / "browser" / "logs" / f"{_slug('workbook_round_trip')}.log"
    with running_server(empty, log) as server:
        other = new_context().new_page()
        open_page(other, server, "/data", "Données")
        _tab(other, "Importer")
        uploader = other.get_by_test_id("stFileUploader").filter(has_text="Fichiers à importer")
        uploader.locator("input[type=file]").set_input_files(
            files=[{"name": name, "mimeType": XLSX, "buffer": workbook}]
        )
        expect(
            other.get_by_test_id("stExpander").filter(has_text="Aperçu : centrales_donnees.xlsx")
        ).to_have_count(7)
        wait_idle(other)
        other.get_by_role("button", name="Valider et enregistrer").click()
        expect(alert(other, "Import réussi")).to_be_visible()
        expect(alert(other, "Import réussi")).to_contain_text("Conventions : 6 ligne(s)")
        assert_no_error(other, "import du classeur")

        nav_link(other, "Vue d'ensemble").click()
        expect(other.locator("h1").first).to_have_text("Vue d'ensemble")
        open_page(other, server, "/?annee=2022")
        _expect_figures(other, "3 000,00 €", "2 800,00 €", "200,00 €")
        open_page(other, server, "/?annee=2023")
        _expect_figures(other, "0,00 €", "2 508,33 €", "−2 508,33 €")
        assert "page error" not in server.log_text(), server.log_tail()
