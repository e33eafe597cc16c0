"""Opening the database file: waiting for another process's write, saying in French what is
wrong with a file that does not open, and bringing its schema up to date after a backup.

Several processes share one file (the dashboard, a nightly import from the command line):
DuckDB lets one process at a time hold it, so every user holds it only for what it does
(`session`), and a process that finds it taken waits a little, then says so.

Only `init` creates a database (`connect(path, create=True)`): the dashboard and the reading
commands refuse a file that is not there, naming the latest backup and the command that puts it
back, so that a moved or deleted file is never silently replaced by an empty or seeded one. An
import (or a library caller) may start an empty file only in a fresh place, never where backups
of an earlier database lie.

A restore takes the operating-system lock `<name>.verrou` beside the database exclusively, for
its safety backup, its checks and the swap; every opening here takes it shared while it opens,
so no process opens the file being replaced (it waits, then says so in French). A connection
made before the restore holds DuckDB's own lock on the file, which the restore's safety backup
waits for: the writes made through it are in that backup, and in the journal carried over.
"""

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from spend.store.backend import authority, database_url, is_postgres
from spend.store.backups import backup_dir, latest_backup, lineage_of, new_lineage, take_backup
from spend.store.connections import open_duckdb
from spend.store.damage import damaged
from spend.store.database import StoreError, database_path, execute, settings_keep
from spend.store.schema import LATEST, apply_migrations, pending, schema_version


class StoreBusy(StoreError):  # noqa: N818 (reads as what happened)
    """The file is held by another process beyond the wait: nothing was done."""


LOCK_WAIT_S = 15.0  # how long to wait for another process's write before saying so
_locks: dict[Path, threading.RLock] = {}
_locks_guard = threading.Lock()


def connect(path: Path, *, create: bool | None = None) -> duckdb.DuckDBPyConnection:
    """Open the database file, up to date; read-only when the file cannot be written (the
    connection says so: `is_read_only`).

    A missing file is created with `create=True` (`init`), refused with `create=False` (the
    dashboard, the command line's reading commands), and by default created only in a fresh
    place: never where backups of an earlier database lie (a library caller, a first import).
    """
    if (url := database_url()) is not None:  # PostgreSQL instead of the file: postgres.py
        from spend.store import postgres

        return postgres.connect(url, authority(), create=create)  # type: ignore[return-value]  # answers as DuckDB
    if not path.exists():
        if create is False or (create is None and backup_dir(path).exists()):
            raise StoreError(missing(path))
        path.parent.mkdir(parents=True, exist_ok=True)
    with shared_lock(path):
        con = _open(path)
        try:
            _up_to_date(con, path)
            set_identity(con)
        except duckdb.Error as error:
            con.close()
            raise StoreError(damaged(path, str(error))) from None
        except BaseException:
            con.close()
            raise
    return con


def missing(path: Path) -> str:
    """What to say of a database file that is not there (nothing is created in its place)."""
    backup = latest_backup(path)
    if backup is not None:
        return (
            f"La base {path} est introuvable : elle n'a pas été recréée, pour ne rien écrire à "
            f"la place de vos données. Dernière sauvegarde : {backup.name} "
            f"({backup.taken_at:%d/%m/%Y à %H:%M}) ; pour la remettre en place, avec les "
            f"écritures faites depuis : python -m spend restore --db {path}"
        )
    return (
        f"La base {path} est introuvable, et aucune sauvegarde n'a été trouvée à côté d'elle "
        f"({backup_dir(path)}). Si elle a été déplacée, remettez-la en place ; pour créer une "
        f"base nouvelle : python -m spend init --db {path}"
    )


def set_identity(con: duckdb.DuckDBPyConnection) -> None:
    """Give a writable database its identity (its lineage) when it has none yet."""
    if is_read_only(con) or lineage_of(con):
        return
    execute(con, "upsert_setting", key="database_id", value=new_lineage())


@contextlib.contextmanager
def session(
    path: Path, on_create: Callable[[duckdb.DuckDBPyConnection], None] | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database for one piece of work, then released for the other processes.

    Threads of one process (the dashboard's sessions) take turns: DuckDB refuses two
    connections of different kinds to one file in one process. A missing file is refused
    (`missing`); with `on_create`, it is created and filled (`init` only).
    """
    if (url := database_url()) is not None:  # PostgreSQL instead of the file: postgres.py
        from spend.store import postgres

        with postgres.session(url, authority(), on_create) as pg:  # type: ignore[arg-type]  # answers as DuckDB
            yield pg  # type: ignore[misc]  # answers as DuckDB (postgres.py)
        return
    with lock_for(path):
        is_new = not path.exists()
        con = connect(path, create=on_create is not None)  # never by default
        try:
            if is_new and on_create is not None:
                on_create(con)
            yield con
        finally:
            con.close()


def lock_for(path: Path) -> threading.RLock:
    with _locks_guard:
        return _locks.setdefault(path.resolve(), threading.RLock())


def lock_file(path: Path) -> Path:
    return path.with_name(f"{path.name}.verrou")


_exclusive: set[tuple[Path, int]] = set()  # (database, thread) holding the restore lock


@contextlib.contextmanager
def shared_lock(path: Path) -> Iterator[None]:
    """Held while a connection opens: waits for a restore of the file, then says so."""
    key = (path.resolve(), threading.get_ident())
    if key in _exclusive:
        yield  # this thread is the restore
        return
    with _os_lock(path, fcntl.LOCK_SH):
        yield


@contextlib.contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """The whole database to this thread: no process opens it meanwhile (a restore)."""
    key = (path.resolve(), threading.get_ident())
    with _os_lock(path, fcntl.LOCK_EX):
        _exclusive.add(key)
        try:
            yield
        finally:
            _exclusive.discard(key)


@contextlib.contextmanager
def _os_lock(path: Path, kind: int) -> Iterator[None]:
    try:
        handle = os.open(lock_file(path), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield  # a read-only folder: nothing can be restored or written there anyway
        return
    try:
        wait = lock_wait()
        deadline = time.monotonic() + wait
        pause = 0.02
        while True:
            try:
                fcntl.flock(handle, kind | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        f"La base {path} est en cours de restauration (ou de remplacement) par "
                        f"un autre programme depuis plus de {wait:.0f} s : rien n'a été lu ni "
                        "écrit ; réessayez dans un instant."
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.5)
        yield
    finally:
        os.close(handle)  # releases the lock


def is_read_only(con: duckdb.DuckDBPyConnection) -> bool:
    if is_postgres(con):  # the server's rights apply: a refused write says so
        return False
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
            return open_duckdb(path, allowed=[backup_dir(path)])
        except duckdb.IOException as error:
            text = str(error)
            if "lock" in text.lower() and time.monotonic() < deadline:
                time.sleep(pause)
                pause = min(pause * 2, 0.5)
                continue
            if "lock" in text.lower():
                raise StoreBusy(
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
        return open_duckdb(path, read_only=True, allowed=[backup_dir(path)])
    except duckdb.Error as error:
        raise StoreError(damaged(path, str(error))) from None


DISK_FULL = (
    "Le disque de la base {path} est plein : rien n'a été enregistré. Libérez de la place "
    "(les sauvegardes anciennes du dossier des sauvegardes, par exemple) puis réessayez."
)


def bring_up_to_date(con: duckdb.DuckDBPyConnection) -> None:
    """Any connection (an in-memory one too) at the latest schema."""
    _up_to_date(con, database_path(con) or Path(":memory:"))


def _has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    cursor = con.cursor()
    try:
        return bool(cursor.sql("select 1 from duckdb_tables() where not internal").fetchall())
    finally:
        cursor.close()


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
    if version == 0 and path.exists() and database_path(con) is not None and _has_tables(con):
        raise StoreError(
            f"Le fichier {path} est une base DuckDB, mais pas une base du tableau de bord (ses "
            "tables ne sont pas les nôtres) : rien n'y a été écrit."
        )
    try:
        apply_migrations(con, steps, first=version)
    except duckdb.Error as error:
        raise StoreError(
            f"La mise à jour du schéma de la base {path} a échoué ; la base est restée telle "
            f"qu'elle était. Détail : {str(error).splitlines()[0][:200]}"
        ) from None
