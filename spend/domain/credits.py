"""Credits by stage: the votes that open a budget line's credits in a year, and their sum.

M57: a year's credits are voted in stages, the budget primitif (BP) before 15 April, then a
budget supplémentaire (BS) and any number of décisions modificatives (DM1, DM2…), plus the
restes à réaliser of the year before reported (RAR). « Crédits ouverts » = their sum; a DM may
take credits away. A line with one vote (every file written before stages existed: its figure
is a BP) has crédits ouverts = that figure, so its balance is what it was.
"""

import polars as pl

from spend.domain.money import MONEY, from_cents, to_cents
from spend.domain.records import CREDIT_STAGES

LINE_YEAR = ["operation_code", "imputation", "year"]
DEFAULT_STAGE = "BP"
# Votes in the order of the year: BP, BS, DM1, DM2… DM20, RAR.
STAGE_ORDER = {code.code: rank for rank, code in enumerate(CREDIT_STAGES)}
STAGE_LABELS = {code.code: code.label for code in CREDIT_STAGES}

VOTE = pl.Struct(
    {"stage": pl.String, "credits": MONEY, "deliberation_id": pl.String}
)  # one vote, as `credits_by_line` lists them


def with_stage(votes: pl.LazyFrame) -> pl.LazyFrame:
    """Votes with their stage and deliberation: a frame without them holds budgets primitifs."""
    names = votes.collect_schema().names()
    return votes.with_columns(
        (pl.col("stage") if "stage" in names else pl.lit(None, dtype=pl.String))
        .fill_null(DEFAULT_STAGE)
        .alias("stage"),
        (
            pl.col("deliberation_id")
            if "deliberation_id" in names
            else pl.lit(None, dtype=pl.String)
        ).alias("deliberation_id"),
    )


def stage_rank() -> pl.Expr:
    """Where a stage comes in the year (an unknown code last)."""
    return pl.col("stage").replace_strict(
        STAGE_ORDER, default=len(STAGE_ORDER), return_dtype=pl.Int32
    )


def credits_by_line(votes: pl.LazyFrame) -> pl.LazyFrame:
    """Per budget line and year: the BP, the crédits ouverts (the sum of every vote) and the
    votes in the order of the year.

    `votes` has the rows of `budget_lines` (operation_code, imputation, year, credits, and
    stage and deliberation_id when known). Columns: operation_code, imputation, year (Int32),
    bp and open_credits (Decimal(18,2); bp is 0.00 when the year has no BP), votes (a list of
    {stage, credits, deliberation_id}).
    """
    cents = to_cents(pl.col("credits"))
    return (
        with_stage(votes)
        .with_columns(pl.col("year").cast(pl.Int32), stage_rank().alias("_rank"))
        .sort([*LINE_YEAR, "_rank"], nulls_last=True)
        .group_by(LINE_YEAR, maintain_order=True)
        .agg(
            cents.filter(pl.col("stage") == DEFAULT_STAGE).sum().alias("bp_cents"),
            cents.sum().alias("open_cents"),
            pl.struct("stage", pl.col("credits").cast(MONEY), "deliberation_id").alias("votes"),
        )
        .select(
            *LINE_YEAR,
            from_cents(pl.col("bp_cents")).alias("bp"),
            from_cents(pl.col("open_cents")).alias("open_credits"),
            "votes",
        )
    )


def as_open_credits(budget_lines: pl.DataFrame) -> pl.DataFrame:
    """The rows of `budget_lines` with each line's year as one vote of its crédits ouverts (a
    BP, the last label known): what a change of credits by a percentage scales, so that it
    rounds the sum once rather than each vote."""
    summed = credits_by_line(budget_lines.lazy()).select(
        *LINE_YEAR, pl.col("open_credits").alias("credits")
    )
    labels = (
        with_stage(budget_lines.lazy())
        .with_columns(pl.col("year").cast(pl.Int32))
        .group_by(LINE_YEAR)
        .agg(pl.col("label").drop_nulls().last().alias("label"))
    )
    return (
        summed.join(labels, on=LINE_YEAR, how="left", nulls_equal=True)
        .with_columns(
            pl.lit(DEFAULT_STAGE).alias("stage"),
            pl.lit(None, dtype=pl.String).alias("deliberation_id"),
        )
        .select(
            pl.col(c).cast(budget_lines.schema[c]) if c in budget_lines.columns else pl.col(c)
            for c in budget_lines.columns
        )
        .sort(LINE_YEAR)
        .collect()
    )
