"""Cells that would break the arithmetic or hide what they hold: values beyond their plausible
range, numbers that are not numbers, control and bidirectional characters. Every one is refused
with its file, line, column and the range or character named; nothing is written."""

import duckdb
import pytest

from spend.exchange.importer import read_files
from spend.exchange.uploads import read_uploaded
from tests.bad_inputs.builders import csv_file
from tests.bad_inputs.conftest import Corpus, import_tables

AMOUNT_RANGE = "au plus 1\u202f000\u202f000\u202f000\u202f000,00\u00a0€"
SIGNED_RANGE = "entre −1 000 000 000 000,00 € et 1 000 000 000 000,00 €"
CONVENTION = ["K", "CAIH-SO360", "", "", "", "2022-01-01", "2023-01-01", "3", "", "", "", "signée"]


def convention(**cells: str) -> list[str]:
    """A valid convention row of the seed's CAIH agreement, with some cells changed."""
    columns = [
        "convention_id", "agreement_id", "title", "formula", "category", "start_date",
        "end_date", "notice_months", "operation_code", "imputation", "deliberation_id", "status",
    ]  # fmt: skip
    return [cells.get(name, value) for name, value in zip(columns, CONVENTION, strict=True)]


CASES = [
    # The probe's values, each of which broke a page or a figure.
    pytest.param(
        "conventions",
        [convention(start_date="0001-01-01", end_date="9999-12-31")],
        "standard",
        [
            "conventions.csv, ligne 2, Date de début : date « 0001-01-01 » hors limites : "
            "année entre 1990 et 2100",
            "conventions.csv, ligne 2, Date de fin : date « 9999-12-31 » hors limites : "
            "année entre 1990 et 2100",
        ],
        id="convention from year 1 to 9999",
    ),
    pytest.param(
        "conventions",
        [convention(notice_months="999999999")],
        "standard",
        [
            "conventions.csv, ligne 2, Préavis (mois) : valeur « 999999999 » hors limites : "
            "au plus 120"
        ],
        id="notice of 999 999 999 months",
    ),
    pytest.param(
        "fee_grid",
        [["CAIH-SO360", "F", "C", "10.00", "HT", "calendar_year", "999999999"]],
        "standard",
        [
            "fee_grid.csv, ligne 2, Délai de paiement (jours) : valeur « 999999999 » hors limites "
            ": au plus 365"
        ],
        id="payment days 999 999 999",
    ),
    pytest.param(
        "fee_grid",
        [["CAIH-SO360", "F", "C", "9 999 999 999 999 999,99 €", "HT", "année civile", ""]],
        "excel_fr",
        [
            "fee_grid.csv, ligne 2, Cotisation annuelle : montant « 9 999 999 999 999 999,99 € » "
            f"hors limites : {AMOUNT_RANGE}"
        ],
        id="fee of 9 999 999 999 999 999,99 € HT (Excel FR)",
    ),
    pytest.param(
        "commitments",
        [
            [f"E{i}", "C06-020M02", "6281/930202", "2022", "9999999999999999.99", "", "", "engagé"]
            for i in range(19)
        ],
        "standard",
        [
            f"commitments.csv, ligne {line}, Montant TTC : montant « 9999999999999999.99 » hors "
            f"limites : {SIGNED_RANGE}"
            for line in range(2, 21)
        ],
        id="nineteen commitments of 10^16 €",
    ),
    # Other ranges.
    pytest.param(
        "budget_lines",
        [["OP", "I", "", "1850", "1,00"], ["OP", "I", "", "2101", "1,00"]],
        "excel_fr",
        [
            "budget_lines.csv, ligne 2, Exercice : exercice « 1850 » hors limites : "
            "entre 1990 et 2100",
            "budget_lines.csv, ligne 3, Exercice : exercice « 2101 » hors limites : "
            "entre 1990 et 2100",
        ],
        id="years 1850 and 2101",
    ),
    pytest.param(
        "commitments",
        [["E1", "OP", "I", "2023", "-1000000000000.01", "", "1989-12-31", "committed"]],
        "standard",
        [
            "commitments.csv, ligne 2, Montant TTC : montant « -1000000000000.01 » hors limites : "
            f"{SIGNED_RANGE}",
            "commitments.csv, ligne 2, Date : date « 1989-12-31 » hors limites : "
            "année entre 1990 et 2100",
        ],
        id="negative commitment beyond the range, date of 1989",
    ),
    pytest.param(
        "conventions",
        [convention(notice_months="-3")],
        "standard",
        ["conventions.csv, ligne 2, Préavis (mois) : valeur négative « -3 » refusée"],
        id="negative notice",
    ),
    pytest.param(
        "conventions",
        [convention(start_date="01/01/2000", end_date="02/01/2050")],
        "excel_fr",
        [
            "conventions.csv, ligne 2, Date de fin : la convention dure plus de 50 ans "
            "(du 01/01/2000 au 02/01/2050) : au plus 50 ans"
        ],
        id="a convention of more than 50 years",
    ),
    pytest.param(
        "deliberations",
        [["D1", "2023-02-29", "", "", "99999", "0", "0", "adoptée"]],
        "standard",
        [
            "deliberations.csv, ligne 2, Date : date impossible « 2023-02-29 »",
            "deliberations.csv, ligne 2, Pour : valeur « 99999 » hors limites : au plus 10 000",
        ],
        id="impossible date and 99 999 votes",
    ),
    # Numbers that are not numbers.
    pytest.param(
        "budget_lines",
        [
            ["OP", "I", "", "2023", "1.234,5.6"],
            ["OP", "I", "", "2024", "1e308"],
            ["OP", "I", "", "2025", "NaN"],
            ["OP", "I", "", "2026", "inf"],
            ["OP", "I", "", "2027", "0x10"],
        ],
        "standard",
        [
            f"budget_lines.csv, ligne {line}, Crédits : montant illisible « {text} » "
            "(exemple : 1 500,00)"
            for line, text in enumerate(("1.234,5.6", "1e308", "NaN", "inf", "0x10"), start=2)
        ],
        id="1.234,5.6, 1e308, NaN, inf, 0x10",
    ),
    pytest.param(
        "fee_grid",
        [["CAIH-SO360", "F", "C", "10", "HT", "calendar_year", "1e3"]],
        "standard",
        ["fee_grid.csv, ligne 2, Délai de paiement (jours) : nombre entier illisible « 1e3 »"],
        id="an exponent in a count",
    ),
    # Characters that hide what a cell holds.
    pytest.param(
        "bodies",
        [["CA\x00IH", "Nom", "", ""]],
        "standard",
        [
            "bodies.csv, ligne 2, Identifiant centrale : caractère de contrôle U+0000 refusé "
            "(caractère 3 de la cellule)"
        ],
        id="NUL in an identifier",
    ),
    pytest.param(
        "agreements",
        [["AG", "CAIH", "", "Titre\x00caché", ""]],
        "excel_fr",
        [
            "agreements.csv, ligne 2, Intitulé : caractère de contrôle U+0000 refusé "
            "(caractère 6 de la cellule)"
        ],
        id="NUL in a title",
    ),
    pytest.param(
        "conventions",
        [convention(convention_id="K-\u202e3202")],
        "standard",
        [
            "conventions.csv, ligne 2, Identifiant convention : caractère de direction "
            "d'écriture U+202E refusé (caractère 3 de la cellule)"
        ],
        id="right-to-left override in an identifier",
    ),
    pytest.param(
        "deliberations",
        [["D1", "2023-01-05", "", "Objet \u2066caché\u2069", "", "", "", ""]],
        "standard",
        [
            "deliberations.csv, ligne 2, Objet : caractère de direction d'écriture U+2066 refusé "
            "(caractère 7 de la cellule)"
        ],
        id="bidirectional isolate in free text",
    ),
    pytest.param(
        "budget_lines",
        [["C06\u200e-020", "6281", "", "2023", "10"]],
        "standard",
        [
            "budget_lines.csv, ligne 2, Code opération : caractère de direction d'écriture "
            "U+200E refusé (caractère 4 de la cellule)"
        ],
        id="left-to-right mark in an operation code",
    ),
    pytest.param(
        "commitments",
        [["E\n1", "OP", "I", "2023", "10", "", "", "engagé"]],
        "excel_fr",
        [
            "commitments.csv, ligne 2, Identifiant engagement : caractère de contrôle U+000A "
            "refusé (caractère 2 de la cellule)"
        ],
        id="line break in an identifier",
    ),
    pytest.param(
        "budget_lines",
        [["OP", "6281\u2028930202", "", "2023", "10"]],
        "standard",
        [
            "budget_lines.csv, ligne 2, Imputation : séparateur de ligne U+2028 refusé "
            "(caractère 5 de la cellule)"
        ],
        id="line separator in an imputation",
    ),
    pytest.param(
        "bodies",
        [["B", "Nom \x1b[31mrouge\x1b[0m", "", ""]],
        "standard",
        [
            "bodies.csv, ligne 2, Nom : caractère de contrôle U+001B refusé "
            "(caractère 5 de la cellule)"
        ],
        id="terminal escape in a name",
    ),
    pytest.param(
        "fee_grid",
        [["CAIH-SO360", "Cotisation\u200bannuelle", "C", "10", "HT", "calendar_year", ""]],
        "standard",
        [
            "fee_grid.csv, ligne 2, Formule : caractère invisible U+200B refusé "
            "(caractère 11 de la cellule)"
        ],
        id="zero-width space in a formula",
    ),
    pytest.param(
        "conventions",
        [convention(status="act\x85ive")],
        "standard",
        [
            "conventions.csv, ligne 2, Statut : caractère de contrôle U+0085 refusé "
            "(caractère 4 de la cellule)"
        ],
        id="C1 control in a coded column",
    ),
]


@pytest.mark.parametrize(("table", "rows", "dialect", "expected"), CASES)
def test_a_hostile_cell_is_refused_with_its_place_and_cause(
    hostile_db: duckdb.DuckDBPyConnection,
    corpus: Corpus,
    table: str,
    rows: list[list[str]],
    dialect: str,
    expected: list[str],
) -> None:
    content = csv_file(table, rows, dialect)
    files = [(f"{table}.csv", content)]
    problems = corpus.refused(hostile_db, lambda: import_tables(hostile_db, read_files(files)))
    assert problems == expected


TOTAL = "passe la limite : au plus 10\u202f000\u202f000\u202f000\u202f000,00\u00a0€"
LARGEST = "1 000 000 000 000,00"
TOTAL_CASES = [
    pytest.param(
        {
            "commitments": [
                [f"E{i}", "C06-020M02", "6281/930202", "2022", LARGEST, "", "", "payé"]
                for i in range(11)
            ]
        },
        "commitments.csv, ligne 12, Montant TTC : avec cette ligne, le total des engagements de "
        f"l'exercice 2022 {TOTAL}",
        id="eleven commitments of the largest amount in a year",
    ),
    pytest.param(
        {"budget_lines": [[f"OP{i}", "6281", "", "2023", LARGEST] for i in range(11)]},
        "budget_lines.csv, ligne 12, Crédits : avec cette ligne, le total des crédits de "
        f"l'exercice 2023 {TOTAL}",
        id="eleven lines of the largest credits in a year",
    ),
    pytest.param(
        {
            "fee_grid": [
                ["CAIH-SO360", "F", f"C{i}", LARGEST, "HT", "année civile", ""] for i in range(11)
            ],
            "conventions": [
                [f"K{i}", "CAIH-SO360", "", "F", f"C{i}", "", "", "", "", "", "", "signée"]
                for i in range(11)
            ],
        },
        "conventions.csv, ligne 11, Catégorie : avec cette ligne, le total des cotisations "
        f"annuelles des conventions {TOTAL}",
        id="eleven conventions of the largest fee",
    ),
]


@pytest.mark.parametrize(("tables", "expected"), TOTAL_CASES)
def test_the_row_that_takes_a_total_past_its_limit_is_named(
    hostile_db: duckdb.DuckDBPyConnection,
    corpus: Corpus,
    tables: dict[str, list[list[str]]],
    expected: str,
) -> None:
    """Each amount within its range, a total beyond 10¹³ €: the probe's ten commitments of
    10¹⁶ € made the balance fail, nineteen made it wrong without a word."""
    files = [(f"{name}.csv", csv_file(name, rows, "excel_fr")) for name, rows in tables.items()]
    problems = corpus.refused(hostile_db, lambda: import_tables(hostile_db, read_uploaded(files)))
    assert problems == [expected]
