"""The Conventions page's sentences name a handful of dates and count the rest."""

import datetime as dt

import polars as pl

from spend.views.conventions import NAMED_DATES, assumed_start_note


def test_the_assumed_start_note_names_a_handful_of_dates() -> None:
    starts = [dt.date(2000, 1, 1) + dt.timedelta(days=i) for i in range(300)]
    conventions = pl.DataFrame({"start_date": starts * 40, "start_date_assumed": [True] * 12_000})
    note = assumed_start_note(conventions)
    assert note is not None
    assert note.count("/") == 2 * NAMED_DATES
    assert "et 295 autre(s) date(s)" in note
    assert "pour 12\u202f000 convention(s)" in note
