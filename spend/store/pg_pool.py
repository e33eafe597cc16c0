"""The connections a process keeps idle between pieces of work on the PostgreSQL server.

Opening an authority costs a server connection, and its first Arrow read a second one (tens to
hundreds of milliseconds): a piece of work done gives them back here, for the next one on the
same authority in this process (a page's next run). Kept per server and authority, never
shared by two pieces of work at once, never inside a transaction. `SPEND_PG_IDLE` (default 8,
0: none kept) bounds them in all, whatever the number of authorities: the oldest idle pair is
closed first, so that replicas serving hundreds of authorities stay well within the server's
connections. A forked child never uses its parent's; all are closed at exit.

A connection is checked against its schema (there, at our version) once, when it is opened,
not at each piece of work it is lent to. It listens on its schema's channel, on which a
migration or a restore says, at its commit, that the schema changed (`tell_changed`, any
process): a kept connection that was told so, or whose socket holds anything unread (such a
message, or the server ending it), is checked again before it is lent (`maybe_changed`).
"""

import atexit
import contextlib
import os
import select
import threading
import weakref
from typing import Any

import psycopg
from psycopg import sql as pgsql

Pair = tuple[psycopg.Connection[Any], Any]  # the psycopg connection, the Arrow one (or None)
_idle: list[tuple[tuple[str, str], Pair]] = []  # the oldest parked first
_idle_lock = threading.Lock()
_inherited: list[Any] = []  # a forked child's copies of its parent's connections: never used
_told: "weakref.WeakSet[psycopg.Connection[Any]]" = weakref.WeakSet()  # their schema changed


def channel(schema: str) -> str:
    """The channel on which a schema's changes are told (63 bytes at most, as the server's)."""
    return f"spend:{schema}"[:63]


def listen(pg: psycopg.Connection[Any], schema: str) -> None:
    """A new connection listens for its schema's changes (one statement, once)."""
    pg.execute(pgsql.SQL("listen {}").format(pgsql.Identifier(channel(schema))))
    mine = weakref.ref(pg)

    def told(_notice: psycopg.Notify) -> None:  # read with any statement's answer, or below
        if (con := mine()) is not None:
            _told.add(con)

    pg.add_notify_handler(told)


def tell_changed(pg: psycopg.Connection[Any], schema: str) -> None:
    """Inside a migration's or a restore's transaction: at its commit, every connection kept
    for the schema, in every process, is told to be checked again."""
    pg.execute("select pg_notify(%s, '')", [channel(schema)])


def maybe_changed(pg: psycopg.Connection[Any]) -> bool:
    """Whether a kept connection must be checked again before it is lent: told that its schema
    changed, or its socket holds something unread (a change told since it was parked, or the
    server ending it). Nothing is sent to the server."""
    if pg in _told:
        return True
    if pg.closed or pg.broken:
        return True
    try:
        readable, _, _ = select.select([pg.fileno()], [], [], 0)
    except (OSError, ValueError, psycopg.Error):
        return True
    return bool(readable)


def checked(pg: psycopg.Connection[Any]) -> None:
    """The connection was checked: what it was told is answered."""
    _told.discard(pg)


def _idle_limit() -> int:
    text = os.environ.get("SPEND_PG_IDLE", "").strip()
    return int(text) if text.isdigit() else 8


def checkout(url: str, schema: str) -> Pair | None:
    """The freshest pair kept for this authority, if any (taken out: nobody else gets it)."""
    with _idle_lock:
        for index in range(len(_idle) - 1, -1, -1):
            if _idle[index][0] == (url, schema):
                return _idle.pop(index)[1]
    return None


def park(url: str, schema: str, pg: psycopg.Connection[Any], arrow: Any) -> bool:
    """Keep a connection for the next piece of work, if it is sound and not inside a
    transaction (a write that did not end is never handed on)."""
    if pg.closed or pg.broken or pg.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        return False
    limit = _idle_limit()
    if limit == 0:
        return False
    with _idle_lock:
        _idle.append(((url, schema), (pg, arrow)))
        dropped = [pair for _, pair in _idle[:-limit]]
        del _idle[:-limit]
    for pair in dropped:
        close_both(*pair)
    return True


def close_both(pg: psycopg.Connection[Any] | None, arrow: Any) -> None:
    if arrow is not None:
        with contextlib.suppress(Exception):
            arrow.close()
    if pg is not None:
        with contextlib.suppress(Exception):
            pg.close()


def close_idle() -> None:
    """Close every connection kept idle (a test, or a process about to swap schemas)."""
    with _idle_lock:
        kept = [pair for _, pair in _idle]
        _idle.clear()
    for pair in kept:
        close_both(*pair)


def _forget_after_fork() -> None:
    # The parent's sockets: closing them here would end the parent's sessions.
    global _idle_lock
    _idle_lock = threading.Lock()  # it may have been held by another thread at the fork
    _inherited.extend(pair for _, pair in _idle)
    _idle.clear()


os.register_at_fork(after_in_child=_forget_after_fork)
atexit.register(close_idle)  # closed cleanly, before the interpreter takes the drivers apart
