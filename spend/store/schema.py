"""The database's schema version, and the numbered migrations that bring a file up to date.

Each file of queries/migrations/ is one step (`0002_import_log_actor.sql`); a database records
the steps applied in `schema_version`. A file written before versioning (it has the tables but
no `schema_version`) is at step 1. Opening a file brings it to the latest step, after a backup,
in one transaction; a file from a newer version is refused, saying which version it needs.
"""

import re
from dataclasses import dataclass
from functools import cache
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
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise ValueError("les migrations doivent être numérotées 0001, 0002… sans trou")
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


def file_objects(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """Every object the database defines: columns, constraints, views, macros, sequences…"""
    cursor = con.cursor()
    try:
        return [tuple(row) for row in cursor.sql(_query("database_objects")).fetchall()]
    finally:
        cursor.close()


@cache
def expected_objects(version: int) -> tuple[tuple[str, str, str], ...]:
    """What our migrations up to `version` define (a file before versioning: step 1 alone)."""
    from spend.store.connections import open_duckdb

    con = open_duckdb(":memory:")
    try:
        steps = migrations()[:version]
        if version == 1:
            con.execute(steps[0].sql())
        else:
            apply_migrations(con, steps, first=0)
        return tuple(file_objects(con))
    finally:
        con.close()


def restorable_problem(con: duckdb.DuckDBPyConnection) -> tuple[int, str | None]:
    """A file to restore's schema version, and why it may not be restored (None: it may).

    Only our tables, with our columns, types and constraints, at a version this release knows,
    and nothing else: no view (a view can read a file of the server), macro, sequence, index,
    type or schema of its own.
    """
    found = file_objects(con)
    foreign = sorted({(k, n) for k, n, _ in found if k != "table"})
    if foreign:
        kind, name = foreign[0]
        words = {
            "view": "une vue",
            "macro": "une macro",
            "sequence": "une séquence",
            "index": "un index",
            "type": "un type",
            "schema": "un schéma",
        }
        return (
            0,
            f"elle contient {words.get(kind, kind)} « {name} », qu'une base du tableau de "
            "bord n'a pas",
        )
    tables = {name for _, name, _ in found}
    version = schema_version(con) if "schema_version" in tables or "bodies" in tables else 0
    if version == 0:
        return 0, "ce n'est pas une base du tableau de bord (ses tables ne sont pas les nôtres)"
    if version > LATEST:
        return version, (
            f"elle a été écrite par une version plus récente du tableau de bord (schéma "
            f"n° {version}) ; cette version lit jusqu'au schéma n° {LATEST}"
        )
    expected = expected_objects(version)
    extra = sorted(set(found) - set(expected))
    lacking = sorted(set(expected) - set(found))
    if extra or lacking:
        kind, name, detail = (extra or lacking)[0]
        what = "en trop" if extra else "manquante"
        return version, (
            f"ses tables ne sont pas celles du schéma n° {version} : « {name} » {detail} "
            f"{what} ({len(extra)} différence(s) en trop, {len(lacking)} manquante(s))"
        )
    return version, None
