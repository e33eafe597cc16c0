"""Formula, HTML and Markdown payloads are text: accepted, stored exactly as written, and every
export hands them back inert (a leading apostrophe before a formula in CSV and SCDL, a quoted
string in XLSX), so that the exported file imports back to the same text."""

import csv
import io

import duckdb
import openpyxl
import polars as pl
import pytest

from spend import store
from spend.domain.records import TABLES
from spend.exchange.exports import csv_bytes, starts_like_formula, xlsx_bytes
from spend.exchange.scdl import scdl_csv_bytes, scdl_export, scdl_frame
from spend.exchange.uploads import read_uploaded
from spend.exchange.writing import exchange_zip
from tests.bad_inputs.builders import csv_file
from tests.bad_inputs.conftest import Corpus, import_tables

# A row of each table with its key first and "{}" where the payload goes.
ROWS = {
    "bodies": ["PB", "{}", "", "{}"],
    "agreements": ["PA", "CAIH", "", "{}", ""],
    "conventions": ["PK", "CAIH-SO360", "{}", "", "", "2022-01-01", "", "", "", "", "", "active"],
    "budget_lines": ["OPX", "IMPX", "{}", "2023", "10.00"],
    "commitments": ["PE", "C06-020M02", "6281/930202", "2023", "10.00", "{}", "", "committed"],
    "deliberations": ["PD", "2023-01-05", "", "{}", "", "", "", "adopted"],
}
PAYLOADS = [
    pytest.param("bodies", "name", '=HYPERLINK("http://evil.example","clic")', id="=HYPERLINK"),
    pytest.param("agreements", "title", "+cmd|' /C calc'!A0", id="+cmd (DDE)"),
    pytest.param("commitments", "label", "@SUM(1+1)*cmd|' /C calc'!A0", id="@SUM"),
    pytest.param("conventions", "title", "-2+3+cmd|' /C calc'!A0", id="-2+3"),
    pytest.param("deliberations", "title", "=1+1", id="=1+1 in a deliberation's object"),
    pytest.param(
        "bodies", "address", "<script>alert(1)</script><img src=x onerror=alert(1)>", id="HTML"
    ),
    pytest.param(
        "conventions",
        "title",
        "[clic](javascript:alert(1)) **gras** ![x](http://x/y.png) <b>b</b> :red[rouge] $x$",
        id="Markdown",
    ),
    pytest.param("budget_lines", "label", "Ligne\nsur deux\tlignes « 2023 »", id="line breaks"),
]


def _stored(con: duckdb.DuckDBPyConnection, table: str) -> pl.DataFrame:
    key = TABLES[table].key[0]
    return store.read_table(con, table).filter(pl.col(key) == ROWS[table][0])


def _cell(content: bytes, column: str, separator: str) -> str:
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=separator))
    return rows[-1][column]


@pytest.mark.parametrize("dialect", ["standard", "excel_fr"])
@pytest.mark.parametrize(("table", "column", "payload"), PAYLOADS)
def test_a_payload_is_stored_as_written_and_exported_inert(
    seeded_db: duckdb.DuckDBPyConnection,
    empty_db: duckdb.DuckDBPyConnection,
    corpus: Corpus,
    table: str,
    column: str,
    payload: str,
    dialect: str,
) -> None:
    row = [payload if cell == "{}" else cell for cell in ROWS[table]]
    upload = [(f"{table}.csv", csv_file(table, [row], dialect))]
    import_tables(seeded_db, read_uploaded(upload))
    stored = _stored(seeded_db, table)
    assert stored[column].to_list() == [payload]

    inert = "'" + payload if starts_like_formula(payload) else payload
    french = TABLES[table].column(column).french
    standard = csv_bytes(stored, "standard")
    assert _cell(standard, column, ",") == inert
    excel = csv_bytes(stored, "excel_fr", {column: french}, TABLES[table])
    assert _cell(excel, french, ";") == inert
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({table: stored}))).active
    assert sheet is not None
    written = sheet.cell(2, stored.columns.index(column) + 1)
    assert written.value == payload
    assert written.quotePrefix == starts_like_formula(payload)

    # The exported files import back to the same text.
    exported = exchange_zip(store.read_all(seeded_db), dialect)  # type: ignore[arg-type]
    import_tables(empty_db, read_uploaded([("export.zip", exported)]))
    assert _stored(empty_db, table)[column].to_list() == [payload]
    corpus.record("accepted")


@pytest.mark.parametrize(
    "title", ['=HYPERLINK("http://evil.example","clic")', "@SUM(A1)", "+1", "-1", "\t=1+1"]
)
def test_the_scdl_export_publishes_a_formula_as_stored_and_says_so(
    seeded_db: duckdb.DuckDBPyConnection, corpus: Corpus, title: str
) -> None:
    row = ["PD", "2023-01-05", "", title, "", "", "", "adopted"]
    upload = [("deliberations.csv", csv_file("deliberations", [row]))]
    import_tables(seeded_db, read_uploaded(upload))
    stored = store.read_table(seeded_db, "deliberations")
    frame = scdl_frame(stored, coll_name="Département", coll_siret=None)
    content = scdl_csv_bytes(frame)
    objects = {r["DELIB_ID"]: r for r in csv.DictReader(io.StringIO(content.decode("utf-8")))}
    kept = stored.filter(pl.col("deliberation_id") == "PD")["title"][0]
    assert objects["PD"]["DELIB_OBJET"] == kept  # the open-data file publishes what is stored
    assert objects["2022-504"]["DELIB_DATE"] == "2022-12-13"
    assert objects["2022-504"]["VOTE_POUR"] == "44"
    # The manager is told before publishing (the row itself lacks its ACTES subject).
    settings = {"collectivity_name": "Département", "collectivity_siret": "21860194600013"}
    subject = {"subject_code": "1.4", "subject_name": "Commande publique/Autres"}
    notices = scdl_export(stored.with_columns(**{k: pl.lit(v) for k, v in subject.items()}),
                          settings).notices  # fmt: skip
    if kept.startswith(("=", "+", "-", "@", "\t")):
        assert any("Délibération PD : l'objet commence par" in n for n in notices), notices
    corpus.record("accepted")
