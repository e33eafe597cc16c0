"""How a budget line's commitment is made up, down to the title, and the sum written out."""

from decimal import Decimal

import polars as pl

from spend.formatting import euros, percent
from spend.labels import TAX_LABELS

COMPOSITION_COLUMNS = [
    "source", "reference", "body_id", "period_start", "period_end",
    "amount_excl_tax", "vat", "amount_incl_tax",
]  # fmt: skip


def on_budget_line(operation_code: str | None, imputation: str | None) -> pl.Expr:
    """Rows of one budget line; a null line is the fees of conventions that name none."""
    return pl.col("operation_code").eq_missing(operation_code) & pl.col("imputation").eq_missing(
        imputation
    )


def line_years(view: pl.DataFrame, operation_code: str | None, imputation: str | None) -> list[int]:
    """The years that have credits or commitments on the line."""
    return sorted(view.filter(on_budget_line(operation_code, imputation))["year"].to_list())


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
    others = commitments.filter(on_line & (pl.col("status") != "cancelled")).select(
        pl.lit("Autre engagement").alias("source"),
        pl.concat_str(pl.col("commitment_id"), pl.lit(" — "), pl.col("label").fill_null("")).alias(
            "reference"
        ),
        pl.lit(None, dtype=pl.String).alias("body_id"),
        pl.col("date").alias("period_start"),
        pl.lit(None, dtype=pl.Date).alias("period_end"),
        pl.lit(None, dtype=pl.Decimal(18, 2)).alias("amount_excl_tax"),
        pl.lit(None, dtype=pl.Decimal(18, 2)).alias("vat"),
        pl.col("amount_incl_tax"),
    )
    return pl.concat([fees, others], how="vertical_relaxed").select(COMPOSITION_COLUMNS)


def reconciliation_lines(
    titles: pl.DataFrame,
    balance_row: dict,
    vat_rate: Decimal,
    operation_code: str | None,
    imputation: str | None,
    year: int,
) -> list[str]:
    """The line's sum in words: HT → TTC per central, plus the rest, against the credits."""
    per_body = (
        titles.filter(on_budget_line(operation_code, imputation) & (pl.col("year") == year))
        .group_by("body_id", "tax")
        .agg(
            pl.col("amount_excl_tax").sum(),
            pl.col("vat").sum(),
            pl.col("amount_incl_tax").sum(),
            (~pl.col("priced")).sum().alias("unpriced"),
        )
        .sort("body_id")
    )
    lines = []
    for row in per_body.iter_rows(named=True):
        if row["tax"] == "HT":
            lines.append(
                f"{row['body_id']} : {euros(row['amount_excl_tax'])} HT + TVA "
                f"{percent(vat_rate)} ({euros(row['vat'])}) = {euros(row['amount_incl_tax'])} TTC"
            )
        else:
            lines.append(
                f"{row['body_id']} : {euros(row['amount_excl_tax'])} {TAX_LABELS['net']}"
                f" = {euros(row['amount_incl_tax'])}"
            )
        if row["unpriced"]:
            lines[-1] += f" (+ {row['unpriced']} titre(s) sur devis non chiffré(s))"
    if balance_row["committed_other"]:
        lines.append(f"Autres engagements : {euros(balance_row['committed_other'])} TTC")
    verdict = "solde négatif" if balance_row["balance"] < 0 else "solde"
    lines.append(
        f"Total engagé : {euros(balance_row['committed'])} sur {euros(balance_row['credits'])} "
        f"de crédits ; {verdict} {euros(balance_row['balance'])}"
    )
    return lines
