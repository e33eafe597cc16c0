"""Every form of the whole export (folder of CSV files, zip, workbook) imports back as it is.

The property: any data set the demo generator makes, exported in each form and imported into an
empty database, gives the same tables, and so the same fees, totals and balance.
"""

import datetime as dt
import io
import tempfile
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from spend import store
from spend.domain.access import SYSTEM
from spend.domain.records import TABLES
from spend.exchange.demo import write_demo
from spend.exchange.importer import import_folder, import_raw_tables, read_files
from spend.exchange.seed import open_database
from spend.exchange.uploads import read_uploaded
from spend.exchange.writing import (
    exchange_workbook,
    export_kind,
    table_csv,
    table_workbook,
    write_exchange,
)
from spend.views.fee_grids import grid_rows
from tests.conftest import ADMIN, run_cli
from tests.exchange.test_round_trip import EXTRA, assert_same_figures, assert_same_store

D = Decimal
# (file name, CSV in French Excel's dialect): the forms `export PATH` writes, by PATH's name.
FORMS = [("dossier", False), ("dossier", True), ("donnees.zip", False), ("donnees.xlsx", False)]


def _round_trip(source: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Export `source` in every form, import each into its own empty database, compare."""
    for index, (name, excel_fr) in enumerate(FORMS):
        exported = folder / f"{index}" / name
        write_exchange(source, exported, excel_fr=excel_fr)
        target = open_database(folder / f"{index}.duckdb", seed_if_new=False)
        try:
            import_folder(target, exported, actor=ADMIN, source="aller-retour")
            assert_same_store(source, target)
            assert_same_figures(source, target)
        finally:
            target.close()


# Amounts as large and as precise as the format allows: a double holds 15 significant digits,
# and a workbook's reader gives its binary digits (123456789012.339996338) unless told.
CENTS = st.integers(min_value=0, max_value=100_000_000_000_000)


@pytest.mark.slow
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    conventions=st.integers(min_value=1, max_value=120),
    seed=st.integers(min_value=0, max_value=2**31),
    credits=CENTS,
    commitment=st.integers(min_value=-100_000_000_000_000, max_value=100_000_000_000_000),
)
def test_any_generated_data_set_comes_back_from_every_form(
    conventions: int, seed: int, credits: int, commitment: int
) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = open_database(folder / "source.duckdb", seed_if_new=False)
        try:
            write_demo(source, conventions, seed)
            extreme = (
                (
                    "budget_lines.csv",
                    "operation_code,imputation,label,year,credits\n"
                    f"X-99,6281/0,Extrême,2100,{D(credits) / 100:.2f}\n",
                ),
                (
                    "commitments.csv",
                    "commitment_id,operation_code,imputation,year,amount_incl_tax,label,date,status\n"
                    f"X1,X-99,6281/0,2100,{D(commitment) / 100:.2f},=1+1,2100-12-31,paid\n",
                ),
            )
            files = [(file, text.encode()) for file, text in extreme]
            import_raw_tables(source, read_files(files), actor=SYSTEM, source="test")
            _round_trip(source, folder)
        finally:
            source.close()


def test_the_seed_with_awkward_cells_comes_back_from_every_form(
    seeded_db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    import_raw_tables(
        seeded_db, read_files([(n, t.encode()) for n, t in EXTRA]), actor=ADMIN, source="test"
    )
    _round_trip(seeded_db, tmp_path)


def test_the_workbook_names_and_heads_each_sheet_in_french(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(exchange_workbook(store.read_all(seeded_db))))
    assert book.sheetnames == [
        "Centrales d'achat", "Délibérations", "Accords-cadres", "Grilles tarifaires",
        "Conventions", "Lignes budgétaires", "Autres engagements",
    ]  # fmt: skip
    conventions = [c.value for c in book["Conventions"][1]]
    # A convention's title is « Intitulé », a deliberation's « Objet »: one header per table.
    assert conventions == [c.french for c in TABLES["conventions"].columns]
    assert "Intitulé" in conventions and "Délibération" in conventions
    assert [c.value for c in book["Délibérations"][1]][:4] == [
        "Numéro", "Date", "Assemblée", "Objet",
    ]  # fmt: skip
    grid = book["Grilles tarifaires"]
    rows = {(r[1].value, r[2].value): r for r in grid.iter_rows(min_row=2)}
    fee = rows[("Cotisation annuelle", "GHT (plafond) / autre groupement d'établissements")][3]
    assert fee.value == 1500 and fee.data_type == "n" and fee.number_format == "#,##0.00"
    on_quote = [r[3] for r in grid.iter_rows(min_row=2) if r[3].data_type == "s"]
    assert on_quote and {c.value for c in on_quote} == {"sur devis"}
    start = book["Conventions"]["F3"]  # CAIH-SO360-CD62, from 13/12/2022
    assert start.is_date and start.number_format == "dd/mm/yyyy"
    assert start.value.date() == dt.date(2022, 12, 13)
    credits = book["Lignes budgétaires"]["E2"]
    assert credits.value == 3000 and credits.data_type == "n"


def test_a_workbook_amount_reads_back_as_excel_shows_it(
    empty_db: duckdb.DuckDBPyConnection,
) -> None:
    tables = {name: store.read_table(empty_db, name) for name in TABLES}
    tables["budget_lines"] = pl.DataFrame(
        {
            "operation_code": ["L", "L", "L"],
            "imputation": ["1", "1", "1"],
            "label": [None, None, None],
            "year": [2022, 2023, 2024],
            "credits": [D("123456789012.34"), D("999999999999.99"), D("0.10")],
            "stage": ["BP", "BP", "BP"],
            "deliberation_id": [None, None, None],
        },
        schema=tables["budget_lines"].schema,
    )
    raw = read_uploaded([("donnees.xlsx", exchange_workbook(tables))])
    import_raw_tables(empty_db, raw, actor=ADMIN, source="test")
    assert store.read_table(empty_db, "budget_lines")["credits"].to_list() == [
        D("123456789012.34"), D("999999999999.99"), D("0.10"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "kind"),
    [("x.xlsx", "workbook"), ("X.XLSX", "workbook"), ("x.zip", "zip"), ("x", "folder"),
     ("x.csv.d", "folder")],
)  # fmt: skip
def test_export_writes_the_form_its_path_names(name: str, kind: str) -> None:
    assert export_kind(Path(name)) == kind


@pytest.mark.slow
@pytest.mark.parametrize("name", ["donnees.xlsx", "donnees.zip"])
def test_cli_export_to_a_workbook_or_zip_imports_into_an_empty_database(
    tmp_path: Path, name: str
) -> None:
    source, target, exported = tmp_path / "s.duckdb", tmp_path / "t.duckdb", tmp_path / name
    assert run_cli("init", "--db", str(source)).returncode == 0
    written = run_cli("export", str(exported), "--db", str(source))
    assert written.returncode == 0, written.stderr
    assert exported.is_file() and not list(tmp_path.glob("*.partiel"))
    imported = run_cli("import", str(exported), "--db", str(target))
    assert imported.returncode == 0, imported.stderr
    balance = run_cli("balance", "--db", str(target)).stdout.splitlines()
    assert balance[1:] == [
        "C06-020M02,6281/930202,2022,3000.00,2800.00,200.00",
        "C06-020M02,6281/930202,2023,0.00,2508.33,-2508.33",
    ]


def test_a_pages_downloads_of_an_exchange_table_import_back_under_their_names(
    seeded_db: duckdb.DuckDBPyConnection, empty_db: duckdb.DuckDBPyConnection
) -> None:
    """The Cotisations page's grid and the Conventions page's list, downloaded in each form
    under the page's file names, import into an empty database as the rows they hold."""
    inputs = store.load_inputs(seeded_db)
    title = inputs.agreements.filter(pl.col("agreement_id") == "CAIH-SO360")["title"].item()
    grid = grid_rows(inputs.fee_grid, inputs.agreements, title, None)
    assert grid.height == 4 and set(grid["agreement_id"]) == {"CAIH-SO360"}
    stored = store.read_all(seeded_db)
    # What the grid and conventions need beside them, imported first.
    other_grids = stored["fee_grid"].filter(pl.col("agreement_id") != "CAIH-SO360")
    needed = [
        ("bodies.csv", stored["bodies"]),
        ("agreements.csv", stored["agreements"]),
        ("deliberations.csv", stored["deliberations"]),
        ("fee_grid.csv", other_grids),
    ]
    import_raw_tables(
        empty_db,
        read_uploaded([(n, table_csv(n[:-4], f, "standard")) for n, f in needed]),
        actor=ADMIN,
        source="test",
    )
    for stem, name, rows in (("grille_tarifaire", "fee_grid", grid),
                             ("conventions", "conventions", inputs.conventions)):  # fmt: skip
        for file, content in (
            (f"{stem}.csv", table_csv(name, rows, "excel_fr")),
            (f"{stem}_virgule.csv", table_csv(name, rows, "standard")),
            (f"{stem}.xlsx", table_workbook(name, rows)),
        ):
            raw = read_uploaded([(file, content)])
            assert [r.table.name for r in raw] == [name], file
            import_raw_tables(empty_db, raw, actor=ADMIN, source=file)
            key = list(TABLES[name].key)
            got = store.read_table(empty_db, name).join(rows.select(key), on=key, how="semi")
            assert_frame_equal(got, rows.select(TABLES[name].column_names))
