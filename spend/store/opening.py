"""Opening the database file: waiting for another process's write, saying in French what is
wrong with a file that does not open, and bringing its schema up to date after a backup.

Several processes share one file (the dashboard, a nightly import from the command line):
DuckDB lets one process at a time hold it, so every user holds it only for what it does
(`session`), and a process that finds it taken waits a little, then says so.
"""

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from spend.store.backups import take_backup
from spend.store.damage import damaged
from spend.store.database import StoreError, database_path, settings_keep
from spend.store.schema import LATEST, apply_migrations, pending, schema_version

LOCK_WAIT_S = 15.0  # how long to wait for another process's write before saying so
_locks: dict[Path, threading.RLock] = {}
_locks_guard = threading.Lock()


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database file, up to date; read-only when the file
    cannot be written (the connection says so: `is_read_only`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(path)
    try:
        _up_to_date(con, path)
    except BaseException:
        con.close()
        raise
    return con


@contextlib.contextmanager
def session(
    path: Path, on_create: Callable[[duckdb.DuckDBPyConnection], None] | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database for one piece of work, then released for the other processes.

    Threads of one process (the dashboard's sessions) take turns: DuckDB refuses two
    connections of different kinds to one file in one process. `on_create` fills a file that
    this session creates (the seed, for the dashboard's first run).
    """
    with lock_for(path):
        is_new = not path.exists()
        con = connect(path)
        try:
            if is_new and on_create is not None:
                on_create(con)
            yield con
        finally:
            con.close()


def lock_for(path: Path) -> threading.RLock:
    with _locks_guard:
        return _locks.setdefault(path.resolve(), threading.RLock())


def is_read_only(con: duckdb.DuckDBPyConnection) -> bool:
    cursor = con.cursor()
    try:
        rows = cursor.sql(
            "select readonly from duckdb_databases() where database_name = current_database()"
        ).fetchall()
    finally:
        cursor.close()
    return bool(rows and rows[0][0])


def lock_wait() -> float:
    """Seconds to wait for another process (SPEND_LOCK_WAIT_S overrides the default)."""
    try:
        return max(0.0, float(os.environ.get("SPEND_LOCK_WAIT_S", LOCK_WAIT_S)))
    except ValueError:
        return LOCK_WAIT_S


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    wait = lock_wait()
    deadline = time.monotonic() + wait
    pause = 0.02
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.IOException as error:
            text = str(error)
            if "lock" in text.lower() and time.monotonic() < deadline:
                time.sleep(pause)
                pause = min(pause * 2, 0.5)
                continue
            if "lock" in text.lower():
                raise StoreError(
                    f"La base {path} est occupée par un autre programme (un import en cours ?) "
                    f"depuis plus de {wait:.0f} s : réessayez dans un instant."
                ) from None
            if _cannot_write(text):
                return _open_read_only(path)
            if "no space left" in text.lower():
                raise StoreError(DISK_FULL.format(path=path)) from None
            raise StoreError(damaged(path, text)) from None
        except duckdb.Error as error:
            raise StoreError(damaged(path, str(error))) from None


def _cannot_write(text: str) -> bool:
    lowered = text.lower()
    return "permission denied" in lowered or "read-only file system" in lowered


def _open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise StoreError(damaged(path, str(error))) from None


DISK_FULL = (
    "Le disque de la base {path} est plein : rien n'a été enregistré. Libérez de la place "
    "(les sauvegardes anciennes du dossier des sauvegardes, par exemple) puis réessayez."
)


def bring_up_to_date(con: duckdb.DuckDBPyConnection) -> None:
    """Any connection (an in-memory one too) at the latest schema."""
    _up_to_date(con, database_path(con) or Path(":memory:"))


def _up_to_date(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Bring the file to the latest schema, after a backup when it already held data."""
    version = schema_version(con)
    if version > LATEST:
        raise StoreError(
            f"La base {path} a été écrite par une version plus récente du tableau de bord "
            f"(schéma n° {version}) ; cette version lit jusqu'au schéma n° {LATEST} : mettez "
            "à jour le tableau de bord avant d'ouvrir cette base."
        )
    steps = pending(version)
    if not steps:
        return
    if is_read_only(con):
        raise StoreError(
            f"La base {path} est en lecture seule et date d'une version antérieure (schéma "
            f"n° {version}) : donnez le droit d'écrire pour qu'elle soit mise à jour."
        )
    if version > 0 and database_path(con) is not None:
        take_backup(con, path, f"avant migration {version}-{LATEST}", settings_keep(con))
    try:
        apply_migrations(con, steps, first=version)
    except duckdb.Error as error:
        raise StoreError(
            f"La mise à jour du schéma de la base {path} a échoué ; la base est restée telle "
            f"qu'elle était. Détail : {str(error).splitlines()[0][:200]}"
        ) from None
