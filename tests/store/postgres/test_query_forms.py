"""Every query the PostgreSQL store may run is one PostgreSQL takes: a query written in DuckDB's
own dialect has its form in queries/postgresql/, or runs only on the file (its backups)."""

import re

from spend.domain.records import TABLES
from spend.paths import QUERIES_DIR
from spend.store import postgres

DUCKDB_ONLY = re.compile(
    r"insert\s+or\s+(replace|ignore)|\binto\s+\w+\s+by\s+name|list_contains|json_extract|"
    r"json_array|duckdb_\w+\(|read_parquet|\battach\b",
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
    own = {"authorities", "schema_exists"}
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
