"""Read exchange-format files as they come from users: any encoding, dialect or header language.

Everything is read as text; typing and checking the values is `validation`'s job, so that a bad
cell becomes a French message with its line instead of a parser's exception.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import fastexcel
import polars as pl

from spend.domain.records import TABLES, Table, table_for_file
from spend.exchange.encoding import decode_text, is_utf16
from spend.exchange.problems import Problem

LINE = "_line"  # the line a spreadsheet shows for each row (the header is line 1)
UNREADABLE_STRUCTURE = "structure CSV illisible (guillemets non refermés ?)"


@dataclass(frozen=True)
class RawTable:
    """A file's rows as text, columns renamed to the exchange format's English names."""

    table: Table
    file: str
    rows: pl.DataFrame  # one String column per column present, plus LINE


def _header_names(table: Table) -> dict[str, str]:
    """Accepted header spellings (English code or French label, any case) → column name."""
    names: dict[str, str] = {}
    for column in table.columns:
        names[column.name.lower()] = column.name
        names[column.french.lower()] = column.name
    return names


def decode(file: str, content: bytes) -> tuple[str | None, list[Problem]]:
    """UTF-8 (with or without BOM) first, then Windows-1252, as Excel writes it in France."""
    if is_utf16(content):
        return None, [
            Problem(
                file, None, None,
                "fichier en UTF-16 (« Texte Unicode » d'Excel) : enregistrez-le en CSV UTF-8 "
                "ou CSV (séparateur point-virgule)",
            )
        ]  # fmt: skip
    text = decode_text(content)
    if text is not None:
        return text, []
    return None, [
        Problem(
            file, None, None, "fichier illisible : ni UTF-8 ni Windows-1252 (fichier binaire ?)"
        )
    ]


def _separator(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _ragged_line(file: str, text: str, separator: str) -> Problem | None:
    """Name the first line whose number of fields differs from the header's.

    Polars fills a line with too few fields with nulls without a word, so every file is checked
    here before it is parsed; a blank line is not a row and is not counted as ragged.
    """
    rows = csv.reader(io.StringIO(text), delimiter=separator)
    try:
        expected = len(next(rows, []))
        for number, row in enumerate(rows, start=2):
            if row and len(row) != expected:
                return Problem(
                    file, number, None, f"{len(row)} champ(s) au lieu de {expected} (séparateur ?)"
                )
    except csv.Error:  # e.g. a quote left open swallows the rest of the file into one cell
        return Problem(file, None, None, UNREADABLE_STRUCTURE)
    return None


def _header(text: str, separator: str) -> list[str]:
    """The header's cells as written (Polars renames a doubled name to `x_duplicated_0`)."""
    return next(csv.reader(io.StringIO(text), delimiter=separator), [])


def rename_headers(
    file: str, table: Table, frame: pl.DataFrame, headers: list[str] | None = None
) -> tuple[pl.DataFrame | None, list[Problem]]:
    """Map the file's headers to column names; unknown, doubled or missing columns are problems.

    `headers` are the header cells as written in the file, one per column of `frame`.
    """
    accepted = _header_names(table)
    problems: list[Problem] = []
    renames: dict[str, str] = {}
    if headers is None or len(headers) != frame.width:
        headers = frame.columns
    for original, header in zip(frame.columns, headers, strict=True):
        cleaned = header.strip().lstrip("\ufeff").lower()
        name = accepted.get(cleaned)
        if name is None:
            problems.append(Problem(file, None, header, f"colonne inconnue « {header.strip()} »"))
        elif name in renames.values():
            french = table.column(name).french
            problems.append(Problem(file, None, header, f"colonne « {french} » en double"))
        else:
            renames[original] = name
    for column in table.columns:
        if column.name not in renames.values() and not column.optional_column:
            problems.append(
                Problem(file, None, column.french, f"colonne « {column.french} » manquante")
            )
    if problems:
        return None, problems
    return frame.rename(renames), []


def with_lines(frame: pl.DataFrame, first: int = 2) -> pl.DataFrame:
    """Number the rows as a spreadsheet does: the header is line 1, the first row line 2."""
    return frame.with_row_index(LINE, offset=first).with_columns(pl.col(LINE).cast(pl.Int64))


def read_csv_bytes(file: str, content: bytes) -> tuple[RawTable | None, list[Problem]]:
    """Parse one CSV file of the exchange format into text columns."""
    table = table_for_file(file)
    if table is None:
        expected = ", ".join(t.file_name for t in TABLES.values())
        return None, [Problem(file, None, None, f"fichier inconnu (attendus : {expected})")]
    text, problems = decode(file, content)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [Problem(file, None, None, "fichier vide")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    separator = _separator(text.split("\n", 1)[0])
    ragged = _ragged_line(file, text, separator)
    if ragged is not None:
        return None, [ragged]
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            separator=separator,
            infer_schema=False,
            has_header=True,
        )
    except (pl.exceptions.PolarsError, ValueError):
        return None, [Problem(file, None, None, UNREADABLE_STRUCTURE)]
    renamed, problems = rename_headers(file, table, frame, _header(text, separator))
    if renamed is None:
        return None, problems
    return RawTable(table, file, _without_blank_rows(with_lines(renamed))), []


def _without_blank_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """Drop lines with no value at all (a blank line, or ';;;' left by a spreadsheet).

    Polars reads a blank line as a row of nulls; the other rows keep their line numbers.
    """
    cells = [c for c in frame.columns if c != LINE]
    blank = pl.all_horizontal(pl.col(c).str.strip_chars().fill_null("") == "" for c in cells)
    return frame.filter(~blank)


def raw_table_from_frame(file: str, table: Table, frame: pl.DataFrame) -> RawTable:
    """A table edited on screen, as text, so that it goes through the same checks as a file.

    Its lines are the rows as the screen counts them (the first row is line 1: no header line).
    """
    text = frame.select(pl.col(c).cast(pl.String) for c in table.column_names if c in frame.columns)
    return RawTable(table, file, _without_blank_rows(with_lines(text, first=1)))


def _table_for_sheet(sheet: str) -> Table | None:
    """A sheet is named after its table, in English (bodies) or French (Centrales d'achat)."""
    wanted = sheet.strip().lower()
    for table in TABLES.values():
        if wanted in (table.name, table.french.lower()):
            return table
    return None


def read_xlsx_bytes(file: str, content: bytes) -> tuple[list[RawTable], list[Problem]]:
    """Each sheet of a workbook named after a table, read as text like a CSV file."""
    try:
        book = fastexcel.read_excel(content)
    except Exception:  # fastexcel raises its own error types for broken files
        return [], [Problem(file, None, None, "classeur Excel illisible (fichier .xlsx attendu)")]
    raw_tables: list[RawTable] = []
    problems: list[Problem] = []
    for sheet in book.sheet_names:
        table = _table_for_sheet(sheet)
        where = f"{file} [{sheet}]"
        if table is None:
            expected = ", ".join(TABLES)
            problems.append(Problem(where, None, None, f"feuille inconnue (attendu : {expected})"))
            continue
        frame = pl.from_arrow(book.load_sheet(sheet, dtypes="string").to_arrow())
        assert isinstance(frame, pl.DataFrame)
        if frame.width == 0:
            problems.append(Problem(where, None, None, "feuille vide"))
            continue
        renamed, header_problems = rename_headers(where, table, frame)
        problems.extend(header_problems)
        if renamed is not None:
            raw_tables.append(RawTable(table, where, _without_blank_rows(with_lines(renamed))))
    return raw_tables, problems


def zip_files(file: str, content: bytes) -> tuple[list[tuple[str, bytes]], list[Problem]]:
    """The CSV files inside a zip (as the Données page exports them), as (name, bytes)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        return [], [Problem(file, None, None, "archive zip illisible")]
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        files = [
            (f"{file}/{PurePosixPath(m.filename).name}", archive.read(m))
            for m in members
            if m.filename.lower().endswith(".csv")
        ]
    if not files:
        return [], [Problem(file, None, None, "aucun fichier .csv dans cette archive")]
    return files, []
