"""CSV files of the exchange format to text tables (`RawTable`), as they come from users: any
encoding, dialect or header language. Workbooks are read by `xlsx`, zips unpacked by `archives`.

Everything is read as text; typing and checking the values is `validation`'s job, so that a bad
cell becomes a French message with its line instead of a parser's exception. What a file may
cost is bounded before it is read (`limits`), each limit refused in French.
"""

import csv
import io
from dataclasses import dataclass

import polars as pl

from spend.domain.french import megabytes, thousands
from spend.domain.records import TABLES, Table, table_for_file
from spend.exchange.encoding import Decoded, decode_bytes
from spend.exchange.limits import (
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    TOO_LARGE,
    TOO_MANY_COLUMNS,
    TOO_MANY_ROWS,
)
from spend.exchange.problems import Problem

LINE = "_line"  # the line a spreadsheet shows for each row (the header is line 1)
UNREADABLE_STRUCTURE = "structure CSV illisible (guillemets non refermés ?)"
# The csv module's words for broken quotes (after the separator it names), in French.
QUOTE_ERRORS = {
    "end of data": "guillemet ouvert jamais refermé (la cellule court jusqu'à la fin du fichier)",
    "expected after '\"'": (
        "texte après un guillemet fermant (doublez un guillemet dans une cellule)"
    ),
}

# A cell as long as a whole file must not stop the line-by-line check (the csv module's own
# limit is 131 072 characters): its length is then said, with its line and column, by
# `validation`. Raising a process-wide limit only lets more through.
csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))


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
    """The file's text by `encoding`'s rule, or the French reason it has none."""
    decoded = decode_bytes(content)
    if decoded.text is not None:
        return decoded.text, []
    assert decoded.problem is not None
    if decoded.offset is None:
        return None, [Problem.of_file(file, decoded.problem)]
    line, column = _place_of_byte(file, content, decoded)
    return None, [Problem(file, line, column, decoded.problem)]


def _place_of_byte(file: str, content: bytes, decoded: Decoded) -> tuple[int, str | None]:
    """The line (as rows are numbered) and column of a damaged UTF-8 file's first bad byte."""
    assert decoded.offset is not None
    before = content[: decoded.offset].removeprefix(b"\xef\xbb\xbf")
    text = before.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    separator = _separator(text.split("\n", 1)[0])
    header: list[str] = []
    line, fields = 0, 0
    try:
        for row in csv.reader(io.StringIO(text), delimiter=separator):
            header = header or row
            line, fields = line + 1, len(row)
    except csv.Error:
        return decoded.line or 1, None
    if not text or text.endswith("\n"):  # the byte begins a line
        line, fields = line + 1, 1
    if line <= 1 or fields > len(header):
        return max(line, 1), None
    table = table_for_file(file)
    name = header[fields - 1].strip().lstrip("\ufeff")
    if table is not None:
        name = next(
            (c.french for c in table.columns if name.lower() in (c.name, c.french.lower())), name
        )
    return line, name


def _separator(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _ragged_line(file: str, text: str, separator: str) -> Problem | None:
    """Name the first line whose number of fields differs from the header's, whose quotes are
    broken, or that is past MAX_ROWS.

    Polars fills a line with too few fields with nulls without a word, so every file is checked
    here before it is parsed; a blank line is not a row and is not counted as ragged.
    """
    rows = csv.reader(io.StringIO(text), delimiter=separator, strict=True)
    done = 0  # the last line read whole: a broken quote is in the next one
    try:
        expected = len(next(rows, []))
        done = 1
        for done, row in enumerate(rows, start=2):
            if row and len(row) != expected:
                return Problem(
                    file, done, None, f"{len(row)} champ(s) au lieu de {expected} (séparateur ?)"
                )
            if done > MAX_ROWS + 1:
                return Problem(file, done, None, TOO_MANY_ROWS)
    except csv.Error as error:
        cause = QUOTE_ERRORS.get(str(error).split(" ", 1)[-1], UNREADABLE_STRUCTURE)
        return Problem(file, done + 1, None, cause)
    return None


def _header(text: str, separator: str) -> list[str]:
    """The header's cells as written (Polars renames a doubled name to `x_duplicated_0`)."""
    try:
        return next(csv.reader(io.StringIO(text), delimiter=separator), [])
    except csv.Error:  # said by the line-by-line check that follows
        return []


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
        return None, [Problem.of_file(file, f"fichier inconnu (attendus : {expected})")]
    if len(content) > MAX_FILE_BYTES:
        return None, [Problem.of_file(file, TOO_LARGE.format(size=megabytes(len(content))))]
    text, problems = decode(file, content)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [Problem.of_file(file, "fichier vide")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    separator = _separator(text.split("\n", 1)[0])
    headers = _header(text, separator)
    if len(headers) > MAX_COLUMNS:
        message = TOO_MANY_COLUMNS.format(count=thousands(len(headers)))
        return None, [Problem(file, 1, None, message)]
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
        return None, [Problem.of_file(file, UNREADABLE_STRUCTURE)]
    renamed, problems = rename_headers(file, table, frame, headers)
    if renamed is None:
        return None, problems
    return RawTable(table, file, without_blank_rows(with_lines(renamed))), []


def without_blank_rows(frame: pl.DataFrame) -> pl.DataFrame:
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
    return RawTable(table, file, without_blank_rows(with_lines(text, first=1)))
