"""Every query the PostgreSQL store may run is one PostgreSQL takes: a query written in DuckDB's
own dialect has its form in queries/postgresql/, or runs only on the file (its backups)."""

import re
from pathlib import Path

import psycopg

from spend import store
from spend.domain.records import TABLES
from spend.paths import QUERIES_DIR
from spend.store import postgres

DUCKDB_ONLY = re.compile(
    r"insert\s+or\s+(replace|ignore)|\binto\s+\w+\s+by\s+name|list_contains|json_extract|"
    r"json_array|duckdb_\w+\(|read_parquet|\battach\b|\bqualify\b|\barg_(max|min)\(|"
    r"\bany_value\(|\blist\(|\bcontains\(",
    re.IGNORECASE,
)
# Queries of the file's own machinery (backups, restores, their checks): never run on the server.
FILE_ONLY = {"carry_journal_over", "database_objects", "replay_journal"}


def test_duckdb_dialect_has_a_postgresql_form() -> None:
    lacking = sorted(
        path.stem
        for path in QUERIES_DIR.glob("*.sql")
        if DUCKDB_ONLY.search(path.read_text(encoding="utf-8"))
        and not (postgres.PG_QUERIES / path.name).exists()
        and path.stem not in FILE_ONLY
    )
    assert lacking == []


def test_every_postgresql_form_has_its_query_or_is_the_servers_own() -> None:
    own = {"authorities", "connected_role", "schema_exists"}
    orphans = sorted(
        path.stem
        for path in postgres.PG_QUERIES.glob("*.sql")
        if not (QUERIES_DIR / path.name).exists() and path.stem not in own
    )
    assert orphans == []
    assert postgres.orphan_forms() == []


def test_each_upsert_form_names_the_columns_and_key_of_its_table() -> None:
    """The PostgreSQL upserts list their columns (DuckDB's `by name` does it itself): a column
    added to a table (spend/domain/records.py) must be added to its form too."""
    for table in TABLES.values():
        text = (postgres.PG_QUERIES / f"upsert_{table.name}.sql").read_text(encoding="utf-8")
        columns = ", ".join(table.column_names)
        assert f"insert into {table.name} ({columns})" in text, table.name
        assert f"on conflict ({', '.join(table.key)})" in text, table.name
        others = [c for c in table.column_names if c not in table.key]
        assert all(f"{c} = excluded.{c}" in text for c in others), table.name


# Statements that define tables (a migration's first step): PostgreSQL prepares no DDL.
DEFINITIONS = {"schema_version"}


def _frames(name: str) -> dict[str, str]:
    """The temporary tables the store registers before running query `name`: their shape."""
    if name in ("insert_access_rules", "delete_access_rules"):
        return {"incoming" if name.startswith("insert") else "removed": "access_rules"}
    verb, _, table = name.partition("_")
    if table in TABLES and verb in ("upsert", "delete"):
        return {"incoming" if verb == "upsert" else "removed": table}
    if name == "append_journal":
        return {"entries": "journal"}
    if name == "record_reminders_sent":
        return {"sent_rows": "reminders_sent"}
    return {}


def test_every_query_prepares_on_a_migrated_authority(pg_url: str) -> None:
    """Each query (its PostgreSQL form where it has one) is prepared, parsed and typed without
    running, on an authority at the latest step, the frames the store registers for it being
    temporary tables of their table's shape: a DuckDB-only function or clause, a column the
    migrations did not make, or a parameter the server cannot type is refused here."""
    with store.connect(Path("unused.duckdb"), create=True):
        pass
    refused = {}
    with psycopg.connect(postgres.with_schema(pg_url, "principale"), autocommit=True) as pg:
        for path in sorted(QUERIES_DIR.glob("*.sql")):
            if path.stem in FILE_ONLY | DEFINITIONS:
                continue
            text, _ = postgres.for_adbc(postgres.postgres_form(path.read_text(encoding="utf-8")))
            try:
                with pg.transaction():
                    for frame, table in _frames(path.stem).items():
                        pg.execute(f"create temp table {frame} (like {table}) on commit drop")
                    pg.execute(f"prepare probe as {text}")
                    pg.execute("deallocate probe")
            except psycopg.Error as error:
                refused[path.stem] = str(error).splitlines()[0]
    assert refused == {}
