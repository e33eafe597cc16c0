"""The calendar feed through real HTTP requests on 127.0.0.1, served by `python -m spend feed` in
its own process: refused while off, served with its address, refused once revoked."""

import hashlib
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from icalendar import Calendar

from spend import store
from spend.domain.access import AccessRefused, Actor, Role
from spend.exchange import feed
from spend.paths import ROOT
from tests.conftest import ADMIN
from tests.exchange.smtp_server import free_port

READER = Actor("l.lecteur@exemple.fr", Role.READER)


@pytest.fixture
def db(tmp_path: Path, seeded_file: Path) -> Path:
    path = tmp_path / "spend.duckdb"
    path.write_bytes(seeded_file.read_bytes())
    return path


@pytest.fixture
def server(db: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """`python -m spend feed` on a free port of 127.0.0.1: its base address and its process."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "spend", "feed", "--db", str(db), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stdout.readline()  # printed once listening
        assert first.startswith(f"Flux du calendrier servi sur http://127.0.0.1:{port}/"), first
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.terminate()
        process.wait(timeout=30)


def get(url: str, method: str = "GET") -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers["Content-Type"], answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers["Content-Type"], refused.read()


def with_store(db: Path, action):
    con = store.connect(db)
    try:
        return action(con)
    finally:
        con.close()  # the feed's process needs the file between requests


def test_refused_while_off_served_with_its_address_refused_once_revoked(
    db: Path, server: tuple[str, subprocess.Popen]
) -> None:
    base, process = server
    guess = "A" * 43
    status, kind, body = get(f"{base}/calendrier/{guess}.ics")
    assert (status, kind) == (404, "text/plain; charset=utf-8")
    assert (
        body.decode() == "Calendrier introuvable : adresse inconnue ou révoquée, ou flux coupé.\n"
    )

    token = with_store(db, lambda con: feed.turn_on(con, actor=ADMIN))
    status, kind, body = get(f"{base}/calendrier/{token}.ics")
    assert (status, kind) == (200, "text/calendar; charset=utf-8")
    events = list(Calendar.from_ical(body).walk("VEVENT"))
    assert len(events) == 7
    assert "Date limite de préavis : convention CAIH-SO360-CD62 (CAIH)" in [
        str(e["summary"]) for e in events
    ]
    # Deadlines only: no credits, balance or commitment in the feed.
    text = Calendar.from_ical(body).to_ical().decode()
    assert "3\u202f000" not in text and "2\u202f800" not in text and "Solde" not in text
    assert get(f"{base}/calendrier/{token}.ics", "HEAD")[:2] == (200, kind)
    # Made once per version of the data: a write is seen at the next fetch.
    rename = {"collectivity_name": "Commune d'essai"}
    with_store(db, lambda con: store.update_settings(con, rename, actor=ADMIN, source="tests"))
    renamed = Calendar.from_ical(get(f"{base}/calendrier/{token}.ics")[2])
    assert renamed["x-wr-calname"] == "Échéances des centrales d'achat — Commune d'essai"
    assert get(f"{base}/calendrier/{token[:-1]}x.ics")[0] == 404
    assert get(f"{base}/calendrier/{token}.ics/../x")[0] == 404
    assert get(f"{base}/")[0] == 404

    with_store(db, lambda con: feed.turn_off(con, actor=ADMIN))
    assert get(f"{base}/calendrier/{token}.ics")[0] == 404

    renewed = with_store(db, lambda con: feed.turn_on(con, actor=ADMIN))
    assert get(f"{base}/calendrier/{renewed}.ics")[0] == 200
    assert get(f"{base}/calendrier/{token}.ics")[0] == 404  # the old one stays revoked

    process.terminate()
    _, log = process.communicate(timeout=30)
    assert "GET /calendrier/….ics" in log
    assert token not in log and renewed not in log  # the address is never logged


def test_only_the_hash_is_kept_and_only_administrators_turn_it_on(db: Path) -> None:
    token = with_store(db, lambda con: feed.turn_on(con, actor=ADMIN))
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.sql("select * from feed_tokens").fetchall()
        journal = con.sql("select row_after from journal where action = 'paramètres'").fetchall()
    finally:
        con.close()
    assert rows[0][0] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(rows) and token not in repr(journal)
    assert len(token) >= 43  # 256 random bits
    with pytest.raises(AccessRefused):
        with_store(db, lambda con: feed.turn_on(con, actor=READER))
    with pytest.raises(AccessRefused):
        with_store(db, lambda con: feed.turn_off(con, actor=READER))
    assert with_store(db, lambda con: feed.is_allowed(con, token))


def test_the_command_refuses_a_missing_database(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "spend", "feed", "--db", str(tmp_path / "absent.duckdb")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "introuvable : le flux du calendrier n'a rien à servir" in result.stderr
    assert not (tmp_path / "absent.duckdb").exists()
