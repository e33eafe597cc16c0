"""The bounds and limits are generous for real use: every number, date and amount of the format
has a range said in French, a region's 100 000 conventions import in both CSV dialects (30 000
as a workbook, whose writing here costs more than its reading), while a file just past a limit
is refused."""

import io
import subprocess
import sys
import time
from decimal import Decimal

import duckdb
import pytest
import xlsxwriter

from spend.domain.french import megabytes
from spend.domain.records import MAX_CELL_CHARS, TABLES
from spend.exchange.importer import read_files
from spend.exchange.limits import MAX_FILE_BYTES, MAX_ROWS
from spend.exchange.uploads import read_uploaded
from spend.exchange.validation import french_number, range_in_words
from spend.paths import ROOT
from tests.bad_inputs.builders import csv_file
from tests.bad_inputs.conftest import import_tables


def test_every_number_date_and_amount_has_a_range() -> None:
    ranges = {
        f"{t.name}.{c.name}": range_in_words(c)
        for t in TABLES.values()
        for c in t.columns
        if c.kind in ("date", "money", "int")
    }
    dates = {k: v for k, v in ranges.items() if "date" in k}
    assert set(dates.values()) == {"entre 1990 et 2100"}
    assert {k: v for k, v in ranges.items() if k not in dates} == {
        "fee_grid.annual_fee": "au plus 1\u202f000\u202f000\u202f000\u202f000,00\u00a0€",
        "fee_grid.payment_days": "au plus 365",
        "conventions.notice_months": "au plus 120",
        "budget_lines.year": "entre 1990 et 2100",
        "budget_lines.credits": "entre \u22121\u202f000\u202f000\u202f000\u202f000,00\u00a0€ et "
        "1\u202f000\u202f000\u202f000\u202f000,00\u00a0€",  # a BS or DM may be negative
        "commitments.year": "entre 1990 et 2100",
        "commitments.amount_incl_tax": ("entre −1 000 000 000 000,00 € et 1 000 000 000 000,00 €"),
        "deliberations.votes_for": "au plus 10\u202f000",
        "deliberations.votes_against": "au plus 10\u202f000",
        "deliberations.abstentions": "au plus 10\u202f000",
        "deliberations.members_in_office": "au plus 10\u202f000",
    }


@pytest.mark.parametrize(
    ("value", "french"),
    [
        (2100, "2100"),
        (MAX_CELL_CHARS, "10\u202f000"),
        (Decimal("1000000000000.00"), "1\u202f000\u202f000\u202f000\u202f000,00\u00a0€"),
        (Decimal("-5"), "−5,00\u00a0€"),
    ],
)
def test_bounds_are_written_as_a_french_reader_writes_them(
    value: int | Decimal, french: str
) -> None:
    assert french_number(value) == french


def test_sizes_are_rounded_up_so_that_just_past_a_limit_never_reads_as_it() -> None:
    assert megabytes(100_000_000) == "100 Mo"
    assert megabytes(100_000_001) == "100,1 Mo"
    assert megabytes(1_073_741_824) == "1\u202f073,8 Mo"


def _conventions(count: int) -> list[list[str]]:
    return [
        [
            f"CV-{i:06}",
            "RESAH-2020-027-L1",
            f"Adhésion n° {i} au service d'hébergement",
            "Sécurité",
            "Groupement de 5 à 9 bénéficiaires / CD",
            f"2021-{1 + i % 12:02}-01",
            "2024-06-30",
            "3",
            "C06-020M02",
            "6281/930202",
            "2022-504",
            "signée",
        ]
        for i in range(count)
    ]


@pytest.mark.slow
@pytest.mark.parametrize("dialect", ["standard", "excel_fr"])
def test_a_regions_hundred_thousand_conventions_import(
    seeded_db: duckdb.DuckDBPyConnection, dialect: str
) -> None:
    content = csv_file("conventions", _conventions(100_000), dialect)
    start = time.perf_counter()
    result = import_tables(seeded_db, read_files([("conventions.csv", content)]))
    assert result.rows_by_table == {"conventions": 100_000}
    assert time.perf_counter() - start < 30


WORKBOOK_CONVENTIONS = 30_000


@pytest.mark.slow
def test_a_workbook_of_thirty_thousand_conventions_imports(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    buffer = io.BytesIO()
    table = TABLES["conventions"]
    with xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True}) as book:
        sheet = book.add_worksheet(table.french)
        for col, column in enumerate(c for c in table.columns if not c.optional_column):
            sheet.write_string(0, col, column.french)
        # Fewer rows than the CSV tests: building the workbook here costs more than reading it.
        for row, cells in enumerate(_conventions(WORKBOOK_CONVENTIONS), start=1):
            for col, cell in enumerate(cells):
                sheet.write_string(row, col, cell)
    start = time.perf_counter()
    raw = read_uploaded([("region.xlsx", buffer.getvalue())])
    result = import_tables(seeded_db, raw)
    assert result.rows_by_table == {"conventions": WORKBOOK_CONVENTIONS}
    assert time.perf_counter() - start < 30


@pytest.mark.slow
def test_a_file_of_exactly_the_row_limit_is_read() -> None:
    header = b"operation_code,imputation,label,year,credits\n"
    rows = b"".join(b"OP,I%d,,2023,1\n" % i for i in range(MAX_ROWS))
    (raw,) = read_files([("budget_lines.csv", header + rows)])
    assert raw.rows.height == MAX_ROWS


def test_the_servers_upload_limit_is_the_packages() -> None:
    """The dashboard's uploader takes what an import accepts, no less (the README's 100 MB):
    Streamlit's own reading of .streamlit/config.toml, in megabytes."""
    read = subprocess.run(
        [sys.executable, "-c", "from streamlit import config\n"
         "print(config.get_option('server.maxUploadSize'))"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    assert int(read.stdout) * 1_000_000 == MAX_FILE_BYTES
    assert MAX_FILE_BYTES == 100_000_000
