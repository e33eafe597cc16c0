"""Putting a backup back, and starting a database again, each after a backup of what is there.

A restore is one exclusive act: it holds the database's operating-system lock (`exclusive_lock`)
from its safety backup to the swap, so no other process opens or writes the file meanwhile. The
file to restore is copied beside the database and checked there (only our tables, columns and
types, a schema version this release knows, nothing else), brought up to date, given the
writes of the write log after it when asked, and the journal entries of the replaced file;
the restore is journaled in it; it is copied to the backups; only then is it renamed over the
database. A crash at any moment leaves the old file or the new one whole, each with its
journal. Both refuse to act on a file that a running dashboard uses for a reset, and both work
on a file that no longer opens (destroyed, truncated): there is then nothing to save first.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from spend.domain.access import Actor, require
from spend.store import backups as backups_
from spend.store.backups import TEMPORARY, Backup, backup_dir, copy_file, put_back, take_backup
from spend.store.connections import literal, open_duckdb
from spend.store.database import StoreError, budget_mb, load_query, settings_keep
from spend.store.opening import StoreBusy, connect, exclusive_lock, lock_for, set_identity
from spend.store.schema import apply_migrations, pending, restorable_problem
from spend.store.users import live_users
from spend.store.writelog import carry_entries, read_log, replay, suspended
from spend.store.writes import record_event


def backup_now(database: Path, reason: str) -> Backup:
    """A backup of the database as it is (the command line's `backup`)."""
    con = connect(database, create=False)
    try:
        return take_backup(con, database, reason, settings_keep(con), budget_mb(con))
    finally:
        con.close()


def _save_what_is_there(database: Path, reason: str) -> Backup | None:
    """A backup of the current file when it still opens; None when it does not (or is absent).
    A file another process holds is not a file that does not open: the restore stops."""
    if not database.exists():
        return None
    try:
        return backup_now(database, reason)
    except StoreBusy:
        raise
    except StoreError:
        return None


def restore(
    database: Path, backup: Path | None = None, *, actor: Actor, until: int | None = None
) -> tuple[Path, Backup | None]:
    """Put a backup in place of the database; returns the backup used and the backup taken of
    the replaced file (None when it did not open).

    Without `backup`: the last state recorded, the newest full copy with the write log replayed
    after it (up to write `until` when given). With `backup`: that copy as it was (with the log
    after it up to `until`, when given). The journal keeps its history: the entries the
    replaced file had beyond the restored one's are carried over, and the restore is journaled.
    """
    require(actor, "restore")
    prepared = database.with_name(f"{TEMPORARY}{database.name}")
    with lock_for(database), exclusive_lock(database):
        base, records = _plan(database, backup, until)
        _remove(prepared)
        try:
            copy_file(base, prepared)
            version = _check(prepared, base)
            safety = _save_what_is_there(database, "avant restauration")
            _prepare(prepared, database, version, records, safety, actor, base)
            put_back(prepared, database)
        finally:
            _remove(prepared)
    return base, safety


def _plan(database: Path, backup: Path | None, until: int | None) -> tuple[Path, list[Any]]:
    """The full copy to start from, and the logged writes to replay after it."""
    chosen: Backup | None
    if backup is None:
        newest = backups_.latest_backup(database)
        if newest is None:
            raise StoreError(f"Aucune sauvegarde de la base {database} n'a été trouvée.")
        chosen, replay_all = newest, True
    else:
        if not backup.is_file():
            raise StoreError(f"Sauvegarde introuvable : {backup}.")
        chosen = (
            backups_.parse_backup(backup, database.stem)
            if backup.parent == backup_dir(database)
            else None
        )
        replay_all = False
        if chosen is None:
            return backup, []
    if not chosen.lineage or chosen.last_write < 0 or (not replay_all and until is None):
        return chosen.path, []
    records = [
        r
        for r in read_log(database, chosen.lineage)
        if r["write_id"] > chosen.last_write and (until is None or r["write_id"] <= until)
    ]
    return chosen.path, records


def _check(prepared: Path, backup: Path) -> int:
    """The copy's schema version, or a French refusal (the database is left untouched)."""
    try:
        con = open_duckdb(prepared, read_only=True)
    except duckdb.Error:
        raise StoreError(
            f"La sauvegarde {backup} ne s'ouvre pas (fichier endommagé, ou pas une base "
            "DuckDB) : rien n'a été remplacé ; choisissez-en une autre (python -m spend backups "
            "--db …)."
        ) from None
    try:
        version, problem = restorable_problem(con)
    except duckdb.Error as error:
        version, problem = 0, f"elle ne se lit pas ({str(error).splitlines()[0][:120]})"
    finally:
        con.close()
    if problem is not None:
        raise StoreError(
            f"Restauration refusée : le fichier {backup} n'est pas une sauvegarde que ce tableau "
            f"de bord peut remettre en place : {problem}. La base n'a pas été modifiée."
        )
    return version


def _prepare(
    prepared: Path,
    database: Path,
    version: int,
    records: list[Any],
    safety: Backup | None,
    actor: Actor,
    base: Path,
) -> None:
    """Everything the restored file needs, done in the copy before it replaces the database."""
    con = open_duckdb(prepared, allowed=[backup_dir(database)])
    try:
        steps = pending(version)
        if steps:
            apply_migrations(con, steps, first=version)
        set_identity(con)
        if records:
            cursor = con.cursor()
            try:
                replay(cursor, records)
            finally:
                cursor.close()
        if safety is not None:
            _carry_journal_over(con, safety.path)
        else:  # the replaced file is gone: its later history is in the write log
            _carry_logged_entries(con, database)
        detail = f"sauvegarde {base.name} remise en place"
        if records:
            detail += f", et {len(records)} écriture(s) du journal des sauvegardes après elle"
        with suspended():
            record_event(con, actor=actor, action="restore", source="restauration", detail=detail)
        # The restored state is itself a full copy: the write log goes on from it.
        take_backup(con, database, "restauration", settings_keep(con), budget_mb(con))
    finally:
        con.close()


def _carry_journal_over(con: duckdb.DuckDBPyConnection, replaced: Path) -> None:
    cursor = con.cursor()
    try:
        cursor.execute(f"attach {literal(str(replaced))} as replaced (read_only)")
        try:
            cursor.execute(load_query("carry_journal_over"))
        finally:
            cursor.execute("detach replaced")
    finally:
        cursor.close()


def _carry_logged_entries(con: duckdb.DuckDBPyConnection, database: Path) -> None:
    newest = backups_.latest_backup(database)
    if newest is None or not newest.lineage:
        return
    after = backups_.last_write_of(con)
    later = [r for r in read_log(database, newest.lineage) if r["write_id"] > after]
    cursor = con.cursor()
    try:
        carry_entries(cursor, later)
    finally:
        cursor.close()


def _remove(prepared: Path) -> None:
    for path in (prepared, prepared.with_name(f"{prepared.name}.wal")):
        path.unlink(missing_ok=True)


def reset(
    database: Path, fill: Callable[[duckdb.DuckDBPyConnection], None] | None
) -> Backup | None:
    """Start the database again (then `fill` it), after a backup; never under a dashboard.
    The new database has a new identity: the old one's backups stay out of its rotation."""
    users = live_users(database)
    if users:
        raise StoreError(
            f"La base {database} est utilisée par le tableau de bord (processus "
            f"{', '.join(map(str, users))}) : arrêtez-le avant de la recréer, ou restaurez "
            "une sauvegarde (python -m spend restore)."
        )
    with lock_for(database), exclusive_lock(database):
        safety = _save_what_is_there(database, "avant reinitialisation")
        for path in (database, database.with_name(f"{database.name}.wal")):
            path.unlink(missing_ok=True)
        con = connect(database, create=True)
        try:
            if fill is not None:
                fill(con)
            take_backup(con, database, "creation", settings_keep(con), budget_mb(con))
        finally:
            con.close()
    return safety
