"""Which store a process uses: the embedded DuckDB file, or the PostgreSQL server named by
`SPEND_DATABASE_URL` (`postgresql://…`), and on it which authority (a schema).

The authority is chosen by `--authority ID` on the command line (which sets
`SPEND_AUTHORITY` for the process), else `SPEND_AUTHORITY`, else `principale`.

A dashboard serving every authority of the server works inside a scope (`enter_scope`): the
authority its visitor chose and the set their rules let them use. The scope is a context
variable, so each script run (a thread) has its own; `authority()` then answers the scope's
authority, and refuses, in French, one outside the set: whatever a page asks, the store never
opens an authority the person may not use.
"""

import contextlib
import contextvars
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from spend.store.database import StoreError

DEFAULT_AUTHORITY = "principale"
# A schema name that needs no quoting and is none of PostgreSQL's own.
_AUTHORITY = re.compile(r"[a-z][a-z0-9_]{0,39}")  # fullmatch: « $ » allows a final newline
_RESERVED = frozenset({"information_schema", "public"})  # and every « pg_… » name


def database_url() -> str | None:
    """The PostgreSQL server to use (None: the embedded file)."""
    url = os.environ.get("SPEND_DATABASE_URL", "").strip()
    if not url:
        return None
    if not url.startswith(("postgresql://", "postgres://")):
        raise StoreError(
            f"SPEND_DATABASE_URL doit commencer par postgresql:// (reçu : « {url[:40]} ») : "
            "rien n'a été ouvert."
        )
    return url


@dataclass(frozen=True)
class AuthorityScope:
    """The authority a dashboard's run works on, and every authority its visitor may use."""

    chosen: str
    allowed: frozenset[str]


_scope: contextvars.ContextVar[AuthorityScope | None] = contextvars.ContextVar(
    "spend_authority_scope", default=None
)


def enter_scope(chosen: str, allowed: Iterable[str]) -> None:
    """From here on in this context (a script run's thread), the store works on `chosen`, and
    only if it is in `allowed` (checked at each opening, not here)."""
    _scope.set(AuthorityScope(chosen, frozenset(allowed)))


def leave_scope() -> None:
    """No authority chosen in this context: the store refuses every authority until one is."""
    _scope.set(AuthorityScope("", frozenset()))


@contextlib.contextmanager
def scope(chosen: str, allowed: Iterable[str]) -> Iterator[None]:
    """`enter_scope` for a block, then the context as it was."""
    token = _scope.set(AuthorityScope(chosen, frozenset(allowed)))
    try:
        yield
    finally:
        _scope.reset(token)


_scope_required: list[Callable[[], bool]] = []


def require_scope_when(needed: Callable[[], bool]) -> None:
    """Where `needed()` is true (the dashboard: inside a script run, its callbacks included),
    no scope means no authority at all, never SPEND_AUTHORITY's: fails closed."""
    if needed not in _scope_required:
        _scope_required.append(needed)


def current_scope() -> AuthorityScope | None:
    """The scope of this context; None outside any (the command line)."""
    return _scope.get()


def authority() -> str:
    """The authority this process works for (checked: a schema name of ours): the scope's,
    which must be one its visitor may use, else `SPEND_AUTHORITY`'s."""
    within = _scope.get()
    if within is None and any(needed() for needed in _scope_required):
        within = AuthorityScope("", frozenset())
    if within is None:
        return checked_authority(os.environ.get("SPEND_AUTHORITY", "").strip() or DEFAULT_AUTHORITY)
    if not within.chosen:
        raise StoreError(
            "Aucune collectivité n'est choisie pour cette session : rien n'a été lu ni écrit."
        )
    if within.chosen not in within.allowed:
        raise StoreError(
            f"Collectivité « {within.chosen[:40]} » refusée : vous n'avez aucun droit sur elle. "
            "Rien n'a été lu ni écrit."
        )
    return checked_authority(within.chosen)


def checked_authority(name: str) -> str:
    if not _AUTHORITY.fullmatch(name) or name.startswith("pg_") or name in _RESERVED:
        raise StoreError(
            f"Identifiant de collectivité « {name} » refusé : des minuscules sans accent, des "
            "chiffres et « _ », commençant par une lettre, 40 caractères au plus (ni « pg_… », "
            "ni « public »)."
        )
    return name


_stray_schemas: set[str] = set()


def authority_ids(schemas: Iterable[str]) -> list[str]:
    """The valid authority ids among `schemas`. Another name (a copy « Arras_Copie » a DBA kept
    by hand, holding our tables) is no authority: left out, with a warning logged once per
    process, never an error that would refuse every visitor."""
    found = []
    for schema in schemas:
        try:
            found.append(checked_authority(schema))
        except StoreError:
            if schema not in _stray_schemas:
                _stray_schemas.add(schema)
                logging.getLogger("spend").warning(
                    "Schéma %r ignoré : il contient une table schema_version mais son nom n'est "
                    "pas un identifiant de collectivité valide.",
                    schema,
                )
    return found


def is_postgres(con: object) -> bool:
    """A connection to the PostgreSQL store (else a DuckDB one): it says so itself, so that the
    DuckDB modules ask without importing the PostgreSQL driver."""
    return bool(getattr(con, "is_postgres", False))
