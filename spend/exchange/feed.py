"""The calendar feed's address: off by default, turned on by an administrator, revocable.

Turning it on makes a random token (256 bits) shown once; the database keeps only its SHA-256,
so neither a copy of the file nor a backup gives the address away. One address is active at a
time: a new one revokes the one before. The feed server answers only a token whose hash is the
active one's.
"""

import datetime as dt
import hashlib
import re
import secrets

import duckdb
import polars as pl

from spend.domain.access import Actor
from spend.store.database import load_query, query
from spend.store.journal import append, event
from spend.store.writes import transaction

# What a token looks like in an address (token_urlsafe's alphabet): anything else is refused
# before the database is read.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,128}")
FEED_PATH = "/calendrier/{token}.ics"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def turn_on(con: duckdb.DuckDBPyConnection, *, actor: Actor) -> str:
    """A new feed address's token (the earlier one revoked); shown once, kept only hashed."""
    token = secrets.token_urlsafe(32)
    now = _now()
    with transaction(
        con,
        actor=actor,
        action="settings",
        source="flux du calendrier",
        detail="nouvelle adresse",
        backup=False,
    ) as (cursor, write):
        cursor.execute(
            load_query("revoke_feed_tokens"), {"revoked_at": now, "revoked_by": actor.name}
        )
        cursor.execute(
            load_query("insert_feed_token"),
            {"token_hash": token_hash(token), "created_at": now, "created_by": actor.name},
        )
        detail = "flux du calendrier : nouvelle adresse (la précédente est révoquée)"
        append(cursor, event(write, detail), load_query("append_journal"))
    return token


def turn_off(con: duckdb.DuckDBPyConnection, *, actor: Actor) -> None:
    """Revoke the active address: the feed is refused until a new one is made."""
    with transaction(
        con,
        actor=actor,
        action="settings",
        source="flux du calendrier",
        detail="adresse révoquée",
        backup=False,
    ) as (cursor, write):
        cursor.execute(
            load_query("revoke_feed_tokens"), {"revoked_at": _now(), "revoked_by": actor.name}
        )
        append(
            cursor,
            event(write, "flux du calendrier : adresse révoquée, flux coupé"),
            load_query("append_journal"),
        )


def is_allowed(con: duckdb.DuckDBPyConnection, token: str) -> bool:
    """Whether `token` is the active feed address's (never when the feed is off)."""
    if not TOKEN_SHAPE.fullmatch(token):
        return False
    found = query(con, "feed_token_active", token_hash=token_hash(token))
    return int(found["matches"][0]) == 1


def feed_tokens(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every address made, the active one first: when, by whom, revoked when and by whom."""
    return query(con, "read_feed_tokens").drop("token_hash")
