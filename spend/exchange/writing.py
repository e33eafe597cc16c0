"""The whole store as files of the exchange format: a folder, a zip, or one workbook."""

import io
import zipfile
from pathlib import Path

import duckdb
import polars as pl

from spend import store
from spend.domain.records import TABLE_ORDER, TABLES
from spend.exchange.exports import Dialect, csv_bytes, in_words, xlsx_bytes


def exchange_files(tables: dict[str, pl.DataFrame], dialect: Dialect) -> dict[str, bytes]:
    """One re-importable CSV file per table (French headers in the Excel dialect)."""
    files = {}
    for name in TABLE_ORDER:
        table = TABLES[name]
        headers = {c.name: c.french for c in table.columns}
        files[table.file_name] = csv_bytes(tables[name], dialect, headers, table)
    return files


def exchange_zip(tables: dict[str, pl.DataFrame], dialect: Dialect) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file_name, content in exchange_files(tables, dialect).items():
            archive.writestr(file_name, content)
    return buffer.getvalue()


def exchange_workbook(tables: dict[str, pl.DataFrame]) -> bytes:
    """One sheet per table, named after it, with French headers: re-importable as it is."""
    headers = {c.name: c.french for t in TABLES.values() for c in t.columns}
    return xlsx_bytes({name: in_words(tables[name], TABLES[name]) for name in TABLE_ORDER}, headers)


def write_exchange_folder(con: duckdb.DuckDBPyConnection, folder: Path, *, excel_fr: bool) -> None:
    """Every table as a re-importable CSV file of the exchange format."""
    folder.mkdir(parents=True, exist_ok=True)
    files = exchange_files(store.read_all(con), "excel_fr" if excel_fr else "standard")
    for file_name, content in files.items():
        (folder / file_name).write_bytes(content)
