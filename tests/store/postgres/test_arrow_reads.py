"""The engine's reads on the server: the ADBC connections a process keeps between pieces of
work serve the authority they were opened for only, and one the server closed since is
replaced without the reader seeing it."""

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest

from spend import store
from spend.store import pg_pool, postgres
from tests.store.postgres.conftest import spend

NOWHERE = Path("/nonexistent/spend.duckdb")  # never opened: SPEND_DATABASE_URL is set


@pytest.fixture
def two_authorities(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    assert spend("init", "--authority", "arras").returncode == 0
    assert spend("init", "--empty", "--authority", "lens").returncode == 0
    pg_pool.close_idle()
    yield pg_url
    pg_pool.close_idle()


def _backend_pid(con: postgres.PgConnection) -> int:
    frame = con.sql("select pg_backend_pid() as pid").pl()  # through the Arrow connection
    return int(frame["pid"][0])


def test_a_kept_connection_serves_its_own_authority_only(
    two_authorities: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEND_AUTHORITY", "arras")
    with store.session(NOWHERE) as con:
        first = _backend_pid(con)
        assert store.load_inputs(con).conventions.height > 0
    with store.session(NOWHERE) as con:
        assert _backend_pid(con) == first  # kept, not opened again
        assert store.load_inputs(con).conventions.height > 0
    monkeypatch.setenv("SPEND_AUTHORITY", "lens")
    with store.session(NOWHERE) as con:
        assert _backend_pid(con) != first  # arras's connection is not lent to lens
        assert store.load_inputs(con).conventions.height == 0  # nothing of arras


def test_a_connection_the_server_closed_is_replaced(
    two_authorities: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEND_AUTHORITY", "arras")
    with store.session(NOWHERE) as con:
        kept = _backend_pid(con)
    with psycopg.connect(two_authorities, autocommit=True) as admin:
        admin.execute("select pg_terminate_backend(%s)", (kept,))
    with store.session(NOWHERE) as con:
        inputs = store.load_inputs(con)  # the dead one is dropped, a new one reads
        assert inputs.conventions.height > 0
        assert _backend_pid(con) != kept


def test_a_refused_query_is_said_once_not_retried_into_another_error(
    two_authorities: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEND_AUTHORITY", "arras")
    with store.session(NOWHERE) as con:
        _backend_pid(con)
    with store.session(NOWHERE) as con, pytest.raises(store.StoreError, match="PostgreSQL"):
        con.sql("select * from no_such_table").pl()


class _Kept:
    """A connection as the pool sees it: sound, idle, and told when it is closed."""

    def __init__(self) -> None:
        self.closed = False
        self.broken = False
        self.info = SimpleNamespace(transaction_status=psycopg.pq.TransactionStatus.IDLE)

    def close(self) -> None:
        self.closed = True


def test_a_process_keeps_a_few_connections_in_all_whatever_the_authorities(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pg_pool, "_idle", [])
    monkeypatch.delenv("SPEND_PG_IDLE", raising=False)
    keep = pg_pool._idle_limit()
    given = [(f"a{n % 5}", _Kept()) for n in range(keep + 4)]
    for schema, connection in given:
        assert pg_pool.park("postgresql://x/db", schema, connection, None)  # type: ignore[arg-type]
    assert [c.closed for _, c in given] == [True] * 4 + [False] * keep  # the oldest go
    newest_a0 = given[10][1]  # a0 was parked at 0, 5 and 10: the freshest is lent
    assert pg_pool.checkout("postgresql://x/db", "a0") == (newest_a0, None)
    pg_pool.close_idle()
    assert all(c.closed for _, c in given if c is not newest_a0)
