"""A deliberation read from its document, as records of the store to review before saving.

The reading proposes rows of `deliberations` and `budget_lines` (the credits it votes, for the
meeting's year); each is compared with what is stored (new, changed, same). The amounts it
commits and the fees it states are checks against the engine, not records: the engine computes
the fees from the conventions.
"""

from decimal import Decimal

import polars as pl

from spend.deliberations.reader import DeliberationReading
from spend.domain.records import TABLES
from spend.views.formatting import euros, french_date
from spend.views.labels import COLUMN_LABELS

STATUS_NEW, STATUS_CHANGED, STATUS_SAME = "nouveau", "modifié", "identique"


def proposed_deliberation(reading: DeliberationReading) -> pl.DataFrame:
    """The deliberation's row in the exchange format's types (one row, possibly with nulls)."""
    return pl.DataFrame(
        {
            "deliberation_id": [reading.deliberation_id],
            "date": [reading.date],
            "assembly": [reading.assembly],
            "title": [reading.title],
            "votes_for": [reading.votes_for],
            "votes_against": [reading.votes_against],
            "abstentions": [reading.abstentions],
            "outcome": [reading.outcome],
        },
        schema={
            "deliberation_id": pl.String,
            "date": pl.Date,
            "assembly": pl.String,
            "title": pl.String,
            "votes_for": pl.Int32,
            "votes_against": pl.Int32,
            "abstentions": pl.Int32,
            "outcome": pl.String,
        },
    )


def proposed_budget_lines(reading: DeliberationReading) -> pl.DataFrame:
    """The credits of each budget row, for the year of the meeting."""
    year = reading.date.year if reading.date else None
    rows = [r for r in reading.budget_rows if r.credits is not None]
    return pl.DataFrame(
        {
            "operation_code": [r.operation_code for r in rows],
            "imputation": [r.imputation for r in rows],
            "label": [r.label for r in rows],
            "year": [year] * len(rows),
            "credits": [r.credits for r in rows],
        },
        schema={
            "operation_code": pl.String,
            "imputation": pl.String,
            "label": pl.String,
            "year": pl.Int32,
            "credits": pl.Decimal(18, 2),
        },
    )


def compare_with_stored(proposed: pl.DataFrame, stored: pl.DataFrame, table: str) -> pl.DataFrame:
    """Each proposed row, its status against the stored row of the same key, what differs."""
    key = list(TABLES[table].key)
    others = [c for c in proposed.columns if c not in key]
    text = {c: pl.col(c).cast(pl.String) for c in others}
    joined = proposed.with_columns(**{f"{c}__new": e for c, e in text.items()}).join(
        stored.select(
            *key, *[pl.col(c).cast(pl.String).alias(f"{c}__old") for c in others]
        ).with_columns(pl.lit(True).alias("__stored")),
        on=key,
        how="left",
        nulls_equal=True,
    )
    differs = [
        pl.when(pl.col(f"{c}__new").ne_missing(pl.col(f"{c}__old"))).then(
            pl.format(
                "{} : « {} » → « {} »",
                pl.lit(COLUMN_LABELS.get(c, c)),
                pl.col(f"{c}__old").fill_null("—"),
                pl.col(f"{c}__new").fill_null("—"),
            )
        )
        for c in others
    ]
    changes = pl.concat_list(differs).list.drop_nulls()
    return joined.with_columns(changes.alias("__changes")).select(
        pl.when(pl.col("__stored").is_null())
        .then(pl.lit(STATUS_NEW))
        .when(pl.col("__changes").list.len() > 0)
        .then(pl.lit(STATUS_CHANGED))
        .otherwise(pl.lit(STATUS_SAME))
        .alias("status"),
        *proposed.columns,
        pl.col("__changes").list.join(" ; ").alias("changes"),
    )


def commitment_checks(reading: DeliberationReading, balance: pl.DataFrame) -> pl.DataFrame:
    """The amount each budget row commits, beside what the engine computes for line and year."""
    year = reading.date.year if reading.date else None
    stated = pl.DataFrame(
        {
            "operation_code": [r.operation_code for r in reading.budget_rows],
            "imputation": [r.imputation for r in reading.budget_rows],
            "year": [year] * len(reading.budget_rows),
            "stated_amount": [r.amount for r in reading.budget_rows],
        },
        schema={
            "operation_code": pl.String,
            "imputation": pl.String,
            "year": pl.Int32,
            "stated_amount": pl.Decimal(18, 2),
        },
    )
    computed = balance.select(
        "operation_code", "imputation", pl.col("year").cast(pl.Int32), "committed"
    )
    return stated.join(
        computed, on=["operation_code", "imputation", "year"], how="left", nulls_equal=True
    ).with_columns(
        pl.col("committed").fill_null(Decimal("0.00")).cast(pl.Decimal(18, 2)),
        (pl.col("stated_amount") == pl.col("committed").fill_null(Decimal("0.00"))).alias("agrees"),
    )


def reading_summary(reading: DeliberationReading) -> str:
    """The reading in French, for a terminal: what was found, then the warnings."""

    def shown(value: object) -> str:
        return "—" if value is None else str(value)

    lines = [
        f"Délibération n° {shown(reading.deliberation_id)} du {french_date(reading.date)}",
        f"Assemblée : {shown(reading.assembly)}",
        f"Objet : {shown(reading.title)}",
        f"Votes : pour {shown(reading.votes_for)}, contre {shown(reading.votes_against)}, "
        f"abstentions {shown(reading.abstentions)} — "
        + {"adopted": "adoptée", "rejected": "rejetée"}.get(
            reading.outcome or "", "résultat inconnu"
        ),
    ]
    for row in reading.budget_rows:
        lines.append(
            f"Budget : {row.operation_code} / {row.imputation} {row.label or ''} — crédits "
            f"{euros(row.credits)}, dépense {euros(row.amount)}"
        )
    for fee in reading.fees:
        lines.append(f"Cotisation : {fee.body} {euros(fee.amount)} {fee.tax}")
    lines.extend(f"Attention : {warning}" for warning in reading.warnings)
    return "\n".join(lines)


def fee_checks(reading: DeliberationReading, conventions: pl.DataFrame) -> pl.DataFrame:
    """Each fee the document states beside the fee of the stored conventions it approves."""
    stated = pl.DataFrame(
        {
            "body_id": [fee.body.upper() for fee in reading.fees],
            "stated_fee": [fee.amount for fee in reading.fees],
            "stated_tax": [fee.tax for fee in reading.fees],
        },
        schema={"body_id": pl.String, "stated_fee": pl.Decimal(18, 2), "stated_tax": pl.String},
    )
    recorded = conventions.filter(
        pl.col("deliberation_id").eq_missing(reading.deliberation_id)
    ).select(
        pl.col("body_id").str.to_uppercase(),
        "convention_id",
        pl.col("annual_fee").alias("recorded_fee"),
        pl.col("tax").alias("recorded_tax"),
    )
    return stated.join(recorded, on="body_id", how="left").with_columns(
        (
            (pl.col("stated_fee") == pl.col("recorded_fee"))
            & (pl.col("stated_tax") == pl.col("recorded_tax"))
        )
        .fill_null(False)
        .alias("agrees")
    )
