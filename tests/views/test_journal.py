"""The journal as shown: a manager reads tables by their French names."""

import datetime as dt

import polars as pl

from spend.domain.access import ACTIONS
from spend.store.writes import ACTION_WORDS
from spend.views.journal import filtered_journal, in_words


def journal(tables: list[str | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": list(range(len(tables), 0, -1)),
            "at": [dt.datetime(2026, 11, 28, 9, n) for n in range(len(tables))],
            "actor": ["a@x.fr"] * len(tables),
            "action": ["modification"] * len(tables),
            "table": tables,
            "key": ["C06-020 / 2022"] * len(tables),
        }
    )


def test_every_write_action_is_journaled_in_french_words() -> None:
    assert set(ACTIONS) <= set(ACTION_WORDS)


def test_tables_are_shown_in_french() -> None:
    shown = in_words(journal(["budget_lines", "settings", None]))
    assert shown["table"].to_list() == ["Lignes budgétaires", "Paramètres", None]


def test_an_unknown_table_is_shown_as_stored() -> None:
    assert in_words(journal(["future_table"]))["table"].to_list() == ["future_table"]


def test_filters_work_on_stored_names_before_translation() -> None:
    entries = journal(["budget_lines", "conventions"])
    shown = in_words(filtered_journal(entries, "budget_lines", "c06", None, None))
    assert shown["table"].to_list() == ["Lignes budgétaires"]
