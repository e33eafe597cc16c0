"""Shared fixtures: throwaway databases built from the committed seed and schema."""

from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest

from spend import store
from spend.bootstrap import open_database
from spend.paths import ROOT

SHARED = ROOT.parent / "shared"
SOURCE_DOCUMENT = SHARED / "seed" / "000_902c3070f60959bc.txt"


@pytest.fixture
def seeded_db(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A new database file loaded with data/seed/."""
    con = open_database(tmp_path / "seeded.duckdb")
    yield con
    con.close()


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A new database with the schema and no rows."""
    con = open_database(tmp_path / "empty.duckdb", seed_if_new=False)
    yield con
    con.close()


def import_log(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every row of the import log (read directly: it is the store's own journal)."""
    cursor = con.cursor()
    try:
        return cursor.sql("select * from import_log order by all").pl()
    finally:
        cursor.close()


def store_snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    """Everything the store holds, to compare before and after an operation that must not write."""
    tables = store.read_all(con)
    tables["import_log"] = import_log(con)
    tables["settings"] = store.query(con, "read_settings")
    return tables
