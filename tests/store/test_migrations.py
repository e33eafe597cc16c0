"""A database written before schema versions opens up to date, with the same figures to the
cent; a file from a newer version is refused; a failed migration changes nothing."""

import gzip
import shutil
from pathlib import Path

import duckdb
import pytest

from spend import store
from spend.paths import ROOT
from spend.store import schema
from spend.store.backups import list_backups
from tests.conftest import run_cli

RELEASE = ROOT / "tests" / "fixtures" / "release_2026_11"


@pytest.fixture
def release_db(tmp_path: Path) -> Path:
    """A copy of the database file the release of 28/11/2026 wrote (before versioning)."""
    db = tmp_path / "spend.duckdb"
    with gzip.open(RELEASE / "spend.duckdb.gz", "rb") as packed, db.open("wb") as out:
        shutil.copyfileobj(packed, out)
    return db


def _version_of(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return schema.schema_version(con)
    finally:
        con.close()


def test_the_release_file_is_at_step_one_before_it_is_opened(release_db: Path) -> None:
    assert _version_of(release_db) == 1
    assert schema.LATEST >= 2


@pytest.mark.parametrize("command", ["fees", "totals", "balance"])
def test_after_migration_the_figures_are_those_of_the_release(
    release_db: Path, command: str
) -> None:
    result = run_cli(command, "--db", str(release_db))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (RELEASE / f"{command}.csv").read_text(encoding="utf-8")
    assert _version_of(release_db) == schema.LATEST


def test_the_migration_keeps_a_backup_and_records_its_steps(release_db: Path) -> None:
    before = release_db.read_bytes()
    store.connect(release_db).close()
    (backup,) = list_backups(release_db)
    assert "avant-migration" in backup.name
    # The backup holds the data as it was: the release's figures, at step 1 still.
    assert _version_of(backup.path) == 1
    assert len(before) > 0
    con = duckdb.connect(str(release_db), read_only=True)
    try:
        steps = con.sql("select version, name from schema_version order by version").fetchall()
        columns = {row[0] for row in con.sql("describe write_log").fetchall()}
        tables = {row[0] for row in con.sql("show tables").fetchall()}
    finally:
        con.close()
    assert steps == [
        (m.version, "initial" if m.version == 1 else m.name) for m in schema.migrations()
    ]
    assert {"actor", "written_at"} <= columns  # the import log of old, renamed
    assert "import_log" not in tables


def test_a_file_of_a_newer_version_is_refused_in_french(tmp_path: Path) -> None:
    db = tmp_path / "newer.duckdb"
    store.connect(db, create=True).close()
    con = duckdb.connect(str(db))
    con.execute("insert into schema_version values (99, 'future', current_timestamp)")
    con.close()
    newer = r"version plus récente du tableau de bord \(schéma n° 99\)"
    with pytest.raises(store.StoreError, match=newer):
        store.connect(db)
    result = run_cli("balance", "--db", str(db))
    assert result.returncode == 1
    assert "mettez à jour le tableau de bord" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_failed_migration_changes_nothing(
    release_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS_DIR, folder)
    broken = schema.LATEST + 1
    (folder / f"{broken:04d}_broken.sql").write_text(
        "create table added_then_undone (x integer);\nselect * from no_such_table;\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", folder)
    monkeypatch.setattr(schema, "LATEST", broken)
    with pytest.raises(store.StoreError, match="a échoué ; la base est restée telle"):
        store.connect(release_db)
    assert _version_of(release_db) == 1
    con = duckdb.connect(str(release_db), read_only=True)
    try:
        tables = {row[0] for row in con.sql("show tables").fetchall()}
    finally:
        con.close()
    assert "added_then_undone" not in tables and "schema_version" not in tables


def test_a_new_file_gets_every_step(tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    store.connect(db, create=True).close()
    assert _version_of(db) == schema.LATEST
    assert list_backups(db) == []  # nothing to keep of an empty file


def test_the_journal_by_write_step_leaves_a_file_without_index(release_db: Path) -> None:
    """Step 10 indexes the journal on PostgreSQL only: a file's zone maps already skip the
    other writes' entries, and a file with an index is not one a restore takes."""
    store.connect(release_db).close()
    con = duckdb.connect(str(release_db), read_only=True)
    try:
        step = con.sql("select name from schema_version where version = 10").fetchall()
        indexes = con.sql("select index_name from duckdb_indexes()").fetchall()
        _, problem = schema.restorable_problem(con)
    finally:
        con.close()
    assert step == [("journal_by_write",)]
    assert indexes == [] and problem is None
