"""Opening connections to the server, and lending the ones a process keeps: every way in
(an authority's session, the list of authorities, the profiles read before one is chosen)
says in French which server refused or did not answer; a kept connection is checked against
the schema's version once, and a migration or a restore by another process is still noticed."""

import select
import socket
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from spend.exchange.seed import seed_database
from spend.store import pg_backups, pg_pool, pg_profiles, postgres
from spend.store.database import StoreError
from tests.store.postgres.conftest import spend


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


@pytest.fixture
def checks(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """`arras` seeded; the schema checks (`postgres.migrate`) this process makes, by schema."""
    pg_pool.close_idle()
    with postgres.connect(pg_url, "arras", create=True) as con:
        seed_database(con)  # type: ignore[arg-type]
    pg_pool.close_idle()  # each test opens its own
    made: list[str] = []
    migrate = postgres.migrate

    def counted(con: postgres.PgConnection) -> None:
        made.append(con.schema)
        migrate(con)

    monkeypatch.setattr(postgres, "migrate", counted)
    yield made
    pg_pool.close_idle()


def _session_pid(con: postgres.PgConnection) -> int:
    return int(con.execute("select pg_backend_pid() as pid").pl()["pid"][0])


def _wait_until_told(url: str) -> None:
    """Until the kept connection of `arras` has the change in its socket (delivered by the
    server after the other process's commit; no fixed sleep)."""
    parked = pg_pool.checkout(url, "arras")
    assert parked is not None
    select.select([parked[0].fileno()], [], [], 30)
    assert pg_pool.park(url, "arras", *parked)


def _other_process(url: str, statements: str) -> None:
    """`statements` and the change told on the schema's channel, committed by a process of
    its own (what `spend migrate` of a newer release does)."""
    code = (
        "import sys, psycopg\n"
        "from spend.store import pg_pool, postgres\n"
        "with psycopg.connect(postgres.with_schema(sys.argv[1], 'arras')) as pg:\n"
        f"    pg.execute({statements!r})\n"
        "    pg_pool.tell_changed(pg, 'arras')\n"
    )
    done = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_kept_connection_is_checked_once_not_at_each_piece_of_work(
    pg_url: str, checks: list[str]
) -> None:
    checks.clear()
    pids = set()
    for _ in range(20):
        with postgres.connect(pg_url, "arras") as con:
            pids.add(_session_pid(con))
            assert con.sql("select count(*) as n from bodies").pl()["n"][0] > 0
    assert checks == ["arras"]  # when it was opened; then lent 19 times unchecked
    assert len(pids) == 1


def test_a_migration_by_another_process_is_noticed_before_the_next_piece_of_work(
    pg_url: str, checks: list[str]
) -> None:
    with postgres.connect(pg_url, "arras"):
        pass
    _other_process(pg_url, "insert into schema_version values (99, 'future', now())")
    _wait_until_told(pg_url)
    with pytest.raises(StoreError, match=r"version plus récente du tableau de bord \(schéma n° 99"):
        postgres.connect(pg_url, "arras")
    assert pg_pool.checkout(pg_url, "arras") is None  # refused: closed, never lent again


def test_a_change_told_while_the_connection_works_is_noticed_at_its_next_loan(
    pg_url: str, checks: list[str]
) -> None:
    with postgres.connect(pg_url, "arras") as con:
        pid = _session_pid(con)
        _other_process(pg_url, "select 1")  # told while this piece of work runs
        for _ in range(300):  # its next statements read the notice with their answers
            _session_pid(con)
            if con._pg in pg_pool._told:
                break
    checks.clear()
    with postgres.connect(pg_url, "arras") as con:
        assert _session_pid(con) == pid  # the same connection, checked again
    assert checks == ["arras"]
    with postgres.connect(pg_url, "arras"):
        pass
    assert checks == ["arras"]  # and then no more


@pytest.mark.slow
def test_a_restore_by_another_process_is_noticed_and_read(
    pg_url: str, checks: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEND_PG_BACKUP_DIR", str(tmp_path / "backups"))
    dump = pg_backups.backup(pg_url, "arras", "manuelle")
    with postgres.connect(pg_url, "arras") as con:
        con.execute("update settings set value = '5.50' where key = 'vat_rate'")
        pid = _session_pid(con)
    done = spend("restore", str(dump), "--authority", "arras")
    assert done.returncode == 0, done.stderr
    _wait_until_told(pg_url)
    checks.clear()
    with postgres.connect(pg_url, "arras") as con:
        assert _session_pid(con) == pid
        vat = con.sql("select value from settings where key = 'vat_rate'").pl()["value"][0]
        journal = con.sql("select action from journal order by id desc limit 1").pl()
    assert checks == ["arras"]
    assert Decimal(vat) == Decimal("20.00") and journal["action"][0] == "restauration"


def test_a_connection_ended_before_its_notice_is_read_is_replaced_at_its_first_statement(
    pg_url: str, checks: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with postgres.connect(pg_url, "arras") as con:
        pid = _session_pid(con)
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute("select pg_terminate_backend(%s, 30000)", [pid])  # waits until it is gone
    monkeypatch.setattr(pg_pool, "maybe_changed", lambda pg: False)  # its notice not yet read
    checks.clear()
    with postgres.connect(pg_url, "arras") as con:
        con.execute("begin transaction")  # the write lock, on the new connection
        assert _session_pid(con) != pid
        con.execute("rollback")
    assert checks == ["arras"]  # the new one checked as any new one is
