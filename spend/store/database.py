"""The DuckDB store: a cursor per query, SQL loaded from queries/, writes in one transaction
after a backup of the file."""

import contextlib
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from spend.domain.records import TABLE_ORDER, TABLES
from spend.paths import QUERIES_DIR
from spend.store.backups import (
    DEFAULT_BUDGET_MB,
    DEFAULT_KEEP,
    last_write_of,
    latest_backup,
    lineage_of,
    take_backup,
)
from spend.store.damage import damaged, is_damage
from spend.store.table_queries import TABLE_QUERIES
from spend.store.writelog import FULL_EVERY, FULL_SHARE, append_write, is_suspended, last_logged


class StoreError(Exception):
    """A database that cannot be opened or written, explained in French."""


@cache
def load_query(name: str) -> str:
    """The text of queries/<name>.sql; the file name is the query's identity."""
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def database_path(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file behind a connection (None for an in-memory database)."""
    if getattr(con, "is_postgres", False):  # PostgreSQL (store/postgres.py): no file
        return None
    cursor = con.cursor()
    try:
        rows = cursor.sql(
            "select path from duckdb_databases() where database_name = current_database()"
        ).fetchall()
    finally:
        cursor.close()
    return Path(rows[0][0]) if rows and rows[0][0] else None


def settings_keep(con: duckdb.DuckDBPyConnection) -> int:
    """How many backups to keep (the setting `backup_keep`, 20 by default)."""
    value = settings(con).get("backup_keep", "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_KEEP


def budget_mb(con: duckdb.DuckDBPyConnection) -> int:
    """The size budget of one database's backups, in MB (`backup_budget_mb`)."""
    value = settings(con).get("backup_budget_mb", "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_BUDGET_MB


def backup_before_write(con: duckdb.DuckDBPyConnection, reason: str) -> None:
    """A full copy of the file before it changes, when one is due (nothing for an in-memory
    database): between copies, the write log keeps each write (`log_write`)."""
    path = database_path(con)
    if path is None or is_suspended() or query(con, "data_version")["writes"][0] == 0:
        return  # nothing recorded yet: nothing to keep
    try:
        if full_copy_due(con, path):
            take_backup(con, path, reason, settings_keep(con), budget_mb(con))
    except (duckdb.Error, OSError) as error:
        raise StoreError(
            "Sauvegarde impossible avant l'écriture, rien n'a été enregistré : "
            + error_cause(error)
        ) from None


def full_copy_due(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    """No copy of this database yet, a log that does not cover every write since the last
    one, `FULL_EVERY` writes since, or rows written since weighing `FULL_SHARE` of the file."""
    lineage = lineage_of(con)
    last = latest_backup(path, lineage) if lineage else None
    if last is None or last.last_write < 0:
        return True
    newest = last_write_of(con)
    if newest < last.last_write:
        return True  # the copy is of a later state than the file (a restore cut short)
    if newest > last.last_write and (last_logged(path, lineage) or 0) < newest:
        return True
    since = query(con, "changes_since", after=last.last_write).row(0, named=True)
    size = path.stat().st_size if path.exists() else 0
    return since["writes"] >= FULL_EVERY or since["image_chars"] > FULL_SHARE * size


def log_write(
    cursor: duckdb.DuckDBPyConnection, write_id: int, source: str, detail: str, actor: str
) -> None:
    """A committed write's entries into the write log, synced, before it is reported done."""
    path = database_path(cursor)
    if path is None or is_suspended():
        return
    lineage = lineage_of(cursor)
    if not lineage:
        return
    line = {"source": source, "detail": detail, "actor": actor}
    try:
        append_write(cursor, path, lineage, write_id, line)
    except (duckdb.Error, OSError) as error:
        raise StoreError(
            "Écriture enregistrée dans la base, mais pas dans le journal des sauvegardes "
            f"({error_cause(error)}) : faites une sauvegarde (python -m spend backup) dès que "
            "possible."
        ) from None


def error_cause(error: BaseException) -> str:
    """A database or system error said in French when its cause is a known one."""
    text = str(error)
    lowered = text.lower()
    if "no space left" in lowered or (isinstance(error, OSError) and error.errno == 28):
        return "le disque est plein"
    if "read-only" in lowered or "permission denied" in lowered or "readonly" in lowered:
        return "la base est en lecture seule"
    return text.splitlines()[0][:300] if text else type(error).__name__


def query(con: duckdb.DuckDBPyConnection, name: str, /, **params: Any) -> pl.DataFrame:
    """Run queries/<name>.sql with its $named parameters on a fresh cursor.

    A file found damaged while reading is said in French, with the way back (its last backup).
    """
    cursor = con.cursor()
    try:
        return cursor.sql(load_query(name), params=params or None).pl()
    except duckdb.Error as error:
        if not is_damage(error):
            raise
        path = database_path(con)
        raise StoreError(damaged(path or Path("?"), str(error))) from None
    finally:
        cursor.close()


def execute(con: duckdb.DuckDBPyConnection, name: str, /, **params: Any) -> None:
    """Run a statement from queries/<name>.sql in its own transaction."""
    cursor = con.cursor()
    try:
        cursor.execute(load_query(name), params or None)
    finally:
        cursor.close()


def read_table(con: duckdb.DuckDBPyConnection, table: str) -> pl.DataFrame:
    return query(con, TABLE_QUERIES[TABLES[table].name].read)


def read_all(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    return {name: read_table(con, name) for name in TABLE_ORDER}


def settings(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = query(con, "read_settings")
    return dict(zip(rows["key"].to_list(), rows["value"].to_list(), strict=True))


def rollback(cursor: duckdb.DuckDBPyConnection) -> None:
    """Undo the open transaction; a connection that failed beyond that has nothing to undo."""
    with contextlib.suppress(duckdb.Error):
        cursor.execute("rollback")


def saved_scenarios(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = query(con, "read_scenarios")
    return dict(zip(rows["name"].to_list(), rows["settings_json"].to_list(), strict=True))
