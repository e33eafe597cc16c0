"""`make bench`'s pieces at a small size: the engine, its SQL floor and its naive peer agree to
the cent (both billing rules, « sur devis », VAT), a divergence is caught, the children run."""

import socket
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from scripts import bench, bench_child
from scripts.agreement import differences
from scripts.naive_peer import naive_figures
from scripts.sql_floor import floor_figures, floor_statements
from spend import store
from spend.domain.figures import Figures, compute
from spend.exchange.demo import write_demo
from tests.conftest import ADMIN

CONVENTIONS = 200


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    db = tmp_path_factory.mktemp("bench") / "demo.duckdb"
    with store.connect(db) as con:
        write_demo(con, CONVENTIONS, seed=11)
    yield db


@pytest.fixture
def con(demo_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(demo_db), read_only=True)
    yield connection
    connection.close()


def test_the_sample_exercises_every_rule(con: duckdb.DuckDBPyConnection) -> None:
    titles = compute(store.load_inputs(con)).titles
    assert set(titles["billing_rule"]) == {"calendar_year", "anniversary_prorated"}
    assert set(titles["tax"]) == {"HT", "net"}
    assert (~titles["priced"]).sum() > 0  # « sur devis »: unknown amounts
    prorated = titles.filter(pl.col("months") < Decimal("12.00"))
    assert prorated.filter(pl.col("billing_rule") == "anniversary_prorated").height > 0
    assert titles["due_date"].null_count() not in (0, titles.height)


def test_engine_sql_floor_and_naive_peer_agree_to_the_cent(
    con: duckdb.DuckDBPyConnection,
) -> None:
    inputs = store.load_inputs(con)
    engine = compute(inputs)
    assert differences(engine, floor_figures(con), "SQL") == []
    assert differences(engine, naive_figures(inputs), "naive") == []


def test_they_agree_at_another_vat_rate(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "vat.duckdb"
    db.write_bytes(demo_db.read_bytes())
    with store.connect(db) as connection:
        store.update_settings(connection, {"vat_rate": "5.50"}, actor=ADMIN, source="test")
        inputs = store.load_inputs(connection)
        assert inputs.vat_rate == Decimal("5.50")
        engine = compute(inputs)
        assert differences(engine, floor_figures(connection), "SQL") == []
    assert differences(engine, naive_figures(inputs), "naive") == []


def _with_cent_more(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    first = pl.int_range(pl.len()) == frame[column].arg_max()
    bumped = pl.when(first).then(pl.col(column) + Decimal("0.01")).otherwise(pl.col(column))
    return frame.with_columns(bumped.cast(frame.schema[column]).alias(column))


@pytest.mark.parametrize(
    ("result", "column"),
    [
        ("titles", "amount_excl_tax"),
        ("titles", "vat"),
        ("totals", "amount_incl_tax"),
        ("balance", "balance"),
        ("balance", "committed_other"),
    ],
)
def test_a_cent_of_difference_anywhere_is_caught(
    con: duckdb.DuckDBPyConnection, result: str, column: str
) -> None:
    engine = compute(store.load_inputs(con))
    floor = floor_figures(con)
    wrong = replace(floor, **{result: _with_cent_more(getattr(floor, result), column)})
    found = differences(engine, wrong, "SQL")
    assert len(found) == 1 and found[0].startswith(f"SQL {result}:")


def test_a_missing_or_extra_title_is_caught(con: duckdb.DuckDBPyConnection) -> None:
    engine = compute(store.load_inputs(con))
    short = Figures(engine.titles.slice(1), engine.totals, engine.balance)
    assert differences(engine, short, "naive") != []
    assert differences(short, engine, "naive") != []


def test_the_floor_sql_file_has_its_three_statements() -> None:
    assert list(floor_statements()) == ["titles", "totals", "balance"]


def test_the_children_measure_and_keep_comparable_results(demo_db: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    loaded = bench_child.write_inputs(demo_db, inputs)
    assert loaded["conventions"] == CONVENTIONS
    engine = bench_child.engine(inputs, tmp_path / "engine", 2)
    assert len(engine["seconds"]) == 2 and engine["peak_rss_mib"] > 0
    sql = bench_child.sql(demo_db, tmp_path / "sql", 1)
    naive = bench_child.naive(inputs, tmp_path / "naive")
    assert engine["rows"] == sql["rows"] == naive["rows"]
    reference = bench_child.read_results(tmp_path / "engine")
    for name in ("sql", "naive"):
        assert differences(reference, bench_child.read_results(tmp_path / name), name) == []


def test_the_table_reads_well() -> None:
    assert [bench.size_label(n) for n in (None, 1_000, 100_000, 1_000_000, 1_500)] == [
        "seed", "10³", "10⁵", "10⁶", "1 500",
    ]  # fmt: skip
    rows = [
        bench.Row("engine", "10⁵", 0.25, 300.0, "engine / SQL 0.80×", "≤ 2× SQL", "yes"),
        bench.Row("page overview", "seed", None, note="n/a"),
    ]
    lines = bench.markdown(rows)
    assert len({len(line) for line in lines}) == 1  # aligned columns
    assert "| 250 ms " in lines[2] and "| 300 MiB " in lines[2]
    assert "| n/a " in lines[3]
    assert bench.yes_no([True, False]) == "yes / **no**"


def test_server_pages_read_against_their_seed_beside_the_file(tmp_path: Path) -> None:
    run = bench.Bench(bench.QUICK, tmp_path)
    on_server = {"seed": 0.100, "10³": 0.450}
    on_file = {"seed": 0.050, "10³": 0.065}
    run.page_rows("pages/overview.py", on_server, (1_000,), " on PostgreSQL", on_file)
    seed, large = run.rows
    assert seed.measure == "page `overview` on PostgreSQL" and seed.note == "DuckDB file: 50 ms"
    assert (large.ratio, large.target, large.met) == ("4.5× seed", "≤ 5× seed", "yes")
    assert large.note == "DuckDB file: 1.3× seed"
    run.rows.clear()
    run.page_rows("slider", {"seed": 0.1, "10³": 0.31}, (1_000,), " on PostgreSQL", on_file)
    assert (run.rows[1].target, run.rows[1].met) == ("≤ 3× seed", "**no**")


def test_without_a_server_the_postgresql_rows_say_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("SPEND_BENCH_DATABASE_URL", f"postgresql://nobody@127.0.0.1:{port}/x")
    run = bench.Bench(bench.QUICK, tmp_path)
    run.databases[None] = tmp_path / "unused.duckdb"  # the seed is never made: no server
    run.postgres()
    (row,) = run.rows
    assert row.measure == "PostgreSQL rows" and row.note.startswith("absent: ")
    assert "PostgreSQL" in row.note and str(port) in row.note


@pytest.mark.slow
def test_the_word_draft_rows_time_the_command_on_the_seed_and_the_demo(
    demo_db: Path, tmp_path: Path, seeded_file: Path
) -> None:
    run = bench.Bench(replace(bench.QUICK, writes=CONVENTIONS), tmp_path)
    run.databases = {None: seeded_file, CONVENTIONS: demo_db}
    run.drafts()
    seed, demo = run.rows
    assert seed.measure == "Word draft of 2022 (`python -m spend draft-deliberation`)"
    assert (
        demo.measure == f"Word draft of {bench.DRAFT_YEAR} (`python -m spend draft-deliberation`)"
    )
    assert (seed.size, demo.size) == ("seed", "200")
    assert all(row.seconds and row.seconds > 0 for row in run.rows)
    assert (tmp_path / "draft_seed.docx").stat().st_size > 10_000
    assert (tmp_path / f"draft_{CONVENTIONS}.docx").stat().st_size > 10_000
