"""Rows that point at nothing, or at what would make the figures run away: unknown agreements
and bodies, a chain of new rows whose last link is missing, stored rows orphaned by a
replacement, a convention that takes a century from its agreement. Refused, nothing written."""

from pathlib import Path

import duckdb
import pytest

from spend.exchange.importer import read_files
from tests.bad_inputs.builders import csv_file
from tests.bad_inputs.conftest import Corpus, folder_of, import_dir, import_tables

CASES = [
    pytest.param(
        {"conventions": [["K", "NOPE", "", "", "", "", "", "", "", "", "", "active"]]},
        ["conventions.csv, ligne 2, Identifiant accord-cadre : accord-cadre inconnu « NOPE »"],
        id="a convention of an unknown agreement",
    ),
    pytest.param(
        {"agreements": [["AG", "NOPE", "", "Titre", ""]]},
        ["agreements.csv, ligne 2, Identifiant centrale : centrale d'achat inconnue « NOPE »"],
        id="an agreement of an unknown body",
    ),
    pytest.param(
        {
            "conventions": [["K", "AG", "", "F", "C", "2022-01-01", "", "", "", "", "", "active"]],
            "fee_grid": [["AG", "F", "C", "10.00", "HT", "calendar_year", ""]],
            "agreements": [["AG", "GHOST", "", "Titre", "2030-12-31"]],
        },
        ["agreements.csv, ligne 2, Identifiant centrale : centrale d'achat inconnue « GHOST »"],
        id="a chain of new rows whose last link is missing",
    ),
    pytest.param(
        {"fee_grid": [["NOPE", "F", "C", "10,00", "HT", "année civile", ""]]},
        ["fee_grid.csv, ligne 2, Identifiant accord-cadre : accord-cadre inconnu « NOPE »"],
        id="a grid of an unknown agreement",
    ),
    pytest.param(
        {
            "conventions": [
                ["K", "CAIH-SO360", "", "F", "C", "2022-01-01", "", "", "", "", "", "active"]
            ]
        },
        [
            "conventions.csv, ligne 2, Catégorie : grille tarifaire sans ligne pour accord-cadre "
            "« CAIH-SO360 », formule « F », catégorie « C »"
        ],
        id="a convention of a grid row that does not exist",
    ),
    pytest.param(
        {
            "agreements": [["AG", "CAIH", "", "Titre", "2100-12-31"]],
            "conventions": [["K", "AG", "", "", "", "1995-01-01", "", "", "", "", "", "active"]],
        },
        [
            "conventions.csv, ligne 2, Date de début : la convention dure plus de 50 ans (du "
            "01/01/1995 à la fin de son accord-cadre, le 31/12/2100) : au plus 50 ans"
        ],
        id="a convention that takes a century from its agreement",
    ),
]


@pytest.mark.parametrize(("tables", "expected"), CASES)
def test_a_row_that_points_at_nothing_is_refused(
    hostile_db: duckdb.DuckDBPyConnection,
    corpus: Corpus,
    tmp_path: Path,
    tables: dict[str, list[list[str]]],
    expected: list[str],
) -> None:
    """Through the command line's path: a folder of files in both dialects."""
    folder = folder_of(
        tmp_path,
        {
            f"{name}.csv": csv_file(name, rows, "excel_fr" if index % 2 else "standard")
            for index, (name, rows) in enumerate(tables.items())
        },
    )
    problems = corpus.refused(hostile_db, lambda: import_dir(hostile_db, folder))
    assert problems == expected


def test_stored_rows_orphaned_by_a_replacement_are_named(
    hostile_db: duckdb.DuckDBPyConnection, corpus: Corpus
) -> None:
    files = [("bodies.csv", csv_file("bodies", [["CAIH", "Centrale", "", ""]]))]
    problems = corpus.refused(
        hostile_db,
        lambda: import_tables(hostile_db, read_files(files), replace=("bodies",)),
    )
    stored = "agreements.csv (données enregistrées)"
    assert problems == [
        f"{stored} : {agreement}, Identifiant centrale : centrale d'achat inconnue « RESAH »"
        for agreement in ("RESAH-2020-027-L1", "RESAH-BIBLIO", "RESAH-TELECOM-L2")
    ]


def test_an_agreement_moved_a_century_away_names_its_stored_convention(
    hostile_db: duckdb.DuckDBPyConnection, corpus: Corpus
) -> None:
    """The seed's CAIH convention takes its end from its agreement: moving that end to 2100
    would give it 78 years of titles."""
    rows = [["CAIH-SO360", "CAIH", "AOO-CAIH SO360", "Sécurité opérée", "2100-12-31"]]
    files = [("agreements.csv", csv_file("agreements", rows))]
    problems = corpus.refused(hostile_db, lambda: import_tables(hostile_db, read_files(files)))
    assert problems == [
        "conventions.csv (données enregistrées) : CAIH-SO360-CD62, Date de début : la convention "
        "dure plus de 50 ans (du 13/12/2022 à la fin de son accord-cadre, le 31/12/2100) : au "
        "plus 50 ans"
    ]
