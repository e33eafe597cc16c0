"""Opening connections to the server, and lending the ones a process keeps: every way in
(an authority's session, the list of authorities, the profiles read before one is chosen)
says in French which server refused or did not answer; a kept connection is checked against
the schema's version once, and a migration or a restore by another process is still noticed."""

import socket
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from spend.store import pg_pool, pg_profiles, postgres
from spend.store.database import StoreError


def _unreachable() -> str:
    """A URL on 127.0.0.1 where nothing listens (a port just given back by the system)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"postgresql://spend@127.0.0.1:{port}/spend"


def _missing_database(url: str) -> str:
    """The test cluster, asked for a database it does not have: it refuses the connection."""
    return urlunsplit(urlsplit(url)._replace(path="/no_such_database"))


def _ways_in(url: str) -> list[object]:
    refusals = []
    for open_it in (
        lambda: postgres.connect(url, "arras"),
        lambda: postgres.authorities(url),
        lambda: list(pg_profiles.read_profiles(url, ["arras"])),
    ):
        with pytest.raises(StoreError) as refused:
            open_it()
        refusals.append(str(refused.value))
    return refusals


def test_an_unreachable_server_is_named_in_french_by_every_way_in() -> None:
    url = _unreachable()
    where = urlsplit(url)
    for message in _ways_in(url):
        assert message.startswith(
            f"Le serveur PostgreSQL 127.0.0.1:{where.port}/spend ne répond pas ou refuse la "
            "connexion : "
        ), message
        assert "Traceback" not in message and "spend@" not in message


def test_a_refusing_server_is_named_in_french_by_every_way_in(pg_url: str) -> None:
    url = _missing_database(pg_url)
    port = urlsplit(url).port
    for message in _ways_in(url):
        assert message.startswith(
            f"Le serveur PostgreSQL 127.0.0.1:{port}/no_such_database ne répond pas ou refuse "
            "la connexion : "
        ), message
        assert "no_such_database" in message.split(" : ", 1)[1]  # the server's own reason


def test_the_helper_opens_on_the_authority_schema(pg_url: str) -> None:
    with postgres.connect(pg_url, "arras", create=True):
        pass
    with postgres.server(pg_url, "arras") as pg:
        assert pg.execute("select current_schema()").fetchall() == [("arras",)]
        assert pg.autocommit
    assert pg.closed
    pg_pool.close_idle()
    with psycopg.connect(pg_url) as admin:  # nothing left open by the helper
        assert admin.execute(
            "select count(*) from pg_stat_activity"
            " where datname = current_database() and pid <> pg_backend_pid()"
        ).fetchall() == [(0,)]
