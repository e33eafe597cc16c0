"""Deadlines on the pages: the Overview's counts opening their lists and the calendar download;
the Administration tab's reminder settings, test message and feed address."""

import datetime as dt
import hashlib
import re
from pathlib import Path

import duckdb
import pytest
from icalendar import Calendar
from streamlit.testing.v1 import AppTest

from spend.ui.deadlines import calendar_bytes
from tests.exchange.smtp_server import HOST, smtp_server
from tests.pages.conftest import assert_clean, open_page


def plain(text: str) -> str:
    """Text as the reader sees it (stored text is made inert with backslashes)."""
    return re.sub(r"\\(.)", r"\1", text)


def popovers(at: AppTest) -> dict[str, object]:
    return {p.proto.popover.label: p for p in at.get("popover")}


def test_the_overview_counts_notices_and_ends_each_with_its_list(app_db: Path) -> None:
    # 10/04/2023: the CAIH notice deadline (16/04/2023) is 6 days ahead.
    at = open_page(annee="2023", date="2023-04-10")
    assert_clean(at)
    found = popovers(at)
    assert list(found) == [
        "Préavis dans les 7 jours : **1**",
        "Préavis dans les 30 jours : **1**",
        "Fins de convention dans les 90 jours : **0**",
    ]
    frames = [frame.value for frame in at.dataframe]
    listed = [f for f in frames if "Échéance" in f.columns and "Quoi" in f.columns]
    assert len(listed) == 2  # one list per count that has rows
    assert listed[0]["Échéance"].tolist() == ["16/04/2023"]
    assert listed[0]["Quoi"].tolist() == ["Préavis"]
    assert listed[0]["Convention"].tolist() == ["CAIH-SO360-CD62"]
    at = open_page(annee="2023", date="2023-05-01")
    assert list(popovers(at)) == [
        "Préavis dans les 7 jours : **0**",
        "Préavis dans les 30 jours : **0**",
        "Fins de convention dans les 90 jours : **1**",
    ]


def test_the_overview_offers_the_calendar(app_db: Path) -> None:
    at = open_page(annee="2023")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Calendrier des échéances (.ics)" in labels
    # AppTest cannot read a download: the button's own function, on the same database.
    events = list(Calendar.from_ical(calendar_bytes("test")).walk("VEVENT"))
    assert {e.decoded("dtstart") for e in events} >= {
        dt.date(2023, 2, 1),
        dt.date(2023, 2, 20),
        dt.date(2023, 4, 16),
        dt.date(2023, 7, 16),
        dt.date(2024, 8, 27),
    }


def admin_tab(at: AppTest) -> AppTest:
    return at.switch_page("pages/admin.py").run()


def test_the_administration_tab_saves_the_settings_and_sends_a_test_message(
    app_db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SPEND_SECRETS_FILE", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("SMTP_FROM", "tableau-de-bord@exemple.fr")
    with smtp_server() as (inbox, port):
        monkeypatch.setenv("SMTP_HOST", HOST)
        monkeypatch.setenv("SMTP_PORT", str(port))
        at = admin_tab(open_page())
        assert_clean(at)
        assert at.button(key="admin_reminders_test").disabled  # nobody to send to yet
        at.text_input(key="admin_reminder_to").set_value("g.martin@exemple.fr, x").run()
        at.button(key="admin_reminders_save").click().run()
        assert [plain(e.value) for e in at.error] == [
            "Destinataires des rappels (séparés par des virgules) : adresse e-mail illisible « x »."
        ]
        at.text_input(key="admin_reminder_to").set_value("G.Martin@exemple.fr").run()
        at.text_input(key="admin_reminder_days_payment").set_value("30").run()
        at.button(key="admin_reminders_save").click().run()
        assert [s.value for s in at.success] == ["Réglages des rappels enregistrés."]
        con = duckdb.connect(str(app_db), read_only=True)
        stored = dict(con.sql("select key, value from settings").fetchall())
        con.close()
        assert stored["reminder_to"] == "g.martin@exemple.fr"
        assert stored["reminder_days_payment"] == "30"
        assert f"Serveur d'envoi : {HOST}:{port}," in plain(" ".join(c.value for c in at.caption))
        at.button(key="admin_reminders_test").click().run()
        assert_clean(at)
        assert [s.value for s in at.success] == ["Message d'essai envoyé à g.martin@exemple.fr."]
        assert inbox.envelopes == [["g.martin@exemple.fr"]]
        runs = [f.value for f in at.dataframe if "État" in f.value.columns]
        assert runs and runs[0]["État"].tolist() == ["test"]


def test_the_feed_address_is_shown_once_and_revoked(app_db: Path) -> None:
    at = admin_tab(open_page())
    assert "Flux coupé : aucune adresse active." in [c.value for c in at.caption]
    at.button(key="admin_feed_on").click().run()
    assert_clean(at)
    (shown,) = [c.value for c in at.code]
    assert shown.startswith("/calendrier/") and shown.endswith(".ics")
    token = shown.removeprefix("/calendrier/").removesuffix(".ics")
    con = duckdb.connect(str(app_db), read_only=True)
    hashes = con.sql("select token_hash from feed_tokens where revoked_at is null").fetchall()
    con.close()
    assert hashes == [(hashlib.sha256(token.encode()).hexdigest(),)]
    at.run()  # the next run: the address is no longer shown
    assert not at.code
    at.button(key="admin_feed_off").click().run()
    assert [s.value for s in at.success] == ["Adresse révoquée : flux coupé."]
    con = duckdb.connect(str(app_db), read_only=True)
    active = con.sql("select count(*) from feed_tokens where revoked_at is null").fetchall()
    con.close()
    assert active == [(0,)]
