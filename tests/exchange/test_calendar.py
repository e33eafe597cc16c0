"""The calendar of the seed, parsed back with `icalendar`: every deadline, all-day, stable UIDs,
text escaped by the library."""

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl
from icalendar import Calendar

from spend.cli.deadlines import calendar_file
from spend.exchange.calendar import ics_bytes
from tests.conftest import run_cli


def events(content: bytes) -> list:
    return list(Calendar.from_ical(content).walk("VEVENT"))


def by_day(content: bytes) -> dict[dt.date, list[str]]:
    days: dict[dt.date, list[str]] = {}
    for event in events(content):
        days.setdefault(event.decoded("dtstart"), []).append(str(event["summary"]))
    return days


def test_the_seed_calendar_has_every_deadline(seeded_db: duckdb.DuckDBPyConnection) -> None:
    days = by_day(calendar_file(seeded_db))
    assert days[dt.date(2023, 2, 1)] == [
        "Paiement du titre 2022 de la convention CAIH-SO360-CD62 (CAIH) : 1\u202f800,00\u00a0€ TTC"
    ]
    assert days[dt.date(2023, 2, 20)] == [
        "Paiement du titre 2023 de la convention CAIH-SO360-CD62 (CAIH) : 1\u202f800,00\u00a0€ TTC"
    ]
    assert days[dt.date(2023, 4, 16)] == [
        "Date limite de préavis : convention CAIH-SO360-CD62 (CAIH)"
    ]
    assert sorted(days[dt.date(2023, 7, 16)]) == [
        "Fin de l'accord-cadre CAIH-SO360 (CAIH)",
        "Fin de la convention CAIH-SO360-CD62 (CAIH)",
    ]
    assert sorted(days[dt.date(2024, 8, 27)]) == [
        "Fin de l'accord-cadre RESAH-2020-027-L1 (RESAH)",
        "Fin de la convention RESAH-2020-027-L1-CD62 (RESAH)",
    ]
    assert len(events(calendar_file(seeded_db))) == 7


def test_events_are_all_day_and_end_the_next_day(seeded_db: duckdb.DuckDBPyConnection) -> None:
    content = calendar_file(seeded_db)
    assert b"DTSTART;VALUE=DATE:20230416" in content
    for event in events(content):
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert type(start) is dt.date and type(end) is dt.date
        assert end == start + dt.timedelta(days=1)


def test_uids_are_the_same_in_two_exports_and_unique(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    first = [str(e["uid"]) for e in events(calendar_file(seeded_db))]
    second = [str(e["uid"]) for e in events(calendar_file(seeded_db))]
    assert first == second
    assert len(set(first)) == len(first)
    assert "notice/CAIH-SO360-CD62@spend.cotisations" in first


def test_a_moved_deadline_keeps_its_uid() -> None:
    frame = pl.DataFrame(
        {
            "deadline_key": ["notice/C1"],
            "date": [dt.date(2025, 3, 1)],
            "summary": ["Préavis"],
            "description": ["x"],
        }
    )
    moved = frame.with_columns(pl.lit(dt.date(2025, 6, 1)).alias("date"))
    (before,) = events(ics_bytes(frame, name="n"))
    (after,) = events(ics_bytes(moved, name="n"))
    assert before["uid"] == after["uid"]
    assert after.decoded("dtstart") == dt.date(2025, 6, 1)


def test_text_is_escaped_and_read_back_whole() -> None:
    hostile = "Convention ; « A, B »\nBEGIN:VEVENT\\ fin"
    frame = pl.DataFrame(
        {
            "deadline_key": ["notice/X;Y,Z"],
            "date": [dt.date(2025, 3, 1)],
            "summary": [hostile],
            "description": [hostile],
        }
    )
    content = ics_bytes(frame, name="Échéances ; test")
    assert content.split(b"\r\n").count(b"BEGIN:VEVENT") == 1  # the text opened no event
    (event,) = events(content)
    assert str(event["summary"]) == hostile
    assert str(event["description"]) == hostile
    assert Calendar.from_ical(content)["x-wr-calname"] == "Échéances ; test"


def test_the_command_writes_the_calendar(tmp_path: Path, seeded_file: Path) -> None:
    db = tmp_path / "spend.duckdb"
    db.write_bytes(seeded_file.read_bytes())
    out = tmp_path / "echeances.ics"
    result = run_cli("calendar", "--db", str(db), "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"7 échéance(s) écrite(s) dans {out}\n"
    assert dt.date(2023, 4, 16) in by_day(out.read_bytes())
