"""Files dropped on the Données page: CSV in either dialect, or XLSX workbooks, or zips."""

import csv
import io
from dataclasses import replace

import polars as pl

from spend.domain.records import TABLES, Table, table_for_file
from spend.exchange.archives import zip_files
from spend.exchange.encoding import decode_bytes
from spend.exchange.limits import MAX_ZIP_ENTRIES
from spend.exchange.problems import ImportRefused, Problem
from spend.exchange.reading import RawTable, read_csv_bytes
from spend.exchange.worker import READ_SECONDS, WorkerStopped, run_bounded
from spend.exchange.xlsx import read_xlsx_bytes


def read_uploaded(files: list[tuple[str, bytes]]) -> list[RawTable]:
    """Every table found in the files; raises ImportRefused with all problems at once.

    Each file is bounded by `limits` (its bytes, rows, columns; a zip's or workbook's entries
    and unpacked size, a workbook's shared strings) before it is parsed; workbooks and zips are
    unpacked and parsed in a bounded child process (`read_archive_bounded`).
    """
    if len(files) > MAX_ZIP_ENTRIES:
        message = f"{len(files)} fichiers déposés : au plus {MAX_ZIP_ENTRIES} à la fois"
        raise ImportRefused([Problem.of_file("Dépôt", message)])
    raw_tables: list[RawTable] = []
    problems: list[Problem] = []
    for name, content in files:
        if name.lower().endswith((".xlsx", ".zip")):
            found, file_problems = read_archive_bounded(name, content)
            raw_tables.extend(found)
        else:
            raw, file_problems = read_table_file(name, content)
            if raw is not None:
                raw_tables.append(raw)
        problems.extend(file_problems)
    if problems:
        raise ImportRefused(problems)
    return raw_tables


def read_archive_bounded(
    name: str, content: bytes, *, seconds: float = READ_SECONDS
) -> tuple[list[RawTable], list[Problem]]:
    """`read_archive` in a child process bounded in memory and time: the server (or the
    command line) never holds what a workbook or zip expands to, only the checked tables."""
    try:
        return run_bounded("spend.exchange.uploads:read_archive", name, content, seconds=seconds)
    except WorkerStopped as stopped:
        kind = "du classeur" if name.lower().endswith(".xlsx") else "de l'archive"
        return [], [Problem.of_file(name, stopped.french(f"lecture {kind} arrêtée"))]


def read_archive(name: str, content: bytes) -> tuple[list[RawTable], list[Problem]]:
    """The tables of a workbook (one sheet per table) or of a zip of CSV files."""
    if name.lower().endswith(".xlsx"):
        sheets, problems = read_xlsx_bytes(name, content)
        return [exact_numbers(raw) for raw in sheets], problems
    raw_tables: list[RawTable] = []
    members, problems = zip_files(name, content)
    for member, member_content in members:
        raw, member_problems = read_table_file(member, member_content)
        problems = [*problems, *member_problems]
        if raw is not None:
            raw_tables.append(raw)
    return raw_tables, problems


# A number cell read as text by the workbook reader: `123456789012.34` comes out as
# `123456789012.339996338`, the binary double's digits, not the number Excel shows.
_FLOAT_DIGITS = r"^[+-]?\d+\.\d{3,}$"


def exact_numbers(raw: RawTable) -> RawTable:
    """A sheet's amounts and whole numbers as Excel shows them: a cell whose text has more
    than two decimals is replaced by the shortest decimal that gives the same double, when that
    has at most two (123456789012.339996338 → 123456789012.34); any other cell is left as
    written, so that 1500.001 is still refused with its three decimals."""
    columns = [c.name for c in raw.table.columns if c.kind in ("money", "int")]
    shortest = []
    for name in (c for c in columns if c in raw.rows.columns):
        text = pl.col(name).str.strip_chars()
        short = text.cast(pl.Float64, strict=False).cast(pl.String).str.replace(r"\.0$", "")
        fixed = text.str.contains(_FLOAT_DIGITS) & short.str.contains(r"^[+-]?\d+(\.\d{1,2})?$")
        shortest.append(pl.when(fixed).then(short).otherwise(pl.col(name)).alias(name))
    return replace(raw, rows=raw.rows.with_columns(shortest)) if shortest else raw


HEADER_BYTES = 65_536  # enough of a file to hold its header line


def table_by_header(content: bytes) -> Table | None:
    """The one table whose columns a CSV file's header names (in English or French, any case),
    every required one present; None when no table or more than one fits."""
    decoded = decode_bytes(content[:HEADER_BYTES])
    if decoded.text is None:  # cut inside a character, or not text: said by the reader
        decoded = decode_bytes(content[: content.find(b"\n") + 1 or HEADER_BYTES])
    if decoded.text is None:
        return None
    first = decoded.text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    separator = ";" if first.count(";") > first.count(",") else ","
    try:
        header = next(csv.reader(io.StringIO(first), delimiter=separator), [])
    except csv.Error:
        return None
    cells = {cell.strip().lower() for cell in header}
    fitting = []
    for table in TABLES.values():
        names = {n.lower(): c.name for c in table.columns for n in (c.name, c.french)}
        named = {names[c] for c in cells if c in names}
        needed = {c.name for c in table.columns if not c.optional_column}
        if cells and all(c in names for c in cells) and needed <= named:
            fitting.append(table)
    return fitting[0] if len(fitting) == 1 else None


def read_table_file(name: str, content: bytes) -> tuple[RawTable | None, list[Problem]]:
    """One CSV file of the exchange format, its table known by its name (`fee_grid.csv`) or,
    under any other name (`grille_tarifaire_virgule.csv`, as a page's download is named), by
    its header; problems keep the file's own name."""
    if table_for_file(name) is not None:
        return read_csv_bytes(name, content)
    table = table_by_header(content)
    if table is None:
        return read_csv_bytes(name, content)  # « fichier inconnu (attendus : …) »
    raw, problems = read_csv_bytes(table.file_name, content)
    named = [replace(p, file=name) if p.file == table.file_name else p for p in problems]
    return (replace(raw, file=name) if raw is not None else None), named
