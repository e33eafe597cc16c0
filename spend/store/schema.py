"""The database's schema version, and the numbered migrations that bring a file up to date.

Each file of queries/migrations/ is one step (`0002_import_log_actor.sql`); a database records
the steps applied in `schema_version`. A file written before versioning (it has the tables but
no `schema_version`) is at step 1. Opening a file brings it to the latest step, after a backup,
in one transaction; a file from a newer version is refused, saying which version it needs.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from spend.paths import QUERIES_DIR

MIGRATIONS_DIR = QUERIES_DIR / "migrations"
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def migrations() -> list[Migration]:
    """Every migration, in order; each number once (numbers are given out per piece of work, so
    one may be missing until its work is merged)."""
    found = []
    for path in MIGRATIONS_DIR.glob("*.sql"):
        match = _NAME.match(path.name)
        if match is None:
            raise ValueError(f"migration mal nommée : {path.name} (attendu NNNN_nom.sql)")
        found.append(Migration(int(match[1]), match[2], path))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions) or versions[:1] != [1]:
        raise ValueError("les migrations doivent être numérotées 0001, 0002…, chacune une fois")
    return found


LATEST = migrations()[-1].version


def _query(name: str) -> str:
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The step this database is at: 0 for a new file, 1 for one written before versioning."""
    cursor = con.cursor()
    try:
        tables = {row[0] for row in cursor.sql(_query("existing_tables")).fetchall()}
        if "schema_version" in tables:
            return int(cursor.sql(_query("read_schema_version")).fetchall()[0][0])
        return 1 if "bodies" in tables else 0
    finally:
        cursor.close()


def pending(version: int) -> list[Migration]:
    return [m for m in migrations() if m.version > version]


def apply_migrations(con: duckdb.DuckDBPyConnection, steps: list[Migration], first: int) -> None:
    """Apply `steps` in one transaction, recording each; `first` is the version the file was
    at (a file written before versioning has step 1 recorded too)."""
    cursor = con.cursor()
    try:
        cursor.execute("begin transaction")
        cursor.execute(_query("schema_version"))
        if first == 1:
            cursor.execute(_query("record_migration"), {"version": 1, "name": "initial"})
        for step in steps:
            cursor.execute(step.sql())
            cursor.execute(_query("record_migration"), {"version": step.version, "name": step.name})
        cursor.execute("commit")
    except duckdb.Error:
        cursor.execute("rollback")
        raise
    finally:
        cursor.close()
