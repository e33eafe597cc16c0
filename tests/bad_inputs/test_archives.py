"""Zips and workbooks built to cost: bombs with honest or lying headers, entries named outside
the archive, archives inside archives, thousands of entries, sheets whose last cell is a million
rows away. Each is refused from its directory or within its limits (in the bounded worker's
function, measured here) and without the memory it asks for; nothing is written.

Costs are CPU times compared with the time this process takes, in the same test, to inflate
10 MB of zeros (about 35 ms here): a reader that inflated what it refuses would cost that much
per 10 MB. Wall-clock seconds are not compared: on a loaded machine they measure the queue for
the processor (a 0.3 s refusal passed 1 s under two test processes and other work).
"""

import contextlib
import functools
import resource
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from spend.exchange.limits import MAX_FILE_BYTES
from spend.exchange.uploads import read_archive, read_uploaded
from tests.bad_inputs.builders import (
    MIB,
    csv_file,
    deflated_zeros,
    with_entry_replaced,
    workbook,
    zip_bomb,
    zip_of,
    zip_with_entries,
)
from tests.bad_inputs.conftest import Corpus, folder_of, import_dir, import_tables

BODIES = [["B1", "Centrale", "", ""]]
HEADER = ["body_id", "name", "siret", "address"]
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """About 1 MB that unpacks to 1 GiB of zeros, its headers honest."""
    return zip_bomb()


def _cheaply(attempt: Callable[[], Any]) -> tuple[float, int]:
    """CPU seconds and peak Python memory (bytes) of an attempt (whatever it raises)."""
    tracemalloc.start()
    start = time.process_time()
    with contextlib.suppress(Exception):  # the caller asserts the refusal itself
        attempt()
    seconds = time.process_time() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak


UNIT_BYTES = 10_000_000


@functools.cache
def _ten_megabytes_deflated() -> bytes:
    return deflated_zeros(10)


def _inflating_unit() -> float:
    """CPU seconds to inflate 10 MB of zeros, now, in steps of 1 MiB as a bounded reader does:
    the larger of two measures, so that a moment of contention loosens the bounds."""
    data = _ten_megabytes_deflated()

    def once() -> float:
        start = time.process_time()
        inflater, size, rest = zlib.decompressobj(-15), 0, data
        while rest and size < UNIT_BYTES:
            size += len(inflater.decompress(rest, MIB))
            rest = inflater.unconsumed_tail
        return time.process_time() - start

    return max(once(), once())


def _upload(con: duckdb.DuckDBPyConnection, name: str, content: bytes) -> Callable[[], Any]:
    return lambda: import_tables(con, read_uploaded([(name, content)]))


def test_a_zip_bomb_is_refused_from_its_directory_in_milliseconds(
    hostile_db: duckdb.DuckDBPyConnection, corpus: Corpus, bomb: bytes
) -> None:
    assert len(bomb) < 1.1 * MIB
    problems = corpus.refused(hostile_db, _upload(hostile_db, "export.zip", bomb))
    assert problems == [
        "export.zip : entrée « bodies.csv » de 1 073,8 Mo une fois décompressée : au plus 100 Mo "
        "par fichier"
    ]
    unit = _inflating_unit()
    seconds, peak = _cheaply(lambda: read_archive("export.zip", bomb))
    # Not one of its 1 073 MB inflated: less than inflating 10 MB (about 1 ms against 35).
    assert seconds < unit, f"{seconds:.3f} s, inflating 10 MB takes {unit:.3f} s"
    assert peak < 10 * MIB


@pytest.mark.parametrize("declared", [1_000, 50_000_000], ids=["1 kB", "50 MB"])
def test_a_zip_bomb_whose_header_lies_is_cut_at_the_size_it_declares(
    hostile_db: duckdb.DuckDBPyConnection, corpus: Corpus, declared: int
) -> None:
    content = zip_bomb(declared=declared)
    problems = corpus.refused(hostile_db, _upload(hostile_db, "export.zip", content))
    assert problems == ["export.zip : archive zip illisible (entrée « bodies.csv »)"]
    unit = _inflating_unit()
    seconds, peak = _cheaply(lambda: read_archive("export.zip", content))
    # What it declares inflated, not the 1 073 MB it holds (20 times more than 50 MB).
    bound = unit * (1 + 2 * declared / UNIT_BYTES)
    assert seconds < bound, f"{seconds:.3f} s, inflating 10 MB takes {unit:.3f} s"
    assert peak < declared + 20 * MIB


ARCHIVE_CASES = [
    pytest.param(
        {"../bodies.csv": csv_file("bodies", BODIES)},
        "export.zip : entrée « ../bodies.csv » refusée : chemin hors de l'archive",
        id="../ entry",
    ),
    pytest.param(
        {"/etc/bodies.csv": csv_file("bodies", BODIES)},
        "export.zip : entrée « /etc/bodies.csv » refusée : chemin hors de l'archive",
        id="absolute entry",
    ),
    pytest.param(
        {"C:/export/bodies.csv": csv_file("bodies", BODIES)},
        "export.zip : entrée « C:/export/bodies.csv » refusée : chemin hors de l'archive",
        id="drive letter entry",
    ),
    pytest.param(
        {"bodies.csv": csv_file("bodies", BODIES), "inner.zip": zip_of({"x.csv": b"x"})},
        "export.zip : entrée « inner.zip » refusée : une archive dans l'archive n'est pas lue",
        id="nested zip",
    ),
    pytest.param(
        {"bodies.csv": zip_of({"bodies.csv": csv_file("bodies", BODIES)})},
        "export.zip : entrée « bodies.csv » refusée : une archive dans l'archive n'est pas lue",
        id="nested zip named .csv",
    ),
]


@pytest.mark.parametrize(("files", "expected"), ARCHIVE_CASES)
def test_an_archive_that_reaches_outside_itself_is_refused(
    hostile_db: duckdb.DuckDBPyConnection,
    corpus: Corpus,
    files: dict[str, bytes],
    expected: str,
) -> None:
    problems = corpus.refused(hostile_db, _upload(hostile_db, "export.zip", zip_of(files)))
    assert problems == [expected]


def test_ten_thousand_entries_are_refused_before_one_is_read(
    hostile_db: duckdb.DuckDBPyConnection, corpus: Corpus
) -> None:
    entries = [(f"f{i}.csv", b"\x03\x00", 0, 0, zipfile.ZIP_DEFLATED) for i in range(10_000)]
    content = zip_with_entries(entries)
    problems = corpus.refused(hostile_db, _upload(hostile_db, "export.zip", content))
    assert problems == ["export.zip : archive de 10\u202f000 entrées : au plus 200"]


def test_entries_that_together_unpack_past_the_limit_are_refused(
    hostile_db: duckdb.DuckDBPyConnection, corpus: Corpus
) -> None:
    entries = [(f"{t}.csv", b"\x03\x00", 0, 90_000_000, 8) for t in ("bodies", "agreements", "x")]
    problems = corpus.refused(
        hostile_db, _upload(hostile_db, "export.zip", zip_with_entries(entries))
    )
    assert problems == ["export.zip : archive de 270 Mo une fois décompressée : au plus 200 Mo"]


def test_the_command_line_reads_a_zip_with_the_same_checks(
    hostile_db: duckdb.DuckDBPyConnection, corpus: Corpus, tmp_path: Path
) -> None:
    archive = tmp_path / "export.zip"
    archive.write_bytes(zip_of({"export/bodies.csv": csv_file("bodies", [["B\x00", "x", "", ""]])}))
    problems = corpus.refused(hostile_db, lambda: import_dir(hostile_db, archive))
    assert problems == [
        "export.zip/bodies.csv, ligne 2, Identifiant centrale : caractère de contrôle U+0000 "
        "refusé (caractère 2 de la cellule)"
    ]


def test_a_folder_of_three_hundred_files_is_refused(
    hostile_db: duckdb.DuckDBPyConnection, corpus: Corpus, tmp_path: Path
) -> None:
    folder = folder_of(tmp_path, {f"f{i}.csv": b"x\n" for i in range(300)})
    problems = corpus.refused(hostile_db, lambda: import_dir(hostile_db, folder))
    assert problems == [f"{folder} : 300 fichiers .csv : au plus 200 par dossier"]


# Workbooks -------------------------------------------------------------------------------------


def _sheet_xml(rows: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()


def _with_sheet(xml: bytes) -> bytes:
    """A workbook of one `bodies` sheet whose XML is `xml`."""
    deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    data = deflate.compress(xml) + deflate.flush()
    return with_entry_replaced(
        workbook({"bodies": [HEADER]}), SHEET, (data, zlib.crc32(xml), len(xml))
    )


def _far_cell(row: int, column: int) -> bytes:
    """A workbook whose sheet has its header, one row, and one cell far away (0-based)."""
    return workbook({"bodies": [HEADER, ["B1", "x", "", ""]]}, far=(row, column))


def _far_in_form(cell: str, *, prefix: str = "") -> bytes:
    """A sheet whose one far cell (XFD2) is written in another form than the usual `<c r="…"`
    (far enough to be refused, near enough not to exhaust memory if it were not)."""
    p = f"{prefix}:" if prefix else ""
    xmlns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    declaration = f' xmlns:{prefix}="{xmlns}"' if prefix else f' xmlns="{xmlns}"'
    header = f'<{p}c r="A1" t="inlineStr"><{p}is><{p}t>body_id</{p}t></{p}is></{p}c>'
    far = cell.format(p=p)
    return _with_sheet(
        (
            f"<?xml version='1.0'?><{p}worksheet{declaration}><{p}sheetData>"
            f'<{p}row r="1">{header}</{p}row><{p}row r="2">{far}</{p}row>'
            f"</{p}sheetData></{p}worksheet>"
        ).encode()
    )


FAR = '<{p}c {attributes} t="inlineStr"><{p}is><{p}t>x</{p}t></{p}is></{p}c>'
FORMS = {
    "r after another attribute": 's="0" r="XFD2"',
    "a tab before r": 'xml:space="preserve"\tr="XFD2"',
    "single quotes": "r='XFD2'",
    "spaces around =": 'r = "XFD2"',
    "lower case": 'r="xfd2"',
}
WHERE = "w.xlsx : feuille « xl/worksheets/sheet1.xml »"
GRID = "au plus 500\u202f000 lignes et 7\u202f000\u202f000 cellules par feuille"
WORKBOOK_CASES = [
    pytest.param(
        lambda: _far_cell(1_048_575, 16_383),
        f"{WHERE} : cellule au-delà de la colonne CV : au plus 100 colonnes",
        id="a cell at XFD1048576",
    ),
    *(
        pytest.param(
            lambda attributes=attributes: _far_in_form(FAR.replace("{attributes}", attributes)),
            f"{WHERE} : cellule au-delà de la colonne CV : au plus 100 colonnes",
            id=f"a far cell written with {form}",
        )
        for form, attributes in FORMS.items()
    ),
    pytest.param(
        lambda: _far_in_form(FAR.replace("{attributes}", 'r="XFD2"'), prefix="x"),
        f"{WHERE} : cellule au-delà de la colonne CV : au plus 100 colonnes",
        id="a far cell with prefixed tags",
    ),
    pytest.param(
        lambda: _far_cell(600_000, 2),
        f"{WHERE} : cellule au-delà de la ligne 500\u202f001 (sur 13 colonnes) : {GRID}",
        id="a cell on row 600 001",
    ),
    pytest.param(
        lambda: _far_cell(300_000, 60),
        f"{WHERE} : cellule au-delà de la ligne 70\u202f000 (sur 100 colonnes) : {GRID}",
        id="a grid of 300 001 rows by 61 columns",
    ),
    pytest.param(
        lambda: _with_sheet(_sheet_xml("<row><c t='inlineStr'><is><t>x</t></is></c></row>" * 3)),
        f"{WHERE} : cellules sans référence (r=) : enregistrez le classeur avec Excel ou "
        "LibreOffice",
        id="cells without references",
    ),
    pytest.param(
        lambda: with_entry_replaced(
            workbook({"bodies": [HEADER]}), SHEET, (deflated_zeros(1024), 0, 1024 * MIB)
        ),
        "w.xlsx : entrée « xl/worksheets/sheet1.xml » de 1 073,8 Mo une fois décompressée : au "
        "plus 100 Mo par fichier",
        id="a workbook bomb",
    ),
    pytest.param(
        lambda: with_entry_replaced(
            workbook({"bodies": [HEADER]}), SHEET, (deflated_zeros(1024), 0, 5_000)
        ),
        "w.xlsx : entrée « xl/worksheets/sheet1.xml » de plus de 100 Mo une fois décompressée : "
        "au plus 100 Mo par fichier",
        id="a workbook bomb whose header lies",
    ),
    pytest.param(
        lambda: workbook({f"feuille {i}": [["x"]] for i in range(21)}),
        "w.xlsx : classeur de 21 feuilles : au plus 20",
        id="21 sheets",
    ),
    pytest.param(
        lambda: b"PK\x03\x04 not a workbook",
        "w.xlsx : classeur Excel illisible (fichier .xlsx attendu)",
        id="not a workbook",
    ),
    pytest.param(
        lambda: workbook({"bodies": [HEADER, ["B\u202e1", "x", "", ""]]}),
        "w.xlsx [bodies], ligne 2, Identifiant centrale : caractère de direction d'écriture "
        "U+202E refusé (caractère 2 de la cellule)",
        id="a bidirectional override in a sheet's key",
    ),
]


@pytest.mark.parametrize(("build", "expected"), WORKBOOK_CASES)
def test_a_hostile_workbook_is_refused_without_the_memory_it_asks_for(
    hostile_db: duckdb.DuckDBPyConnection,
    corpus: Corpus,
    build: Callable[[], bytes],
    expected: str,
) -> None:
    content = build()
    problems = corpus.refused(hostile_db, _upload(hostile_db, "w.xlsx", content))
    assert problems == [expected]
    # What the bounded worker runs, measured here: refused before anything is parsed.
    unit = _inflating_unit()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.process_time()
    read_archive("w.xlsx", content)
    seconds = time.process_time() - start
    # At most twice inflating the most a file may hold (a lying header is read up to it).
    assert seconds < 2 * unit * MAX_FILE_BYTES / UNIT_BYTES, f"{seconds:.3f} s, unit {unit:.3f} s"
    # The grid of a far cell would take gigabytes (the reader aborts the process without them).
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 300_000  # kB
