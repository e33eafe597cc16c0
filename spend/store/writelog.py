"""The write-log file: every write's journal entries appended, synced, beside the backups.

A full copy of a large file costs seconds, so it is not made before every write: it is made
every `FULL_EVERY` writes, or when the rows written since the last copy weigh a share of the
file (`FULL_SHARE`). Between copies each write, once committed and before it is reported done,
appends one line to `<stem>.sauvegardes/<stem>.<lineage>.journal.jsonl`: its journal entries
(each row before and after, as the journal holds them) and its line of the `write_log` table,
then
the file is synced. A restore takes the last full copy and replays the log after it, up to the
point asked for: every write that was reported done comes back, even when the database file
itself is destroyed. A line cut short by a crash (the write was not reported) is skipped.
"""

import contextlib
import contextvars
import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from spend.domain.records import TABLES
from spend.paths import QUERIES_DIR
from spend.store.backups import backup_dir, sync_folder
from spend.store.table_queries import TABLE_QUERIES

FULL_EVERY = 20  # writes between two full copies, at most
FULL_SHARE = 0.10  # …or when the rows written since weigh this share of the file
# Tables outside the exchange format that writes change too, with their key.
OTHER_KEYS = {
    "settings": ("key",),
    "scenarios": ("name",),
    "access_rules": ("kind", "name"),
    "arbitrations": ("operation_code", "imputation", "year"),
}
_suspended: contextvars.ContextVar[bool] = contextvars.ContextVar("spend_log_off", default=False)


def _query(name: str) -> str:
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def log_path(database: Path, lineage: str) -> Path:
    return backup_dir(database) / f"{database.stem}.{lineage}.journal.jsonl"


@contextlib.contextmanager
def suspended() -> Iterator[None]:
    """Writes made on a file being prepared (a restore's copy) are not logged: the copy is."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def is_suspended() -> bool:
    return _suspended.get()


def append_write(
    cursor: duckdb.DuckDBPyConnection,
    database: Path,
    lineage: str,
    write_id: int,
    log_line: dict[str, str],
) -> None:
    """One committed write's line in the log, synced before the write is reported done."""
    entries = cursor.sql(_query("write_entries"), params={"write_id": write_id}).pl()
    record = {
        "write_id": write_id,
        "logged_at": dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(),
        "write_log": log_line,
        "entries": entries.with_columns(pl.col(pl.Datetime).dt.to_string()).to_dicts(),
    }
    line = (json.dumps(record, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    path = log_path(database, lineage)
    path.parent.mkdir(parents=True, exist_ok=True)
    is_new = not path.exists()
    handle = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(handle, line)
        os.fsync(handle)
    finally:
        os.close(handle)
    if is_new:
        sync_folder(path.parent)


def read_log(database: Path, lineage: str) -> list[dict[str, Any]]:
    """The log's complete lines, in order (a last line cut short by a crash is left out)."""
    path = log_path(database, lineage)
    if not lineage or not path.exists():
        return []
    records = []
    for line in path.read_bytes().split(b"\n"):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except ValueError:
            break  # a write cut short: it was never reported done, nor any after it
    return records


def last_logged(database: Path, lineage: str) -> int | None:
    """The last write the log holds (None when it holds none)."""
    path = log_path(database, lineage)
    if not path.exists():
        return None
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - 65536))
        tail = handle.read().split(b"\n")
    for line in reversed(tail):
        if line.strip():
            try:
                return int(json.loads(line)["write_id"])
            except (ValueError, KeyError):
                return None if size <= 65536 else _last_by_reading(database, lineage)
    return None


def _last_by_reading(database: Path, lineage: str) -> int | None:
    records = read_log(database, lineage)
    return int(records[-1]["write_id"]) if records else None


def replay(cursor: duckdb.DuckDBPyConnection, records: list[dict[str, Any]]) -> int:
    """Apply logged writes to a database, in one transaction; returns how many."""
    cursor.execute("begin transaction")
    try:
        for record in records:
            _replay_one(cursor, record)
        cursor.execute("commit")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            cursor.execute("rollback")
        raise
    return len(records)


def carry_entries(cursor: duckdb.DuckDBPyConnection, records: list[dict[str, Any]]) -> None:
    """The journal entries of logged writes, without their rows: the history of a replaced file
    that no longer opens, kept in the file put in its place."""
    _append_entries(cursor, [entry for record in records for entry in record.get("entries") or []])


def _append_entries(cursor: duckdb.DuckDBPyConnection, entries: list[dict[str, Any]]) -> None:
    """Logged journal entries put back into the journal as they were written."""
    if not entries:
        return
    journal = _typed(pl.DataFrame(entries, infer_schema_length=None), _shape(cursor, "journal"))
    cursor.register("entries", journal)
    try:
        cursor.execute(_query("replay_journal"))
    finally:
        cursor.unregister("entries")


def _replay_one(cursor: duckdb.DuckDBPyConnection, record: dict[str, Any]) -> None:
    entries = record.get("entries") or []
    by_table: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        if entry.get("table_name"):
            by_table.setdefault(entry["table_name"], []).append(entry)
    for table, rows in by_table.items():
        _apply_rows(cursor, table, rows)
    _append_entries(cursor, entries)
    # Files written before the table was renamed (migration `write_log`) call it `import_log`.
    line = record.get("write_log") or record.get("import_log") or {}
    at = entries[0]["written_at"] if entries else record.get("logged_at")
    cursor.execute(
        _query("replay_write_log"),
        {
            "written_at": at,
            "source": line.get("source", "rejeu"),
            "detail": line.get("detail", ""),
            "actor": line.get("actor", ""),
            "write_id": record.get("write_id"),
        },
    )


def _apply_rows(cursor: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    """Each row put as it was after the write: removed by its key, then its after image added."""
    key = list(TABLES[table].key) if table in TABLES else list(OTHER_KEYS[table])
    # A row logged before a column existed takes its default, or blank for an optional text (a
    # budget line's figure logged before credits had stages is a BP).
    defaults = (
        {
            c.name: c.default
            for c in TABLES[table].columns
            if c.default is not None or (c.optional_column and c.kind == "text")
        }
        if table in TABLES
        else {}
    )
    images = [{**defaults, **json.loads(r["row_before"] or r["row_after"])} for r in rows]
    afters = [{**defaults, **json.loads(r["row_after"])} for r in rows if r["row_after"]]
    shape = _shape(cursor, table)
    if table in TABLES:
        keys = _typed(pl.DataFrame([{k: i.get(k) for k in key} for i in images]), shape)
        _put_table_rows(cursor, table, keys, afters, shape)
    else:
        _put_other_rows(cursor, table, key, images, afters, shape)


def _put_table_rows(
    cursor: duckdb.DuckDBPyConnection,
    table: str,
    keys: pl.DataFrame,
    afters: list[dict[str, Any]],
    shape: pl.Schema,
) -> None:
    """An exchange-format table's rows: removed by key, then the after images upserted."""
    queries = TABLE_QUERIES[table]
    cursor.register("removed", keys)
    try:
        cursor.execute(_query(queries.delete))
    finally:
        cursor.unregister("removed")
    if afters:
        incoming = _typed(pl.DataFrame(afters, infer_schema_length=None), shape)
        cursor.register("incoming", incoming.select(TABLES[table].column_names))
        try:
            cursor.execute(_query(queries.upsert))
        finally:
            cursor.unregister("incoming")


def _put_other_rows(
    cursor: duckdb.DuckDBPyConnection,
    table: str,
    key: list[str],
    images: list[dict[str, Any]],
    afters: list[dict[str, Any]],
    shape: pl.Schema,
) -> None:
    """Settings, scenarios, arbitrations, access rules (a few rows each): one query a row."""
    for image in images:
        if table == "settings":
            cursor.execute(_query("delete_setting"), {"key": image["key"]})
        elif table == "scenarios":
            cursor.execute(_query("delete_scenario"), {"name": image["name"]})
        elif table == "arbitrations":
            cursor.execute(_query("delete_arbitration"), {k: image[k] for k in key})
        else:
            cursor.execute(
                _query("delete_access_rule"), {"kind": image["kind"], "name": image["name"]}
            )
    for after in afters:
        if table == "settings":
            cursor.execute(_query("upsert_setting"), {"key": after["key"], "value": after["value"]})
        elif table == "scenarios":
            cursor.execute(
                _query("upsert_scenario"),
                {"name": after["name"], "settings_json": after["settings_json"]},
            )
        elif table == "arbitrations":
            values = {**{k: after[k] for k in key}, "amount": after["amount"]}
            cursor.execute(_query("upsert_arbitration"), values)
        else:
            frame = _typed(pl.DataFrame([after]), shape).select("kind", "name", "role")
            cursor.register("incoming", frame)
            try:
                cursor.execute(_query("insert_access_rules"))
            finally:
                cursor.unregister("incoming")


def _shape(cursor: duckdb.DuckDBPyConnection, table: str) -> pl.Schema:
    return cursor.table(table).limit(0).pl().schema


def _typed(frame: pl.DataFrame, shape: pl.Schema) -> pl.DataFrame:
    """Text values of the journal's images as the table's types."""
    columns = []
    for name in frame.columns:
        if name not in shape:
            continue
        wanted, value = shape[name], pl.col(name).cast(pl.String)
        if wanted == pl.Date:
            value = value.str.to_date("%Y-%m-%d")
        elif wanted == pl.Datetime:
            value = value.str.to_datetime(time_unit="us")
        elif wanted == pl.Boolean:
            value = pl.when(value.is_null()).then(None).otherwise(value == "true")
        elif wanted != pl.String:
            value = value.cast(wanted)
        columns.append(value.alias(name))
    return frame.select(columns)
