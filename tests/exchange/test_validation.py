"""Bad input is refused with one French line per problem, and a refused import writes nothing."""

from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from spend import store
from spend.exchange.importer import import_raw_tables, read_files
from spend.exchange.problems import ImportRefused
from tests.conftest import ADMIN, run_cli, store_snapshot

BODIES = "body_id,name,siret,address\n"
AGREEMENTS = "agreement_id,body_id,reference,title,end_date\n"
FEE_GRID = "agreement_id,formula,category,annual_fee,tax,billing_rule,payment_days\n"
CONVENTIONS = (
    "convention_id,agreement_id,title,formula,category,start_date,end_date,notice_months,"
    "operation_code,imputation,deliberation_id,status\n"
)
BUDGET_LINES = "operation_code,imputation,label,year,credits\n"
COMMITMENTS = "commitment_id,operation_code,imputation,year,amount_incl_tax,label,date,status\n"
DELIBERATIONS = "deliberation_id,date,assembly,title,votes_for,votes_against,abstentions,outcome\n"


def assert_same_tables(before: dict[str, pl.DataFrame], after: dict[str, pl.DataFrame]) -> None:
    assert before.keys() == after.keys()
    for name, frame in before.items():
        assert_frame_equal(after[name], frame)


def _encoded(files: dict[str, str | bytes]) -> list[tuple[str, bytes]]:
    return [(n, c if isinstance(c, bytes) else c.encode("utf-8")) for n, c in files.items()]


def refused(
    con: duckdb.DuckDBPyConnection,
    files: dict[str, str | bytes],
    *,
    replace: tuple[str, ...] = (),
) -> list[str]:
    """The problems of an import that must be refused, after checking it wrote nothing."""
    before = store_snapshot(con)
    with pytest.raises(ImportRefused) as refusal:
        import_raw_tables(
            con, read_files(_encoded(files)), actor=ADMIN, source="test", replace=replace
        )
    assert_same_tables(before, store_snapshot(con))
    return [str(problem) for problem in refusal.value.problems]


def accepted(con: duckdb.DuckDBPyConnection, files: dict[str, str | bytes]) -> dict[str, int]:
    return import_raw_tables(
        con, read_files(_encoded(files)), actor=ADMIN, source="test"
    ).rows_by_table


# Files that cannot be read as a table ----------------------------------------------------------

FILE_CASES = [
    pytest.param(
        "bodies.csv",
        "body_id,name,siret\nX,Y,\n",
        ["bodies.csv : colonne « Adresse » manquante"],
        id="missing column",
    ),
    pytest.param(
        "bodies.csv",
        BODIES.strip() + ",couleur\nX,Y,,,bleu\n",
        ["bodies.csv : colonne inconnue « couleur »"],
        id="unknown column",
    ),
    pytest.param(
        "bodies.csv",
        BODIES.strip() + ",name\nX,Y,,,Z\n",
        ["bodies.csv : colonne « Nom » en double"],
        id="doubled column",
    ),
    pytest.param(
        "bodies.csv",
        "body_id,Nom,siret,address,name\nX,Y,,,Z\n",
        ["bodies.csv : colonne « Nom » en double"],
        id="doubled column, French and English",
    ),
    pytest.param("bodies.csv", b"", ["bodies.csv : fichier vide"], id="empty file"),
    pytest.param("bodies.csv", b" \r\n\r\n", ["bodies.csv : fichier vide"], id="blank file"),
    pytest.param(
        "bodies.csv",
        BODIES.encode() + b"\x81\x8d\x8f,Y,,\n",
        ["bodies.csv : fichier illisible : ni UTF-8 ni Windows-1252 (fichier binaire ?)"],
        id="undecodable",
    ),
    pytest.param(
        "bodies.csv",
        BODIES + "A,a,,\nB,b,,,\n",
        ["bodies.csv, ligne 3 : 5 champ(s) au lieu de 4 (séparateur ?)"],
        id="line too long",
    ),
    pytest.param(
        "bodies.csv",
        BODIES + "A,a,,\nB,b\n",
        ["bodies.csv, ligne 3 : 2 champ(s) au lieu de 4 (séparateur ?)"],
        id="line too short",
    ),
    pytest.param(
        "centrales.csv",
        "id,nom\nA,a\n",  # named after no table, headed like none
        [
            "centrales.csv : fichier inconnu (attendus : bodies.csv, agreements.csv, fee_grid.csv, "
            "conventions.csv, budget_lines.csv, commitments.csv, deliberations.csv)"
        ],
        id="unknown file",
    ),
]


@pytest.mark.parametrize(("name", "content", "expected"), FILE_CASES)
def test_unreadable_files_are_refused(
    seeded_db: duckdb.DuckDBPyConnection, name: str, content: str | bytes, expected: list[str]
) -> None:
    assert refused(seeded_db, {name: content}) == expected


def test_two_files_for_one_table_are_refused(seeded_db: duckdb.DuckDBPyConnection) -> None:
    files = {"bodies.csv": BODIES + "A,a,,\n", "BODIES.csv": BODIES + "B,b,,\n"}
    assert refused(seeded_db, files) == ["BODIES.csv : la table est déjà fournie par bodies.csv"]


# Cells -----------------------------------------------------------------------------------------

CELL_CASES = [
    pytest.param(
        "bodies.csv",
        BODIES + "A,a,,\nB,,,\n",
        ["bodies.csv, ligne 3, Nom : valeur obligatoire manquante"],
        id="required value",
    ),
    pytest.param(
        "budget_lines.csv",
        BUDGET_LINES + "OP,I,,2023,abc\n",
        ["budget_lines.csv, ligne 2, Crédits : montant illisible « abc » (exemple : 1 500,00)"],
        id="bad number",
    ),
    pytest.param(
        "budget_lines.csv",
        BUDGET_LINES + "OP,I,,2023,1.234\n",
        ["budget_lines.csv, ligne 2, Crédits : montant « 1.234 » avec plus de deux décimales"],
        id="three decimals",
    ),
    pytest.param(
        "budget_lines.csv",
        BUDGET_LINES + "OP,I,,2023,99999999999999999999\n",
        [
            "budget_lines.csv, ligne 2, Crédits : montant « 99999999999999999999 » hors limites : "
            "entre \u22121\u202f000\u202f000\u202f000\u202f000,00\u00a0€ et "
            "1\u202f000\u202f000\u202f000\u202f000,00\u00a0€"
        ],
        id="number too large",
    ),
    pytest.param(
        "budget_lines.csv",
        BUDGET_LINES + "OP,I,,2023,-1.00\n",
        [
            "budget_lines.csv, ligne 2, Crédits : valeur négative « -1.00 » refusée pour un "
            "budget primitif ou des restes à réaliser (seuls un budget supplémentaire ou une "
            "décision modificative retirent des crédits)"
        ],
        id="negative credits",
    ),
    pytest.param(
        "budget_lines.csv",
        BUDGET_LINES + "OP,I,,deux mille,1.00\nOP,I,,1850,1.00\n",
        [
            "budget_lines.csv, ligne 2, Exercice : nombre entier illisible « deux mille »",
            "budget_lines.csv, ligne 3, Exercice : exercice « 1850 » hors limites : "
            "entre 1990 et 2100",
        ],
        id="bad year",
    ),
    pytest.param(
        "fee_grid.csv",
        FEE_GRID + "CAIH-SO360,F,C,-5.00,HT,calendar_year,50\n",
        ["fee_grid.csv, ligne 2, Cotisation annuelle : valeur négative « -5.00 » refusée"],
        id="negative fee",
    ),
    pytest.param(
        "fee_grid.csv",
        FEE_GRID + "CAIH-SO360,F,C,5.00,TTC,monthly,-1\n",
        [
            "fee_grid.csv, ligne 2, Base fiscale : valeur inconnue « TTC » "
            "(valeurs admises : HT, net de taxes)",
            "fee_grid.csv, ligne 2, Règle de facturation : valeur inconnue « monthly » "
            "(valeurs admises : année civile, date anniversaire)",
            "fee_grid.csv, ligne 2, Délai de paiement (jours) : valeur négative « -1 » refusée",
        ],
        id="unknown tax and billing rule",
    ),
    pytest.param(
        "deliberations.csv",
        DELIBERATIONS + "D1,13 décembre 2022,,,,,,\nD2,2022/12/13,,,,,,\n",
        [
            "deliberations.csv, ligne 2, Date : date illisible « 13 décembre 2022 » "
            "(attendu AAAA-MM-JJ ou JJ/MM/AAAA)",
            "deliberations.csv, ligne 3, Date : date illisible « 2022/12/13 » "
            "(attendu AAAA-MM-JJ ou JJ/MM/AAAA)",
        ],
        id="bad date",
    ),
    pytest.param(
        "deliberations.csv",
        DELIBERATIONS + "D1,31/02/2023,,,,,,\nD2,2023-02-29,,,,,,\nD3,29/02/2024,,,,,,\n",
        [
            "deliberations.csv, ligne 2, Date : date impossible « 31/02/2023 »",
            "deliberations.csv, ligne 3, Date : date impossible « 2023-02-29 »",
        ],
        id="impossible date",
    ),
    pytest.param(
        "deliberations.csv",
        DELIBERATIONS + "D1,2022-12-13,,,,,,peut-être\n",
        [
            "deliberations.csv, ligne 2, Résultat : valeur inconnue « peut-être » "
            "(valeurs admises : adoptée, rejetée)"
        ],
        id="unknown outcome",
    ),
    pytest.param(
        "conventions.csv",
        CONVENTIONS.strip() + ",start_date_assumed\nK,CAIH-SO360,,,,,,,,,,en cours,peut-être\n",
        [
            "conventions.csv, ligne 2, Statut : valeur inconnue « en cours » "
            "(valeurs admises : signée, en projet, résiliée, incomplète)",
            "conventions.csv, ligne 2, Date de début supposée : valeur « peut-être » ni oui ni non "
            "(attendu oui ou non)",
        ],
        id="unknown status and bad boolean",
    ),
    pytest.param(
        "conventions.csv",
        CONVENTIONS + "K,CAIH-SO360,,,,2023-01-01,31/12/2022,,,,,active\n",
        [
            "conventions.csv, ligne 2, Date de fin : la date de fin (31/12/2022) précède "
            "la date de début (01/01/2023)"
        ],
        id="end before start",
    ),
    pytest.param(
        "conventions.csv",
        CONVENTIONS + "K,CAIH-SO360,,Cotisation annuelle,,,,,OP,,,active\n",
        [
            "conventions.csv, ligne 2, Catégorie : formule et catégorie se renseignent ensemble "
            "(ou toutes deux vides)",
            "conventions.csv, ligne 2, Imputation : code opération et imputation se renseignent "
            "ensemble",
        ],
        id="half-filled pairs",
    ),
    pytest.param(
        "bodies.csv",
        BODIES + "A,a,,\nB,b,,\nA,c,,\nA,d,,\n",
        [
            "bodies.csv, ligne 4, Identifiant centrale : clé en double : déjà à la ligne 2",
            "bodies.csv, ligne 5, Identifiant centrale : clé en double : déjà à la ligne 2",
        ],
        id="duplicate key",
    ),
    pytest.param(
        "budget_lines.csv",
        BUDGET_LINES + "OP,I,,2023,1\nOP,I,,2024,1\nOP,I,,2023,2\n",
        ["budget_lines.csv, ligne 4, Code opération : clé en double : déjà à la ligne 2"],
        id="duplicate composite key",
    ),
]


@pytest.mark.parametrize(("name", "content", "expected"), CELL_CASES)
def test_bad_cells_are_refused_with_file_line_and_column(
    seeded_db: duckdb.DuckDBPyConnection, name: str, content: str, expected: list[str]
) -> None:
    assert refused(seeded_db, {name: content}) == expected


def test_every_bad_cell_of_a_file_is_reported_at_once(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    content = BUDGET_LINES + "".join(f"OP,I,,{2000 + i},x{i}\n" for i in range(50))
    problems = refused(seeded_db, {"budget_lines.csv": content})
    assert len(problems) == 50
    assert problems[-1] == (
        "budget_lines.csv, ligne 51, Crédits : montant illisible « x49 » (exemple : 1 500,00)"
    )


def test_blank_lines_are_not_rows_and_keep_the_line_numbers(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    content = BODIES + "A,a,,\n\n,,,\nB,,,\n\n"
    assert refused(seeded_db, {"bodies.csv": content}) == [
        "bodies.csv, ligne 5, Nom : valeur obligatoire manquante"
    ]


# References ------------------------------------------------------------------------------------

REFERENCE_CASES = [
    pytest.param(
        "agreements.csv",
        AGREEMENTS + "AG,NOPE,,Titre,\n",
        ["agreements.csv, ligne 2, Identifiant centrale : centrale d'achat inconnue « NOPE »"],
        id="unknown body",
    ),
    pytest.param(
        "fee_grid.csv",
        FEE_GRID + "NOPE,F,C,5.00,HT,calendar_year,\n",
        ["fee_grid.csv, ligne 2, Identifiant accord-cadre : accord-cadre inconnu « NOPE »"],
        id="unknown agreement in the grid",
    ),
    pytest.param(
        "conventions.csv",
        CONVENTIONS + "K,NOPE,,,,,,,,,,active\n",
        ["conventions.csv, ligne 2, Identifiant accord-cadre : accord-cadre inconnu « NOPE »"],
        id="unknown agreement",
    ),
    pytest.param(
        "conventions.csv",
        CONVENTIONS + "K,CAIH-SO360,,Cotisation annuelle,Mairie,2023-01-01,,,,,,active\n",
        [
            "conventions.csv, ligne 2, Catégorie : grille tarifaire sans ligne pour accord-cadre "
            "« CAIH-SO360 », formule « Cotisation annuelle », catégorie « Mairie »"
        ],
        id="unknown grid row",
    ),
    pytest.param(
        "conventions.csv",
        CONVENTIONS + "K,CAIH-SO360,,,,2024-01-01,,,,,,active\n",
        [
            "conventions.csv, ligne 2, Date de début : la convention commence (01/01/2024) "
            "après la fin de son accord-cadre (16/07/2023)"
        ],
        id="starts after its agreement",
    ),
]


@pytest.mark.parametrize(("name", "content", "expected"), REFERENCE_CASES)
def test_references_to_missing_rows_are_refused(
    seeded_db: duckdb.DuckDBPyConnection, name: str, content: str, expected: list[str]
) -> None:
    assert refused(seeded_db, {name: content}) == expected


def test_stored_rows_left_without_their_parent_are_named(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    files = {"bodies.csv": BODIES + "CAIH,Centrale,,\n"}
    stored = "agreements.csv (données enregistrées)"
    assert refused(seeded_db, files, replace=("bodies",)) == [
        f"{stored} : {agreement}, Identifiant centrale : centrale d'achat inconnue « RESAH »"
        for agreement in ("RESAH-2020-027-L1", "RESAH-BIBLIO", "RESAH-TELECOM-L2")
    ]


def test_references_between_files_of_one_import_are_accepted(
    empty_db: duckdb.DuckDBPyConnection,
) -> None:
    files = {
        "conventions.csv": CONVENTIONS + "K,AG,,F,C,2023-01-01,,,,,D1,active\n",
        "fee_grid.csv": FEE_GRID + "AG,F,C,,net,anniversary_prorated,\n",
        "agreements.csv": AGREEMENTS + "AG,B,,Titre,2024-12-31\n",
        "bodies.csv": BODIES + "B,Centrale,,\n",
        "deliberations.csv": DELIBERATIONS + "D1,2022-12-13,,,,,,adopted\n",
    }
    assert accepted(empty_db, files) == {
        "conventions": 1,
        "fee_grid": 1,
        "agreements": 1,
        "bodies": 1,
        "deliberations": 1,
    }


# All or nothing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "last_file",
    [
        pytest.param(
            {"budget_lines.csv": BUDGET_LINES + "OP,I,,2024,10\nOP,I,,2025,1,5\n"},
            id="ragged last file",
        ),
        pytest.param(
            {"budget_lines.csv": BUDGET_LINES + "OP,I,,2024,10\nOP,I,,2025,-1\n"},
            id="bad cell in the last file",
        ),
        pytest.param(
            {"conventions.csv": CONVENTIONS + "K,NO-SUCH-AG,,,,,,,,,,active\n"},
            id="bad reference in the last file",
        ),
    ],
)
def test_a_refused_import_changes_nothing(
    seeded_db: duckdb.DuckDBPyConnection, last_file: dict[str, str]
) -> None:
    files: dict[str, str | bytes] = {
        "bodies.csv": BODIES + "CAIH,Nouveau nom,,\nNEW,Nouvelle centrale,,\n",
        "agreements.csv": AGREEMENTS + "NEW-AG,NEW,,Nouvel accord,\n",
        "budget_lines.csv": BUDGET_LINES + "C06-020M02,6281/930202,,2022,5000.00\n",
        **last_file,
    }
    assert len(refused(seeded_db, files)) == 1  # `refused` compares every table before/after


# The command line, end to end ------------------------------------------------------------------


def _stored(db: Path) -> dict[str, pl.DataFrame]:
    con = store.connect(db)
    try:
        return store_snapshot(con)
    finally:
        con.close()


def _folder(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, content in _encoded(files):
        (folder / name).write_bytes(content)
    return folder


def test_cli_import_refuses_bad_cells_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    assert run_cli("init", "--db", str(db)).returncode == 0
    before = _stored(db)
    folder = _folder(
        tmp_path,
        {
            "bodies.csv": BODIES + "CAIH,Nouveau nom,,\n",
            "budget_lines.csv": BUDGET_LINES + "OP,I,,2023,1.00\nOP,I,,2024,3 000 euros\n",
            "commitments.csv": COMMITMENTS
            + "E1,OP,I,2023,99999999999999999999,,31/02/2023,committed\n",
        },
    )
    result = run_cli("import", str(folder), "--db", str(db))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "budget_lines.csv, ligne 3, Crédits : montant illisible « 3 000 euros » "
        "(exemple : 1 500,00)",
        "commitments.csv, ligne 2, Montant TTC : montant « 99999999999999999999 » hors limites : "
        "entre −1 000 000 000 000,00 € et 1 000 000 000 000,00 €",
        "commitments.csv, ligne 2, Date : date impossible « 31/02/2023 »",
        "Import refusé : 3 problème(s), rien n'a été enregistré.",
    ]
    assert_same_tables(before, _stored(db))


def test_cli_import_refuses_unreadable_files_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    assert run_cli("init", "--db", str(db)).returncode == 0
    before = _stored(db)
    folder = _folder(
        tmp_path,
        {
            "bodies.csv": BODIES.encode("cp1252") + b"\x81\x8d\x8f,x,,\n",
            "agreements.csv": AGREEMENTS + "AG,CAIH,,Titre\n",
            "notes.csv": "quelque chose\n",
            "deliberations.csv": "",
        },
    )
    result = run_cli("import", str(folder), "--db", str(db))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "agreements.csv, ligne 2 : 4 champ(s) au lieu de 5 (séparateur ?)",
        "bodies.csv : fichier illisible : ni UTF-8 ni Windows-1252 (fichier binaire ?)",
        "deliberations.csv : fichier vide",
        "notes.csv : fichier inconnu (attendus : bodies.csv, agreements.csv, fee_grid.csv, "
        "conventions.csv, budget_lines.csv, commitments.csv, deliberations.csv)",
        "Import refusé : 4 problème(s), rien n'a été enregistré.",
    ]
    assert_same_tables(before, _stored(db))


def test_cli_import_of_good_files_says_what_it_wrote(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    assert run_cli("init", "--db", str(db)).returncode == 0
    folder = _folder(
        tmp_path,
        {"budget_lines.csv": BUDGET_LINES + "C06-020M02,6281/930202,,2023,2600.00\n"},
    )
    result = run_cli("import", str(folder), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Import réussi (Lignes budgétaires : 1 ligne(s))."
    balance = run_cli("balance", "--db", str(db), "--year", "2023")
    assert balance.stdout.splitlines()[1] == "C06-020M02,6281/930202,2023,2600.00,2508.33,91.67"


def test_a_convention_may_cite_a_deliberation_that_is_not_recorded(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    content = CONVENTIONS + "K,CAIH-SO360,,,,,,,,,2023-088,signée\n"
    import_raw_tables(
        seeded_db, read_files([("conventions.csv", content.encode())]), actor=ADMIN, source="t"
    )
    stored = store.read_table(seeded_db, "conventions").filter(pl.col("convention_id") == "K")
    assert stored.select("deliberation_id", "status").row(0) == ("2023-088", "active")
