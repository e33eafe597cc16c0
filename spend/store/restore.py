"""Putting a backup back, and starting a database again, each after a backup of what is there.

Both refuse to act on a file that a running dashboard uses for a reset, and both work on a file
that no longer opens (destroyed, truncated): there is then nothing to save first.
"""

from collections.abc import Callable
from pathlib import Path

import duckdb

from spend.domain.access import Actor, require
from spend.store.backups import Backup, latest_backup, put_back, take_backup
from spend.store.database import StoreError, load_query, settings_keep
from spend.store.opening import connect, lock_for
from spend.store.users import live_users
from spend.store.writes import record_event


def backup_now(database: Path, reason: str) -> Backup:
    """A backup of the database as it is (the command line's `backup`)."""
    con = connect(database)
    try:
        return take_backup(con, database, reason, settings_keep(con))
    finally:
        con.close()


def _save_what_is_there(database: Path, reason: str) -> Backup | None:
    """A backup of the current file when it still opens; None when it does not (or is absent)."""
    if not database.exists():
        return None
    try:
        return backup_now(database, reason)
    except StoreError:
        return None


def restore(
    database: Path, backup: Path | None = None, *, actor: Actor
) -> tuple[Path, Backup | None]:
    """Put `backup` (the latest when None) in place of the database; returns the backup used
    and the backup taken of the replaced file (None when it did not open).

    The journal keeps its history: the entries the replaced file had beyond the backup's are
    carried over, and the restore is journaled.
    """
    require(actor, "restore")
    if backup is None:
        found = latest_backup(database)
        if found is None:
            raise StoreError(f"Aucune sauvegarde de la base {database} n'a été trouvée.")
        backup = found.path
    if not backup.is_file():
        raise StoreError(f"Sauvegarde introuvable : {backup}.")
    _check_readable(backup)
    with lock_for(database):  # no other thread of this process between the backup and the swap
        safety = _save_what_is_there(database, "avant restauration")
        put_back(backup, database)
        # Opened now: an older backup is brought to the current schema, and the history kept.
        con = connect(database)
        try:
            if safety is not None:
                _carry_journal_over(con, safety.path)
            record_event(
                con,
                actor=actor,
                action="restore",
                source="restauration",
                detail=f"sauvegarde {backup.name} remise en place",
            )
        finally:
            con.close()
    return backup, safety


def _carry_journal_over(con: duckdb.DuckDBPyConnection, replaced: Path) -> None:
    cursor = con.cursor()
    try:
        cursor.execute(
            f"attach '{str(replaced).replace(chr(39), chr(39) * 2)}' as replaced (read_only)"
        )
        try:
            cursor.execute(load_query("carry_journal_over"))
        finally:
            cursor.execute("detach replaced")
    finally:
        cursor.close()


def reset(
    database: Path, fill: Callable[[duckdb.DuckDBPyConnection], None] | None
) -> Backup | None:
    """Start the database again (then `fill` it), after a backup; never under a dashboard."""
    users = live_users(database)
    if users:
        raise StoreError(
            f"La base {database} est utilisée par le tableau de bord (processus "
            f"{', '.join(map(str, users))}) : arrêtez-le avant de la recréer, ou restaurez "
            "une sauvegarde (python -m spend restore)."
        )
    safety = _save_what_is_there(database, "avant reinitialisation")
    for path in (database, database.with_name(f"{database.name}.wal")):
        path.unlink(missing_ok=True)
    con = connect(database)
    try:
        if fill is not None:
            fill(con)
    finally:
        con.close()
    return safety


def _check_readable(backup: Path) -> None:
    try:
        duckdb.connect(str(backup), read_only=True).close()
    except duckdb.Error:
        raise StoreError(
            f"La sauvegarde {backup} ne s'ouvre pas (fichier endommagé ?) : choisissez-en une "
            "autre (python -m spend backups --db …)."
        ) from None
