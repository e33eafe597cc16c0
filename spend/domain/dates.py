"""Calendar arithmetic the rules of DOMAIN.md name: "the same day n months later"."""

import polars as pl


def add_months(date: pl.Expr, months: pl.Expr) -> pl.Expr:
    """The same day `months` calendar months later, clamped to the month's last day.

    Polars' calendar offset clamps (31/01 + 1 month = 28/02 or 29/02), as DOMAIN.md requires.
    """
    return date.dt.offset_by(pl.format("{}mo", months))
