"""The amounts the manager arbitrates on next year's budget lines: read, and written journaled."""

from decimal import Decimal

import duckdb
import polars as pl

from spend.domain.access import Actor
from spend.store.database import load_query, query
from spend.store.journal import append, changes
from spend.store.writes import _read, transaction

ARBITRATION_SOURCE = "préparation budgétaire"


def read_arbitrations(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return query(con, "read_arbitrations")


def set_arbitration(
    con: duckdb.DuckDBPyConnection,
    operation_code: str,
    imputation: str,
    year: int,
    amount: Decimal | None,
    *,
    actor: Actor,
    action: str = "edit",
    source: str = ARBITRATION_SOURCE,
) -> None:
    """Keep the arbitrated amount of a line for a year (None removes it), journaled (an undo
    puts an earlier amount back as `action="undo"`)."""
    key = {"operation_code": operation_code, "imputation": imputation, "year": year}
    detail = f"{operation_code} / {imputation} / {year}"
    # An arbitrated amount changes no recorded figure: no backup of the file for it.
    with transaction(
        con, actor=actor, action=action, source=source, detail=detail, backup=False
    ) as (cursor, write):
        on_key = (
            (pl.col("operation_code") == operation_code)
            & (pl.col("imputation") == imputation)
            & (pl.col("year") == year)
        )
        before = _read(cursor, "read_arbitrations").filter(on_key)
        if amount is None:
            cursor.execute(load_query("delete_arbitration"), key)
        else:
            cursor.execute(load_query("upsert_arbitration"), {**key, "amount": amount})
        after = _read(cursor, "read_arbitrations").filter(on_key)
        append(cursor, changes("arbitrations", before, after, write), load_query("append_journal"))
