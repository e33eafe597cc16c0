"""Reading a deliberation writes nothing to the server's log: the reading's own French warnings
are all a manager needs, whatever the libraries that parse the file have to say."""

import logging
import re
import warnings
from pathlib import Path

import pytest

from spend.deliberations.reader import read_deliberation_bytes
from tests.conftest import SOURCE_DOCUMENT
from tests.deliberations.pdfs import unicode_font, write_pdf
from tests.deliberations.word import write_docx, write_odt


def _pdf(path: Path) -> bytes:
    write_pdf(SOURCE_DOCUMENT.read_text(encoding="utf-8"), path, font=unicode_font())
    return path.read_bytes()


def _repaired_pdf(path: Path) -> bytes:
    """The seed's PDF with a wrong cross-reference offset: pypdf repairs it, and logs it."""
    data = _pdf(path)
    return re.sub(
        rb"startxref\s+(\d+)", lambda m: b"startxref\n" + str(int(m[1]) + 7).encode(), data
    )


def _docx(path: Path) -> bytes:
    write_docx(SOURCE_DOCUMENT.read_text(encoding="utf-8"), path)
    return path.read_bytes()


def _odt(path: Path) -> bytes:
    write_odt(SOURCE_DOCUMENT.read_text(encoding="utf-8"), path)
    return path.read_bytes()


FORMATS = {
    "deliberation.txt": lambda path: SOURCE_DOCUMENT.read_bytes(),
    "deliberation.pdf": _pdf,
    "reparee.pdf": _repaired_pdf,
    "deliberation.docx": _docx,
    "deliberation.odt": _odt,
}


@pytest.mark.parametrize("name", list(FORMATS))
def test_reading_the_seeds_deliberation_logs_nothing(
    name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = FORMATS[name](tmp_path / name)
    caplog.set_level(logging.WARNING)
    with warnings.catch_warnings(record=True) as raised:
        warnings.simplefilter("always")
        reading = read_deliberation_bytes(data, name)

    assert reading.deliberation_id == "2022-504"
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert [str(w.message) for w in raised] == []
