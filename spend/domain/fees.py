"""The fee engine: conventions and fee grids become titles (invoices) and totals per central.

The two billing rules of DOMAIN.md, in Polars expressions over all conventions at once. Money is
carried in Int64 cents and rounded half away from zero at each step the rules name; frames
leave this module with DECIMAL(18,2) columns.
"""

from dataclasses import dataclass, replace
from decimal import Decimal

import polars as pl

from spend.domain.dates import add_months
from spend.domain.money import div_round_half_away, from_cents, to_cents

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

    def with_changes(self, **changes: object) -> "EngineInputs":
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


def _calendar_year_titles(terms: pl.LazyFrame) -> pl.LazyFrame:
    """One invoice per calendar year touched, the first at subscription, in full every time."""
    start, end, k = pl.col("start_date"), pl.col("effective_end_date"), pl.col("title_no")
    year = start.dt.year() + k
    jan_first = pl.date(year, 1, 1)
    return (
        terms.filter(pl.col("billing_rule") == "calendar_year")
        .with_columns((end.dt.year() - start.dt.year() + 1).alias("title_count"))
        .with_columns(pl.int_ranges(0, pl.col("title_count")).alias("title_no"))
        .explode("title_no")
        .with_columns(
            year.cast(pl.Int32).alias("year"),
            pl.when(k == 0).then(start).otherwise(jan_first).alias("period_start"),
            pl.min_horizontal(end, pl.date(year, 12, 31)).alias("period_end"),
            pl.lit(MONTHS_FULL, dtype=pl.Int64).alias("months_hundredths"),
            pl.col("annual_fee_cents").alias("excl_tax_cents"),
            pl.when(k == 0).then(start).otherwise(jan_first).alias("issue_date"),
        )
    )


def _anniversary_titles(terms: pl.LazyFrame) -> pl.LazyFrame:
    """One title per 12-month period from the start; the last, if shorter, is prorated."""
    start, end, k = pl.col("start_date"), pl.col("effective_end_date"), pl.col("title_no")
    period_start = pl.col("period_start")

    def fits(m: pl.Expr) -> pl.Expr:
        # m complete months fit when period start + m months − 1 day is on or before the end.
        return add_months(period_start, m) - pl.duration(days=1) <= end

    month_gap = (end.dt.year() - period_start.dt.year()) * 12 + (
        end.dt.month().cast(pl.Int32) - period_start.dt.month().cast(pl.Int32)
    )
    complete = pl.col("complete_months")
    days_left = (end - add_months(period_start, complete)).dt.total_days() + 1
    return (
        terms.filter(pl.col("billing_rule") == "anniversary_prorated")
        # An upper bound on the number of periods; those starting after the end are dropped.
        .with_columns((end.dt.year() - start.dt.year() + 2).alias("title_count"))
        .with_columns(pl.int_ranges(0, pl.col("title_count")).alias("title_no"))
        .explode("title_no")
        .with_columns(
            add_months(start, k * 12).alias("period_start"),
            (add_months(start, (k + 1) * 12) - pl.duration(days=1)).alias("natural_end"),
        )
        .filter(period_start <= end)
        .with_columns(
            (pl.col("natural_end") <= end).alias("full_period"),
            pl.when(fits(month_gap + 1))
            .then(month_gap + 1)
            .when(fits(month_gap))
            .then(month_gap)
            .otherwise(month_gap - 1)
            .clip(lower_bound=0)
            .cast(pl.Int64)
            .alias("complete_months"),
        )
        .with_columns(days_left.clip(lower_bound=0).alias("days_left"))
        .with_columns(
            pl.when(pl.col("full_period"))
            .then(pl.lit(MONTHS_FULL, dtype=pl.Int64))
            # months = m + days / 30, to the hundredth: m·100 + days·10/3 rounded half away.
            .otherwise(complete * 100 + div_round_half_away(pl.col("days_left") * 10, 3))
            .alias("months_hundredths"),
        )
        .with_columns(
            (start.dt.year() + k).cast(pl.Int32).alias("year"),
            pl.min_horizontal("natural_end", end).alias("period_end"),
            pl.when(pl.col("full_period"))
            .then(pl.col("annual_fee_cents"))
            .otherwise(
                div_round_half_away(
                    pl.col("months_hundredths") * pl.col("annual_fee_cents"), MONTHS_FULL
                )
            )
            .alias("excl_tax_cents"),
            pl.when(k == 0)
            .then(start)
            .otherwise(pl.date(start.dt.year() + k, 3, 31))
            .alias("issue_date"),
        )
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


def fee_titles(inputs: EngineInputs) -> pl.DataFrame:
    """Every title the conventions give rise to, one row per (convention, budget year).

    A convention without a start, an end or a grid row gives no title (the alerts say why); a
    grid row "on quote" gives titles whose amounts are unknown (null), never 0.
    """
    rate_bp = vat_basis_points(inputs.vat_rate)
    terms = convention_terms(inputs).filter(
        pl.col("start_date").is_not_null()
        & pl.col("effective_end_date").is_not_null()
        & pl.col("billing_rule").is_not_null()
        & (pl.col("effective_end_date") >= pl.col("start_date"))
    )
    shared = [
        "convention_id", "body_id", "agreement_id", "operation_code", "imputation", "year",
        "title_no", "period_start", "period_end", "months_hundredths", "tax", "billing_rule",
        "excl_tax_cents", "issue_date", "payment_days",
    ]  # fmt: skip
    titles = pl.concat(
        [_calendar_year_titles(terms).select(shared), _anniversary_titles(terms).select(shared)]
    )
    vat_cents = (
        pl.when(pl.col("tax") == "HT")
        .then(div_round_half_away(pl.col("excl_tax_cents") * rate_bp, 10_000))
        .otherwise(pl.when(pl.col("excl_tax_cents").is_not_null()).then(pl.lit(0, pl.Int64)))
    )
    return (
        titles.with_columns(vat_cents.alias("vat_cents"))
        .with_columns(
            pl.col("title_no").cast(pl.Int32),
            from_cents(pl.col("months_hundredths")).cast(pl.Decimal(5, 2)).alias("months"),
            from_cents(pl.col("excl_tax_cents")).alias("amount_excl_tax"),
            from_cents(pl.col("vat_cents")).alias("vat"),
            from_cents(pl.col("excl_tax_cents") + pl.col("vat_cents")).alias("amount_incl_tax"),
            (pl.col("issue_date") + pl.duration(days=pl.col("payment_days"))).alias("due_date"),
            pl.col("excl_tax_cents").is_not_null().alias("priced"),
        )
        .select(TITLE_COLUMNS)
        .sort("year", "body_id", "convention_id", "title_no")
        .collect()
    )


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
