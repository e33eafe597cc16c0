"""Conventions: their effective dates, notice deadlines, fee terms, and which are active when."""

import datetime as dt

import polars as pl

from spend.domain.dates import add_months
from spend.domain.fees import EngineInputs, convention_terms
from spend.domain.money import from_cents


def notice_deadline(exit_date: pl.Expr) -> pl.Expr:
    """The last day to give notice for an exit on `exit_date`: that date minus the notice months.

    Unknown when the convention states no notice period (or the exit date is unknown).
    """
    months = pl.col("notice_months")
    return pl.when(months.is_not_null()).then(add_months(exit_date, -months))


def convention_table(inputs: EngineInputs) -> pl.DataFrame:
    """One row per convention, with its effective end and the last day to give notice."""
    bodies = inputs.bodies.lazy().select("body_id", pl.col("name").alias("body_name"))
    agreements = inputs.agreements.lazy().select(
        "agreement_id",
        pl.col("title").alias("agreement_title"),
        pl.col("reference").alias("agreement_reference"),
        pl.col("end_date").alias("agreement_end"),
    )
    recorded = (
        inputs.deliberations["deliberation_id"]
        if inputs.deliberations is not None
        else pl.Series([], dtype=pl.String)
    )
    return (
        convention_terms(inputs)
        .join(bodies, on="body_id", how="left")
        .join(agreements, on="agreement_id", how="left")
        .with_columns(
            notice_deadline(pl.col("effective_end_date")).alias("notice_deadline"),
            # A convention may cite a deliberation that is not recorded here (an older one).
            (
                pl.col("deliberation_id").is_null()
                | pl.col("deliberation_id").is_in(recorded.implode())
            ).alias("deliberation_recorded"),
            from_cents(pl.col("annual_fee_cents")).alias("annual_fee"),
            pl.col("billing_rule").is_not_null().alias("has_grid_row"),
        )
        .select(
            "convention_id",
            "body_id",
            "body_name",
            "agreement_id",
            "agreement_title",
            "agreement_reference",
            "agreement_end",
            "title",
            "formula",
            "category",
            "start_date",
            "start_date_assumed",
            "effective_end_date",
            "notice_months",
            "notice_deadline",
            "annual_fee",
            "tax",
            "billing_rule",
            "payment_days",
            "has_grid_row",
            "status",
            "deliberation_id",
            "deliberation_recorded",
            "operation_code",
            "imputation",
        )
        .sort("body_id", "convention_id")
        .collect()
    )


def situation(today: dt.date) -> pl.Expr:
    """Where a convention stands on a date, from its dates: to come, in force, ended."""
    start, end = pl.col("start_date"), pl.col("effective_end_date")
    return (
        pl.when(start.is_null())
        .then(pl.lit("unknown"))
        .when(start > today)
        .then(pl.lit("upcoming"))
        .when(end.is_not_null() & (end < today))
        .then(pl.lit("expired"))
        .otherwise(pl.lit("in_force"))
    )


def active_in_year(conventions: pl.DataFrame, year: int) -> pl.DataFrame:
    """Conventions whose known span touches the year."""
    return conventions.filter(
        (pl.col("start_date").dt.year() <= year)
        & (
            pl.col("effective_end_date").is_null()
            | (pl.col("effective_end_date").dt.year() >= year)
        )
    )


def titles_of(titles: pl.DataFrame, convention_id: str) -> pl.DataFrame:
    """One convention's titles with the columns a manager checks an invoice against."""
    return titles.filter(pl.col("convention_id") == convention_id).select(
        "year",
        (pl.col("title_no") + 1).alias("title_number"),  # the first title is n° 1
        "period_start",
        "period_end",
        "months",
        "amount_excl_tax",
        "vat",
        "amount_incl_tax",
        "issue_date",
        "due_date",
    )


def filter_conventions(
    conventions: pl.DataFrame,
    body_id: str | None,
    statuses: list[str],
    search: str,
    situations: list[str] | None = None,
    today: dt.date | None = None,
) -> pl.DataFrame:
    """The conventions of one central (or all), with these recorded statuses and situations on
    the reference date, matching the text."""
    shown = conventions
    if body_id:
        shown = shown.filter(pl.col("body_id") == body_id)
    if statuses:
        shown = shown.filter(pl.col("status").is_in(statuses))
    if situations and today is not None:
        shown = shown.filter(situation(today).is_in(situations))
    if search.strip():
        haystack = pl.concat_str(
            "title", "agreement_title", "formula", "convention_id", separator=" ", ignore_nulls=True
        )
        shown = shown.filter(
            haystack.str.to_lowercase().str.contains(search.strip().lower(), literal=True)
        )
    return shown
