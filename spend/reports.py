"""The figures every screen and command shows, computed from the store by the engine."""

from dataclasses import dataclass
from decimal import Decimal

import duckdb
import polars as pl

from spend import store
from spend.conventions import active_in_year
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


def collectivity(settings: dict[str, str]) -> dict[str, str | None]:
    """The authority publishing the deliberations, from the settings (SCDL's COLL_ columns)."""
    return {
        "coll_name": settings.get("collectivity_name", ""),
        "coll_siret": settings.get("collectivity_siret") or None,
    }


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
        credits=lines["credits"].sum() or zero,
        committed=lines["committed"].sum() or zero,
        balance=lines["balance"].sum() or zero,
        fees_incl_tax=titles["amount_incl_tax"].sum() or zero,
        unpriced_titles=int((~titles["priced"]).sum()),
        active_conventions=active.height,
        lines_without_credits=lines.filter(
            ~pl.col("has_credits") & (pl.col("committed") > 0)
        ).height,
    )


def budget_view(balance: pl.DataFrame) -> pl.DataFrame:
    """Balance with the share of credits consumed (unknown when there are no credits)."""
    share = (
        (
            pl.col("committed").cast(pl.Decimal(38, 6))
            * 100
            / pl.col("credits").cast(pl.Decimal(38, 6))
        )
        .round(1, mode="half_away_from_zero")
        .cast(pl.Decimal(8, 1))
    )
    return balance.with_columns(
        pl.when(pl.col("credits") > 0).then(share).alias("share_consumed")
    ).select(
        "operation_code", "imputation", "label", "year", "credits", "committed_fees",
        "committed_other", "committed", "balance", "share_consumed", "unpriced",
    )  # fmt: skip
