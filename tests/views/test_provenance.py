"""The sentence under every table says when the data last changed, in the time of Paris."""

import datetime as dt

import polars as pl

from spend.views.provenance import provenance_text


def _last(source: str, when: dt.datetime) -> pl.DataFrame:
    return pl.DataFrame({"source": [source], "written_at": [when]})


def test_the_last_change_is_said_in_paris_time_winter_and_summer() -> None:
    winter = provenance_text(_last("import budget.csv", dt.datetime(2026, 12, 2, 8, 9)), {})
    assert winter.endswith("le 02/12/2026 à 09:09.")
    summer = provenance_text(_last("import budget.csv", dt.datetime(2026, 7, 1, 22, 30)), {})
    assert summer.endswith("le 02/07/2026 à 00:30.")  # the day changes too


def test_the_seed_is_dated_by_its_paris_day() -> None:
    text = provenance_text(_last("seed", dt.datetime(2026, 12, 31, 23, 30)), {})
    assert text == "Données : jeu initial, chargé le 01/01/2027."
