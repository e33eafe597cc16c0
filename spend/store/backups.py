"""Full copies of the database kept beside it, and their rotation.

A backup is written by DuckDB itself (COPY FROM DATABASE) into a temporary file of the backups
folder, then renamed into place: a crash while copying leaves a stray temporary file, never a
damaged backup, and older backups are only pruned after the new one is complete.

Each database has an identity (its lineage, stored in the file) and each backup's name says
which lineage it copies and the last write it holds, and its reason, escaped to be read back
whole: `spend-20261202-101500-123456-import-x~002ecsv.3f2a9c1b7d0e-42.duckdb`. The rotation keeps
the newest copies of the database's own lineage within a count and a size budget, and never
removes the last copies of another lineage: a database made again in place of a lost one cannot
rotate away the backups of the data that was there before.
"""

import datetime as dt
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from spend.paths import QUERIES_DIR
from spend.store.connections import identifier, literal

DEFAULT_KEEP = 20
DEFAULT_BUDGET_MB = 4096  # all copies of one lineage, beyond the newest two
PREVIOUS_KEPT = 3  # copies of every other lineage that a rotation never removes
TEMPORARY = ".en-cours-"  # prefix of a backup being written
_TAIL = re.compile(r"^(.*)\.([0-9a-f]{12})-(\d+)$")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: dt.datetime
    reason: str
    lineage: str = ""  # "" for a copy named before lineages
    last_write: int = -1  # the newest write the copy holds (-1: not said by its name)

    @property
    def name(self) -> str:
        return self.path.name


def backup_dir(database: Path) -> Path:
    """`data/spend.duckdb` → `data/spend.sauvegardes/`."""
    return database.with_name(f"{database.stem}.sauvegardes")


def new_lineage() -> str:
    return secrets.token_hex(6)


def _query(name: str) -> str:
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def lineage_of(con: duckdb.DuckDBPyConnection) -> str:
    """The identity stored in the database ("" when it has none yet)."""
    cursor = con.cursor()
    try:
        rows = cursor.sql(_query("database_identity")).fetchall()
    except duckdb.CatalogException:
        return ""
    finally:
        cursor.close()
    return str(rows[0][0]) if rows else ""


def last_write_of(con: duckdb.DuckDBPyConnection) -> int:
    cursor = con.cursor()
    try:
        return int(cursor.sql(_query("last_write_id")).fetchall()[0][0])
    except duckdb.CatalogException:  # a file from before the journal
        return 0
    finally:
        cursor.close()


REASON_BYTES = 120  # of a backup's name given to its reason (names hold 255)
_ESCAPED = re.compile(r"~([0-9a-f]{4})")


def reason_in_name(reason: str) -> str:
    """A reason as part of a file name, read back whole by `reason_from_name`: letters and
    digits as they are, a space as « - », anything else as « ~hhhh » (its code point); cut
    (with « … ») beyond `REASON_BYTES`."""
    parts: list[str] = []
    used = 0
    for char in reason.strip() or "copie":
        part = char if char.isalnum() else "-" if char == " " else f"~{ord(char):04x}"
        if ord(char) > 0xFFFF:
            part = "~2026"  # beyond four hex digits: shown as « … »
        used += len(part.encode("utf-8"))
        if used > REASON_BYTES:
            parts.append("~2026")
            break
        parts.append(part)
    return "".join(parts)


def reason_from_name(text: str) -> str:
    """The reason a name holds; names written before it was escaped read with their dashes as
    spaces (« annulation-de-l-entr-e-n--43 » lost its apostrophe and « ° » then)."""
    return _ESCAPED.sub(lambda m: chr(int(m[1], 16)), text.replace("-", " "))


def _file_name(database: Path, when: dt.datetime, reason: str, lineage: str, last: int) -> str:
    slug = reason_in_name(reason)
    tail = f".{lineage}-{last}" if lineage else ""
    return f"{database.stem}-{when:%Y%m%d-%H%M%S-%f}-{slug}{tail}.duckdb"


def parse_backup(path: Path, stem: str) -> Backup | None:
    """A backup file's date, reason and lineage, from its name (others are not ours)."""
    name = path.name
    if not name.startswith(f"{stem}-") or not name.endswith(".duckdb"):
        return None
    rest = name[len(stem) + 1 : -len(".duckdb")]
    lineage, last = "", -1
    if match := _TAIL.match(rest):
        rest, lineage, last = match[1], match[2], int(match[3])
    parts = rest.split("-", 3)
    if len(parts) < 3:
        return None
    try:
        when = dt.datetime.strptime("-".join(parts[:3]), "%Y%m%d-%H%M%S-%f")
    except ValueError:
        return None
    return Backup(path, when, reason_from_name(parts[3]) if len(parts) > 3 else "", lineage, last)


def list_backups(database: Path) -> list[Backup]:
    """The backups of a database, the newest first."""
    folder = backup_dir(database)
    if not folder.is_dir():
        return []
    found = [b for p in folder.iterdir() if (b := parse_backup(p, database.stem)) is not None]
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def latest_backup(database: Path, lineage: str | None = None) -> Backup | None:
    """The newest backup (of one lineage when given)."""
    for backup in list_backups(database):
        if lineage is None or backup.lineage == lineage:
            return backup
    return None


def take_backup(
    con: duckdb.DuckDBPyConnection,
    database: Path,
    reason: str,
    keep: int = DEFAULT_KEEP,
    budget_mb: int = DEFAULT_BUDGET_MB,
) -> Backup:
    """A complete copy of the open database, then the rotation (`prune`)."""
    folder = backup_dir(database)
    folder.mkdir(parents=True, exist_ok=True)
    when = dt.datetime.now()
    lineage, last = lineage_of(con), last_write_of(con)
    final = folder / _file_name(database, when, reason, lineage, last)
    temporary = folder / f"{TEMPORARY}{final.name}"
    temporary.unlink(missing_ok=True)
    cursor = con.cursor()
    try:
        source = cursor.sql("select current_database()").fetchall()[0][0]
        cursor.execute(f"attach {literal(str(temporary))} as backup_target")
        try:
            cursor.execute(f"copy from database {identifier(source)} to backup_target")
        finally:
            cursor.execute("detach backup_target")
    finally:
        cursor.close()
    _sync(temporary)
    os.replace(temporary, final)
    sync_folder(folder)
    prune(database, keep, lineage, budget_mb)
    return Backup(final, when, reason, lineage, last)


def prune(database: Path, keep: int, lineage: str = "", budget_mb: int = DEFAULT_BUDGET_MB) -> None:
    """Remove copies of `lineage` beyond the newest `keep` or beyond the size budget (the
    newest two always stay), the copies of any other lineage beyond its newest
    `PREVIOUS_KEPT`, and the temporary files a crash left."""
    by_lineage: dict[str, list[Backup]] = {}
    for backup in list_backups(database):
        by_lineage.setdefault(backup.lineage, []).append(backup)
    for name, copies in by_lineage.items():
        if name != lineage:
            doomed = copies[PREVIOUS_KEPT:]
        else:
            kept, used, doomed = 0, 0, []
            for backup in copies:
                size = _size(backup.path)
                if kept < 2 or (kept < max(keep, 1) and used + size <= budget_mb * 2**20):
                    kept, used = kept + 1, used + size
                else:
                    doomed.append(backup)
        for old in doomed:
            old.path.unlink(missing_ok=True)
    for stray in backup_dir(database).glob(f"{TEMPORARY}*"):
        stray.unlink(missing_ok=True)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def put_back(prepared: Path, database: Path) -> None:
    """Rename a prepared, complete file over the database (the caller holds no connection).

    The old file's write-ahead log is moved away first, or DuckDB would replay it onto the
    new file; the old file was closed cleanly before (checkpointed), so it needs none.
    """
    wal = database.with_name(f"{database.name}.wal")
    old_wal = database.with_name(f"{TEMPORARY}{database.name}.wal")
    if wal.exists():
        os.replace(wal, old_wal)
    os.replace(prepared, database)
    sync_folder(database.parent)
    old_wal.unlink(missing_ok=True)


def copy_file(source: Path, target: Path) -> None:
    """A complete, synced copy of a file."""
    shutil.copyfile(source, target)
    _sync(target)


def _sync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` survive a power cut."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
