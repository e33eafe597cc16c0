"""The figures every screen and command shows: titles, totals and balances, and a year's summary."""

from dataclasses import dataclass
from decimal import Decimal
from typing import cast

import polars as pl

from spend.domain.budget import budget_balance
from spend.domain.conventions import active_in_year
from spend.domain.fees import EngineInputs, fee_titles, totals_by_body


@dataclass(frozen=True)
class Figures:
    titles: pl.DataFrame
    totals: pl.DataFrame
    balance: pl.DataFrame


def compute(inputs: EngineInputs) -> Figures:
    titles = fee_titles(inputs)
    return Figures(titles, totals_by_body(titles), budget_balance(inputs, titles))


def for_year(frame: pl.DataFrame, year: int | None) -> pl.DataFrame:
    return frame if year is None else frame.filter(pl.col("year") == year)


@dataclass(frozen=True)
class YearSummary:
    year: int
    credits: Decimal
    committed: Decimal
    balance: Decimal
    fees_incl_tax: Decimal
    unpriced_titles: int
    active_conventions: int
    lines_without_credits: int


def year_summary(
    figures: Figures, conventions: pl.DataFrame, year: int, body_id: str | None = None
) -> YearSummary:
    """The overview's cards: budget figures of every line, fees of the year (of one central)."""
    lines = figures.balance.filter(pl.col("year") == year)
    titles = figures.titles.filter(pl.col("year") == year)
    active = active_in_year(conventions, year)
    if body_id is not None:
        titles = titles.filter(pl.col("body_id") == body_id)
        active = active.filter(pl.col("body_id") == body_id)
    zero = Decimal("0.00")
    return YearSummary(
        year=year,
        credits=cast(Decimal, lines["credits"].sum()) or zero,
        committed=cast(Decimal, lines["committed"].sum()) or zero,
        balance=cast(Decimal, lines["balance"].sum()) or zero,
        fees_incl_tax=cast(Decimal, titles["amount_incl_tax"].sum()) or zero,
        unpriced_titles=int((~titles["priced"]).sum()),
        active_conventions=active.height,
        lines_without_credits=lines.filter(
            ~pl.col("has_credits") & (pl.col("committed") > 0)
        ).height,
    )
