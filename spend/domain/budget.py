"""Budget lines: credits against what is committed on them, per year, and what makes that up.

A year's credits are the crédits ouverts, the sum of its votes (spend.domain.credits).

« crédits disponibles = crédits ouverts − engagements »: fees (TTC, from the engine's titles)
and the other commitments entered by hand both consume a line's credits for their year.
"""

import polars as pl

from spend.domain.credits import credits_by_line
from spend.domain.fees import EngineInputs
from spend.domain.money import MONEY, from_cents, to_cents
from spend.domain.records import COMMITTED_STATUSES

BUDGET_KEY = ["operation_code", "imputation", "year"]
LINE_COLUMNS = ["operation_code", "imputation"]  # what names a budget line
LINE_KEY_SEPARATOR = "|"  # a budget line as one text: "C06-020M02|6281/930202"


def line_key(operation_code: str, imputation: str) -> str:
    """A budget line as one text (a scenario's settings, a link): the one way it is joined."""
    return f"{operation_code}{LINE_KEY_SEPARATOR}{imputation}"


def line_key_expr() -> pl.Expr:
    """The same as `line_key`, over a frame's operation_code and imputation columns."""
    return pl.concat_str(*LINE_COLUMNS, separator=LINE_KEY_SEPARATOR)


def split_line_key(key: str) -> tuple[str, str]:
    operation_code, _, imputation = key.partition(LINE_KEY_SEPARATOR)
    return operation_code, imputation


def counts_as_committed() -> pl.Expr:
    """Which other commitments consume credits: engaged, liquidated, mandated or paid (M57)."""
    return pl.col("status").is_in(COMMITTED_STATUSES)


def is_forecast() -> pl.Expr:
    """A planned amount: shown beside the committed figure, never inside it."""
    return pl.col("status") == "planned"


def on_budget_line(operation_code: str | None, imputation: str | None) -> pl.Expr:
    """Rows of one budget line; a null line is the fees of conventions that name none."""
    return pl.col("operation_code").eq_missing(operation_code) & pl.col("imputation").eq_missing(
        imputation
    )


def _other_commitments(commitments: pl.DataFrame) -> pl.LazyFrame:
    """Per budget line and year: the other commitments that count, and those only planned."""
    amount = to_cents(pl.col("amount_incl_tax"))
    return (
        commitments.lazy()
        .group_by(BUDGET_KEY)
        .agg(
            amount.filter(counts_as_committed()).sum().alias("other_cents"),
            amount.filter(is_forecast()).sum().alias("planned_cents"),
        )
    )


def _line_labels(budget_lines: pl.DataFrame) -> pl.LazyFrame:
    """Each budget line's label: its latest year's that has one."""
    return (
        budget_lines.lazy()
        .sort("year")
        .group_by(LINE_COLUMNS)
        .agg(pl.col("label").drop_nulls().last().alias("label"))
    )


def budget_balance(inputs: EngineInputs, titles: pl.DataFrame) -> pl.DataFrame:
    """Per budget line and year: credits, fees and other commitments (TTC), balance.

    A year with commitments and no credits appears with credits 0.00, so that it is seen.
    """
    fees = (
        titles.lazy()
        .group_by(BUDGET_KEY)
        .agg(
            to_cents(pl.col("amount_incl_tax")).sum().alias("fees_cents"),
            (~pl.col("priced")).sum().cast(pl.Int64).alias("unpriced"),
        )
    )
    others = _other_commitments(inputs.commitments)
    # Crédits ouverts: the sum of the year's votes (BP, BS, DMs, restes à réaliser reported).
    credits = credits_by_line(inputs.budget_lines.lazy()).select(
        *BUDGET_KEY, to_cents(pl.col("open_credits")).alias("credits_cents")
    )
    labels = _line_labels(inputs.budget_lines)
    parts = [frame.with_columns(pl.col("year").cast(pl.Int32)) for frame in (credits, fees, others)]
    balance = pl.concat([part.select(BUDGET_KEY) for part in parts]).unique()
    for part in parts:
        balance = balance.join(part, on=BUDGET_KEY, how="left", nulls_equal=True)
    return (
        balance.join(labels, on=LINE_COLUMNS, how="left", nulls_equal=True)
        .with_columns(
            pl.col("credits_cents", "fees_cents", "other_cents", "planned_cents").fill_null(0),
            pl.col("unpriced").fill_null(0),
            pl.col("credits_cents").is_not_null().alias("has_credits"),
        )
        .with_columns(
            (pl.col("fees_cents") + pl.col("other_cents")).alias("committed_cents"),
        )
        .with_columns(
            (pl.col("credits_cents") - pl.col("committed_cents")).alias("balance_cents"),
        )
        .select(
            *BUDGET_KEY,
            "label",
            from_cents(pl.col("credits_cents")).alias("credits"),
            from_cents(pl.col("fees_cents")).alias("committed_fees"),
            from_cents(pl.col("other_cents")).alias("committed_other"),
            from_cents(pl.col("committed_cents")).alias("committed"),
            from_cents(pl.col("balance_cents")).alias("balance"),
            from_cents(pl.col("planned_cents")).alias("planned"),
            "unpriced",
            "has_credits",
        )
        .sort(BUDGET_KEY, nulls_last=True)
        .collect()
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
        "operation_code",
        "imputation",
        "label",
        "year",
        "credits",
        "committed_fees",
        "committed_other",
        "committed",
        "balance",
        "share_consumed",
        "planned",
        "unpriced",
    )


def line_years(view: pl.DataFrame, operation_code: str | None, imputation: str | None) -> list[int]:
    """The years that have credits or commitments on the line."""
    return sorted(view.filter(on_budget_line(operation_code, imputation))["year"].to_list())


COMPOSITION_COLUMNS = [
    "source", "reference", "body_id", "period_start", "period_end",
    "amount_excl_tax", "vat", "amount_incl_tax",
]  # fmt: skip  # several names to a line: a list, not a column


def composition(
    titles: pl.DataFrame,
    commitments: pl.DataFrame,
    operation_code: str | None,
    imputation: str | None,
    year: int,
) -> pl.DataFrame:
    """Every fee title and other commitment counted on the line for the year."""
    on_line = on_budget_line(operation_code, imputation) & (pl.col("year") == year)
    fees = titles.filter(on_line).select(
        pl.lit("Cotisation").alias("source"),
        pl.col("convention_id").alias("reference"),
        "body_id",
        "period_start",
        "period_end",
        "amount_excl_tax",
        "vat",
        "amount_incl_tax",
    )
    others = commitments.filter(on_line & (counts_as_committed() | is_forecast())).select(
        pl.when(is_forecast())
        .then(pl.lit("Prévision (non comptée)"))
        .otherwise(pl.lit("Autre engagement"))
        .alias("source"),
        pl.concat_str(pl.col("commitment_id"), pl.lit(" — "), pl.col("label").fill_null("")).alias(
            "reference"
        ),
        pl.lit(None, dtype=pl.String).alias("body_id"),
        pl.col("date").alias("period_start"),
        pl.lit(None, dtype=pl.Date).alias("period_end"),
        pl.lit(None, dtype=MONEY).alias("amount_excl_tax"),
        pl.lit(None, dtype=MONEY).alias("vat"),
        pl.col("amount_incl_tax"),
    )
    return pl.concat([fees, others], how="vertical_relaxed").select(COMPOSITION_COLUMNS)
