"""The fee engine: conventions and fee grids become titles (invoices) and totals per central.

The two billing rules of the README (« How figures are computed »), in Polars expressions over
all conventions at once. Money is carried in Int64 cents and rounded half away from zero at
each step the rules name; frames leave this module with DECIMAL(18,2) columns.
"""

import calendar
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from spend.domain.dates import clamped_day, days_in_month
from spend.domain.money import MONEY, div_round_half_away, from_cents, to_cents

MONTHS_FULL = 1200  # 12.00 months, in hundredths
DEFAULT_VAT_RATE = Decimal("20.00")  # percent; the settings may say otherwise


@dataclass(frozen=True)
class EngineInputs:
    """What the engine reads: the store's tables (or a scenario's copy of them)."""

    bodies: pl.DataFrame
    agreements: pl.DataFrame
    fee_grid: pl.DataFrame
    conventions: pl.DataFrame
    budget_lines: pl.DataFrame
    commitments: pl.DataFrame
    vat_rate: Decimal  # percent, e.g. Decimal("20.00")
    deliberations: pl.DataFrame | None = None  # to say which cited deliberations are recorded

    def with_changes(self, **changes: Any) -> "EngineInputs":
        return replace(self, **changes)


def vat_basis_points(rate: Decimal) -> int:
    """20.00 % as 2000 basis points, so that VAT stays an integer computation."""
    return int((rate * 100).to_integral_value())


def convention_terms(inputs: EngineInputs) -> pl.LazyFrame:
    """Each convention with its central, effective end date and the grid row that prices it."""
    agreements = inputs.agreements.lazy().select(
        "agreement_id",
        "body_id",
        pl.col("end_date").alias("agreement_end_date"),
        # The central's place in the alphabetical order, to sort by it as a number.
        pl.col("body_id").rank("dense").cast(pl.Int64).alias("body_order"),
    )
    grid = inputs.fee_grid.lazy().select(
        "agreement_id",
        "formula",
        "category",
        to_cents(pl.col("annual_fee")).alias("annual_fee_cents"),
        "tax",
        "billing_rule",
        "payment_days",
    )
    return (
        inputs.conventions.lazy()
        .join(agreements, on="agreement_id", how="left")
        .join(grid, on=["agreement_id", "formula", "category"], how="left")
        .with_columns(
            pl.coalesce("end_date", "agreement_end_date").alias("effective_end_date"),
        )
    )


# Calendar arithmetic on integer (year, month, day) columns. "The same day n months later,
# clamped to the month's end" (dates.add_months, through Polars' calendar offset) is then a few
# integer operations; the titles' dates are built from integers at the end. On a million
# conventions this is several times faster than offsetting dates by a duration text per row,
# and gives the same dates: the tests of the README's rules (« How figures are computed ») and
# the benchmark's SQL and plain-Python peers hold both to it.


def _ymd_key(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """yyyymmdd as one integer: it orders as the dates do."""
    return year * 10_000 + month * 100 + day


MONTH_STARTS = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)  # day of year − 1
EPOCH = date(1970, 1, 1)


def _day_of_year(month: pl.Expr, day: pl.Expr, *, leap: bool) -> pl.Expr:
    """Days from 1 January to (month, day) of a common or a leap year; 29/02 is the 28th in a
    common year ("the same day, clamped to the month's end")."""
    before = pl.lit(pl.Series(MONTH_STARTS, dtype=pl.Int32)).gather(month - 1)
    if leap:
        return before + (month > 2).cast(pl.Int32) + day - 1
    return before + pl.min_horizontal(day, pl.when(month == 2).then(28).otherwise(31)) - 1


def _first_of_january(year: int) -> int:
    """1 January of `year` as days since 1970-01-01 (Polars' date)."""
    return (date(year, 1, 1) - EPOCH).days


# The date parts the title counts are computed from: the start (S), the day after the end (A),
# the full periods before the last one (j) and the start of that last, partial one (P).
START_YEAR, START_MONTH, START_DAY = (
    pl.col("start_year"),
    pl.col("start_month"),
    pl.col("start_day"),
)
AFTER_YEAR, AFTER_MONTH, AFTER_DAY = (
    pl.col("after_year"),
    pl.col("after_month"),
    pl.col("after_day"),
)
ANNIVERSARIES = pl.col("anniversaries")
PARTIAL_YEAR, PARTIAL_DAY = pl.col("partial_year"), pl.col("partial_day")


def _last_period() -> tuple[pl.Expr, pl.Expr]:
    """The last, partial period's complete months m and the days left after them: P + m months
    is in A's month (m = the month gap) or in the month before (m = the gap − 1)."""
    gap = (AFTER_YEAR - PARTIAL_YEAR) * 12 + AFTER_MONTH - START_MONTH  # P is in S's month
    in_after_month = clamped_day(AFTER_YEAR, AFTER_MONTH, PARTIAL_DAY) <= AFTER_DAY
    before_year = pl.when(AFTER_MONTH == 1).then(AFTER_YEAR - 1).otherwise(AFTER_YEAR)
    before_month = pl.when(AFTER_MONTH == 1).then(12).otherwise(AFTER_MONTH - 1)
    days_left = (
        pl.when(in_after_month)
        .then(AFTER_DAY - clamped_day(AFTER_YEAR, AFTER_MONTH, PARTIAL_DAY))
        .otherwise(
            days_in_month(before_year, before_month)
            - clamped_day(before_year, before_month, PARTIAL_DAY)
            + AFTER_DAY
        )
    )
    complete = pl.when(in_after_month).then(gap).otherwise(gap - 1)
    return complete, days_left


def _period_dates(terms: pl.LazyFrame) -> pl.LazyFrame:
    """The date parts of S and A, the full periods j before A, and P (S + 12·j months)."""
    start, end = pl.col("start_date"), pl.col("effective_end_date")
    after_end = end + pl.duration(days=1)
    after_key = _ymd_key(AFTER_YEAR, AFTER_MONTH, AFTER_DAY)
    return (
        terms.with_columns(
            start.dt.year().alias("start_year"),
            start.dt.month().cast(pl.Int32).alias("start_month"),
            start.dt.day().cast(pl.Int32).alias("start_day"),
            after_end.dt.year().alias("after_year"),
            after_end.dt.month().cast(pl.Int32).alias("after_month"),
            after_end.dt.day().cast(pl.Int32).alias("after_day"),
        )
        .with_columns(
            # j: the last anniversary on or before A is in A's year, or the year before.
            pl.when(
                _ymd_key(AFTER_YEAR, START_MONTH, clamped_day(AFTER_YEAR, START_MONTH, START_DAY))
                <= after_key
            )
            .then(AFTER_YEAR - START_YEAR)
            .otherwise(AFTER_YEAR - START_YEAR - 1)
            .alias("anniversaries")
        )
        .with_columns(
            (START_YEAR + ANNIVERSARIES).alias("partial_year"),
            clamped_day(START_YEAR + ANNIVERSARIES, START_MONTH, START_DAY).alias("partial_day"),
        )
    )


def _title_counts(terms: pl.LazyFrame) -> pl.LazyFrame:
    """Per convention: how many titles, how many of them are full (12.00 months, the whole
    fee), and the months and amount of the last, prorated one (anniversary rule only).

    anniversary_prorated: period k runs from start + 12·k months and is full when start +
    12·(k+1) months falls on or before the day after the end (A below). The last period, if
    A is not an anniversary, starts at P = start + 12·j months (j full periods) and counts m
    complete months, the largest m with P + m months on or before A, then the days from
    P + m months to A (the end included). P + m months is in A's month (m = the month gap) or
    in the month before (m = the gap − 1).
    """
    end = pl.col("effective_end_date")
    after_key = _ymd_key(AFTER_YEAR, AFTER_MONTH, AFTER_DAY)
    calendar_rule = pl.col("calendar")
    complete, days_left = _last_period()
    return (
        _period_dates(terms)
        .with_columns(
            pl.when(calendar_rule)
            .then(end.dt.year() - START_YEAR + 1)
            .otherwise(ANNIVERSARIES)
            .alias("full_periods"),
            (~calendar_rule & (_ymd_key(PARTIAL_YEAR, START_MONTH, PARTIAL_DAY) < after_key)).alias(
                "has_partial"
            ),
        )
        .with_columns(
            (pl.col("full_periods") + pl.col("has_partial").cast(pl.Int32)).alias("title_count"),
            # months = m + days / 30, to the hundredth: m·100 + days·10/3 rounded half away.
            pl.when(pl.col("has_partial"))
            .then(
                complete.cast(pl.Int64) * 100
                + div_round_half_away(days_left.cast(pl.Int64) * 10, 3)
            )
            .alias("partial_hundredths"),
        )
        .with_columns(
            div_round_half_away(
                pl.col("partial_hundredths") * pl.col("annual_fee_cents"), MONTHS_FULL
            ).alias("partial_cents"),
            # Where in its year each period starts: 1 January, or the start's day and month.
            pl.when(calendar_rule)
            .then(0)
            .otherwise(_day_of_year(START_MONTH, START_DAY, leap=False))
            .alias("common_day"),
            pl.when(calendar_rule)
            .then(0)
            .otherwise(_day_of_year(START_MONTH, START_DAY, leap=True))
            .alias("leap_day"),
        )
    )


def _numbered_titles(counts: pl.DataFrame, rate_bp: int) -> pl.LazyFrame:
    """One row per title, numbers and dates only: budget year, k, period, months, cents.

    Built a budget year at a time, each year's titles in the conventions' order: with the
    conventions ordered by central and identifier, the titles come out in their final order
    (year, central, convention) without sorting millions of rows; and within a year, 1 January
    and whether the year is a leap one are constants, so a title's dates are two additions.
    """
    start_year = pl.col("start_year")
    first_year, last_year = counts.select(
        start_year.min(), (start_year + pl.col("title_count") - 1).max().alias("last")
    ).row(0)
    years = range(first_year, last_year + 1) if first_year is not None else range(0)
    by_year = [
        _titles_of_year(
            counts.lazy().filter((start_year <= y) & (start_year + pl.col("title_count") > y)),
            y,
        )
        for y in years
    ] or [_titles_of_year(counts.lazy().clear(), 2000)]
    excl = pl.col("excl_tax_cents")
    vat = (
        pl.when(pl.col("vat_applies"))
        .then(div_round_half_away(excl * rate_bp, 10_000))
        .otherwise(pl.when(excl.is_not_null()).then(pl.lit(0, pl.Int64)))
    )
    return pl.concat(by_year).select(
        "row",
        "year",
        "title_no",
        "period_start",
        "period_end",
        "months_hundredths",
        "excl_tax_cents",
        vat.alias("vat_cents"),
        "issue_date",
        (pl.col("issue_date") + pl.duration(days=pl.col("payment_days"))).alias("due_date"),
    )


def _titles_of_year(conventions: pl.LazyFrame, year: int) -> pl.LazyFrame:
    """The titles of budget year `year` of the conventions that have one."""
    k = year - pl.col("start_year")
    first, full = k == 0, k < pl.col("full_periods")
    calendar_rule = pl.col("calendar")

    def in_year(year: int, day: pl.Expr) -> pl.Expr:
        return (_first_of_january(year) + day).cast(pl.Int32).cast(pl.Date)

    def period_day(year: int) -> pl.Expr:
        return pl.col("leap_day" if calendar.isleap(year) else "common_day")

    # calendar_year: from 1 January to 31 December, issued on 1 January; anniversary: from the
    # same day 12·k months after the start to the eve of the next, issued on 31 March.
    period_start = in_year(year, period_day(year))
    period_end = in_year(year + 1, period_day(year + 1)) - pl.duration(days=1)
    later_issue = in_year(
        year, pl.when(calendar_rule).then(0).otherwise(89 + calendar.isleap(year))
    )
    return conventions.select(
        "row",
        "vat_applies",
        "payment_days",
        pl.lit(year, pl.Int32).alias("year"),
        k.cast(pl.Int32).alias("title_no"),
        pl.when(first).then(pl.col("start_date")).otherwise(period_start).alias("period_start"),
        pl.min_horizontal(period_end, "effective_end_date").alias("period_end"),
        pl.when(full)
        .then(pl.lit(MONTHS_FULL, pl.Int64))
        .otherwise(pl.col("partial_hundredths"))
        .alias("months_hundredths"),
        pl.when(full)
        .then(pl.col("annual_fee_cents"))
        .otherwise(pl.col("partial_cents"))
        .alias("excl_tax_cents"),
        pl.when(first).then(pl.col("start_date")).otherwise(later_issue).alias("issue_date"),
    )


TITLE_COLUMNS = [
    "convention_id",
    "body_id",
    "agreement_id",
    "operation_code",
    "imputation",
    "year",
    "title_no",
    "period_start",
    "period_end",
    "months",
    "tax",
    "billing_rule",
    "amount_excl_tax",
    "vat",
    "amount_incl_tax",
    "issue_date",
    "due_date",
    "priced",
]
TEXT_COLUMNS = [
    "convention_id", "body_id", "agreement_id", "operation_code", "imputation", "tax",
    "billing_rule",
]  # fmt: skip  # several names to a line: a list, not a column
NUMBER_COLUMNS = ["start_date", "effective_end_date", "annual_fee_cents", "payment_days"]


def _billable_terms(inputs: EngineInputs) -> pl.DataFrame:
    """The conventions that give titles (a start, an end not before it, a billing rule), their
    texts and numbers, each numbered by its row."""
    return (
        convention_terms(inputs)
        .filter(
            pl.col("start_date").is_not_null()
            & pl.col("effective_end_date").is_not_null()
            & pl.col("billing_rule").is_not_null()
            & (pl.col("effective_end_date") >= pl.col("start_date"))
        )
        .select(*TEXT_COLUMNS, *NUMBER_COLUMNS, "body_order")
        .with_row_index("row")
        .collect()
        .rechunk()  # one chunk: the texts are gathered from it by row at the end
    )


def fee_titles(inputs: EngineInputs) -> pl.DataFrame:
    """Every title the conventions give rise to, one row per (convention, budget year).

    A convention without a start, an end or a grid row gives no title (the alerts say why); a
    grid row "on quote" gives titles whose amounts are unknown (null), never 0.

    The titles are computed as numbers only (dates, cents, the convention's row in the order
    by central and identifier), already in their final order, and given their text columns
    from the conventions at the end: millions of titles carry no strings through the
    computation and nothing of their size is sorted.
    """
    rate_bp = vat_basis_points(inputs.vat_rate)
    terms = _billable_terms(inputs)
    # Titles are sorted by year, central, convention: the conventions' numbers are put in
    # that order once (the texts stay where they are, found again by row).
    counts = (
        terms.lazy()
        .select(
            "row",
            *NUMBER_COLUMNS,
            (pl.col("billing_rule") == "calendar_year").alias("calendar"),
            (pl.col("tax") == "HT").alias("vat_applies"),
            # No central (an unknown agreement) first, as a text sort puts it.
            (
                pl.col("body_order").fill_null(0) * (1 << 32)
                + pl.col("convention_id").rank("ordinal")
            ).alias("order"),
        )
        .sort("order")
        .pipe(_title_counts)
        .collect()
    )
    terms = terms.select(TEXT_COLUMNS)  # the numbers are in `counts` now
    numbers = _numbered_titles(counts, rate_bp).collect().rechunk()  # one chunk per column
    del counts
    # The output is made a column at a time, each input let go as soon as it is used: the
    # texts first (then the conventions go), then the numbers, released from `numbers` as
    # they are converted, so that a million conventions stay within memory.
    rows = numbers.drop_in_place("row")
    columns = {name: terms.drop_in_place(name).gather(rows) for name in TEXT_COLUMNS}
    del terms, rows
    for name in ("year", "title_no", "period_start", "period_end", "issue_date", "due_date"):
        columns[name] = numbers.drop_in_place(name)
    columns["months"] = _money(numbers.drop_in_place("months_hundredths")).cast(pl.Decimal(5, 2))
    excl = numbers.drop_in_place("excl_tax_cents")
    vat = numbers.drop_in_place("vat_cents")
    del numbers
    columns["amount_excl_tax"] = _money(excl)
    columns["vat"] = _money(vat)
    columns["amount_incl_tax"] = (columns["amount_excl_tax"] + columns["vat"]).cast(MONEY)
    columns["priced"] = excl.is_not_null()
    del excl, vat
    return pl.DataFrame(columns).select(TITLE_COLUMNS)


def _money(cents: pl.Series) -> pl.Series:
    """Int64 cents as DECIMAL(18,2), one column at a time."""
    return cents.to_frame().select(from_cents(pl.first())).to_series().alias(cents.name)


def totals_by_body(titles: pl.DataFrame) -> pl.DataFrame:
    """Known amounts per central and year; `unpriced` counts the titles with no amount."""
    return (
        titles.group_by("body_id", "year")
        .agg(
            pl.col("amount_excl_tax").sum().cast(pl.Decimal(18, 2)).alias("amount_excl_tax"),
            pl.col("vat").sum().cast(pl.Decimal(18, 2)).alias("vat"),
            pl.col("amount_incl_tax").sum().cast(pl.Decimal(18, 2)).alias("amount_incl_tax"),
            (~pl.col("priced")).sum().cast(pl.Int64).alias("unpriced"),
        )
        .sort("body_id", "year")
    )
