"""The journal as a manager reads and filters it."""

import datetime as dt
from collections.abc import Callable

import polars as pl

from spend.domain.records import TABLES

OTHER_TABLES = {
    "settings": "Paramètres",
    "scenarios": "Scénarios",
    "access_rules": "Droits d'accès",
    "arbitrations": "Arbitrages budgétaires",
}


def french_names() -> dict[str, str]:
    return {name: spec.french for name, spec in TABLES.items()} | OTHER_TABLES


KEY_SEPARATOR = " / "
# Tables whose entries only those who may change them read: the access rules name people by
# their e-mail address, with their role.
RESTRICTED_TABLES = {"access_rules": "roles"}


def key_values(key: pl.Expr) -> pl.Expr:
    """A stored key (a JSON array of the key's values) as a list of texts; a key stored
    otherwise (not an array) as its one value."""
    is_array = key.str.starts_with("[")
    return (
        pl.when(is_array)
        .then(pl.when(is_array).then(key).str.json_decode(pl.List(pl.String)))
        .otherwise(pl.concat_list(key))
    )


SHOWN_KEY, SEARCHED_KEY = "_key_shown", "_key_searched"
VALUE_BREAK = "\x00"  # between a key's values where the filter searches: no value holds it


def with_readable_keys(journal: pl.DataFrame) -> pl.DataFrame:
    """The journal with each key as a person reads it (« C06-020M02 / 6281/930202 / 2022 »)
    and as the key filter searches it, value by value. Worked out once per version of the base
    (decoding a hundred thousand keys takes a good part of a second), then kept."""
    if SHOWN_KEY in journal.columns:
        return journal
    present = pl.col("key").is_not_null()
    values = journal.select(key_values(pl.col("key")).list.eval(pl.element().fill_null("")))
    return journal.with_columns(
        pl.when(present).then(values.to_series().list.join(KEY_SEPARATOR)).alias(SHOWN_KEY),
        pl.when(present)
        .then(values.to_series().list.join(VALUE_BREAK).str.to_lowercase())
        .alias(SEARCHED_KEY),
    )


def in_words(journal: pl.DataFrame) -> pl.DataFrame:
    """The journal as shown: tables by their French names (the store writes actions in French
    already; a name it does not know stays as stored), keys readable."""
    return (
        with_readable_keys(journal)
        .with_columns(pl.col("table").replace(french_names()), pl.col(SHOWN_KEY).alias("key"))
        .drop(SHOWN_KEY, SEARCHED_KEY)
    )


def visible_journal(journal: pl.DataFrame, may: Callable[[str], bool]) -> pl.DataFrame:
    """The entries a person may read: those of the access rules only if they may change them."""
    hidden = [table for table, right in RESTRICTED_TABLES.items() if not may(right)]
    return journal.filter(~pl.col("table").is_in(hidden).fill_null(False)) if hidden else journal


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
    """The entries of one table, whose key has a value containing the text (or is the key
    typed as stored, a JSON array), by one person, from a date.

    The text is matched against each value of a key, never against the values joined: « A / B »
    finds the key (`A / B`, `C`), not (`A`, `B / C`).
    """
    shown = journal
    if table:
        shown = shown.filter(pl.col("table") == table)
    wanted = key.strip().lower().replace(VALUE_BREAK, "")
    if wanted:
        shown = with_readable_keys(shown).filter(
            pl.col(SEARCHED_KEY).str.contains(wanted, literal=True).fill_null(False)
            | (pl.col("key") == key.strip())
        )
    if person:
        shown = shown.filter(pl.col("actor") == person)
    if since is not None:
        shown = shown.filter(pl.col("at") >= dt.datetime.combine(since, dt.time()))
    return shown
