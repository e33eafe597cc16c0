"""The store on a real PostgreSQL server: the seed's figures, the same figures as the DuckDB
file for generated data, migrations, authorities apart, writes taking turns."""

import csv
import gzip
import io
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import polars as pl
import psycopg
import pytest

from spend import store
from spend.domain.access import SYSTEM
from spend.exchange.demo import write_demo
from spend.exchange.seed import seed_database
from spend.exchange.writing import write_exchange_folder
from spend.paths import ROOT
from spend.store import postgres
from spend.store.schema import LATEST, migrations
from tests.conftest import FIXTURES
from tests.store.postgres.conftest import spend

RELEASE = FIXTURES / "release_2026_11"


def rows(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


def test_the_seed_gives_the_figures_of_the_readme(pg_url: str) -> None:
    made = spend("init")
    assert made.returncode == 0, made.stderr
    assert "principale" in made.stdout
    balance = spend("balance")
    assert balance.returncode == 0, balance.stderr
    by_year = {r["year"]: r for r in rows(balance.stdout)}
    assert (
        by_year["2022"]["credits"],
        by_year["2022"]["committed"],
        by_year["2022"]["balance"],
    ) == (
        "3000.00",
        "2800.00",
        "200.00",
    )
    assert (by_year["2023"]["committed"], by_year["2023"]["balance"]) == ("2508.33", "-2508.33")
    again = spend("init")
    assert again.returncode == 1 and "existe déjà" in again.stderr


def test_money_is_numeric_and_read_exactly_through_arrow(pg_url: str) -> None:
    with store.session(Path("unused.duckdb"), seed_database) as con:
        assert getattr(con, "is_postgres", False)
        credits = store.read_table(con, "budget_lines")
        types = con.sql(
            "select data_type, numeric_precision, numeric_scale from information_schema.columns "
            "where table_schema = current_schema() and table_name = 'budget_lines' "
            "and column_name = 'credits'"
        ).fetchall()
    assert credits.schema["credits"] == pl.Decimal(18, 2)
    assert credits["credits"].to_list() == [Decimal("3000.00")]
    assert types == [("numeric", 18, 2)]


@pytest.mark.slow
def test_an_imported_authority_has_the_figures_of_the_duckdb_file(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SPEND_DATABASE_URL")
    db = tmp_path / "demo.duckdb"
    with store.connect(db, create=True) as con:
        write_demo(con, 400, 2022, SYSTEM)
        write_exchange_folder(con, tmp_path / "exchange", excel_fr=False)
    monkeypatch.setenv("SPEND_DATABASE_URL", pg_url)
    assert spend("init", "--empty", "--authority", "demo").returncode == 0
    imported = spend("import", str(tmp_path / "exchange"), "--authority", "demo")
    assert imported.returncode == 0, imported.stderr
    for command in ("fees", "totals", "balance"):
        on_file = spend(command, "--db", str(db), env={"SPEND_DATABASE_URL": ""})
        on_server = spend(command, "--authority", "demo")
        assert on_file.returncode == on_server.returncode == 0, on_server.stderr
        assert len(rows(on_server.stdout)) > 10
        assert on_server.stdout == on_file.stdout, command


def test_every_migration_applies_and_each_postgresql_form_has_its_step(pg_url: str) -> None:
    assert postgres.orphan_forms() == []
    assert [m.version for m, _ in postgres.steps()] == [m.version for m in migrations()]
    with store.connect(Path("unused.duckdb"), create=True) as con:
        recorded = con.sql("select version, name from schema_version order by version").fetchall()
    assert recorded == [(m.version, m.name) for m in migrations()]
    assert recorded[-1][0] == LATEST


def test_authorities_see_nothing_of_each_other(pg_url: str) -> None:
    assert spend("init", "--authority", "arras").returncode == 0
    assert spend("init", "--empty", "--authority", "lens").returncode == 0
    listed = spend("authorities")
    assert listed.stdout.split() == ["arras", "lens"]
    assert len(rows(spend("balance", "--authority", "arras").stdout)) == 2
    assert rows(spend("balance", "--authority", "lens").stdout) == []
    assert rows(spend("totals", "--authority", "lens").stdout) == []
    journal_arras = spend("journal", "--authority", "arras")
    journal_lens = spend("journal", "--authority", "lens")
    assert "CAIH" in journal_arras.stdout or "caih" in journal_arras.stdout.lower()
    assert len(rows(journal_lens.stdout)) == 0
    missing = spend("balance", "--authority", "bethune")
    assert missing.returncode == 1
    assert "n'existe pas" in missing.stderr and "init --authority bethune" in missing.stderr
    refused = spend("balance", "--authority", "Arras; drop schema arras")
    assert refused.returncode == 1 and "refusé" in refused.stderr
    listed = spend("authorities")
    assert listed.stdout.split() == ["arras", "lens"], listed.stderr


def test_a_write_on_rows_changed_since_is_refused_on_the_server(pg_url: str) -> None:
    with store.session(Path("unused.duckdb"), seed_database):
        pass
    first, second = store.connect(Path("x")), store.connect(Path("x"))
    try:
        loaded = int(store.query(first, "last_journal_id", table_name="budget_lines")[0, 0])
        lines = store.read_table(first, "budget_lines")
        raised = lines.with_columns(
            pl.lit(Decimal("3500.00")).cast(pl.Decimal(18, 2)).alias("credits")
        )
        store.write_tables(second, {"budget_lines": raised}, actor=SYSTEM, action="edit",
                           source="test", unchanged_since={"budget_lines": loaded})  # fmt: skip
        with pytest.raises(store.StoreConflict, match="rien n'a été enregistré"):
            store.write_tables(first, {"budget_lines": lines}, actor=SYSTEM, action="edit",
                               source="test", unchanged_since={"budget_lines": loaded})  # fmt: skip
        assert store.read_table(first, "budget_lines")["credits"].to_list() == [Decimal("3500.00")]
    finally:
        first.close()
        second.close()


def test_parameters_are_bound_never_written_into_the_text() -> None:
    text = "select '$a', '100%' as p from t where x = $a and y like $b -- $c %"
    assert postgres.for_psycopg(text) == (
        "select '$a', '100%%' as p from t where x = %(a)s and y like %(b)s -- $c %%"
    )
    assert postgres.for_adbc(text) == (
        "select '$a', '100%' as p from t where x = $1 and y like $2 -- $c %",
        ["a", "b"],
    )


@pytest.mark.slow
def test_a_backup_with_pg_dump_is_restored_in_place_and_journaled(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEND_PG_BACKUP_DIR", str(tmp_path / "backups"))
    assert spend("init", "--authority", "arras").returncode == 0
    assert spend("init", "--empty", "--authority", "lens").returncode == 0
    made = spend("backup", "--authority", "arras")
    assert made.returncode == 0, made.stderr
    assert spend("settings", "vat_rate=5,5", "--authority", "arras").returncode == 0
    changed = rows(spend("fees", "--authority", "arras").stdout)
    restored = spend("restore", "--authority", "arras")
    assert restored.returncode == 0, restored.stderr
    assert "restaurée" in restored.stdout
    fees = rows(spend("fees", "--authority", "arras").stdout)
    assert fees != changed
    settings = spend("settings", "--authority", "arras").stdout
    assert "vat_rate;20.00" in settings.replace(",", ".")
    journal = rows(spend("journal", "--authority", "arras").stdout)
    assert any("restauration" in (value or "") for value in journal[0].values())
    # with the safety dump and the restored schema's
    assert len(list((tmp_path / "backups" / "arras").glob("*.dump"))) == 3
    assert rows(spend("balance", "--authority", "lens").stdout) == []
    assert spend("backups", "--authority", "lens").stdout == ""


def test_writes_of_an_authority_take_turns_across_processes(pg_url: str) -> None:
    """A write waits for the authority's write lock held by another one, then goes through."""
    assert spend("init").returncode == 0  # the default authority
    holder = store.connect(Path("x"), create=False)
    waiting = None
    try:
        holder.execute("begin transaction")
        waiting = subprocess.Popen(
            [sys.executable, "-m", "spend", "settings", "vat_rate=5,5"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 120
        while not _waiting_for_lock(pg_url):
            assert waiting.poll() is None, waiting.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.2)
        holder.execute("rollback")
        _, err = waiting.communicate(timeout=120)
        assert waiting.returncode == 0, err
    finally:
        holder.close()
        if waiting is not None and waiting.poll() is None:
            waiting.kill()
    assert "vat_rate;5.50" in spend("settings").stdout.replace(",", ".")


def _waiting_for_lock(url: str) -> bool:
    with psycopg.connect(url, autocommit=True) as con:
        query = "select count(*) from pg_locks where locktype = 'advisory' and not granted"
        return bool(con.execute(query).fetchall()[0][0])


@pytest.mark.slow
def test_the_release_database_of_2026_11_moves_into_an_authority_with_its_figures(
    pg_url: str, tmp_path: Path
) -> None:
    """The release's file, exported, imported into a new authority: the same figures."""
    db = tmp_path / "release.duckdb"
    with gzip.open(RELEASE / "spend.duckdb.gz", "rb") as packed, db.open("wb") as out:
        shutil.copyfileobj(packed, out)
    on_file = {"SPEND_DATABASE_URL": ""}
    exported = spend("export", str(tmp_path / "exchange"), "--db", str(db), env=on_file)
    assert exported.returncode == 0, exported.stderr
    assert spend("init", "--empty", "--authority", "release").returncode == 0
    imported = spend("import", str(tmp_path / "exchange"), "--authority", "release")
    assert imported.returncode == 0, imported.stderr
    for command in ("balance", "totals", "fees"):
        expected = spend(command, "--db", str(db), env=on_file).stdout
        assert rows(expected)
        assert spend(command, "--authority", "release").stdout == expected, command


def test_the_journal_and_undo_work_on_the_server(pg_url: str) -> None:
    assert spend("init").returncode == 0
    assert spend("settings", "vat_rate=5,5").returncode == 0
    entries = rows(spend("journal", "--table", "settings").stdout)
    changed = [e for e in entries if e["key"] == '["vat_rate"]' and "5.50" in e["after"]]
    assert len(changed) == 1
    undone = spend("undo", changed[0]["id"])
    assert undone.returncode == 0, undone.stderr
    assert "vat_rate;20.00" in spend("settings").stdout.replace(",", ".")
    assert len(rows(spend("journal", "--table", "settings").stdout)) == len(entries) + 1
