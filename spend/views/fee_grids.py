"""The fee grids as managers read them in the conventions' annexes."""

import polars as pl

from spend.views.formatting import euros_expr
from spend.views.labels import BILLING_RULE_LABELS, TAX_LABELS


def grid_view(fee_grid: pl.DataFrame, agreements: pl.DataFrame) -> pl.DataFrame:
    """One row per (agreement, formula, category), the fee 'sur devis' when the grid says so."""
    return (
        fee_grid.join(
            agreements.select("agreement_id", "body_id", pl.col("title").alias("agreement_title")),
            on="agreement_id",
            how="left",
        )
        .select(
            "body_id",
            "agreement_title",
            "formula",
            "category",
            pl.when(pl.col("annual_fee").is_null())
            .then(pl.lit("sur devis"))
            .otherwise(euros_expr("annual_fee"))
            .alias("annual_fee_text"),
            pl.col("tax").replace_strict(TAX_LABELS, default=pl.col("tax")).alias("tax_label"),
            pl.col("billing_rule").replace_strict(
                BILLING_RULE_LABELS, default=pl.col("billing_rule")
            ),
            "payment_days",
        )
        .sort("body_id", "agreement_title", "formula", "annual_fee_text")
    )


def grid_rows(
    fee_grid: pl.DataFrame, agreements: pl.DataFrame, agreement_title: str, body_id: str | None
) -> pl.DataFrame:
    """The stored rows of the grid shown for one agreement: what its downloads hold, in the
    exchange format, so that they import back."""
    chosen = agreements.filter(pl.col("title") == agreement_title)
    if body_id is not None:
        chosen = chosen.filter(pl.col("body_id") == body_id)
    return fee_grid.join(chosen.select("agreement_id"), on="agreement_id", how="semi")


def totals_view(totals: pl.DataFrame, bodies: pl.DataFrame) -> pl.DataFrame:
    """Totals per central and year with the central's name."""
    return totals.join(
        bodies.select("body_id", pl.col("name").alias("body_name")), on="body_id", how="left"
    ).select(
        "body_id", "body_name", "year", "amount_excl_tax", "vat", "amount_incl_tax", "unpriced"
    )
