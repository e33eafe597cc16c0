"""The conventions table as managers read it: fee with its tax basis, status in French."""

import polars as pl

from spend.views.formatting import euros_expr, french_date
from spend.views.labels import CONVENTION_STATUS_LABELS, TAX_LABELS


def convention_view(conventions: pl.DataFrame) -> pl.DataFrame:
    """The conventions table as shown: fee with its basis, status in French."""
    return conventions.select(
        pl.col("body_id"),
        pl.col("agreement_title"),
        pl.col("convention_id"),
        pl.col("formula"),
        pl.col("category"),
        pl.col("start_date"),
        pl.col("effective_end_date"),
        pl.col("notice_deadline"),
        pl.when(pl.col("annual_fee").is_not_null())
        .then(
            pl.concat_str(
                euros_expr("annual_fee"),
                pl.lit(" "),
                pl.col("tax").replace_strict(TAX_LABELS, default=pl.col("tax")),
            )
        )
        .when(pl.col("has_grid_row"))
        .then(pl.lit("sur devis"))
        .otherwise(pl.lit("inconnue"))
        .alias("annual_fee_text"),
        pl.col("status")
        .replace_strict(CONVENTION_STATUS_LABELS, default=pl.col("status"))
        .alias("status_label"),
        pl.col("start_date_assumed"),
        pl.col("deliberation_id"),
    )


def assumed_start_note(conventions: pl.DataFrame) -> str | None:
    """Say which start dates are assumptions (the deliberation's date, until a signature date)."""
    assumed = conventions.filter(pl.col("start_date_assumed"))
    if assumed.is_empty():
        return None
    dates = ", ".join(french_date(d) for d in assumed["start_date"].unique().sort().to_list())
    return (
        f"Date de début supposée ({dates}) pour {assumed.height} convention(s) : faute de date "
        "de signature, la date de la délibération qui les approuve est retenue jusqu'à saisie "
        "de la date réelle (page Données)."
    )
