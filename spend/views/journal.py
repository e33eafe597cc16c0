"""The journal as a manager reads and filters it."""

import datetime as dt

import polars as pl

from spend.domain.records import TABLES

OTHER_TABLES = {
    "settings": "Paramètres",
    "scenarios": "Scénarios",
    "access_rules": "Droits d'accès",
}


def french_names() -> dict[str, str]:
    return {name: spec.french for name, spec in TABLES.items()} | OTHER_TABLES


def in_words(journal: pl.DataFrame) -> pl.DataFrame:
    """The journal as shown: tables by their French names (the store writes actions in French
    already); a name it does not know stays as stored."""
    return journal.with_columns(pl.col("table").replace(french_names()))


def table_choices(journal: pl.DataFrame) -> dict[str, str]:
    """The tables the journal names, in French, "" for all of them."""
    french = french_names()
    named = [t for t in journal["table"].drop_nulls().unique().sort().to_list()]
    return {"": "Toutes", **{t: french.get(t, t) for t in named}}


def filtered_journal(
    journal: pl.DataFrame,
    table: str | None,
    key: str,
    person: str | None,
    since: dt.date | None,
) -> pl.DataFrame:
    """The entries of one table, whose key contains the text, by one person, from a date."""
    shown = journal
    if table:
        shown = shown.filter(pl.col("table") == table)
    if key.strip():
        shown = shown.filter(
            pl.col("key").str.to_lowercase().str.contains(key.strip().lower(), literal=True)
        )
    if person:
        shown = shown.filter(pl.col("actor") == person)
    if since is not None:
        shown = shown.filter(pl.col("at") >= dt.datetime.combine(since, dt.time()))
    return shown
