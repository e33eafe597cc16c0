"""The bytes of every download kind: what Excel and a re-import will read."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import polars as pl

from spend.exchange.exports import csv_bytes, xlsx_bytes
from spend.views.labels import labels_for

FRAME = pl.DataFrame(
    {
        "convention_id": ["CAIH-SO360-CD62", '=HYPERLINK("x")', "@SUM(A1)"],
        "label": ["+33 1 23", "-moins", "normal"],
        "year": [2022, 2023, 2023],
        "amount_incl_tax": [Decimal("1800.00"), Decimal("-708.33"), None],
        "issue_date": [dt.date(2022, 12, 13), dt.date(2023, 3, 31), None],
    },
    schema_overrides={"amount_incl_tax": pl.Decimal(18, 2)},
)


def test_excel_fr_csv_has_bom_semicolons_french_headers_and_decimal_commas() -> None:
    content = csv_bytes(FRAME, "excel_fr", labels_for(FRAME.columns))
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Identifiant convention;Libellé;Exercice;Montant TTC;Date d'émission"
    assert lines[1] == "CAIH-SO360-CD62;'+33 1 23;2022;1800,00;13/12/2022"
    assert lines[2].endswith(";2023;-708,33;31/03/2023")
    assert lines[3] == "'@SUM(A1);normal;2023;;"


def test_formula_cells_are_neutralised_and_numbers_stay_numbers() -> None:
    lines = csv_bytes(FRAME, "excel_fr").decode("utf-8-sig").splitlines()
    assert lines[2].startswith('"\'=HYPERLINK(""x"")";\'-moins;')
    # A negative amount is a number, not text that looks like a formula.
    assert ";-708,33;" in lines[2]


def test_standard_csv_is_the_exchange_format() -> None:
    content = csv_bytes(FRAME, "standard")
    assert not content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8").splitlines()
    assert lines[0] == "convention_id,label,year,amount_incl_tax,issue_date"
    assert lines[1] == "CAIH-SO360-CD62,'+33 1 23,2022,1800.00,2022-12-13"
    assert lines[3] == "'@SUM(A1),normal,2023,,"


def test_xlsx_holds_numbers_dates_and_quoted_text() -> None:
    content = xlsx_bytes({"Titres": FRAME}, labels_for(FRAME.columns))
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book["Titres"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Identifiant convention",
        "Libellé",
        "Exercice",
        "Montant TTC",
        "Date d'émission",
    )
    assert rows[1][2] == 2022 and rows[1][3] == 1800.0
    assert isinstance(rows[2][3], float) and rows[2][3] == -708.33
    assert rows[1][4] == dt.datetime(2022, 12, 13)
    assert rows[2][0] == '=HYPERLINK("x")'
    assert sheet["A3"].data_type == "s" and sheet["A3"].quotePrefix
    assert sheet["D2"].number_format == "#,##0.00"
    assert rows[3][3] is None


# The journal's « Quand » as the store keeps it (UTC, no zone): 01:41 UTC in December is 02:41
# in Paris (UTC+1), 12:00 UTC in July is 14:00 (UTC+2).
TIMES = pl.DataFrame(
    {
        "at": [dt.datetime(2026, 12, 2, 1, 41, 53, 721318), dt.datetime(2026, 7, 1, 12, 0)],
        "credits": [Decimal("1500.00"), None],
    },
    schema_overrides={"credits": pl.Decimal(18, 2)},
)


def test_times_are_written_in_paris_time_and_the_header_says_so() -> None:
    labels = {"at": "Quand (UTC)", "credits": "Crédits"}
    french = csv_bytes(TIMES, "excel_fr", labels).decode("utf-8-sig").splitlines()
    assert french == [
        "Quand (heure de Paris);Crédits",
        "02/12/2026 02:41:53;1500,00",
        "01/07/2026 14:00:00;",
    ]
    standard = csv_bytes(TIMES, "standard").decode().splitlines()
    assert standard[1:] == ["2026-12-02T02:41:53+01:00,1500.00", "2026-07-01T14:00:00+02:00,"]
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"Journal": TIMES}, labels)))
    rows = list(book["Journal"].iter_rows(values_only=True))
    assert rows[0] == ("Quand (heure de Paris)", "Crédits")
    assert rows[1] == (dt.datetime(2026, 12, 2, 2, 41, 53), 1500.0)
    assert rows[2][0] == dt.datetime(2026, 7, 1, 14, 0)
    assert book["Journal"]["A2"].number_format == "dd/mm/yyyy hh:mm:ss"


def test_a_standard_csv_takes_the_headers_it_is_given() -> None:
    content = csv_bytes(TIMES.drop("at"), "standard", {"credits": "Crédits"})
    assert content.decode().splitlines() == ["Crédits", "1500.00", ""]
