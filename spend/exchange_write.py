"""The whole store as files of the exchange format: a folder, a zip, or one workbook."""

import io
import zipfile

import polars as pl

from spend.exports import Dialect, csv_bytes, xlsx_bytes
from spend.tables import TABLE_ORDER, TABLES


def exchange_files(tables: dict[str, pl.DataFrame], dialect: Dialect) -> dict[str, bytes]:
    """One re-importable CSV file per table (French headers in the Excel dialect)."""
    files = {}
    for name in TABLE_ORDER:
        table = TABLES[name]
        headers = {c.name: c.french for c in table.columns}
        files[table.file_name] = csv_bytes(tables[name], dialect, headers)
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
    return xlsx_bytes({name: tables[name] for name in TABLE_ORDER}, headers)
