"""Next year's budget prepared: per budget line, last year's figures beside the proposal for N.

Preparation screens of M57 finance (Manty Budget, Civil Net Finances) show for each line the
réalisé, the BP and the crédits ouverts of N−1, what is engaged, the proposal for N, the gap and
the amount the executive arbitrates. Here:

- réalisé N−1: the other commitments of N−1 that are mandated or paid (money out of the door);
- BP N−1 and crédits ouverts N−1: the BP of N−1 and the sum of its votes (BP, BS, DMs, RAR);
- engagé N−1: the balance's committed amount of N−1 (fees TTC + commitments that count);
- proposed N: the same committed amount computed for N, by the engine, from the conventions in
  force (or a scenario's figures): the fees TTC they will bill in N plus the other commitments
  recorded for N that count;
- gap: proposed N − BP N−1, in euros and in percent of the BP (none without a BP);
- arbitrated: the amount the manager typed, when there is one.
"""

from decimal import Decimal

import polars as pl

from spend.domain.budget import BUDGET_KEY, LINE_COLUMNS
from spend.domain.credits import credits_by_line
from spend.domain.fees import EngineInputs
from spend.domain.figures import Figures
from spend.domain.money import MONEY, from_cents, to_cents

REALISED_STATUSES = ("mandated", "paid")
PREPARATION_COLUMNS = [
    "operation_code", "imputation", "label", "realised_prev", "bp_prev", "open_prev",
    "committed_prev", "proposed", "gap", "gap_pct", "arbitrated",
]  # fmt: skip  # several names to a line: a list, not a column
ARBITRATION_SCHEMA = pl.Schema(
    {
        "operation_code": pl.String(),
        "imputation": pl.String(),
        "year": pl.Int32(),
        "amount": MONEY,
    }
)


def credits_by_stage(inputs: EngineInputs) -> pl.LazyFrame:
    """Each line's BP and crédits ouverts (the sum of its votes: BP, BS, DMs, RAR) per year."""
    return credits_by_line(inputs.budget_lines.lazy()).select(*BUDGET_KEY, "bp", "open_credits")


def empty_arbitrations() -> pl.DataFrame:
    return pl.DataFrame(schema=ARBITRATION_SCHEMA)


def preparation(
    inputs: EngineInputs,
    recorded: Figures,
    year: int,
    arbitrations: pl.DataFrame | None = None,
    proposal: Figures | None = None,
) -> pl.DataFrame:
    """One row per budget line with figures in N−1 or N (`PREPARATION_COLUMNS`).

    `recorded` gives the figures of N−1; `proposal` (a scenario's figures, the recorded ones
    by default) gives the proposal for N.
    """
    proposal = proposal or recorded
    parts = [
        *_previous_year(inputs, recorded, year - 1),
        _on_year(proposal.balance.lazy(), year).select(
            *LINE_COLUMNS, to_cents(pl.col("committed")).alias("proposed_cents")
        ),
    ]
    typed = _on_year(
        (arbitrations if arbitrations is not None else empty_arbitrations())
        .lazy()
        .cast(ARBITRATION_SCHEMA),
        year,
    ).select(*LINE_COLUMNS, to_cents(pl.col("amount")).alias("arbitrated_cents"))
    lines = pl.concat([part.select(LINE_COLUMNS) for part in parts]).unique()
    for part in [*parts, typed, _labels(recorded, proposal)]:
        lines = lines.join(part, on=LINE_COLUMNS, how="left", nulls_equal=True)
    return _in_euros(lines).sort(LINE_COLUMNS, nulls_last=True).collect()


def _on_year(frame: pl.LazyFrame, year: int) -> pl.LazyFrame:
    """The rows of one year, without the year column."""
    typed = frame.with_columns(pl.col("year").cast(pl.Int32))
    return typed.filter(pl.col("year") == year).drop("year")


def _previous_year(inputs: EngineInputs, recorded: Figures, prev: int) -> list[pl.LazyFrame]:
    """N−1 per line, in cents: realised (mandated or paid), BP and crédits ouverts, committed."""
    realised = _on_year(
        inputs.commitments.lazy()
        .filter(pl.col("status").is_in(REALISED_STATUSES))
        .group_by(BUDGET_KEY)
        .agg(to_cents(pl.col("amount_incl_tax")).sum().alias("realised_cents")),
        prev,
    )
    votes = _on_year(credits_by_stage(inputs), prev).select(
        *LINE_COLUMNS,
        to_cents(pl.col("bp")).alias("bp_cents"),
        to_cents(pl.col("open_credits")).alias("open_cents"),
    )
    committed = _on_year(recorded.balance.lazy(), prev).select(
        *LINE_COLUMNS, to_cents(pl.col("committed")).alias("committed_prev_cents")
    )
    return [realised, votes, committed]


def _labels(recorded: Figures, proposal: Figures) -> pl.LazyFrame:
    """Each line's label, the proposal's when both name one."""
    return (
        pl.concat(
            [
                recorded.balance.lazy().select(*LINE_COLUMNS, "label"),
                proposal.balance.lazy().select(*LINE_COLUMNS, "label"),
            ]
        )
        .group_by(LINE_COLUMNS)
        .agg(pl.col("label").drop_nulls().last())
    )


def _in_euros(lines: pl.LazyFrame) -> pl.LazyFrame:
    """The columns of `PREPARATION_COLUMNS` from the cents: the gap to N−1's BP, in % too."""
    zero = ["realised_cents", "bp_cents", "open_cents", "committed_prev_cents", "proposed_cents"]
    gap = pl.col("proposed_cents") - pl.col("bp_cents")
    gap_pct = (
        (gap.cast(pl.Decimal(38, 6)) * 100 / pl.col("bp_cents").cast(pl.Decimal(38, 6)))
        .round(1, mode="half_away_from_zero")
        .cast(pl.Decimal(12, 1))
    )
    return lines.with_columns(pl.col(zero).fill_null(0)).select(
        *LINE_COLUMNS,
        "label",
        from_cents(pl.col("realised_cents")).alias("realised_prev"),
        from_cents(pl.col("bp_cents")).alias("bp_prev"),
        from_cents(pl.col("open_cents")).alias("open_prev"),
        from_cents(pl.col("committed_prev_cents")).alias("committed_prev"),
        from_cents(pl.col("proposed_cents")).alias("proposed"),
        from_cents(gap).alias("gap"),
        pl.when(pl.col("bp_cents") != 0).then(gap_pct).alias("gap_pct"),
        from_cents(pl.col("arbitrated_cents")).alias("arbitrated"),
    )


def arbitrated_or_proposed(prepared: pl.DataFrame) -> pl.DataFrame:
    """The amount the budget will carry: the arbitrated one, else the proposal."""
    return prepared.with_columns(
        pl.coalesce("arbitrated", "proposed").cast(MONEY).alias("retained")
    )


def parse_amount(text: str) -> Decimal | None:
    """An amount the manager typed (« 2 508,33 », « 2508.33 € »), or None when it is not one."""
    cleaned = (
        text.replace("€", "").replace("\u202f", "").replace("\u00a0", "").replace(" ", "").strip()
    )
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except ArithmeticError:
        return None
    # DECIMAL(18,2): at most 16 digits before the point, 2 after.
    if not amount.is_finite() or not 0 <= amount < Decimal(10) ** 16:
        return None
    if amount != amount.quantize(Decimal("0.01")):
        return None
    return amount.quantize(Decimal("0.01"))


def bills_in(inputs: EngineInputs, figures: Figures, year: int) -> bool:
    """Whether the deliberation of `year` has an article: a convention that the year's titles
    bill (the rule of `spend.exchange.draft.draft_content`, without drafting one article per
    convention, which the page leaves to the download's click)."""
    billed = figures.titles.lazy().filter(pl.col("year") == year).select("convention_id")
    found = inputs.conventions.lazy().join(billed, on="convention_id", how="semi").head(1)
    return not found.collect().is_empty()
