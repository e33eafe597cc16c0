"""A deliberation's text: from a .txt or .pdf file, then normalised for reading."""

import io
import re
from pathlib import Path
from typing import Any

from spend.deliberations.messages import (
    MSG_READ_BINARY,
    MSG_READ_EMPTY,
    MSG_READ_ENCODING,
    MSG_READ_FORMAT,
    MSG_READ_PDF_CORRUPT,
    MSG_READ_PDF_LOCKED,
    MSG_READ_PDF_SCANNED,
)
from spend.deliberations.model import DeliberationReadError
from spend.exchange.encoding import decode_text


def deliberation_text(data: bytes, filename: str) -> str:
    """The text of a .txt or .pdf deliberation, or a DeliberationReadError in French."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".pdf" or data.startswith(b"%PDF"):
        return pdf_text(data, filename)
    if suffix not in {".txt", ".text", ""}:
        raise DeliberationReadError(MSG_READ_FORMAT.format(suffix=suffix))
    return decoded_text(data, filename)


def decoded_text(data: bytes, filename: str) -> str:
    if not data.strip():
        raise DeliberationReadError(MSG_READ_EMPTY.format(name=filename))
    if b"\x00" in data:
        raise DeliberationReadError(MSG_READ_BINARY.format(name=filename))
    text = decode_text(data)
    if text is None:
        raise DeliberationReadError(MSG_READ_ENCODING.format(name=filename))
    return text


def pdf_text(data: bytes, filename: str) -> str:
    # Imported here so that reading plain text never pays for pypdf.
    from pypdf import PdfReader

    # pypdf raises many exception types on damaged files; each one means the same to the user.
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise DeliberationReadError(MSG_READ_PDF_LOCKED.format(name=filename))
        pages = [page.extract_text() or "" for page in reader.pages]
        if not pages:
            raise DeliberationReadError(MSG_READ_PDF_CORRUPT.format(name=filename))
    except DeliberationReadError:
        raise
    except Exception as exc:
        raise DeliberationReadError(MSG_READ_PDF_CORRUPT.format(name=filename)) from exc
    text = "\n".join(pages)
    if not text.strip():
        raise DeliberationReadError(MSG_READ_PDF_SCANNED.format(name=filename))
    return text


def _opens_without_password(reader: Any) -> bool:
    # Some PDFs are encrypted with an empty user password; others need a key or a codec we lack.
    try:
        return bool(reader.decrypt(""))
    except Exception:
        return False


_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_WHITESPACE = re.compile(r"\s+")


def normalised(text: str) -> str:
    """One space between words, one line per non-blank line.

    Blank lines and runs of spaces are dropped because a PDF text layer of the same document
    does not keep them: both sources must read alike.
    """
    text = _INVISIBLE.sub("", text)
    lines = (_WHITESPACE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def collapsed(text: str) -> str:
    """Words of a block joined by single spaces; a word cut after its hyphen is joined again."""
    return re.sub(r"(?<=\w)- (?=\w)", "-", _WHITESPACE.sub(" ", text).strip())


def first_start(pattern: re.Pattern[str], text: str, *, default: int) -> int:
    match = pattern.search(text)
    return match.start() if match else default


def line_at(text: str, position: int) -> str:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start : len(text) if end < 0 else end]
