"""A workbook of 52 KB whose cells all point at one shared string of 200 000 characters would
expand to gigabytes inside the process that parses it: it is refused from what its shared
strings would expand to, measured before parsing, in a bounded child process; the process that
imports it stays small, and nothing is written."""

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb

from spend.domain.records import TABLES
from spend.exchange.limits import MAX_FILE_BYTES
from spend.exchange.uploads import read_uploaded
from spend.paths import ROOT
from tests.bad_inputs.conftest import Corpus, import_tables

SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.'
    'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
        'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
        'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="'
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
        'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/'
        'workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships"><sheets><sheet name="bodies" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
        'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
        'sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
}
HEADER = list(TABLES["bodies"].column_names)


def shared_string_workbook(rows: int, length: int) -> bytes:
    """A bodies sheet of `rows` rows whose 4 cells all point at one shared string of `length`
    characters (written by hand: spreadsheet writers cut a cell at 32 767 characters)."""
    strings = [*HEADER, "x" * length]
    table = "".join(f"<si><t>{s}</t></si>" for s in strings)
    shared = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main" count="{len(strings)}">{table}</sst>'
    )
    letters = "ABCD"
    lines = [
        '<row r="1">'
        + "".join(f'<c r="{letters[i]}1" t="s"><v>{i}</v></c>' for i in range(4))
        + "</row>"
    ]
    lines += [
        f'<row r="{r}">'
        + "".join(f'<c r="{letter}{r}" t="s"><v>4</v></c>' for letter in letters)
        + "</row>"
        for r in range(2, rows + 2)
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/sharedStrings.xml", shared)
        archive.writestr(
            "xl/worksheets/sheet1.xml", SHEET_HEAD + "".join(lines) + "</sheetData></worksheet>"
        )
    return buffer.getvalue()


def test_a_shared_string_bomb_is_refused_from_what_it_would_expand_to(
    hostile_db: duckdb.DuckDBPyConnection, corpus: Corpus
) -> None:
    content = shared_string_workbook(5_000, 200_000)
    assert len(content) < 60_000  # 20 000 cells × 200 000 characters: 4 GB once expanded
    problems = corpus.refused(
        hostile_db, lambda: import_tables(hostile_db, read_uploaded([("bomb.xlsx", content)]))
    )
    assert problems == [
        "bomb.xlsx : classeur dont les textes partagés font 4 000,1 Mo une fois développés dans "
        "leurs cellules : au plus 100 Mo (un même texte repris dans des milliers de cellules ?)"
    ]


def test_shared_strings_just_within_the_bound_are_read(
    hostile_db: duckdb.DuckDBPyConnection,
) -> None:
    """The same shape, its expansion under the bound: read (then refused by the cells' own
    checks only, a name being at most 10 000 characters)."""
    rows = 3
    content = shared_string_workbook(rows, 100)
    (raw,) = read_uploaded([("small.xlsx", content)])
    assert raw.rows.height == rows
    assert raw.rows["name"].to_list() == ["x" * 100] * rows
    assert 4 * rows * 100 < MAX_FILE_BYTES


def test_the_importing_process_stays_small(tmp_path: Path, corpus: Corpus) -> None:
    """`spend import bomb.xlsx` in a process of its own: refused, nothing created, and the peak
    memory of that process and of every process it started under 600 MB (the workbook would
    expand to 4 GB; the wrapper caps the import at 3 GiB of address space so that a regression
    fails here rather than taking the machine's memory)."""
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(shared_string_workbook(5_000, 200_000))
    db = tmp_path / "new.duckdb"
    wrapper = (
        "import resource, subprocess, sys\n"
        "cap = 3 << 30\n"
        "run = subprocess.run([sys.executable, '-m', 'spend', 'import', sys.argv[1], '--db', "
        "sys.argv[2]], capture_output=True, text=True, "
        "preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (cap, cap)))\n"
        "sys.stderr.write(run.stderr)\n"
        "print(run.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper, str(bomb), str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    code, peak_kb = map(int, done.stdout.split())
    assert code == 1, done.stderr
    assert "textes partagés font 4\u202f000,1 Mo" in done.stderr
    assert "Import refusé : 1 problème(s), rien n'a été enregistré." in done.stderr
    assert "Traceback" not in done.stderr
    assert not db.exists()
    assert peak_kb < 600_000, f"{peak_kb} kB"
    corpus.record("refused")
