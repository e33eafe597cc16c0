"""Credits by stage on the PostgreSQL store: an authority migrated from before stages holds the
same budget lines and the same journal text as a DuckDB file migrated from the same rows, and
a line voted in a BP and two DMs gives the same crédits ouverts and balance on both; the
amount arbitrated on a line is kept as on the file."""

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import polars as pl
import psycopg
import pytest
from psycopg import sql as pgsql

from spend import store
from spend.exchange.seed import seed_database
from spend.store import postgres
from spend.store.arbitration import read_arbitrations
from spend.store.connections import open_duckdb
from spend.store.database import load_query
from spend.store.journal import as_json, row_key
from spend.store.schema import _query, apply_migrations, migrations
from tests.store.postgres.conftest import spend

BEFORE_STAGES = 7  # the last step before budget lines had stages (0008_credit_votes)
LINE_KEY = ["operation_code", "imputation", "year"]
OLD_LINES = pl.DataFrame(
    {
        "operation_code": ["C06-020M02", "A / B", "É\\"],
        "imputation": ["6281/930202", "C", '011/"6281"'],
        "label": ["Informatique-Fonctionnement", None, "Frais d'adhésion « CAIH » é/€"],
        "year": [2022, 2023, 2024],
        "credits": ["3000.00", "0.00", "120.50"],
    },
    schema_overrides={"year": pl.Int32},
).with_columns(pl.col("credits").cast(pl.Decimal(18, 2)))
COLUMNS = "id, write_id, written_at, actor, source, action, table_name, row_key, row_before, row_after, undoes"  # noqa: E501


def _old_journal() -> list[tuple[object, ...]]:
    """Journal entries as the store wrote them before stages: each line added, the first one
    then changed and the second removed, a setting, and a restore (an entry without a row)."""
    images = OLD_LINES.select(
        row_key(LINE_KEY).alias("key"), as_json(OLD_LINES).alias("image")
    ).rows()
    changed = OLD_LINES.head(1).with_columns(pl.col("credits") + 500)
    changed_image = changed.select(as_json(changed)).item()
    at = dt.datetime(2026, 11, 2, 9, 30)
    rows: list[tuple[object, ...]] = [
        (i + 1, 1, at, "import", "import", "import", "budget_lines", key, None, image, None)
        for i, (key, image) in enumerate(images)
    ]
    first_key, first_image = images[0]
    rows += [
        (4, 2, at, "a@b.fr", "éditeur", "modification", "budget_lines", first_key, first_image,
         changed_image, None),
        (5, 2, at, "a@b.fr", "éditeur", "modification", "budget_lines", images[1][0],
         images[1][1], None, None),
        (6, 3, at, "a@b.fr", "paramètres", "paramètres", "settings", '["vat_rate"]',
         '{"key":"vat_rate","value":"20.00"}', '{"key":"vat_rate","value":"5.50"}', None),
        (7, 4, at, "a@b.fr", "restauration", "restauration", None, None, None, "copie", None),
    ]  # fmt: skip
    return rows


def _fill(execute: Callable[..., object], insert: str, lines: pl.DataFrame) -> None:
    """The old journal and these budget lines, written with `execute` (`%s` marks)."""
    for row in _old_journal():
        execute(insert.format(table="journal", columns=COLUMNS, marks=", ".join(["%s"] * 11)), row)
    for row in lines.rows():
        execute(
            insert.format(
                table="budget_lines",
                columns="operation_code, imputation, label, year, credits",
                marks="%s, %s, %s, %s, %s",
            ),
            row,
        )


def _migrated_file(path: Path) -> tuple[list[tuple[object, ...]], pl.DataFrame]:
    con = open_duckdb(path)
    try:
        apply_migrations(con, migrations()[:BEFORE_STAGES], first=0)
        insert = "insert into {table} ({columns}) values ({marks})"

        def execute(text: str, row: tuple[object, ...]) -> None:
            con.execute(text.replace("%s", "?"), list(row))

        _fill(execute, insert, OLD_LINES.slice(0, 1).vstack(OLD_LINES.slice(2, 1)))
    finally:
        con.close()
    with store.connect(path) as migrated:
        journal = migrated.sql(f"select {COLUMNS} from journal order by id").fetchall()
        return journal, store.read_table(migrated, "budget_lines")


def _migrated_authority(url: str, name: str) -> tuple[list[tuple[object, ...]], pl.DataFrame]:
    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute(pgsql.SQL("create schema {}").format(pgsql.Identifier(name)))
    with (
        psycopg.connect(postgres.with_schema(url, name), autocommit=True) as pg,
        pg.transaction(),
    ):
        pg.execute(_query("schema_version"))
        for step, text in postgres.steps()[:BEFORE_STAGES]:
            pg.execute(text)
            pg.execute(
                postgres.for_psycopg(_query("record_migration")),
                {"version": step.version, "name": step.name},
            )
        insert = "insert into {table} ({columns}) values ({marks})"
        _fill(pg.execute, insert, OLD_LINES.slice(0, 1).vstack(OLD_LINES.slice(2, 1)))
    with postgres.connect(url, name) as migrated:
        journal = migrated.sql(f"select {COLUMNS} from journal order by id").fetchall()
        return journal, store.read_table(migrated, "budget_lines")


def test_an_authority_from_before_stages_migrates_as_the_file_does(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_server = _migrated_authority(pg_url, "arras")
    monkeypatch.delenv("SPEND_DATABASE_URL")
    on_file = _migrated_file(tmp_path / "old.duckdb")
    journal, lines = on_server
    # Each figure written before is the BP of its year, on both.
    assert lines.select("operation_code", "year", "credits", "stage", "deliberation_id").rows() == [
        ("C06-020M02", 2022, OLD_LINES["credits"][0], "BP", None),
        ("É\\", 2024, OLD_LINES["credits"][2], "BP", None),
    ]
    assert lines.equals(on_file[1])
    # The journal's keys and row images, byte for byte those DuckDB's migration wrote.
    assert journal[0][7] == '["C06-020M02","6281/930202",2022,"BP"]'
    assert journal[2][8] is None and journal[2][9].endswith(',"stage":"BP"}')
    assert journal[5][7:10] == _old_journal()[5][7:10]  # other tables untouched
    assert journal == on_file[0]


def _rows(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


VOTES = (
    "operation_code,imputation,label,year,credits,stage,deliberation_id\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2022,3000.00,BP,2021-880\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2022,450.00,DM1,2022-231\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2022,-150.00,DM2,2022-504\n"
)


def test_a_line_voted_in_a_bp_and_two_dms_has_the_same_figures_on_both(
    pg_url: str, tmp_path: Path
) -> None:
    (tmp_path / "votes").mkdir()
    (tmp_path / "votes" / "budget_lines.csv").write_text(VOTES, encoding="utf-8")
    db = str(tmp_path / "spend.duckdb")
    on_file = {"SPEND_DATABASE_URL": ""}
    assert spend("init", "--db", db, env=on_file).returncode == 0
    assert spend("init").returncode == 0
    for env in (on_file, {}):
        imported = spend("import", str(tmp_path / "votes"), "--db", db, env=env)
        assert imported.returncode == 0, imported.stderr
    on_server = spend("balance")
    assert on_server.returncode == 0, on_server.stderr
    year = {r["year"]: r for r in _rows(on_server.stdout)}["2022"]
    # Crédits ouverts: 3 000,00 + 450,00 − 150,00; the seed's fees commit 2 800,00.
    assert (year["credits"], year["committed"], year["balance"]) == ("3300.00", "2800.00", "500.00")
    assert on_server.stdout == spend("balance", "--db", db, env=on_file).stdout
    for command in ("totals", "fees"):
        assert spend(command).stdout == spend(command, "--db", db, env=on_file).stdout, command


def test_an_arbitrated_amount_is_replaced_then_removed_on_the_server(pg_url: str) -> None:
    """The queries the Préparation page's arbitration runs: a second amount for a line and year
    replaces the first, a negative one is refused, a removal leaves none."""
    key = {"operation_code": "C06-020M02", "imputation": "6281/930202", "year": 2023}
    with store.session(Path("unused.duckdb"), seed_database) as con:
        for amount in ("3100.00", "2950.50"):
            con.execute(load_query("upsert_arbitration"), {**key, "amount": Decimal(amount)})
        assert read_arbitrations(con).rows() == [(*key.values(), Decimal("2950.50"))]
        with pytest.raises(store.StoreError, match="PostgreSQL"):
            con.execute(load_query("upsert_arbitration"), {**key, "amount": Decimal("-1.00")})
        assert read_arbitrations(con).rows() == [(*key.values(), Decimal("2950.50"))]
        con.execute(load_query("delete_arbitration"), key)
        assert read_arbitrations(con).is_empty()
