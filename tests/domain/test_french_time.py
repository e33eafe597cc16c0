"""Stored times (UTC) are said in Paris time wherever a manager reads them, as the Journal does."""

import datetime as dt

import polars as pl

from spend.domain.french import paris_time
from spend.store.writes import conflict_message


def test_paris_time_in_winter_and_in_summer() -> None:
    assert paris_time(dt.datetime(2026, 12, 2, 11, 5)) == "02/12/2026 à 12:05"  # UTC+1
    assert paris_time(dt.datetime(2026, 7, 1, 23, 30)) == "02/07/2026 à 01:30"  # UTC+2
    assert paris_time(dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)) == "01/07/2026 à 14:00"


def test_a_conflict_says_when_in_paris_time() -> None:
    later = pl.DataFrame(
        {
            "written_at": [dt.datetime(2026, 7, 1, 12, 0)],
            "actor": ["dsi@exemple.fr"],
            "table_name": [None],
            "row_key": [None],
            "action": ["restauration"],
        },
        schema_overrides={"table_name": pl.String, "row_key": pl.String},
    )
    message = conflict_message("budget_lines", later, "chargée")
    assert "restaurée par dsi@exemple.fr le 01/07/2026 à 14:00 (heure de Paris)" in message
    assert "UTC" not in message
