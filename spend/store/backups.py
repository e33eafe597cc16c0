"""Dated copies of the database kept beside it, and putting one back.

A backup is written by DuckDB itself (COPY FROM DATABASE) into a temporary file of the backups
folder, then renamed into place: a crash while copying leaves a stray temporary file, never a
damaged backup, and the older backups are only pruned after the new one is complete. A restore
replaces the database file the same way, after a backup of the file being replaced (when it
still opens), and works when that file is gone or destroyed.
"""

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

DEFAULT_KEEP = 20
TEMPORARY = ".en-cours-"  # prefix of a backup being written


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: dt.datetime
    reason: str

    @property
    def name(self) -> str:
        return self.path.name


def backup_dir(database: Path) -> Path:
    """`data/spend.duckdb` → `data/spend.sauvegardes/`."""
    return database.with_name(f"{database.stem}.sauvegardes")


def _file_name(database: Path, when: dt.datetime, reason: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in reason.lower())[:40].strip("-") or "copie"
    return f"{database.stem}-{when:%Y%m%d-%H%M%S-%f}-{slug}.duckdb"


def _parse(path: Path, stem: str) -> Backup | None:
    """A backup file's date and reason, from its name (others are not ours)."""
    name = path.name
    if not name.startswith(f"{stem}-") or not name.endswith(".duckdb"):
        return None
    parts = name[len(stem) + 1 : -len(".duckdb")].split("-", 3)
    if len(parts) < 3:
        return None
    try:
        when = dt.datetime.strptime("-".join(parts[:3]), "%Y%m%d-%H%M%S-%f")
    except ValueError:
        return None
    return Backup(path, when, parts[3] if len(parts) > 3 else "")


def list_backups(database: Path) -> list[Backup]:
    """The backups of a database, the newest first."""
    folder = backup_dir(database)
    if not folder.is_dir():
        return []
    found = [b for p in folder.iterdir() if (b := _parse(p, database.stem)) is not None]
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def latest_backup(database: Path) -> Backup | None:
    backups = list_backups(database)
    return backups[0] if backups else None


def take_backup(
    con: duckdb.DuckDBPyConnection, database: Path, reason: str, keep: int = DEFAULT_KEEP
) -> Backup:
    """A complete copy of the open database, then the oldest copies beyond `keep` removed."""
    folder = backup_dir(database)
    folder.mkdir(parents=True, exist_ok=True)
    when = dt.datetime.now()
    final = folder / _file_name(database, when, reason)
    temporary = folder / f"{TEMPORARY}{final.name}"
    temporary.unlink(missing_ok=True)
    cursor = con.cursor()
    try:
        source = cursor.sql("select current_database()").fetchall()[0][0]
        cursor.execute(f"attach '{_sql_path(temporary)}' as backup_target")
        try:
            cursor.execute(f'copy from database "{source}" to backup_target')
        finally:
            cursor.execute("detach backup_target")
    finally:
        cursor.close()
    _sync(temporary)
    os.replace(temporary, final)
    prune(database, keep)
    return Backup(final, when, reason)


def prune(database: Path, keep: int) -> None:
    """Remove the backups beyond the newest `keep`, and temporary files a crash left."""
    for old in list_backups(database)[max(keep, 1) :]:
        old.path.unlink(missing_ok=True)
    for stray in backup_dir(database).glob(f"{TEMPORARY}*"):
        stray.unlink(missing_ok=True)


def put_back(backup: Path, database: Path) -> None:
    """Replace the database file by a copy of `backup` (the caller holds no connection to it).

    The copy is made beside the database and renamed over it; the old file's write-ahead log
    is removed, or DuckDB would replay it onto the restored file.
    """
    database.parent.mkdir(parents=True, exist_ok=True)
    temporary = database.with_name(f"{TEMPORARY}{database.name}")
    shutil.copyfile(backup, temporary)
    _sync(temporary)
    wal = database.with_name(f"{database.name}.wal")
    wal.unlink(missing_ok=True)
    os.replace(temporary, database)


def _sync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
