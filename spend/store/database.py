"""The DuckDB store: one connection per process, a cursor per query, SQL loaded from queries/."""

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from spend.domain.records import TABLE_ORDER, TABLES
from spend.paths import QUERIES_DIR


class StoreError(Exception):
    """A database that cannot be opened or written, explained in French."""


@cache
def load_query(name: str) -> str:
    """The text of queries/<name>.sql; the file name is the query's identity."""
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database file and make sure its schema exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path))
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise StoreError(
                f"La base {path} est déjà ouverte par un autre programme (le tableau de bord ?) : "
                "fermez-le ou utilisez --db pour une autre base."
            ) from None
        raise StoreError(f"Impossible d'ouvrir la base {path} : {error}") from None
    con.execute(load_query("schema"))
    return con


def query(con: duckdb.DuckDBPyConnection, name: str, /, **params: Any) -> pl.DataFrame:
    """Run queries/<name>.sql with its $named parameters on a fresh cursor."""
    cursor = con.cursor()
    try:
        return cursor.sql(load_query(name), params=params or None).pl()
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


def write_tables(
    con: duckdb.DuckDBPyConnection,
    frames: Mapping[str, pl.DataFrame],
    *,
    replace: tuple[str, ...] = (),
    remove: Mapping[str, pl.DataFrame] | None = None,
    source: str,
    detail: str = "",
) -> None:
    """Upsert checked frames by key, all in one transaction: all of it is written or nothing.

    Tables named in `replace` are emptied first; the rows whose keys `remove` gives (a frame of
    key columns per table) are deleted first: so rows taken out of an edited table go.
    """
    cursor = con.cursor()
    try:
        cursor.execute("begin transaction")
        for name in TABLE_ORDER:
            if name in replace:
                cursor.execute(load_query(f"clear_{name}"))
            if remove and name in remove:
                cursor.register("removed", remove[name].select(TABLES[name].key))
                cursor.execute(load_query(f"delete_{name}"))
                cursor.unregister("removed")
            if name in frames:
                incoming = frames[name].select(TABLES[name].column_names)
                cursor.register("incoming", incoming)
                cursor.execute(load_query(f"upsert_{name}"))
                cursor.unregister("incoming")
        cursor.execute(load_query("log_import"), {"source": source, "detail": detail})
        cursor.execute("commit")
    except duckdb.Error as error:
        cursor.execute("rollback")
        raise StoreError(
            f"Écriture refusée par la base, rien n'a été enregistré : {error}"
        ) from None
    finally:
        cursor.close()


def set_setting(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    execute(con, "upsert_setting", key=key, value=value)


def save_scenario(con: duckdb.DuckDBPyConnection, name: str, settings_json: str) -> None:
    """Keep a scenario's settings under a name (replacing one of the same name)."""
    execute(con, "upsert_scenario", name=name, settings_json=settings_json)


def saved_scenarios(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = query(con, "read_scenarios")
    return dict(zip(rows["name"].to_list(), rows["settings_json"].to_list(), strict=True))


def delete_scenario(con: duckdb.DuckDBPyConnection, name: str) -> None:
    execute(con, "delete_scenario", name=name)


def update_settings(con: duckdb.DuckDBPyConnection, values: dict[str, str], *, source: str) -> None:
    """Write settings in one transaction, logged like an import so that caches see the change."""
    cursor = con.cursor()
    try:
        cursor.execute("begin transaction")
        for key, value in values.items():
            cursor.execute(load_query("upsert_setting"), {"key": key, "value": value})
        cursor.execute(load_query("log_import"), {"source": source, "detail": ", ".join(values)})
        cursor.execute("commit")
    except duckdb.Error as error:
        cursor.execute("rollback")
        raise StoreError(f"Paramètres non enregistrés : {error}") from None
    finally:
        cursor.close()
