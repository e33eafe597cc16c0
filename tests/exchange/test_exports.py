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
