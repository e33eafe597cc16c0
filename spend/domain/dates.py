"""Calendar arithmetic the rules name (README, « How figures are computed »): "the same day n
months later"."""

import polars as pl


def add_months(date: pl.Expr, months: pl.Expr) -> pl.Expr:
    """The same day `months` calendar months later, clamped to the month's last day.

    Polars' calendar offset clamps (31/01 + 1 month = 28/02 or 29/02), as the README's rules
    require (« How figures are computed »).
    """
    return date.dt.offset_by(pl.format("{}mo", months))


# The same rule as integers, for the engine's titles: no date text per row.


def is_leap(year: pl.Expr) -> pl.Expr:
    return ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)


def days_in_month(year: pl.Expr, month: pl.Expr) -> pl.Expr:
    return (
        pl.when(month == 2)
        .then(28 + is_leap(year).cast(pl.Int32))
        .when(month.is_in([4, 6, 9, 11]))
        .then(30)
        .otherwise(31)
    )


def clamped_day(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """`day` moved to (year, month): the 31st becomes the 30th, 29/02 the 28th, and so on."""
    return pl.min_horizontal(day, days_in_month(year, month))
