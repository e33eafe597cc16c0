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
from spend.store.backups import DEFAULT_KEEP, take_backup
from spend.store.damage import damaged, is_damage


class StoreError(Exception):
    """A database that cannot be opened or written, explained in French."""


@cache
def load_query(name: str) -> str:
    """The text of queries/<name>.sql; the file name is the query's identity."""
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def database_path(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file behind a connection (None for an in-memory database)."""
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


def backup_before_write(con: duckdb.DuckDBPyConnection, reason: str) -> None:
    """A dated copy of the file before it changes (nothing for an in-memory database)."""
    path = database_path(con)
    if path is None or query(con, "data_version")["writes"][0] == 0:
        return  # nothing recorded yet: nothing to keep
    try:
        take_backup(con, path, reason, settings_keep(con))
    except (duckdb.Error, OSError) as error:
        raise StoreError(
            f"Sauvegarde impossible avant l'écriture, rien n'a été enregistré : {_cause(error)}"
        ) from None


def _cause(error: BaseException) -> str:
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
    return query(con, f"read_{TABLES[table].name}")


def read_all(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    return {name: read_table(con, name) for name in TABLE_ORDER}


def settings(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = query(con, "read_settings")
    return dict(zip(rows["key"].to_list(), rows["value"].to_list(), strict=True))


def _rollback(cursor: duckdb.DuckDBPyConnection) -> None:
    """Undo the open transaction; a connection that failed beyond that has nothing to undo."""
    with contextlib.suppress(duckdb.Error):
        cursor.execute("rollback")


def saved_scenarios(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = query(con, "read_scenarios")
    return dict(zip(rows["name"].to_list(), rows["settings_json"].to_list(), strict=True))
