"""The conventions table as managers read it: where each stands, its deadlines and fee."""

import datetime as dt

import polars as pl

from spend.domain.conventions import situation
from spend.views.formatting import euros_expr, french_date, thousands
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


NAMED_DATES = 5  # dates a sentence names before it counts the others


def assumed_start_note(conventions: pl.DataFrame) -> str | None:
    """Say which start dates are assumptions (the deliberation's date, until a signature date)."""
    assumed = conventions.filter(pl.col("start_date_assumed"))
    if assumed.is_empty():
        return None
    distinct = assumed["start_date"].unique().sort()
    dates = ", ".join(french_date(d) for d in distinct.head(NAMED_DATES).to_list())
    if distinct.len() > NAMED_DATES:
        dates += f" et {thousands(distinct.len() - NAMED_DATES)} autre(s) date(s)"
    return (
        f"Date de début supposée ({dates}) pour {thousands(assumed.height)} convention(s) : "
        "faute de date "
        "de signature, la date de la délibération qui les approuve est retenue jusqu'à saisie "
        "de la date réelle (page Données)."
    )


TIMELINE_LIMIT = 25  # bars a timeline can show legibly


def timeline_selection(
    conventions: pl.DataFrame, today: dt.date, limit: int = TIMELINE_LIMIT
) -> tuple[pl.DataFrame, str | None]:
    """The dated conventions a timeline shows: all when they fit, else the nearest deadlines
    (notice or end) from the reference date, with a sentence saying how many are left out."""
    dated = conventions.filter(
        pl.col("start_date").is_not_null() & pl.col("effective_end_date").is_not_null()
    )
    if dated.height <= limit:
        return dated, None
    upcoming = [
        pl.when(pl.col(c) >= today).then(pl.col(c))
        for c in ("notice_deadline", "effective_end_date")
    ]
    nearest = (
        dated.with_columns(pl.min_horizontal(upcoming).alias("next_deadline"))
        .sort("next_deadline", "effective_end_date", nulls_last=True)
        .head(limit)
        .drop("next_deadline")
    )
    note = (
        f"{limit} conventions sur {thousands(dated.height)} datées : celles dont l'échéance "
        f"(préavis ou fin) est la plus proche du {french_date(today)}. "
        "Filtrez pour en voir d'autres."
    )
    return nearest, note


CHOICE_LIMIT = 200  # options of a selectbox a manager can scroll through


def convention_choices(
    conventions: pl.DataFrame, limit: int = CHOICE_LIMIT
) -> tuple[dict[str, str], str | None]:
    """The conventions to pick one from (id → "id — title"), those with titles first; when
    there are too many, the first ones and a sentence asking to narrow the filters."""
    ordered = conventions.sort(pl.col("start_date").is_null(), "convention_id").head(limit)
    labels = dict(
        ordered.select(
            "convention_id",
            pl.concat_str("convention_id", pl.lit(" — "), pl.col("title").fill_null("")).alias(
                "label"
            ),
        ).iter_rows()
    )
    more = None
    if conventions.height > limit:
        more = (
            f"{limit} conventions proposées sur {thousands(conventions.height)} : recherchez ou "
            "filtrez pour en choisir une autre."
        )
    return labels, more
