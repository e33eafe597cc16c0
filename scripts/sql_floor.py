"""The benchmark's floor: the engine's three results from DuckDB alone (scripts/bench_floor.sql)."""

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

FLOOR_SQL = Path(__file__).resolve().parent / "bench_floor.sql"
STATEMENT = re.compile(r"^-- statement: (\w+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class FloorFigures:
    titles: pl.DataFrame
    totals: pl.DataFrame
    balance: pl.DataFrame


def floor_statements() -> dict[str, str]:
    """The file's statements by name (titles, totals, balance), in the file's order."""
    parts = STATEMENT.split(FLOOR_SQL.read_text(encoding="utf-8"))
    names, bodies = parts[1::2], parts[2::2]
    return {name: body.strip().rstrip(";") for name, body in zip(names, bodies, strict=True)}


def floor_figures(con: duckdb.DuckDBPyConnection) -> FloorFigures:
    """Titles, totals per central and year, balances per line and year, as Polars frames.

    The titles are kept in a temporary table of this connection (dropped at the end), so a
    read-only database works too.
    """
    statements = floor_statements()
    cursor = con.cursor()
    try:
        cursor.execute(statements["titles"])
        titles = cursor.sql("select * from floor_titles").pl()
        totals = cursor.sql(statements["totals"]).pl()
        balance = cursor.sql(statements["balance"]).pl()
        cursor.execute("drop table floor_titles")
    finally:
        cursor.close()
    return FloorFigures(titles, totals, balance)
