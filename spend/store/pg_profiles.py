"""What the dashboard reads of every authority of the server before a person chooses one: its
name (setting `collectivity_name`) and the access rules saved on its Administration page.

Read through one connection for all of them (the schema as search path, then the same two
queries as `store.query`): opening each authority as a session (a connection, the migration
check, the Arrow driver) costs a tenth of a second or more, and a server holds hundreds. An
authority whose schema is not at the latest version is read through its own session, which
brings it up to date first.
"""

import logging
from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg import sql as pgsql

from spend.store.backend import checked_authority
from spend.store.database import StoreError, load_query
from spend.store.postgres import postgres_form, server
from spend.store.schema import LATEST

Profile = tuple[str, list[tuple[str, str, str]], dict[str, str]] | tuple[str, None, None]


def read_profiles(url: str, authorities: list[str]) -> Iterator[Profile]:
    """(authority, saved rules as (kind, name, role), settings) for each; (authority, None,
    None) for one that must be opened on its own (not at the latest schema). An id that is no
    valid authority is left out (with a warning), never an error for the whole list."""
    rules_query = postgres_form(load_query("read_access_rules"))
    settings_query = postgres_form(load_query("read_settings"))
    version_query = postgres_form(load_query("read_schema_version"))
    with server(url) as pg:
        for authority in authorities:
            try:
                schema = checked_authority(authority)
            except StoreError:  # not an authority: left out, the others still read
                logging.getLogger("spend").warning(
                    "Collectivité %r ignorée : identifiant invalide.", authority
                )
                continue
            try:
                pg.execute(pgsql.SQL("set search_path to {}").format(pgsql.Identifier(schema)))
                if int(_rows(pg, version_query)[0][0]) != LATEST:
                    yield authority, None, None
                    continue
                rules = [(str(k), str(n), str(r)) for k, n, r in _rows(pg, rules_query)]
                settings = {str(k): str(v) for k, v in _rows(pg, settings_query)}
            except psycopg.Error:
                yield authority, None, None
                continue
            yield authority, rules, settings


def _rows(pg: psycopg.Connection[Any], query: str) -> list[tuple[Any, ...]]:
    """A query without parameters: its text is sent as it is."""
    return pg.execute(query.encode("utf-8")).fetchall()
