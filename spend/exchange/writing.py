"""The whole store as files of the exchange format: a folder, a zip, or one workbook.

Each form imports back as it is (`import`, or the Données page) and gives the same tables:
the workbook has one sheet per table, named and headed in French as the Excel CSV files are.
"""

import io
import zipfile
from pathlib import Path

import duckdb
import polars as pl

from spend import store
from spend.domain.records import TABLE_ORDER, TABLES, Table
from spend.exchange.exports import Dialect, csv_bytes, in_words, xlsx_bytes


def french_headers(table: Table) -> dict[str, str]:
    """A table's own French headers (« Intitulé » of a convention, « Objet » of a
    deliberation): one column name has a header per table."""
    return {c.name: c.french for c in table.columns}


def table_csv(name: str, rows: pl.DataFrame, dialect: Dialect) -> bytes:
    """One table's rows as its exchange file: what a page hands out for a table of the format
    (a fee grid, the conventions listed), importable as it is under any file name."""
    table = TABLES[name]
    rows = rows.select(table.column_names)
    headers = french_headers(table) if dialect == "excel_fr" else None
    return csv_bytes(rows, dialect, headers, table)


def table_workbook(name: str, rows: pl.DataFrame) -> bytes:
    """One table's rows as a workbook of one sheet, named and headed as in `exchange_workbook`."""
    return exchange_workbook({name: rows.select(TABLES[name].column_names)})


def exchange_files(tables: dict[str, pl.DataFrame], dialect: Dialect) -> dict[str, bytes]:
    """One re-importable CSV file per table (French headers in the Excel dialect)."""
    files = {}
    for name in TABLE_ORDER:
        table = TABLES[name]
        headers = french_headers(table) if dialect == "excel_fr" else None
        files[table.file_name] = csv_bytes(tables[name], dialect, headers, table)
    return files


def exchange_zip(tables: dict[str, pl.DataFrame], dialect: Dialect) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file_name, content in exchange_files(tables, dialect).items():
            archive.writestr(file_name, content)
    return buffer.getvalue()


def exchange_workbook(tables: dict[str, pl.DataFrame]) -> bytes:
    """One sheet per table, named after it in French (« Grilles tarifaires »), with its French
    headers and words: re-importable as it is. Amounts are numbers, dates Excel dates."""
    sheets = {
        TABLES[name].french: in_words(tables[name], TABLES[name]).rename(
            french_headers(TABLES[name])
        )
        for name in TABLE_ORDER
        if name in tables
    }
    # An empty cell that means something says so in words, as in the Excel CSV files.
    blanks = {c.french: c.blank_means for t in TABLES.values() for c in t.columns if c.blank_means}
    return xlsx_bytes(sheets, blanks=blanks)


def write_exchange_folder(con: duckdb.DuckDBPyConnection, folder: Path, *, excel_fr: bool) -> None:
    """Every table as a re-importable CSV file of the exchange format."""
    folder.mkdir(parents=True, exist_ok=True)
    files = exchange_files(store.read_all(con), "excel_fr" if excel_fr else "standard")
    for file_name, content in files.items():
        (folder / file_name).write_bytes(content)


def export_kind(path: Path) -> str:
    """What `export PATH` writes: a workbook for .xlsx, a zip for .zip, a folder otherwise."""
    suffix = path.suffix.lower()
    return {".xlsx": "workbook", ".zip": "zip"}.get(suffix, "folder")


def write_exchange(con: duckdb.DuckDBPyConnection, path: Path, *, excel_fr: bool) -> str:
    """Every table at `path`, in the form its name asks for (`export_kind`); returns that kind.

    A file is written under a temporary name and renamed once complete."""
    kind = export_kind(path)
    if kind == "folder":
        write_exchange_folder(con, path, excel_fr=excel_fr)
        return kind
    tables = store.read_all(con)
    if kind == "workbook":
        content = exchange_workbook(tables)
    else:
        content = exchange_zip(tables, "excel_fr" if excel_fr else "standard")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partiel")
    partial.write_bytes(content)
    partial.replace(path)
    return kind
