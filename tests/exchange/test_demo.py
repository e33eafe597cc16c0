"""The synthetic demo: reproducible from its seed, shaped like the store, varied like real data,
accepted by the normal import, and said to be synthetic wherever the data's source is shown."""

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from spend import store
from spend.domain.budget import counts_as_committed
from spend.domain.figures import compute
from spend.exchange.demo import SOURCE_PREFIX, demo_source, demo_tables, write_demo
from spend.exchange.writing import write_exchange_folder
from tests.conftest import ADMIN, run_cli

CONVENTIONS = 400


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    return demo_tables(CONVENTIONS, seed=7)


def test_the_same_seed_gives_the_same_tables_and_another_seed_others(
    tables: dict[str, pl.DataFrame],
) -> None:
    again = demo_tables(CONVENTIONS, seed=7)
    assert list(again) == list(tables)
    for name, frame in tables.items():
        assert_frame_equal(again[name], frame)
    other = demo_tables(CONVENTIONS, seed=8)
    assert not other["conventions"].equals(tables["conventions"])


def test_tables_have_exactly_the_store_schema(
    tables: dict[str, pl.DataFrame], tmp_path: Path
) -> None:
    with store.connect(tmp_path / "empty.duckdb") as con:
        stored = store.read_all(con)
    assert sorted(tables) == sorted(stored)
    for name, frame in tables.items():
        assert frame.schema == stored[name].schema, name
    assert tables["conventions"].height == CONVENTIONS


def test_the_data_is_varied_like_real_data(tables: dict[str, pl.DataFrame]) -> None:
    bodies, grid, conventions = tables["bodies"], tables["fee_grid"], tables["conventions"]
    assert 6 <= bodies.height <= 20
    assert bodies["name"].str.contains("fictive|fictif|fictives|fictifs").all()
    assert set(grid["billing_rule"]) == {"calendar_year", "anniversary_prorated"}
    assert set(grid["tax"]) == {"HT", "net"}
    assert grid["annual_fee"].null_count() > 0  # « sur devis »
    assert grid.filter(pl.col("billing_rule") == "calendar_year")["payment_days"].null_count() == 0
    assert set(conventions["status"]) == {"active", "planned", "ended", "incomplete"}
    for column in ("end_date", "start_date", "formula", "notice_months", "deliberation_id"):
        assert 0 < conventions[column].null_count() < conventions.height, column
    years = conventions["start_date"].dt.year()
    assert years.min() >= 2014 and years.max() <= 2030
    # Formulas and categories come from the convention's own agreement's grid.
    priced = conventions.filter(pl.col("formula").is_not_null())
    missing = priced.join(grid, on=["agreement_id", "formula", "category"], how="anti")
    assert missing.is_empty()
    assert set(tables["commitments"]["status"]) >= {"committed", "planned", "cancelled"}
    cited = set(conventions["deliberation_id"].drop_nulls())
    assert cited <= set(tables["deliberations"]["deliberation_id"])


def test_credits_leave_some_years_over_committed_and_others_not(
    tables: dict[str, pl.DataFrame], tmp_path: Path
) -> None:
    with store.connect(tmp_path / "demo.duckdb") as con:
        store.write_tables(
            con, tables, actor=ADMIN, action="import", source=demo_source(CONVENTIONS, 7)
        )
        balance = compute(store.load_inputs(con)).balance
    voted = balance.filter(pl.col("has_credits"))
    assert voted.filter(pl.col("balance") < 0).height > 0
    assert voted.filter(pl.col("balance") >= 0).height > 0
    assert balance.filter(~pl.col("has_credits") & (pl.col("committed") > 0)).height > 0
    assert tables["commitments"].filter(counts_as_committed()).height > 0


def test_the_demo_goes_through_the_normal_import_to_the_same_balance(tmp_path: Path) -> None:
    original = tmp_path / "demo.duckdb"
    created = run_cli("demo", "--db", str(original), "--conventions", "300", "--seed", "3")
    assert created.returncode == 0, created.stderr
    folder = tmp_path / "exported"
    with store.connect(original) as con:
        write_exchange_folder(con, folder, excel_fr=False)
    imported = tmp_path / "imported.duckdb"
    result = run_cli("import", str(folder), "--db", str(imported))
    assert result.returncode == 0, result.stderr
    balances = [run_cli("balance", "--db", str(db)) for db in (original, imported)]
    assert balances[0].returncode == 0
    assert balances[0].stdout == balances[1].stdout
    assert len(balances[0].stdout.splitlines()) > 10


def test_the_command_creates_a_new_database_logged_as_synthetic(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    created = run_cli("demo", "--db", str(db), "--conventions", "50", "--seed", "1")
    assert created.returncode == 0, created.stderr
    assert "démo synthétique (50 conventions, graine 1)" in created.stdout
    with store.connect(db) as con:
        last = store.query(con, "last_write")
        assert store.read_table(con, "conventions").height == 50
    assert last["source"][0].startswith(SOURCE_PREFIX)
    assert SOURCE_PREFIX.startswith("démo")


def test_the_command_never_touches_an_existing_file(tmp_path: Path) -> None:
    db = tmp_path / "existing.duckdb"
    db.write_bytes(b"not a database")
    refused = run_cli("demo", "--db", str(db), "--conventions", "10")
    assert refused.returncode == 1
    assert "existe déjà" in refused.stderr
    assert db.read_bytes() == b"not a database"
    negative = run_cli("demo", "--db", str(tmp_path / "new.duckdb"), "--conventions", "-1")
    assert negative.returncode == 2
    assert "nombre positif" in negative.stderr


def test_write_demo_writes_every_table_in_one_import(tmp_path: Path) -> None:
    with store.connect(tmp_path / "x.duckdb") as con:
        write_demo(con, 20, seed=2)
        stored = store.read_all(con)
        assert store.settings(con)["collectivity_name"].endswith("(démo)")
    assert all(frame.height > 0 for frame in stored.values())
