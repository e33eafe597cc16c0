"""Read exchange-format files as they come from users: any encoding, dialect or header language.

Everything is read as text; typing and checking the values is `validation`'s job, so that a bad
cell becomes a French message with its line instead of a parser's exception. What a file may
cost is bounded before it is read (the limits below): a file's bytes, rows and columns, a zip's
entries and unpacked size, a workbook's sheets, each refused in French beyond its limit.
"""

import csv
import io
import re
import struct
import zipfile
import zlib
from array import array
from dataclasses import dataclass
from pathlib import PurePosixPath

import fastexcel
import polars as pl

from spend.domain.records import TABLES, Table, table_for_file
from spend.exchange.encoding import Decoded, decode_bytes
from spend.exchange.problems import Problem
from spend.exchange.workbooks import (
    expansion,
    is_shared_strings,
    shared_string_lengths,
    shared_string_references,
)

LINE = "_line"  # the line a spreadsheet shows for each row (the header is line 1)
UNREADABLE_STRUCTURE = "structure CSV illisible (guillemets non refermés ?)"
# The csv module's words for broken quotes (after the separator it names), in French.
QUOTE_ERRORS = {
    "end of data": "guillemet ouvert jamais refermé (la cellule court jusqu'à la fin du fichier)",
    "expected after '\"'": (
        "texte après un guillemet fermant (doublez un guillemet dans une cellule)"
    ),
}

# Limits: generous for real use (a region's 100 000 conventions make a CSV file of about
# 20 MB), small enough that a hostile file is refused before it costs memory or time. A cell's
# length (MAX_CELL_CHARS) and the values' ranges are the exchange format's, in domain.records.
MAX_FILE_BYTES = 100_000_000  # one CSV file, or one zip or workbook as a whole
MAX_ROWS = 500_000  # rows of one file or sheet, header not counted
MAX_COLUMNS = 100  # cells of a header (a table has at most 13 columns)
MAX_ZIP_ENTRIES = 200  # entries of a zip or workbook, files of a folder or an upload (7 tables)
MAX_UNPACKED_BYTES = 200_000_000  # a zip's or workbook's entries once decompressed, together
MAX_SHEETS = 20  # sheets of a workbook (one per table: 7)
MAX_SHEET_CELLS = 7_000_000  # a sheet's grid, first to last cell (500 000 rows × 13 columns)
READ_CHUNK = 1 << 20  # a zip entry is decompressed this much at a time, up to its limit

# A cell as long as a whole file must not stop the line-by-line check (the csv module's own
# limit is 131 072 characters): its length is then said, with its line and column, by
# `validation`. Raising a process-wide limit only lets more through.
csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))


def megabytes(size: int) -> str:
    """120 450 000 → « 120,5 Mo » (decimal megabytes, as file managers show them)."""
    tenths = (size + 99_999) // 100_000  # rounded up: just past a limit never reads as it
    units = _grouped(tenths // 10)
    return f"{units},{tenths % 10} Mo" if tenths % 10 else f"{units} Mo"


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", " ")


TOO_LARGE = "fichier de {size} : au plus " + megabytes(MAX_FILE_BYTES) + " par fichier"
TOO_MANY_ROWS = f"plus de {_grouped(MAX_ROWS)} lignes : au plus {_grouped(MAX_ROWS)} par fichier"
TOO_MANY_COLUMNS = "en-tête de {count} colonnes : au plus " + str(MAX_COLUMNS)
TOO_MANY_ENTRIES = "archive de {count} entrées : au plus " + str(MAX_ZIP_ENTRIES)
TOO_LARGE_UNPACKED = "archive de {size} une fois décompressée : au plus " + megabytes(
    MAX_UNPACKED_BYTES
)
ENTRY_TOO_LARGE = (
    "entrée « {name} » de {size} une fois décompressée : au plus "
    + megabytes(MAX_FILE_BYTES)
    + " par fichier"
)
UNSAFE_ENTRY = "entrée « {name} » refusée : chemin hors de l'archive"
NESTED_ZIP = "entrée « {name} » refusée : une archive dans l'archive n'est pas lue"
EXPANDS_TOO_MUCH = (
    "classeur dont les textes partagés font {size} une fois développés dans leurs cellules : "
    "au plus "
    + megabytes(MAX_FILE_BYTES)
    + " (un même texte repris dans des milliers de cellules ?)"
)
UNREADABLE_ZIP = "archive zip illisible"
LOCKED_ZIP = "archive zip protégée par un mot de passe"


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
        return None, [Problem(file, None, None, decoded.problem)]
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
        return None, [Problem(file, None, None, f"fichier inconnu (attendus : {expected})")]
    if len(content) > MAX_FILE_BYTES:
        return None, [Problem(file, None, None, TOO_LARGE.format(size=megabytes(len(content))))]
    text, problems = decode(file, content)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [Problem(file, None, None, "fichier vide")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    separator = _separator(text.split("\n", 1)[0])
    headers = _header(text, separator)
    if len(headers) > MAX_COLUMNS:
        message = TOO_MANY_COLUMNS.format(count=_grouped(len(headers)))
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
        return None, [Problem(file, None, None, UNREADABLE_STRUCTURE)]
    renamed, problems = rename_headers(file, table, frame, headers)
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
    if len(content) > MAX_FILE_BYTES:
        return [], [Problem(file, None, None, TOO_LARGE.format(size=megabytes(len(content))))]
    unreadable = [Problem(file, None, None, "classeur Excel illisible (fichier .xlsx attendu)")]
    try:  # a workbook is a zip: its parts are bounded like an archive's before it is opened
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            bounds = _archive_bounds(file, archive, archive.infolist())
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
        return [], [
            Problem(file, None, None, f"classeur de {count} feuilles : au plus {MAX_SHEETS}")
        ]
    raw_tables: list[RawTable] = []
    problems: list[Problem] = []
    for sheet in book.sheet_names:
        table = _table_for_sheet(sheet)
        where = f"{file} [{sheet}]"
        if table is None:
            expected = ", ".join(TABLES)
            problems.append(Problem(where, None, None, f"feuille inconnue (attendu : {expected})"))
            continue
        try:
            loaded = book.load_sheet(sheet, dtypes="string", n_rows=MAX_ROWS + 1)
            frame = pl.from_arrow(loaded.to_arrow())
        except Exception:  # a damaged sheet: fastexcel's own error types again
            problems.append(Problem(where, None, None, "feuille illisible"))
            continue
        assert isinstance(frame, pl.DataFrame)
        if frame.width == 0:
            problems.append(Problem(where, None, None, "feuille vide"))
            continue
        if frame.width > MAX_COLUMNS:
            message = TOO_MANY_COLUMNS.format(count=_grouped(frame.width))
            problems.append(Problem(where, 1, None, message))
            continue
        if frame.height > MAX_ROWS:
            problems.append(Problem(where, MAX_ROWS + 2, None, TOO_MANY_ROWS))
            continue
        renamed, header_problems = rename_headers(where, table, frame)
        problems.extend(header_problems)
        if renamed is not None:
            raw_tables.append(RawTable(table, where, _without_blank_rows(with_lines(renamed))))
    return raw_tables, problems


def _unsafe_name(name: str) -> bool:
    """An entry that would land outside a folder it were unpacked into (../x, /x, C:x)."""
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ":" in parts[0] or ".." in parts


def _ignored(entry: zipfile.ZipInfo) -> bool:
    """Folders, and what macOS adds to the zips it makes (__MACOSX/, ._bodies.csv)."""
    name = PurePosixPath(entry.filename.replace("\\", "/"))
    return entry.is_dir() or "__MACOSX" in name.parts or name.name.startswith("._")


def _archive_bounds(
    file: str, archive: zipfile.ZipFile, read: list[zipfile.ZipInfo]
) -> list[Problem]:
    """The limits an archive breaks, from its central directory, before anything is unpacked:
    its entries, their names, and the sizes they declare for the entries that will be `read`."""
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        return [Problem(file, None, None, TOO_MANY_ENTRIES.format(count=_grouped(len(entries))))]
    unsafe = [e.filename for e in entries if _unsafe_name(e.filename)]
    if unsafe:
        return [Problem(file, None, None, UNSAFE_ENTRY.format(name=unsafe[0]))]
    large = [e for e in read if e.file_size > MAX_FILE_BYTES]
    if large:
        size = megabytes(large[0].file_size)
        return [
            Problem(file, None, None, ENTRY_TOO_LARGE.format(name=large[0].filename, size=size))
        ]
    declared = sum(e.file_size for e in read)
    if declared > MAX_UNPACKED_BYTES:
        return [Problem(file, None, None, TOO_LARGE_UNPACKED.format(size=megabytes(declared)))]
    return []


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
            return [
                Problem(file, None, None, ENTRY_TOO_LARGE.format(name=entry.filename, size=size))
            ]
        left -= len(data)
        extent = _sheet_extent(data)  # any part: a sheet may be named anything by its links
        if extent is not None:
            return [Problem(file, None, None, f"feuille « {entry.filename} » : {extent}")]
        if is_shared_strings(data):
            lengths = shared_string_lengths(data)
        elif b"sheetData" in data:
            references.append(shared_string_references(data.translate(_SCANNED)))
        del data
    expanded = expansion(lengths, references)
    if expanded > MAX_FILE_BYTES:
        return [Problem(file, None, None, EXPANDS_TOO_MUCH.format(size=megabytes(expanded)))]
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
            f"cellule au-delà de la ligne {_grouped(rows)} (sur {columns} colonnes) : au plus "
            f"{_grouped(MAX_ROWS)} lignes et {_grouped(MAX_SHEET_CELLS)} cellules par feuille"
        )
    return None


def _unpacked(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limit: int) -> bytes | None:
    """An entry's bytes, or None past `limit`: decompressed a chunk at a time, so that an entry
    whose header understates its size costs no more than the limit."""
    chunks: list[bytes] = []
    size = 0
    with archive.open(entry) as stream:
        while chunk := stream.read(READ_CHUNK):
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
    return b"".join(chunks)


def zip_files(file: str, content: bytes) -> tuple[list[tuple[str, bytes]], list[Problem]]:
    """The CSV files inside a zip (as the Données page exports them), as (name, bytes).

    A zip is bounded before it is unpacked (`_archive_bounds`) and while it is (`_unpacked`); a
    zip inside it, or an entry named outside it, is refused rather than read.
    """
    if len(content) > MAX_FILE_BYTES:
        return [], [Problem(file, None, None, TOO_LARGE.format(size=megabytes(len(content))))]
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        return [], [Problem(file, None, None, UNREADABLE_ZIP)]
    with archive:
        members = [m for m in archive.infolist() if not _ignored(m)]
        nested = [m.filename for m in members if m.filename.lower().endswith(".zip")]
        wanted = [m for m in members if m.filename.lower().endswith(".csv")]
        problems = _archive_bounds(file, archive, wanted)
        if not problems and nested:
            problems = [Problem(file, None, None, NESTED_ZIP.format(name=nested[0]))]
        if problems:
            return [], problems
        files, problems = _unpacked_members(file, archive, wanted)
    if not files and not problems:
        return [], [Problem(file, None, None, "aucun fichier .csv dans cette archive")]
    return files, problems


def _unpacked_members(
    file: str, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]
) -> tuple[list[tuple[str, bytes]], list[Problem]]:
    files: list[tuple[str, bytes]] = []
    left = MAX_UNPACKED_BYTES
    for member in members:
        name = f"{file}/{PurePosixPath(member.filename.replace(chr(92), '/')).name}"
        try:
            data = _unpacked(archive, member, min(left, MAX_FILE_BYTES))
        except RuntimeError:  # zipfile's word for an encrypted entry
            return [], [Problem(file, None, None, LOCKED_ZIP)]
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError):
            return [], [
                Problem(file, None, None, f"{UNREADABLE_ZIP} (entrée « {member.filename} »)")
            ]
        if data is None:  # more than its header said
            size = f"plus de {megabytes(min(left, MAX_FILE_BYTES))}"
            message = ENTRY_TOO_LARGE.format(name=member.filename, size=size)
            return [], [Problem(file, None, None, message)]
        if data.startswith(b"PK\x03\x04"):
            return [], [Problem(file, None, None, NESTED_ZIP.format(name=member.filename))]
        left -= len(data)
        files.append((name, data))
    return files, []
