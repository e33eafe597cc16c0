"""Deadlines as an iCalendar file (RFC 5545), written by the `icalendar` library.

One all-day event per deadline: it starts on the deadline and ends the next day (DTEND is
exclusive), its text escaped by the library, its UID built from the deadline's kind and keys
(never random, never its date) so that a calendar client sees the same event at each fetch and
moves it when its date changes. No alarm: clients ignore them in subscribed calendars; the
e-mail reminders are what reminds people.
"""

import datetime as dt
from collections.abc import Mapping
from urllib.parse import quote

import polars as pl
from icalendar import Calendar, Event

PRODUCT = "-//spend//Cotisations des centrales d'achat//FR"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def calendar_name(settings: Mapping[str, str]) -> str:
    name = settings.get("collectivity_name", "").strip()
    return (
        f"Échéances des centrales d'achat — {name}" if name else "Échéances des centrales d'achat"
    )


def uid_domain(settings: Mapping[str, str]) -> str:
    """What ends every UID: the authority's SIRET keeps two authorities' events apart."""
    return f"{settings.get('collectivity_siret') or 'spend'}.cotisations"


def event_uid(deadline_key: str, domain: str) -> str:
    """A UID from the deadline's key alone: `notice/CAIH-SO360-CD62@<domain>`."""
    return f"{quote(deadline_key, safe='/-_.')}@{domain}"


def ics_bytes(
    events: pl.DataFrame,
    *,
    name: str,
    domain: str = "spend",
    stamp: dt.datetime | None = None,
) -> bytes:
    """The calendar of `events` (columns deadline_key, date, summary, description).

    `domain` ends every UID (the authority's SIRET keeps two authorities' events apart in one
    client); `stamp` is the DTSTAMP of every event (now, in UTC, by default).
    """
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    for row in events.select("deadline_key", "date", "summary", "description").iter_rows():
        key, date, summary, description = row
        event = Event()
        event.add("uid", event_uid(key, domain))
        event.add("dtstamp", stamp)
        event.add("dtstart", date)
        event.add("dtend", date + dt.timedelta(days=1))
        event.add("summary", summary)
        event.add("description", description)
        event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: the day stays free
        calendar.add_component(event)
    return calendar.to_ical()
