"""Deliberations as text, PDF, Word or OpenDocument, hostile: the wrong encoding, a damaged one,
NUL bytes, a file too large, a PDF of a thousand pages or a Word file unpacking to hundreds of
megabytes are refused in French before they are read; what a
readable one proposes goes through the import's checks (a date of 1850, 99 999 votes, a hidden
override refused; a formula or HTML object kept as text and exported inert)."""

import csv
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl
import pytest
from fpdf import FPDF

from spend import store
from spend.deliberations.reader import DeliberationReadError, read_deliberation_bytes
from spend.deliberations.records import proposed_deliberation
from spend.domain.records import TABLES
from spend.exchange.exports import text_frame
from spend.exchange.reading import RawTable, raw_table_from_frame
from spend.exchange.scdl import scdl_csv_bytes, scdl_frame
from tests.bad_inputs.conftest import Corpus, database_hash, import_tables
from tests.deliberations.pdfs import write_pdf

TEXT = """COMMUNE DE SAINT-ÉLOI-LES-PRÉS

EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS DU CONSEIL MUNICIPAL

SÉANCE DU 14 MARS {year}

Délibération n° 2023-12

Objet : {title}

Le Conseil municipal,

Après en avoir délibéré,

DÉCIDE :

Article 1 : d'approuver l'adhésion de la commune à l'UGAP.

Pour : {votes} voix
Contre : 0 voix
Abstention : 0 voix

Adopté.
"""


def deliberation(year: int = 2023, title: str = "adhésion à l'UGAP", votes: int = 20) -> str:
    return TEXT.format(year=year, title=title, votes=votes)


def _pdf(text: str, tmp_path: Path) -> bytes:
    path = tmp_path / "deliberation.pdf"
    write_pdf(text, path, font=None)
    return path.read_bytes()


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _docx_bomb() -> bytes:
    # 210 MB of zeros unpacked, a few hundred kilobytes packed, written a megabyte at a time.
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as member,
    ):
        chunk = bytes(1_000_000)
        for _ in range(210):
            member.write(chunk)
    return buffer.getvalue()


def _thousand_pages() -> bytes:
    pdf = FPDF()
    for _ in range(1_001):
        pdf.add_page()
    return bytes(pdf.output())


DAMAGED_DOCUMENT = (
    "Le document « d.{kind} » est illisible ou endommagé : enregistrez-le de nouveau depuis le "
    "traitement de texte, ou fournissez un PDF."
)

UNREAD = [
    pytest.param(
        "d.docx",
        _docx_bomb,
        DAMAGED_DOCUMENT.format(kind="docx"),
        id="Word file unpacking to 210 MB",
    ),
    pytest.param(
        "d.docx",
        lambda: _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document"}),
        DAMAGED_DOCUMENT.format(kind="docx"),
        id="Word file with broken XML",
    ),
    pytest.param(
        "d.odt",
        lambda: deliberation().encode(),
        DAMAGED_DOCUMENT.format(kind="odt"),
        id="text named .odt",
    ),
    pytest.param(
        "d.txt",
        lambda: deliberation().encode("utf-16"),
        "Le fichier « d.txt » est en UTF-16 LE : enregistrez-le en UTF-8.",
        id="text in UTF-16 with BOM",
    ),
    pytest.param(
        "d.txt",
        lambda: deliberation().encode("utf-16-be"),
        "Le fichier « d.txt » est en UTF-16 BE (sans BOM) : enregistrez-le en UTF-8.",
        id="text in UTF-16 BE without BOM",
    ),
    pytest.param(
        "d.txt",
        lambda: deliberation().encode().replace(b"MARS", b"MARS \xe9t\xe9", 1),
        "Le fichier « d.txt » est illisible ligne 5 : octet 0xE9 invalide en UTF-8 (caractère "
        "19 de la ligne, 1 autre(s) plus loin) : le fichier mêle UTF-8 et un autre encodage "
        "(Windows-1252 ?) ; enregistrez le fichier en UTF-8.",
        id="text in UTF-8 with Windows-1252 bytes",
    ),
    pytest.param(
        "d.txt",
        lambda: deliberation().encode().replace(b"Objet", b"Ob\x00jet"),
        "Le fichier « d.txt » n'est pas un fichier texte : fournissez un .txt ou un .pdf.",
        id="text with a NUL byte",
    ),
    pytest.param(
        "d.txt",
        lambda: b"x" * 25_000_001,
        "Le fichier « d.txt » fait 25,1 Mo : au plus 25 Mo pour une délibération.",
        id="text of 25 MB",
    ),
    pytest.param(
        "d.pdf",
        _thousand_pages,
        "Le PDF « d.pdf » compte 1001 pages : au plus 1000 pour une délibération.",
        id="PDF of 1001 pages",
    ),
    pytest.param(
        "d.pdf",
        lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\n%%EOF",
        "Le PDF « d.pdf » est illisible ou endommagé : saisissez les données à la main ou "
        "fournissez une version texte.",
        id="PDF whose page tree is a loop",
    ),
]


@pytest.mark.parametrize(("name", "build", "expected"), UNREAD)
def test_a_hostile_deliberation_file_is_refused_before_it_is_read(
    hostile_db: duckdb.DuckDBPyConnection,
    corpus: Corpus,
    name: str,
    build: Callable[[], bytes],
    expected: str,
) -> None:
    before = database_hash(hostile_db)
    with pytest.raises(DeliberationReadError) as error:
        read_deliberation_bytes(build(), name)
    assert str(error.value) == expected
    assert database_hash(hostile_db) == before
    corpus.record("refused")


def _proposed(data: bytes, name: str) -> list[RawTable]:
    """What the Données page hands the import for a read deliberation (its proposed row as
    the editor shows it)."""
    table = TABLES["deliberations"]
    proposal = text_frame(
        proposed_deliberation(read_deliberation_bytes(data, name)), "excel_fr", table
    )
    return [raw_table_from_frame(f"{name} ({table.french})", table, proposal.fill_null(""))]


IMPORTED = [
    pytest.param(
        lambda tmp: deliberation(year=1850).encode(),
        "d.txt",
        "d.txt (Délibérations), ligne 1, Date : date « 14/03/1850 » hors limites : année entre "
        "1990 et 2100",
        id="text of a meeting in 1850",
    ),
    pytest.param(
        lambda tmp: _pdf(deliberation(votes=99_999), tmp),
        "d.pdf",
        "d.pdf (Délibérations), ligne 1, Pour : valeur « 99999 » hors limites : au plus 10 000",
        id="PDF with 99 999 votes",
    ),
    pytest.param(
        lambda tmp: deliberation(title="adhésion \u202eLPAGU\u202c à l'UGAP").encode(),
        "d.txt",
        "d.txt (Délibérations), ligne 1, Objet : caractère de direction d'écriture U+202E "
        "refusé (caractère 10 de la cellule)",
        id="text whose object hides a right-to-left override",
    ),
]


@pytest.mark.parametrize(("build", "name", "expected"), IMPORTED)
def test_what_a_hostile_deliberation_proposes_is_refused_by_the_import(
    hostile_db: duckdb.DuckDBPyConnection,
    corpus: Corpus,
    tmp_path: Path,
    build: Callable[[Path], bytes],
    name: str,
    expected: str,
) -> None:
    raw = _proposed(build(tmp_path), name)
    problems = corpus.refused(hostile_db, lambda: import_tables(hostile_db, raw))
    assert problems == [expected]


@pytest.mark.parametrize(
    "title",
    ['=HYPERLINK("http://evil.example","clic")', "<script>alert(1)</script> **gras**"],
    ids=["formula", "HTML and Markdown"],
)
def test_a_pdf_object_payload_is_saved_as_text_and_exported_inert(
    seeded_db: duckdb.DuckDBPyConnection, corpus: Corpus, tmp_path: Path, title: str
) -> None:
    raw = _proposed(_pdf(deliberation(title=title), tmp_path), "d.pdf")
    import_tables(seeded_db, raw)
    stored = store.read_table(seeded_db, "deliberations").filter(
        pl.col("deliberation_id") == "2023-12"
    )
    assert stored["title"].to_list() == [title]
    frame = scdl_frame(stored, coll_name="Commune", coll_siret=None)
    (row,) = csv.DictReader(io.StringIO(scdl_csv_bytes(frame).decode("utf-8")))
    assert row["DELIB_OBJET"] == title  # the open-data file publishes what is stored
    corpus.record("accepted")
