"""Backups of an authority on the PostgreSQL server, with PostgreSQL's own tools.

`backup` runs `pg_dump` of the authority's schema (custom format) into its folder of backups
(`SPEND_PG_BACKUP_DIR`, else data/sauvegardes-postgresql/, one sub-folder per authority).
`restore` first dumps the schema as it is (the safety backup), then runs `pg_restore --clean
--single-transaction` while holding the authority's write lock: the old tables are dropped and
the backup's loaded in one transaction of the server (all of it or nothing, no write of another
process in between: it waits for the lock), then brings the schema up to date and journals the
restore.
"""

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

from spend.domain.access import Actor
from spend.paths import ROOT
from spend.store.backend import checked_authority
from spend.store.database import StoreError
from spend.store.postgres import connect, server_name
from spend.store.writes import record_event


def backup_root() -> Path:
    named = os.environ.get("SPEND_PG_BACKUP_DIR", "").strip()
    return Path(named) if named else ROOT / "data" / "sauvegardes-postgresql"


def backup_folder(authority: str) -> Path:
    return backup_root() / checked_authority(authority)


def tool(name: str) -> str:
    """pg_dump / pg_restore: Debian's PostgreSQL 15 first (SPEND_PG_BIN), else the PATH's."""
    folder = Path(os.environ.get("SPEND_PG_BIN", "/usr/lib/postgresql/15/bin"))
    if (folder / name).exists():
        return str(folder / name)
    found = shutil.which(name)
    if found is None:
        raise StoreError(
            f"{name} introuvable (paquet postgresql-client) : aucune sauvegarde n'a été faite."
        )
    return found


def list_backups(authority: str) -> list[Path]:
    """The authority's backups, the newest first."""
    folder = backup_folder(authority)
    return sorted(folder.glob("*.dump"), reverse=True) if folder.exists() else []


def backup(url: str, authority: str, reason: str) -> Path:
    """`pg_dump` of the authority's schema; the file's path."""
    folder = backup_folder(authority)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{authority}-{stamp}-{_slug(reason)}.dump"
    done = subprocess.run(
        [tool("pg_dump"), "--format=custom", f"--schema={authority}", f"--file={target}", url],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        raise StoreError(
            f"pg_dump de la collectivité « {authority} » ({server_name(url)}) a échoué, aucune "
            f"sauvegarde n'a été faite : {_first_line(done.stderr)}"
        )
    return target


def restore(url: str, authority: str, file: Path | None, *, actor: Actor) -> tuple[Path, Path]:
    """Put a backup (the latest by default) in place of the authority's schema; returns the
    backup used and the safety backup of the schema it replaced."""
    chosen = file or next(iter(list_backups(authority)), None)
    if chosen is None or not chosen.exists():
        raise StoreError(
            f"Aucune sauvegarde de la collectivité « {authority} » dans {backup_folder(authority)}"
            " : rien n'a été restauré."
        )
    con = connect(url, authority, create=False)
    try:
        con.execute("begin transaction")  # the authority's write lock, held until the swap ends
        safety = backup(url, authority, "avant restauration")
        done = subprocess.run(
            [
                tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--no-owner",
                f"--schema={authority}",
                f"--dbname={url}",
                str(chosen),
            ],
            capture_output=True,
            text=True,
        )
        con.execute("rollback")  # releases the lock; nothing was written through `con`
        if done.returncode != 0:
            raise StoreError(
                f"La restauration de « {authority} » depuis {chosen.name} a échoué ; la "
                f"collectivité est restée telle qu'elle était : {_first_line(done.stderr)}"
            )
    finally:
        con.close()
    with connect(url, authority, create=False) as after:  # brought up to date
        # The PostgreSQL connection answers the store's calls (postgres.py).
        record_event(
            after,  # type: ignore[arg-type]  # answers as DuckDB
            actor=actor,
            action="restore",
            source="restauration",
            detail=chosen.name,
        )
    return chosen, safety


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:40]


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0][:300] if lines else "sans détail"
