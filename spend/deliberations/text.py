"""A deliberation's text: from a .txt or .pdf file, normalised for reading, and the searches
every reader shares (lines, line starts), each linear in the text's length."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

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
from spend.domain.french import megabytes
from spend.exchange.encoding import decode_bytes
from spend.exchange.limits import MAX_DELIBERATION_BYTES

# A deliberation, even with its annexes, is far below these; a file beyond is not read at all.
MAX_PDF_PAGES = 1_000
MSG_READ_TOO_LARGE = "Le fichier « {name} » fait {size} : au plus {limit} pour une délibération."
MSG_READ_TOO_MANY_PAGES = (
    "Le PDF « {name} » compte {pages} pages : au plus {limit} pour une délibération."
)
MSG_READ_UTF16 = "Le fichier « {name} » est en {encoding} : enregistrez-le en UTF-8."
MSG_READ_DAMAGED = "Le fichier « {name} » est illisible ligne {line} : {problem}."


def deliberation_text(data: bytes, filename: str) -> str:
    """The text of a .txt or .pdf deliberation, or a DeliberationReadError in French."""
    if len(data) > MAX_DELIBERATION_BYTES:
        size, limit = megabytes(len(data)), megabytes(MAX_DELIBERATION_BYTES)
        raise DeliberationReadError(
            MSG_READ_TOO_LARGE.format(name=filename, size=size, limit=limit)
        )
    suffix = Path(filename).suffix.lower()
    if suffix == ".pdf" or data.startswith(b"%PDF"):
        return pdf_text(data, filename)
    if suffix in (".docx", ".odt"):
        # Imported here so that reading plain text or a PDF never pays for them.
        from spend.deliberations.documents import docx_text, odt_text

        return docx_text(data, filename) if suffix == ".docx" else odt_text(data, filename)
    if suffix not in {".txt", ".text", ""}:
        raise DeliberationReadError(MSG_READ_FORMAT.format(suffix=suffix))
    return decoded_text(data, filename)


def decoded_text(data: bytes, filename: str) -> str:
    if not data.strip():
        raise DeliberationReadError(MSG_READ_EMPTY.format(name=filename))
    decoded = decode_bytes(data)
    if decoded.text is None and decoded.encoding and decoded.encoding.startswith("UTF-16"):
        raise DeliberationReadError(MSG_READ_UTF16.format(name=filename, encoding=decoded.encoding))
    if b"\x00" in data:
        raise DeliberationReadError(MSG_READ_BINARY.format(name=filename))
    if decoded.text is None and decoded.line is not None:
        message = MSG_READ_DAMAGED.format(name=filename, line=decoded.line, problem=decoded.problem)
        raise DeliberationReadError(message)
    if decoded.text is None:
        raise DeliberationReadError(MSG_READ_ENCODING.format(name=filename))
    return decoded.text


# pypdf logs a warning in English for every flaw it repairs (« incorrect startxref pointer »,
# « Ignoring wrong pointing object 6 0 »: dozens for one real-world PDF). The reading says in
# French what matters (an unreadable, locked or scanned file): only pypdf's errors are logged.
PDF_LIBRARY_LOGGER = "pypdf"


def pdf_text(data: bytes, filename: str) -> str:
    # Imported here so that reading plain text never pays for pypdf.
    from pypdf import PdfReader

    logging.getLogger(PDF_LIBRARY_LOGGER).setLevel(logging.ERROR)

    # pypdf raises many exception types on damaged files; each one means the same to the user.
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise DeliberationReadError(MSG_READ_PDF_LOCKED.format(name=filename))
        if len(reader.pages) > MAX_PDF_PAGES:
            message = MSG_READ_TOO_MANY_PAGES.format(
                name=filename, pages=len(reader.pages), limit=MAX_PDF_PAGES
            )
            raise DeliberationReadError(message)
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


_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
# What str.splitlines() takes for a line break (besides "\n" and "\r\n").
_LINE_BREAKS = "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
# Every other character str.isspace() and re's \s take for a space.
_SPACES = "\t\x1f\xa0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))


def normalised(text: str) -> str:
    """One space between words, one line per non-blank line.

    Blank lines and runs of spaces are dropped because a PDF text layer of the same document
    does not keep them: both sources must read alike. Built from str.replace, each a linear
    pass in C that is skipped when the character is absent: a text of 20 MB, or of millions of
    short lines, is normalised in a fraction of a second.
    """
    text = _replaced(text, _INVISIBLE, "")
    text = text.replace("\r\n", "\n")
    text = _replaced(text, _LINE_BREAKS, "\n")
    text = _replaced(text, _SPACES, " ")
    text = _squeezed(text, "  ", " ")
    text = text.replace(" \n", "\n").replace("\n ", "\n")
    return _squeezed(text, "\n\n", "\n").strip(" \n")


def _replaced(text: str, characters: str, by: str) -> str:
    for character in characters:
        if character in text:
            text = text.replace(character, by)
    return text


def _squeezed(text: str, pair: str, single: str) -> str:
    # Each pass halves every run: a run of n characters takes log2(n) passes.
    while pair in text:
        text = text.replace(pair, single)
    return text


def lowered(norm: str) -> str:
    """The text in lowercase, position for position: the readers search it with case-sensitive
    patterns that begin with a word, which the regex engine finds as fast as str.find.

    « İ » is the one character whose lowercase is two characters long; it becomes « i ».
    """
    return norm.replace("\u0130", "i").lower()


_CUT_WORD = re.compile(r"(?<=\w)- (?=\w)")
# « ser- vices »: a word hyphenated at a line's end, both halves in lowercase, is one word.
_HYPHENATED = re.compile(r"(?<=[a-zàâäçéèêëîïôöùûüÿœ]{2})- (?=[a-zàâäçéèêëîïôöùûüÿœ]{2})")


def collapsed(text: str) -> str:
    """Words of a block joined by single spaces; a word hyphenated at a line's end is joined
    again (« ser-\nvices » → « services »), a compound keeps its hyphen (« Pas-de-\nCalais »)."""
    text = " ".join(text.split())
    if "- " not in text:
        return text
    return _CUT_WORD.sub("-", _HYPHENATED.sub("", text))


# Candidates a line-start search looks at before giving up (a text of millions of them).
_LINE_CANDIDATES_MAX = 20_000
_LINE_PREFIX_MAX = 80


def at_line_starts(
    pattern: re.Pattern[str],
    text: str,
    start: int = 0,
    end: int | None = None,
    prefix: re.Pattern[str] | None = None,
) -> Iterator[re.Match[str]]:
    """The matches of a pattern that begin a line, after an optional prefix (a bullet, « La
    délibération est »).

    A pattern anchored with ^ is tried at every line start, which is slow on a text of
    millions of short lines; a pattern that begins with a word is found as fast as str.find,
    and only its matches are checked here. At most _LINE_CANDIDATES_MAX matches are looked at.
    """
    end = len(text) if end is None else end
    for count, match in enumerate(pattern.finditer(text, start, end)):
        if count == _LINE_CANDIDATES_MAX:
            return
        low = max(0, match.start() - _LINE_PREFIX_MAX)
        before = text.rfind("\n", low, match.start())
        if before < 0 and low > 0:
            continue
        line_prefix = text[before + 1 : match.start()]
        if prefix is None:
            at_start = line_prefix == ""
        else:
            at_start = prefix.fullmatch(line_prefix) is not None
        if at_start:
            yield match


def first_at_line_start(
    pattern: re.Pattern[str],
    text: str,
    start: int = 0,
    end: int | None = None,
    prefix: re.Pattern[str] | None = None,
) -> re.Match[str] | None:
    return next(at_line_starts(pattern, text, start, end, prefix), None)


# An evidence line longer than this (a text without line breaks) is cut around the value.
LINE_WINDOW = 500


def line_bounds(text: str, position: int) -> tuple[int, int]:
    """Start and end of the line holding a position, looking no further than a window away."""
    low = max(0, position - LINE_WINDOW)
    before = text.rfind("\n", low, position)
    start = before + 1 if before >= 0 else low
    after = text.find("\n", position, position + LINE_WINDOW)
    end = after if after >= 0 else min(len(text), position + LINE_WINDOW)
    return start, end


@dataclass(frozen=True)
class Text:
    """A deliberation's text as every reader sees it: normalised (`norm`), and in lowercase
    position for position (`low`), where the case-insensitive patterns look. Readers take the
    text, or a window of it, never the bare strings."""

    norm: str
    low: str

    @classmethod
    def of(cls, raw: str) -> Text:
        """The text of a document's raw characters."""
        norm = normalised(raw)
        return cls(norm, lowered(norm))

    def __len__(self) -> int:
        return len(self.norm)

    def window(self, start: int = 0, end: int | None = None) -> Window:
        """The part of the text from start to end (the end of the text by default), clipped
        to the text."""
        size = len(self.norm)
        return Window(self, start if start > 0 else 0, size if end is None or end > size else end)

    def line_at(self, position: int) -> Window:
        """The line holding a position, looking no further than LINE_WINDOW away."""
        start, end = line_bounds(self.norm, position)
        return Window(self, start, end)

    def line_start(self, position: int, within: int = 2_000) -> int:
        """Where the line holding a position starts, looking back no further than `within`."""
        low = max(0, position - within)
        before = self.norm.rfind("\n", low, position)
        return before + 1 if before >= 0 else low

    def words(self, start: int, end: int) -> str:
        """The words between two positions, joined by single spaces (`collapsed`)."""
        return collapsed(self.norm[start:end])


class Window(NamedTuple):
    """A part of a text, from `start` to `end`: where a reader looks. Patterns are searched in
    the text as written, or with `low=True` in its lowercase view. (A named tuple: the reader
    makes one per amount it looks at, and a tuple is the cheapest to make.)"""

    text: Text
    start: int
    end: int

    def source(self, low: bool = False) -> str:
        """The string the window lies in: the text as written, or its lowercase view."""
        return self.text.low if low else self.text.norm

    @property
    def words(self) -> str:
        return self.text.words(self.start, self.end)

    @property
    def raw(self) -> str:
        """The window's characters as written."""
        return self.text.norm[self.start : self.end]

    def holds(self, position: int) -> bool:
        return self.start <= position < self.end

    def search(self, pattern: re.Pattern[str], *, low: bool = False) -> re.Match[str] | None:
        return pattern.search(self.source(low), self.start, self.end)

    def match(self, pattern: re.Pattern[str], *, low: bool = False) -> re.Match[str] | None:
        return pattern.match(self.source(low), self.start, self.end)

    def finditer(self, pattern: re.Pattern[str], *, low: bool = False) -> Iterator[re.Match[str]]:
        return pattern.finditer(self.source(low), self.start, self.end)

    def at_line_starts(
        self, pattern: re.Pattern[str], prefix: re.Pattern[str] | None = None, *, low: bool = False
    ) -> Iterator[re.Match[str]]:
        return at_line_starts(pattern, self.source(low), self.start, self.end, prefix)

    def first_at_line_start(
        self, pattern: re.Pattern[str], prefix: re.Pattern[str] | None = None, *, low: bool = False
    ) -> re.Match[str] | None:
        return first_at_line_start(pattern, self.source(low), self.start, self.end, prefix)

    def find(self, sub: str, *, low: bool = False) -> int:
        return self.source(low).find(sub, self.start, self.end)

    def rfind(self, sub: str, *, low: bool = False) -> int:
        return self.source(low).rfind(sub, self.start, self.end)

    def to(self, end: int) -> Window:
        return self.text.window(self.start, end)

    def since(self, start: int) -> Window:
        return self.text.window(start, self.end)
