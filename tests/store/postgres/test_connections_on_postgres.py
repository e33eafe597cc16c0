"""The connections a process keeps between pieces of work on the server: the next piece on the
same authority takes the idle one (no new connection, no second Arrow connection), two pieces
at once never share one, another authority never gets it, a write left open is never handed
on, and one the server ended while idle is replaced without an error."""

from collections.abc import Iterator

import psycopg
import pytest

from spend.exchange.seed import seed_database
from spend.store import pg_pool, postgres


def _backend(con: postgres.PgConnection) -> int:
    return int(con.sql("select pg_backend_pid() as pid").pl()["pid"][0])


def _session_pid(con: postgres.PgConnection) -> int:
    return int(con.execute("select pg_backend_pid() as pid").pl()["pid"][0])


@pytest.fixture
def url(pg_url: str) -> Iterator[str]:
    pg_pool.close_idle()
    for name in ("arras", "lens"):
        with postgres.connect(pg_url, name, create=True) as con:
            seed_database(con)  # type: ignore[arg-type]
    yield pg_url
    pg_pool.close_idle()


def test_the_next_piece_of_work_takes_the_idle_connections(url: str) -> None:
    with postgres.connect(url, "arras") as first:
        pid, arrow_pid = _session_pid(first), _backend(first)
        arrow = first._arrow
        with postgres.connect(url, "arras") as meanwhile:  # at the same time: its own
            assert _session_pid(meanwhile) not in (pid, arrow_pid)
    with postgres.connect(url, "arras") as again:  # the last one given back
        assert (_session_pid(again), _backend(again)) == (pid, arrow_pid)
        assert again._arrow is arrow
    with postgres.connect(url, "lens") as other:  # another authority: never those
        assert _session_pid(other) not in (pid, arrow_pid)
        assert other.sql("select current_schema() as s").pl()["s"][0] == "lens"


def test_a_write_left_open_is_not_kept(url: str) -> None:
    con = postgres.connect(url, "arras")
    pid = _session_pid(con)
    con.execute("begin transaction")
    con.close()
    with postgres.connect(url, "arras") as after:
        assert _session_pid(after) != pid
        assert not after.in_transaction


def test_a_connection_the_server_ended_is_replaced(url: str) -> None:
    with postgres.connect(url, "arras") as con:
        pid = _session_pid(con)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("select pg_terminate_backend(%s)", [pid])
    with postgres.connect(url, "arras") as con:
        assert _session_pid(con) != pid
        assert con.sql("select count(*) as n from bodies").pl()["n"][0] > 0


def test_none_kept_when_asked(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEND_PG_IDLE", "0")
    with postgres.connect(url, "arras") as con:
        pid = _session_pid(con)
    with postgres.connect(url, "arras") as con:
        assert _session_pid(con) != pid
