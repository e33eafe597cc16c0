"""Exact money helpers: integer cents, DECIMAL(18,2) at the edges, half away from zero."""

from decimal import ROUND_HALF_UP, Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spend.domain.money import (
    MONEY,
    div_round_half_away,
    from_cents,
    to_cents,
)

D = Decimal


def _divide(numerators: list[int | None], denominator: int) -> list[int | None]:
    frame = pl.DataFrame({"n": numerators}, schema={"n": pl.Int64})
    return frame.select(div_round_half_away(pl.col("n"), denominator).alias("q"))["q"].to_list()


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (0, 7, 0),
        (4, 10, 0),
        (5, 10, 1),  # the half goes away from zero
        (6, 10, 1),
        (15, 10, 2),  # half to even would give 2 as well...
        (25, 10, 3),  # ...but 2 here: the half always goes up in magnitude
        (-4, 10, 0),
        (-5, 10, -1),
        (-25, 10, -3),
        (-26, 10, -3),
        (10, 3, 3),  # 3.33…
        (20, 3, 7),  # 6.66…
        (-20, 3, -7),
        (733 * 75_000, 1200, 45_813),  # 7.33 months × 750,00 € / 12 = 458,125 € → 458,13 €
    ],
)
def test_div_round_half_away(numerator: int, denominator: int, expected: int) -> None:
    assert _divide([numerator], denominator) == [expected]


def test_div_round_half_away_keeps_nulls_and_takes_an_expression_denominator() -> None:
    frame = pl.DataFrame(
        {"n": [7, None, -7], "d": [2, 2, 2]}, schema={"n": pl.Int64, "d": pl.Int64}
    )
    result = frame.select(div_round_half_away(pl.col("n"), pl.col("d")).alias("q"))
    assert result["q"].to_list() == [4, None, -4]
    assert result["q"].dtype == pl.Int64


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=-(10**12), max_value=10**12), min_size=1, max_size=50),
    st.integers(min_value=1, max_value=100_000),
)
def test_div_round_half_away_matches_decimal_half_up(
    numerators: list[int], denominator: int
) -> None:
    expected = [
        int((D(n) / D(denominator)).quantize(D(1), rounding=ROUND_HALF_UP)) for n in numerators
    ]
    assert _divide(numerators, denominator) == expected  # type: ignore[arg-type]


AMOUNTS = ["0.00", "0.01", "0.10", "458.13", "-2508.33", "-0.01", "1500.00", "9999999999999999.99"]


def test_to_cents_and_back_are_exact() -> None:
    amounts = pl.DataFrame({"a": [D(a) for a in AMOUNTS] + [None]}, schema={"a": MONEY})
    cents = amounts.select(to_cents(pl.col("a")).alias("c"))
    assert cents["c"].dtype == pl.Int64
    assert cents["c"].to_list() == [int(D(a) * 100) for a in AMOUNTS] + [None]
    back = cents.select(from_cents(pl.col("c")).alias("a"))
    assert back["a"].dtype == MONEY
    assert back["a"].to_list() == [D(a) for a in AMOUNTS] + [None]


def test_to_cents_takes_other_decimal_scales_exactly() -> None:
    amounts = pl.DataFrame({"a": [D("12.5"), D("-3")]}, schema={"a": pl.Decimal(10, 1)})
    assert amounts.select(to_cents(pl.col("a")).alias("c"))["c"].to_list() == [1250, -300]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=-(10**17) + 1, max_value=10**17 - 1), max_size=40))
def test_from_cents_round_trips_every_cent(cents: list[int]) -> None:
    frame = pl.DataFrame({"c": cents}, schema={"c": pl.Int64})
    amounts = frame.select(from_cents(pl.col("c")).alias("a"))
    assert amounts["a"].to_list() == [D(c) / 100 for c in cents]
    assert amounts.select(to_cents(pl.col("a")).alias("c"))["c"].to_list() == cents
