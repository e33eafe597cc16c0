"""The journal of writes: one entry per row a write changed, written in the write's transaction.

Each entry says when (UTC), who, from where, which action, the table and the row's key, and
the row before and after as JSON objects of the exchange format's values
(`{"credits": "3000.00", …}`), null when the row did not exist. A write without rows (a restore)
has one entry with neither.

A row's key is a JSON array of its key's values (`["C06-020M02","6281/930202",2022]`), never a
joined text: (`A / B`, `C`) and (`A`, `B / C`) joined with « / » would be one key. It is shown
readably (« C06-020M02 / 6281/930202 / 2022 ») and matched on its values.
"""

import datetime as dt
import json
from dataclasses import dataclass

import duckdb
import polars as pl

from spend.domain.access import Actor
from spend.domain.keys import readable_key as readable_key
from spend.domain.records import TABLES
from spend.store.database import query

# Tables outside the exchange format that writes change too, with their key.
OTHER_KEYS = {
    "settings": ("key",),
    "scenarios": ("name",),
    "access_rules": ("kind", "name"),
    "arbitrations": ("operation_code", "imputation", "year"),
}
ENTRY_SCHEMA = pl.Schema(
    {
        "write_id": pl.Int64(),
        "written_at": pl.Datetime("us"),
        "actor": pl.String(),
        "source": pl.String(),
        "action": pl.String(),
        "table_name": pl.String(),
        "row_key": pl.String(),
        "row_before": pl.String(),
        "row_after": pl.String(),
        "undoes": pl.Int64(),
    }
)


@dataclass(frozen=True)
class Write:
    """One write's identity in the journal, shared by all its entries."""

    write_id: int
    at: dt.datetime
    actor: Actor
    action: str


def key_columns(table: str) -> list[str]:
    return list(TABLES[table].key) if table in TABLES else list(OTHER_KEYS[table])


def start_write(cursor: duckdb.DuckDBPyConnection, actor: Actor, action: str) -> Write:
    """A new write number (within the write's transaction: no other write can take it)."""
    last = cursor.sql("select coalesce(max(write_id), 0) from journal").fetchall()[0][0]
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return Write(int(last) + 1, now, actor, action)


def as_json(frame: pl.DataFrame) -> pl.Expr:
    """Each row as a JSON object of its values as the exchange format writes them."""
    return pl.struct([pl.col(c).cast(pl.String) for c in frame.columns]).struct.json_encode()


def row_key(columns: list[str]) -> pl.Expr:
    """The key of each row as a JSON array of its values: text quoted, numbers bare, null.

    The same text as DuckDB's `json_array` (migration 0004 rewrote older keys with it), so
    that keys compare as text in queries.
    """
    # A one-field object's JSON, `{"v":…}`, less its wrapping: the value as JSON.
    values = [
        pl.struct(pl.col(c).alias("v")).struct.json_encode().str.slice(5).str.strip_suffix("}")
        for c in columns
    ]
    return pl.format("[" + ",".join("{}" for _ in columns) + "]", *values)


def key_text(*values: str | int | None) -> str:
    """A key given by its values, as the journal stores it (`key_text("vat_rate")`)."""
    return json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))


def changes(
    table: str, before: pl.DataFrame, after: pl.DataFrame, write: Write, undoes: int | None = None
) -> pl.DataFrame:
    """The journal entries of the rows that differ between `before` and `after` (a row in
    only one of them was added or removed)."""
    key = key_columns(table)
    old = before.select(row_key(key).alias("row_key"), as_json(before).alias("row_before"))
    new = after.select(row_key(key).alias("row_key"), as_json(after).alias("row_after"))
    both = old.join(new, on="row_key", how="full", coalesce=True)
    changed = both.filter(pl.col("row_before").ne_missing(pl.col("row_after"))).sort("row_key")
    return changed.select(
        pl.lit(write.write_id, pl.Int64).alias("write_id"),
        pl.lit(write.at, pl.Datetime("us")).alias("written_at"),
        pl.lit(write.actor.name).alias("actor"),
        pl.lit(write.actor.source).alias("source"),
        pl.lit(write.action).alias("action"),
        pl.lit(table).alias("table_name"),
        "row_key",
        "row_before",
        "row_after",
        pl.lit(undoes, pl.Int64).alias("undoes"),
    )


def event(write: Write, detail: str) -> pl.DataFrame:
    """One entry for a write that changes no row by itself (a restore): its detail as `after`."""
    return pl.DataFrame(
        [
            (
                write.write_id,
                write.at,
                write.actor.name,
                write.actor.source,
                write.action,
                None,
                None,
                None,
                detail,
                None,
            )
        ],
        schema=ENTRY_SCHEMA,
        orient="row",
    )


def append(cursor: duckdb.DuckDBPyConnection, entries: pl.DataFrame, query: str) -> None:
    """Add entries with the `append_journal` query (loaded by the store)."""
    if entries.is_empty():
        return
    cursor.register("entries", entries.cast(ENTRY_SCHEMA))
    try:
        cursor.execute(query)
    finally:
        cursor.unregister("entries")


def journal_frame(
    con: duckdb.DuckDBPyConnection, table: str | None = None, since: dt.datetime | None = None
) -> pl.DataFrame:
    """The journal, the newest first: one table's (by its name or French name), from a date."""
    wanted = _table_name(table) if table else None
    entries = query(con, "read_journal", table_name=wanted, since=since)
    return entries.select(
        "id",
        pl.col("written_at").alias("at"),
        "actor",
        "source",
        "action",
        pl.col("table_name").alias("table"),
        pl.col("row_key").alias("key"),
        pl.col("row_before").alias("before"),
        pl.col("row_after").alias("after"),
    )


def _table_name(table: str) -> str:
    """A table named in English (conventions) or French (Conventions)."""
    wanted = table.strip().lower()
    for name, spec in TABLES.items():
        if wanted in (name, spec.french.lower()):
            return name
    return wanted


@dataclass(frozen=True)
class JournalFilter:
    """What the Journal page narrows to (None or "": no filter). Times are UTC: `since`
    inclusive, `until` exclusive."""

    action: str | None = None
    table: str | None = None
    actor: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    text: str = ""
    show_access_rules: bool = False

    def params(self) -> dict[str, object]:
        text = self.text.strip().lower()
        return {
            "action": self.action or None,
            "table_name": self.table or None,
            "actor": self.actor or None,
            "since": self.since,
            "until": self.until,
            "text": text or None,
            "show_access_rules": self.show_access_rules,
        }


@dataclass(frozen=True)
class Page:
    """One page of a list read from the journal, and how many items match in all."""

    rows: pl.DataFrame
    total: int


def operations(
    con: duckdb.DuckDBPyConnection, wanted: JournalFilter, page: int, per_page: int
) -> Page:
    """A page (from 0) of the operations that match, the newest first: only that page's
    entries are read, whatever the journal's size."""
    params = wanted.params() | {"limit": per_page, "offset": page * per_page}
    rows = query(con, "journal_operations", **params)
    total = int(rows["operations"][0]) if rows.height else 0
    if rows.is_empty() and page > 0:  # a page beyond the last: the count, from the first
        first = query(con, "journal_operations", **params | {"offset": 0, "limit": 1})
        total = int(first["operations"][0]) if first.height else 0
    return Page(rows.drop("operations"), total)


def operation_rows(
    con: duckdb.DuckDBPyConnection, write_id: int, wanted: JournalFilter, page: int, per_page: int
) -> Page:
    """A page (from 0) of one operation's entries that match the table and text filters."""
    params = wanted.params()
    rows = query(
        con,
        "journal_operation_rows",
        write_id=write_id,
        table_name=params["table_name"],
        text=params["text"],
        show_access_rules=wanted.show_access_rules,
        limit=per_page,
        offset=page * per_page,
    )
    total = int(rows["entries"][0]) if rows.height else 0
    return Page(rows.drop("entries"), total)


def journal_choices(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Each (action, table, author) the journal names: what its filters offer."""
    return query(con, "journal_choices")
