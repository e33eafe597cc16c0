"""Which store a process uses: the embedded DuckDB file, or the PostgreSQL server named by
`SPEND_DATABASE_URL` (`postgresql://…`), and on it which authority (a schema).

The authority is chosen by `--authority ID` on the command line (which sets
`SPEND_AUTHORITY` for the process), else `SPEND_AUTHORITY`, else `principale`.
"""

import os
import re

from spend.store.database import StoreError

DEFAULT_AUTHORITY = "principale"
# A schema name that needs no quoting and is none of PostgreSQL's own.
_AUTHORITY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_RESERVED = ("pg_", "information_schema", "public")


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


def authority() -> str:
    """The authority this process works for (checked: a schema name of ours)."""
    return checked_authority(os.environ.get("SPEND_AUTHORITY", "").strip() or DEFAULT_AUTHORITY)


def checked_authority(name: str) -> str:
    if not _AUTHORITY.match(name) or name.startswith(_RESERVED):
        raise StoreError(
            f"Identifiant de collectivité « {name} » refusé : des minuscules sans accent, des "
            "chiffres et « _ », commençant par une lettre, 40 caractères au plus (ni « pg_… », "
            "ni « public »)."
        )
    return name


def is_postgres(con: object) -> bool:
    """A connection to the PostgreSQL store (else a DuckDB one): it says so itself, so that the
    DuckDB modules ask without importing the PostgreSQL driver."""
    return bool(getattr(con, "is_postgres", False))
