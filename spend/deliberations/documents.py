"""The text of a deliberation written as a Word (.docx) or OpenDocument (.odt) file.

Paragraphs come one per line, in the document's order; a table comes one row per line, its
cells apart by « | », as the budget and vote readers read a table printed with bars. Merged
cells are written once. Headers, footers and comments are no part of the deliberation's text.

Both formats are zip archives: an archive whose content would unpack beyond a bound (a « zip
bomb ») is refused before anything is unpacked.
"""

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from spend.deliberations.messages import MSG_READ_DOCUMENT_CORRUPT, MSG_READ_DOCUMENT_EMPTY
from spend.deliberations.model import DeliberationReadError

CELL_SEPARATOR = " | "
# A deliberation's document.xml is a few hundred kilobytes; far more is no deliberation.
MAX_UNPACKED_BYTES = 200_000_000
MAX_ARCHIVE_MEMBERS = 10_000


def docx_text(data: bytes, filename: str) -> str:
    """Paragraphs and table rows of a .docx, in order."""
    _check_archive(data, filename)
    from docx import Document

    try:
        document = Document(io.BytesIO(data))
        lines = list(_docx_lines(document))
    except DeliberationReadError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds on damaged files
        raise DeliberationReadError(MSG_READ_DOCUMENT_CORRUPT.format(name=filename)) from exc
    return _joined(lines, filename)


def _docx_lines(document: Any) -> Iterator[str]:
    from docx.table import Table

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            yield from _docx_rows(block)
        else:
            yield block.text


def _docx_rows(table: Any) -> Iterator[str]:
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(p.text for p in cell.paragraphs).strip())
        yield _row_line(cells)


def odt_text(data: bytes, filename: str) -> str:
    """Paragraphs, headings, list items and table rows of an .odt, in order."""
    _check_archive(data, filename)
    from odf.opendocument import load

    try:
        document = load(io.BytesIO(data))
        lines = list(_odt_lines(document.text))
    except DeliberationReadError:
        raise
    except Exception as exc:  # odfpy raises many kinds on damaged files
        raise DeliberationReadError(MSG_READ_DOCUMENT_CORRUPT.format(name=filename)) from exc
    return _joined(lines, filename)


_ODT_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODT_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _odt_lines(element: Any) -> Iterator[str]:
    from odf import teletype

    for child in element.childNodes:
        qname = getattr(child, "qname", None)
        if qname in ((_ODT_TEXT, "p"), (_ODT_TEXT, "h")):
            yield teletype.extractText(child)
        elif qname == (_ODT_TABLE, "table"):
            yield from _odt_rows(child)
        elif qname is not None:
            # Lists, sections and other containers hold paragraphs of their own.
            yield from _odt_lines(child)


def _odt_rows(table: Any) -> Iterator[str]:
    from odf import teletype

    for row in _descendants(table, (_ODT_TABLE, "table-row")):
        cells = [
            " ".join(teletype.extractText(p) for p in cell.childNodes if hasattr(p, "qname"))
            for cell in row.childNodes
            if getattr(cell, "qname", None) == (_ODT_TABLE, "table-cell")
        ]
        yield _row_line(cells)


def _descendants(element: Any, qname: tuple[str, str]) -> Iterator[Any]:
    for child in element.childNodes:
        if getattr(child, "qname", None) == qname:
            yield child
        elif getattr(child, "qname", None) != (_ODT_TABLE, "table"):
            yield from _descendants(child, qname)


def _row_line(cells: list[str]) -> str:
    cells = [" ".join(c.split()) for c in cells]
    while cells and not cells[-1]:
        cells.pop()
    return CELL_SEPARATOR.join(cells)


def _joined(lines: list[str], filename: str) -> str:
    text = "\n".join(lines)
    if not text.strip():
        raise DeliberationReadError(MSG_READ_DOCUMENT_EMPTY.format(name=filename))
    return text


def _check_archive(data: bytes, filename: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DeliberationReadError(MSG_READ_DOCUMENT_CORRUPT.format(name=filename)) from exc
    unpacked = sum(m.file_size for m in members)
    if len(members) > MAX_ARCHIVE_MEMBERS or unpacked > MAX_UNPACKED_BYTES:
        raise DeliberationReadError(MSG_READ_DOCUMENT_CORRUPT.format(name=filename))
