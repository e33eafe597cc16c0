"""The conventions table as managers read it: where each stands, its deadlines and fee."""

import datetime as dt

import polars as pl

from spend.domain.conventions import situation
from spend.views.formatting import euros_expr, french_date
from spend.views.labels import CONVENTION_STATUS_LABELS, SITUATION_LABELS, TAX_LABELS


def convention_view(conventions: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    """The conventions table as shown: the columns that matter first (which convention, where it
    stands on the reference date, its deadlines and fee), then the details; short headers so
    that the first ones fit a laptop's screen."""
    return conventions.select(
        pl.col("convention_id").alias("convention"),
        pl.col("body_id").alias("body"),
        situation(today).replace_strict(SITUATION_LABELS).alias("situation"),
        pl.col("start_date").alias("start"),
        pl.col("effective_end_date").alias("end"),
        pl.col("notice_deadline").alias("notice"),
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
        .alias("fee"),
        pl.col("status")
        .replace_strict(CONVENTION_STATUS_LABELS, default=pl.col("status"))
        .alias("status_label"),
        pl.col("formula"),
        pl.col("category"),
        pl.col("agreement_title"),
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
