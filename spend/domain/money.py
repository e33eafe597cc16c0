"""Exact money as Polars expressions: integer cents inside, DECIMAL(18,2) at the edges.

Every division rounds to the nearest unit with the half away from zero (arrondi commercial):
Polars' own `round` defaults to half-to-even and Decimal division truncates, and both give
458,12 € where the deliberation's rule gives 458,13 €.
"""

from decimal import Decimal

import polars as pl

MONEY = pl.Decimal(18, 2)
CENT = Decimal("0.01")


def div_round_half_away(numerator: pl.Expr, denominator: int | pl.Expr) -> pl.Expr:
    """numerator / denominator for integer expressions (Int64, or Int128 where a product could
    wrap), rounded half away from zero, as Int64.

    The denominator must be positive. For n ≥ 0, (2n + d) // 2d is n/d rounded half up;
    the sign is applied afterwards so that -0.5 goes to -1 as 0.5 goes to 1.
    """
    den = denominator if isinstance(denominator, pl.Expr) else pl.lit(denominator)
    # Int64 before the sign: Polars negates no Int128, and a quotient of cents fits.
    magnitude = ((2 * numerator.abs() + den) // (2 * den)).cast(pl.Int64)
    return pl.when(numerator < 0).then(-magnitude).otherwise(magnitude)


def to_cents(amount: pl.Expr) -> pl.Expr:
    """A DECIMAL(…,2) amount as Int64 cents (exact: the scale is 2)."""
    return (amount.cast(MONEY) * 100).cast(pl.Int64)


def from_cents(cents: pl.Expr) -> pl.Expr:
    """Int64 cents as DECIMAL(18,2); multiplying by 0.01 keeps the value exact."""
    return (cents.cast(pl.Decimal(18, 0)) * pl.lit(CENT, dtype=pl.Decimal(3, 2))).cast(MONEY)
