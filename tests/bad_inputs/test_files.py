"""Whole files that are not what they claim: wrong or mixed encodings, broken quotes, a header of
100 000 columns, a cell of a million characters, files past their size or row limits. Each is
refused before it costs much, with its line (and column when there is one); nothing is written."""

import time
from pathlib import Path

import duckdb
import polars as pl
import pytest

from spend import store
from spend.exchange.importer import read_files
from spend.exchange.limits import MAX_FILE_BYTES, MAX_ROWS
from spend.exchange.uploads import read_uploaded
from tests.bad_inputs.builders import csv_file
from tests.bad_inputs.conftest import Corpus, folder_of, import_dir, import_tables

BODIES = [["B1", "Société générale", "", ""], ["B2", "Régie", "", ""]]
SAVE_AS_UTF8 = (
    "le fichier mêle UTF-8 et un autre encodage (Windows-1252 ?) ; enregistrez le fichier en UTF-8"
)
UTF16 = (
    "(« Texte Unicode » d'Excel) : enregistrez-le en CSV UTF-8 ou CSV (séparateur point-virgule)"
)


def _stray_byte(content: bytes, text: str, byte: bytes = b"\xe9") -> bytes:
    """The UTF-8 « é » of `text` written as one Windows-1252 byte, as a paste from another
    program leaves it."""
    return content.replace(text.encode(), text.replace("é", "\x00").encode().replace(b"\x00", byte))


CASES = [
    pytest.param(
        "bodies.csv",
        _stray_byte(csv_file("bodies", BODIES), "Régie"),
        [
            f"bodies.csv, ligne 3, Nom : octet 0xE9 invalide en UTF-8 (caractère 5 de la ligne) : "
            f"{SAVE_AS_UTF8}"
        ],
        id="UTF-8 with one stray Windows-1252 byte",
    ),
    pytest.param(
        "conventions.csv",
        _stray_byte(
            csv_file(
                "conventions",
                [
                    [
                        "K",
                        "CAIH-SO360",
                        "Adhésion « sécurité » été",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "signée",
                    ]
                ],
                "excel_fr",
            ),
            "Adhésion « sécurité » été",
        ),
        [
            "conventions.csv, ligne 2, Intitulé : octet 0xE9 invalide en UTF-8 (caractère 17 de "
            f"la ligne, 4 autre(s) plus loin) : {SAVE_AS_UTF8}"
        ],
        id="UTF-8 with a BOM and a few Windows-1252 bytes (Excel FR)",
    ),
    pytest.param(
        "agreements.csv",
        _stray_byte(csv_file("agreements", [], "excel_fr"), "Référence", b"\xc9"),
        [
            "agreements.csv, ligne 1 : octet 0xC9 invalide en UTF-8 (caractère 48 de la ligne, "
            f"1 autre(s) plus loin) : {SAVE_AS_UTF8}"
        ],
        id="a stray byte in the header",
    ),
    pytest.param(
        "agreements.csv",
        "agreement_id,body_id,reference,title,end_date\nAG,CAIH,,Titre,\n".encode("utf-16"),
        [f"agreements.csv : fichier en UTF-16 LE {UTF16}"],
        id="UTF-16 with BOM",
    ),
    pytest.param(
        "bodies.csv",
        csv_file("bodies", BODIES, encoding="utf-16-le"),
        [f"bodies.csv : fichier en UTF-16 LE (sans BOM) {UTF16}"],
        id="UTF-16 LE without BOM",
    ),
    pytest.param(
        "bodies.csv",
        csv_file("bodies", BODIES, "excel_fr", encoding="utf-16-be"),
        [f"bodies.csv : fichier en UTF-16 BE (sans BOM) {UTF16}"],
        id="UTF-16 BE without BOM",
    ),
    pytest.param(
        "bodies.csv",
        csv_file("bodies", []) + b"\x81\x8d\x8f\x90,x,,\r\n",
        ["bodies.csv : fichier illisible : ni UTF-8 ni Windows-1252 (fichier binaire ?)"],
        id="bytes neither UTF-8 nor Windows-1252",
    ),
    pytest.param(
        "bodies.csv",
        b'body_id,name,siret,address\nB1,"Nom,,\nB2,Autre,,\n',
        [
            "bodies.csv, ligne 2 : guillemet ouvert jamais refermé (la cellule court jusqu'à la "
            "fin du fichier)"
        ],
        id="an open quote",
    ),
    pytest.param(
        "bodies.csv",
        b'body_id;name;siret;address\nB1;"Nom" et suite;;\n',
        [
            "bodies.csv, ligne 2 : texte après un guillemet fermant (doublez un guillemet dans une "
            "cellule)"
        ],
        id="text after a closing quote (Excel FR)",
    ),
    pytest.param(
        "bodies.csv",
        csv_file("bodies", [["B1", "Nom", "", "x" * 1_000_000]]),
        ["bodies.csv, ligne 2, Adresse : cellule de 1 000 000 caractères : au plus 10 000"],
        id="a cell of a million characters",
    ),
    pytest.param(
        "bodies.csv",
        (",".join(f"c{i}" for i in range(100_000)) + "\nx\n").encode(),
        ["bodies.csv, ligne 1 : en-tête de 100\u202f000 colonnes : au plus 100"],
        id="a header of 100 000 columns",
    ),
    pytest.param(
        "bodies.csv",
        b"body_id;Nom;siret;address;name\nB1;a;;;b\n",
        ["bodies.csv : colonne « Nom » en double"],
        id="a header doubled in French and English",
    ),
    pytest.param(
        "budget_lines.csv",
        csv_file(
            "budget_lines",
            [["OP", "I", "", "2023", "1"], ["OP", "I", "", "2024", "1", "x"]],
            "excel_fr",
        ),
        ["budget_lines.csv, ligne 3 : 6 champ(s) au lieu de 5 (séparateur ?)"],
        id="a line with one field too many (Excel FR)",
    ),
    pytest.param(
        "deliberations.csv",
        b"\xef\xbb\xbf",
        ["deliberations.csv : fichier vide"],
        id="a BOM and nothing else",
    ),
]


@pytest.mark.parametrize(("name", "content", "expected"), CASES)
def test_a_hostile_file_is_refused_before_it_is_read(
    hostile_db: duckdb.DuckDBPyConnection,
    corpus: Corpus,
    name: str,
    content: bytes,
    expected: list[str],
) -> None:
    files = [(name, content)]
    problems = corpus.refused(hostile_db, lambda: import_tables(hostile_db, read_uploaded(files)))
    assert problems == expected


def test_windows_1252_with_a_chance_utf8_sequence_is_read_as_windows_1252(
    seeded_db: duckdb.DuckDBPyConnection, corpus: Corpus
) -> None:
    """« adopté » followed by a no-break space and « » » are three bytes that happen to be valid
    UTF-8; the file's other accents are not: it is Windows-1252, read with every accent."""
    name = "Régie « adopté\u00a0» à Évry"
    content = csv_file("bodies", [["B9", name, "", ""]], "excel_fr", encoding="cp1252")
    assert b"\xe9\xa0\xbb" in content
    import_tables(seeded_db, read_uploaded([("bodies.csv", content)]))
    stored = store.read_table(seeded_db, "bodies").filter(pl.col("body_id") == "B9")
    assert stored["name"].to_list() == [name]
    corpus.record("accepted")


def test_a_bad_cell_on_line_200_001_is_named(
    hostile_db: duckdb.DuckDBPyConnection, corpus: Corpus
) -> None:
    rows = [[f"E{i}", "OP", "I", "2023", "1.00", "", "", "engagé"] for i in range(199_999)]
    rows.append(["E-last", "OP", "I", "2023", "1.00", "", "31/02/2023", "engagé"])
    files = [("commitments.csv", csv_file("commitments", rows))]
    start = time.perf_counter()
    problems = corpus.refused(hostile_db, lambda: import_tables(hostile_db, read_files(files)))
    assert problems == ["commitments.csv, ligne 200001, Date : date impossible « 31/02/2023 »"]
    assert time.perf_counter() - start < 10


def test_a_file_past_the_row_limit_is_refused_at_that_line(
    hostile_db: duckdb.DuckDBPyConnection, corpus: Corpus
) -> None:
    content = b"operation_code,imputation,label,year,credits\n" + b"OP,I,,2023,1\n" * (MAX_ROWS + 1)
    files = [("budget_lines.csv", content)]
    problems = corpus.refused(hostile_db, lambda: read_files(files))
    assert problems == [
        "budget_lines.csv, ligne 500002 : plus de 500 000 lignes : au plus 500 000 par fichier"
    ]


def test_a_file_past_the_size_limit_is_refused_unread(
    hostile_db: duckdb.DuckDBPyConnection, corpus: Corpus
) -> None:
    content = b"body_id,name,siret,address\n" + b"x" * MAX_FILE_BYTES
    files = [("bodies.csv", content)]
    start = time.perf_counter()
    problems = corpus.refused(hostile_db, lambda: read_files(files))
    assert time.perf_counter() - start < 0.5
    assert problems == ["bodies.csv : fichier de 100,1 Mo : au plus 100 Mo par fichier"]


def test_the_command_line_does_not_load_a_file_past_the_limit(
    hostile_db: duckdb.DuckDBPyConnection, corpus: Corpus, tmp_path: Path
) -> None:
    """A sparse file of 5 GB on disk: refused from its size, never read."""
    folder = folder_of(tmp_path, {"bodies.csv": csv_file("bodies", BODIES)})
    with (folder / "commitments.csv").open("wb") as huge:
        huge.truncate(5_000_000_000)
    problems = corpus.refused(hostile_db, lambda: import_dir(hostile_db, folder))
    assert problems == ["commitments.csv : fichier de 5\u202f000 Mo : au plus 100 Mo par fichier"]
