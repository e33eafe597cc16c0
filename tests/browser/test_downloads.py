"""Flow 4: a table handed over as CSV for French Excel and as XLSX, through the real buttons."""

import csv
import io
from pathlib import Path

import openpyxl
from playwright.sync_api import Locator, Page

from tests.browser.dom import (
    dataframe_after,
    download_buttons_after,
    open_from_sidebar,
    table_rows,
)
from tests.browser.server import Server

HEADING = "Totaux par centrale et par exercice"
DOWNLOADS = Path(__file__).resolve().parents[2] / "test-output" / "browser" / "downloads"


def download(page: Page, button: Locator) -> tuple[str, bytes]:
    with page.expect_download() as info:
        button.click()
    done = info.value
    failure = done.failure()
    assert failure is None, f"téléchargement échoué : {failure}"
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    done.save_as(DOWNLOADS / done.suggested_filename)
    return done.suggested_filename, (DOWNLOADS / done.suggested_filename).read_bytes()


def test_table_downloads_as_french_csv_and_xlsx(page: Page, seed_server: Server) -> None:
    open_from_sidebar(page, seed_server, "Cotisations", "?annee=2022")
    shown_headers, shown_rows = table_rows(dataframe_after(page, HEADING))
    buttons = download_buttons_after(page, HEADING)

    name, data = download(page, buttons.filter(has_text="CSV Excel (FR)"))
    assert name == "cotisations_par_centrale.csv", name
    assert data.startswith(b"\xef\xbb\xbf"), f"pas de BOM UTF-8 : {data[:20]!r}"
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len(header) > 1, f"séparateur « ; » attendu : {text[:200]!r}"
    assert header[: len(shown_headers)] == shown_headers, (header, shown_headers)
    assert {"Exercice", "Montant HT", "Montant TTC"} <= set(header), header
    assert len(body) == len(shown_rows), (body, shown_rows)
    by_key = {
        (r[header.index("Identifiant centrale")], r[header.index("Exercice")]): r for r in body
    }
    caih_2022 = by_key[("CAIH", "2022")]
    assert caih_2022[header.index("Montant HT")] == "1500,00", caih_2022
    assert caih_2022[header.index("Montant TTC")] == "1800,00", caih_2022
    assert by_key[("RESAH", "2022")][header.index("Montant TTC")] == "1000,00", by_key

    name, data = download(page, buttons.filter(has_text="Excel (XLSX)"))
    assert name == "cotisations_par_centrale.xlsx", name
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames == ["Totaux"], book.sheetnames
    cells = [list(r) for r in book["Totaux"].iter_rows(values_only=True)]
    book.close()
    assert list(cells[0]) == header, (cells[0], header)
    assert len(cells) - 1 == len(body), cells
    sheet = {
        (r[header.index("Identifiant centrale")], r[header.index("Exercice")]): r for r in cells[1:]
    }
    row = sheet[("CAIH", 2022)]
    for column, expected in (("Montant HT", 1500), ("TVA", 300), ("Montant TTC", 1800)):
        value = row[header.index(column)]
        assert isinstance(value, int | float) and not isinstance(value, bool), (column, value)
        assert value == expected, (column, value)
