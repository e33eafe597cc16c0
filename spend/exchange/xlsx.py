"""XLSX workbooks to text tables, one sheet per table, read like CSV files (`reading`).

A workbook is a zip of XML parts: before the workbook reader sees it, its parts are bounded as
an archive's are (`archives`), then inflated a chunk at a time and their XML scanned as bytes,
so that a sheet whose grid or shared strings would expand past the limits (`limits`) is refused
in French before it costs memory or time.
"""

import io
import re
import struct
import zipfile
import zlib
from array import array

import fastexcel
import polars as pl

from spend.domain.french import megabytes, thousands
from spend.domain.records import TABLES, Table
from spend.exchange.archives import archive_bounds
from spend.exchange.limits import (
    ENTRY_TOO_LARGE,
    EXPANDS_TOO_MUCH,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_SHEET_CELLS,
    MAX_SHEETS,
    MAX_UNPACKED_BYTES,
    READ_CHUNK,
    TOO_LARGE,
    TOO_MANY_COLUMNS,
    TOO_MANY_ROWS,
)
from spend.exchange.problems import Problem
from spend.exchange.reading import RawTable, rename_headers, with_lines, without_blank_rows
from spend.exchange.workbooks import (
    expansion,
    is_shared_strings,
    shared_string_lengths,
    shared_string_references,
)


def _table_for_sheet(sheet: str) -> Table | None:
    """A sheet is named after its table, in English (bodies) or French (Centrales d'achat)."""
    wanted = sheet.strip().lower()
    for table in TABLES.values():
        if wanted in (table.name, table.french.lower()):
            return table
    return None


def read_xlsx_bytes(file: str, content: bytes) -> tuple[list[RawTable], list[Problem]]:
    """Each sheet of a workbook named after a table, read as text like a CSV file."""
    if len(content) > MAX_FILE_BYTES:
        return [], [Problem.of_file(file, TOO_LARGE.format(size=megabytes(len(content))))]
    unreadable = [Problem.of_file(file, "classeur Excel illisible (fichier .xlsx attendu)")]
    try:  # a workbook is a zip: its parts are bounded like an archive's before it is opened
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            bounds = archive_bounds(file, archive, archive.infolist())
            names = {entry.filename.lower() for entry in archive.infolist()}
            if "xl/workbook.xml" not in names or "xl/workbook.bin" in names:
                return [], unreadable  # not an .xlsx: the reader would take .xlsb or .ods
            if not bounds:
                bounds = _parts_within_bounds(file, content, archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, zlib.error):
        return [], unreadable
    if bounds:
        return [], bounds
    try:
        book = fastexcel.read_excel(content)
    except Exception:  # fastexcel raises its own error types for broken files
        return [], unreadable
    if len(book.sheet_names) > MAX_SHEETS:
        count = len(book.sheet_names)
        return [], [Problem.of_file(file, f"classeur de {count} feuilles : au plus {MAX_SHEETS}")]
    raw_tables: list[RawTable] = []
    problems: list[Problem] = []
    for sheet in book.sheet_names:
        table = _table_for_sheet(sheet)
        where = f"{file} [{sheet}]"
        if table is None:
            expected = ", ".join(TABLES)
            problems.append(Problem.of_file(where, f"feuille inconnue (attendu : {expected})"))
            continue
        try:
            loaded = book.load_sheet(sheet, dtypes="string", n_rows=MAX_ROWS + 1)
            frame = pl.from_arrow(loaded.to_arrow())
        except Exception:  # a damaged sheet: fastexcel's own error types again
            problems.append(Problem.of_file(where, "feuille illisible"))
            continue
        assert isinstance(frame, pl.DataFrame)
        if frame.width == 0:
            problems.append(Problem.of_file(where, "feuille vide"))
            continue
        if frame.width > MAX_COLUMNS:
            message = TOO_MANY_COLUMNS.format(count=thousands(frame.width))
            problems.append(Problem(where, 1, None, message))
            continue
        if frame.height > MAX_ROWS:
            problems.append(Problem(where, MAX_ROWS + 2, None, TOO_MANY_ROWS))
            continue
        renamed, header_problems = rename_headers(where, table, frame)
        problems.extend(header_problems)
        if renamed is not None:
            raw_tables.append(RawTable(table, where, without_blank_rows(with_lines(renamed))))
    return raw_tables, problems


def _parts_within_bounds(
    file: str, content: bytes, entries: list[zipfile.ZipInfo]
) -> list[Problem]:
    """The limits a workbook's parts break by what they really hold, whatever their headers say.

    The workbook reader unpacks a part to its end rather than to the size its header declares,
    and gives each sheet a dense grid from its first to its last cell: each part is inflated
    here first, a chunk at a time and refused past its limit, and each sheet's cell references
    are checked (`_sheet_extent`), then what the shared strings would expand to in the cells
    that point at them (`workbooks`). An unknown compression method is refused (ValueError).
    """
    left = MAX_UNPACKED_BYTES
    lengths, references = array("q"), []
    for entry in entries:
        limit = min(left, MAX_FILE_BYTES)
        data = _inflated(content, entry, limit)
        if data is None:
            size = f"plus de {megabytes(limit)}"
            return [Problem.of_file(file, ENTRY_TOO_LARGE.format(name=entry.filename, size=size))]
        left -= len(data)
        extent = _sheet_extent(data)  # any part: a sheet may be named anything by its links
        if extent is not None:
            return [Problem.of_file(file, f"feuille « {entry.filename} » : {extent}")]
        if is_shared_strings(data):
            lengths = shared_string_lengths(data)
        elif b"sheetData" in data:
            references.append(shared_string_references(data.translate(_SCANNED)))
        del data
    expanded = expansion(lengths, references)
    if expanded > MAX_FILE_BYTES:
        return [Problem.of_file(file, EXPANDS_TOO_MUCH.format(size=megabytes(expanded)))]
    return []


def _inflated(content: bytes, entry: zipfile.ZipInfo, limit: int) -> bytes | None:
    """An entry's data inflated to its true end, or None past `limit`."""
    header = content[entry.header_offset : entry.header_offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise ValueError(entry.filename)
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = entry.header_offset + 30 + name_length + extra_length
    data = content[start : start + entry.compress_size]
    if entry.compress_type == zipfile.ZIP_STORED:
        return data if len(data) <= limit else None
    if entry.compress_type != zipfile.ZIP_DEFLATED:
        raise ValueError(entry.filename)
    inflater = zlib.decompressobj(-15)
    chunks, size = [], 0
    while data:
        chunk = inflater.decompress(data, READ_CHUNK)
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        data = inflater.unconsumed_tail
    chunks.append(inflater.flush())
    return b"".join(chunks) if size + len(chunks[-1]) <= limit else None


def _greater_than(number: int) -> bytes:
    """A pattern for the decimal integers greater than `number` (no leading zero)."""
    digits = str(number)
    options = [rf"[1-9]\d{{{len(digits)},}}"]
    for index, digit in enumerate(map(int, digits)):
        if digit < 9:
            rest = len(digits) - index - 1
            higher = f"[{digit + 1}-9]" if digit < 8 else "9"
            options.append(digits[:index] + higher + (rf"\d{{{rest}}}" if rest else ""))
    return ("(?:" + "|".join(options) + ")").encode()


# A sheet's cells and rows as SpreadsheetML writes them, `<c r="B7" …>` in `<row r="7">`, once
# tabs and line breaks are spaces and quotes double (`_SCANNED`). Every writer puts `r` first,
# which bytes.count checks at C speed; any other form is checked by the slower patterns.
_SCANNED = bytes.maketrans(b"\t\r\n'", b'   "')
_CANONICAL_CELL, _CANONICAL_ROW = rb'<c r="', rb'<row r="'
_ANY_CELL = rb'<(?:[\w.-]+:)?c\s(?:[^>]*?\s)?r *= *"'
_IMPLICIT = re.compile(rb"<(?:[\w.-]+:)?(?:c|row)(?=[ />])(?![^>]* r *=)")
# Column letters beyond M (13, the widest table), beyond Z (26), beyond CV (MAX_COLUMNS = 100).
_BEYOND_COLUMN = {
    13: rb"(?:[N-Zn-z]|[A-Za-z]{2,})\d",
    26: rb"[A-Za-z]{2,}\d",
    MAX_COLUMNS: rb"(?:[A-Za-z]{3,}|[D-Zd-z][A-Za-z]|[Cc][W-Zw-z])\d",
}


def _canonical(xml: bytes) -> bool:
    """Every cell and row names its place first (`<c r="…"`, `<row r="…"`), unprefixed."""
    cells = xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b"<c/>")
    rows = xml.count(b"<row ") + xml.count(b"<row>") + xml.count(b"<row/>")
    return (
        cells == xml.count(_CANONICAL_CELL)
        and rows == xml.count(_CANONICAL_ROW)
        and not any(form in xml for form in (b":c ", b":c>", b":c/>", b":row"))
    )


def _sheet_extent(xml: bytes) -> str | None:
    """Why a sheet's grid is too large to read, or None: its cells must name their place, lie
    within MAX_COLUMNS, and span at most MAX_SHEET_CELLS with MAX_ROWS rows after the header."""
    if b"sheetData" not in xml:  # a sheet, its tags prefixed or not
        return None
    xml = xml.translate(_SCANNED)
    if _canonical(xml):
        cell = re.escape(_CANONICAL_CELL)
    elif _IMPLICIT.search(xml):
        return "cellules sans référence (r=) : enregistrez le classeur avec Excel ou LibreOffice"
    else:
        cell = _ANY_CELL
    if re.search(cell + _BEYOND_COLUMN[MAX_COLUMNS], xml):
        return f"cellule au-delà de la colonne CV : au plus {MAX_COLUMNS} colonnes"
    columns = next(
        (n for n in (13, 26) if not re.search(cell + _BEYOND_COLUMN[n], xml)), MAX_COLUMNS
    )
    rows = min(MAX_ROWS + 1, MAX_SHEET_CELLS // columns)
    if re.search(cell + rb"[A-Za-z]{1,3}" + _greater_than(rows) + rb'"', xml):
        return (
            f"cellule au-delà de la ligne {thousands(rows)} (sur {columns} colonnes) : au plus "
            f"{thousands(MAX_ROWS)} lignes et {thousands(MAX_SHEET_CELLS)} cellules par feuille"
        )
    return None
