"""The figures every screen and command shows, computed from the store by the engine."""

from dataclasses import dataclass
from decimal import Decimal

import duckdb
import polars as pl

from spend import store
from spend.engine import EngineInputs, budget_balance, fee_titles, totals_by_body

DEFAULT_VAT_RATE = Decimal("20.00")


@dataclass(frozen=True)
class Figures:
    titles: pl.DataFrame
    totals: pl.DataFrame
    balance: pl.DataFrame


def load_inputs(con: duckdb.DuckDBPyConnection) -> EngineInputs:
    tables = store.read_all(con)
    vat = store.settings(con).get("vat_rate")
    return EngineInputs(
        bodies=tables["bodies"],
        agreements=tables["agreements"],
        fee_grid=tables["fee_grid"],
        conventions=tables["conventions"],
        budget_lines=tables["budget_lines"],
        commitments=tables["commitments"],
        vat_rate=Decimal(vat) if vat else DEFAULT_VAT_RATE,
    )


def compute(inputs: EngineInputs) -> Figures:
    titles = fee_titles(inputs)
    return Figures(titles, totals_by_body(titles), budget_balance(inputs, titles))


def for_year(frame: pl.DataFrame, year: int | None) -> pl.DataFrame:
    return frame if year is None else frame.filter(pl.col("year") == year)
