"""The exchange format: both dialects read alike, re-imports upsert, exports import back."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from spend import store
from spend.domain.figures import compute
from spend.exchange.importer import folder_files, import_folder, import_raw_tables, read_files
from spend.exchange.seed import open_database
from spend.exchange.writing import write_exchange_folder
from spend.paths import ROOT
from spend.store import load_inputs
from tests.conftest import ADMIN, run_cli

D = Decimal

# One small data set, written as a program writes it: UTF-8, ',' and '.', ISO dates.
STANDARD = {
    "bodies.csv": (
        "body_id,name,siret,address\n"
        'B1,Centrale « Une »,13000501000025,"47 rue de Charonne, 75011 Paris"\n'
    ),
    "deliberations.csv": (
        "deliberation_id,date,assembly,title,votes_for,votes_against,abstentions,outcome\n"
        "2022-504,2022-12-13,Commission Permanente,Adhésion – centrales,44,0,0,adopted\n"
    ),
    "agreements.csv": (
        "agreement_id,body_id,reference,title,end_date\n"
        "AG1,B1,2020-027 lot 1,Hébergement cloud hybride,2024-08-27\n"
    ),
    "fee_grid.csv": (
        "agreement_id,formula,category,annual_fee,tax,billing_rule,payment_days\n"
        "AG1,Sécurité,CD,1500.00,HT,calendar_year,50\n"
        "AG1,Sécurité,Autres structures,,net,anniversary_prorated,\n"
    ),
    "conventions.csv": (
        "convention_id,agreement_id,title,formula,category,start_date,end_date,notice_months,"
        "operation_code,imputation,deliberation_id,status,start_date_assumed\n"
        "K1,AG1,Sécurité opérée,Sécurité,CD,2022-12-13,,3,C06-020M02,6281/930202,2022-504,"
        "active,true\n"
        "K2,AG1,Sur devis,Sécurité,Autres structures,2023-01-01,2023-06-30,,,,,planned,false\n"
    ),
    "budget_lines.csv": (
        "operation_code,imputation,label,year,credits\n"
        "C06-020M02,6281/930202,Informatique-Fonctionnement,2022,3000.00\n"
        "C06-020M02,6281/930202,Informatique-Fonctionnement,2023,1500.50\n"
    ),
    "commitments.csv": (
        "commitment_id,operation_code,imputation,year,amount_incl_tax,label,date,status\n"
        "E1,C06-020M02,6281/930202,2023,-12.50,Avoir,2023-02-01,committed\n"
    ),
}

# The same data as French Excel saves it: Windows-1252, ';', decimal comma, '1 500,00 €' with a
# no-break space, dd/mm/yyyy or dd-mm-yyyy dates, oui/non, French headers in any case, CRLF.
NBSP = "\u00a0"
EXCEL_FR = {
    "bodies.csv": (
        "Identifiant centrale;NOM;Siret;Adresse\n"
        "B1;Centrale « Une »;13000501000025;47 rue de Charonne, 75011 Paris\n"
    ),
    "deliberations.csv": (
        "Numéro;Date;Assemblée;Objet;Pour;Contre;Abstentions;Résultat\n"
        "2022-504;13/12/2022;Commission Permanente;Adhésion – centrales;44;0;0;Adopted\n"
    ),
    "agreements.csv": (
        "Identifiant accord-cadre;Identifiant centrale;Référence;Intitulé;Date de fin\n"
        "AG1;B1;2020-027 lot 1;Hébergement cloud hybride;27-08-2024\n"
    ),
    "fee_grid.csv": (
        "Identifiant accord-cadre;Formule;Catégorie;Cotisation annuelle;Base fiscale;"
        "Règle de facturation;Délai de paiement (jours)\n"
        f"AG1;Sécurité;CD;1{NBSP}500,00 €;ht;calendar_year;50\n"
        "AG1;Sécurité;Autres structures;;NET;anniversary_prorated;\n"
    ),
    "conventions.csv": (
        "Identifiant convention;Identifiant accord-cadre;Intitulé;Formule;Catégorie;"
        "Date de début;Date de fin;Préavis (mois);Code opération;Imputation;Délibération;"
        "Statut;Date de début supposée\n"
        "K1;AG1;Sécurité opérée;Sécurité;CD;13/12/2022;;3;C06-020M02;6281/930202;2022-504;"
        "active;oui\n"
        "K2;AG1;Sur devis;Sécurité;Autres structures;01-01-2023;30/06/2023;;;;;planned;non\n"
    ),
    "budget_lines.csv": (
        "Code opération;Imputation;Libellé;Exercice;Crédits\n"
        f"C06-020M02;6281/930202;Informatique-Fonctionnement;2022;3{NBSP}000,00 €\n"
        "C06-020M02;6281/930202;Informatique-Fonctionnement;2023;1 500,5\n"
    ),
    "commitments.csv": (
        "Identifiant engagement;Code opération;Imputation;Exercice;Montant TTC;Libellé;Date;"
        "Statut\n"
        "E1;C06-020M02;6281/930202;2023;-12,50 €;Avoir;01/02/2023;committed\n"
    ),
}


# The same data again as a manager types it: the French words of the codes, in any case,
# with or without accents, and « sur devis » for a fee the grid leaves on quote.
IN_WORDS = {
    **EXCEL_FR,
    "deliberations.csv": EXCEL_FR["deliberations.csv"].replace(";Adopted", ";ADOPTÉE"),
    "fee_grid.csv": EXCEL_FR["fee_grid.csv"]
    .replace(";ht;calendar_year;", ";HT;Année civile;")
    .replace(";;NET;anniversary_prorated;", ";sur devis;net de taxes;date anniversaire;"),
    "conventions.csv": EXCEL_FR["conventions.csv"]
    .replace(";active;oui", ";Signée;Oui")
    .replace(";planned;non", ";en projet;NON"),
    "commitments.csv": EXCEL_FR["commitments.csv"].replace(";committed", ";engage")
    + "E2;C06-020M02;6281/930202;2023;10,00;Mandat;01/03/2023;Mandaté\n"
    + "E3;C06-020M02;6281/930202;2023;20,00;Prévision;01/03/2023;prévu\n",
}


def _standard_files() -> list[tuple[str, bytes]]:
    return [(name, text.encode("utf-8")) for name, text in STANDARD.items()]


def _excel_fr_files() -> list[tuple[str, bytes]]:
    return [(name, text.replace("\n", "\r\n").encode("cp1252")) for name, text in EXCEL_FR.items()]


def _import(con: duckdb.DuckDBPyConnection, files: list[tuple[str, bytes]]) -> None:
    import_raw_tables(con, read_files(files), actor=ADMIN, source="test")


def assert_same_store(a: duckdb.DuckDBPyConnection, b: duckdb.DuckDBPyConnection) -> None:
    tables_a, tables_b = store.read_all(a), store.read_all(b)
    for name, frame in tables_a.items():
        assert_frame_equal(tables_b[name], frame)


def assert_same_figures(a: duckdb.DuckDBPyConnection, b: duckdb.DuckDBPyConnection) -> None:
    figures_a, figures_b = compute(load_inputs(a)), compute(load_inputs(b))
    assert_frame_equal(figures_b.titles, figures_a.titles)
    assert_frame_equal(figures_b.totals, figures_a.totals)
    assert_frame_equal(figures_b.balance, figures_a.balance)


@pytest.fixture
def other_empty_db(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = open_database(tmp_path / "other.duckdb", seed_if_new=False)
    yield con  # type: ignore[misc]
    con.close()


# Dialects --------------------------------------------------------------------------------------


def test_standard_dialect_is_typed_exactly(empty_db: duckdb.DuckDBPyConnection) -> None:
    _import(empty_db, _standard_files())
    tables = store.read_all(empty_db)
    assert tables["fee_grid"].select("category", "annual_fee", "tax", "payment_days").rows() == [
        ("Autres structures", None, "net", None),  # "on quote": unknown, not 0
        ("CD", D("1500.00"), "HT", 50),
    ]
    conventions = tables["conventions"].select(
        "convention_id", "start_date", "end_date", "notice_months", "start_date_assumed"
    )
    assert conventions.rows() == [
        ("K1", date(2022, 12, 13), None, 3, True),
        ("K2", date(2023, 1, 1), date(2023, 6, 30), None, False),
    ]
    assert tables["bodies"].row(0) == (
        "B1",
        "Centrale « Une »",
        "13000501000025",
        "47 rue de Charonne, 75011 Paris",
    )
    assert tables["budget_lines"]["credits"].to_list() == [D("3000.00"), D("1500.50")]
    assert tables["commitments"]["amount_incl_tax"].to_list() == [D("-12.50")]
    assert tables["deliberations"].row(0)[1:8] == (
        date(2022, 12, 13),
        "Commission Permanente",
        "Adhésion – centrales",
        44,
        0,
        0,
        "adopted",
    )


def test_excel_fr_dialect_reads_like_the_standard_one(
    empty_db: duckdb.DuckDBPyConnection, other_empty_db: duckdb.DuckDBPyConnection
) -> None:
    files = _excel_fr_files()
    assert b"\r\n" in files[0][1]
    assert "é".encode("cp1252") in files[0][1] + files[1][1]
    _import(empty_db, _standard_files())
    _import(other_empty_db, files)
    assert_same_store(empty_db, other_empty_db)
    assert_same_figures(empty_db, other_empty_db)


def test_french_words_give_the_same_records_and_figures_as_the_codes(
    empty_db: duckdb.DuckDBPyConnection, other_empty_db: duckdb.DuckDBPyConnection
) -> None:
    standard = {
        **STANDARD,
        "commitments.csv": STANDARD["commitments.csv"]
        + "E2,C06-020M02,6281/930202,2023,10.00,Mandat,2023-03-01,mandated\n"
        + "E3,C06-020M02,6281/930202,2023,20.00,Prévision,2023-03-01,planned\n",
    }
    _import(empty_db, [(name, text.encode()) for name, text in standard.items()])
    _import(other_empty_db, [(name, text.encode("cp1252")) for name, text in IN_WORDS.items()])
    assert_same_store(empty_db, other_empty_db)
    assert_same_figures(empty_db, other_empty_db)
    balance = compute(load_inputs(other_empty_db)).balance.filter(pl.col("year") == 2023)
    # Engaged −12,50 and mandated 10,00 count; the planned 20,00 is shown beside.
    assert balance.select("committed_other", "planned").row(0) == (D("-2.50"), D("20.00"))


def test_utf8_with_bom_semicolons_and_french_headers(
    empty_db: duckdb.DuckDBPyConnection, other_empty_db: duckdb.DuckDBPyConnection
) -> None:
    """What our own --excel-fr export writes (UTF-8 with BOM) is read as well."""
    _import(empty_db, _standard_files())
    _import(
        other_empty_db,
        [(name, ("\ufeff" + text).encode("utf-8")) for name, text in EXCEL_FR.items()],
    )
    assert_same_store(empty_db, other_empty_db)


# Upserts ---------------------------------------------------------------------------------------


def test_reimport_updates_rows_by_key_without_doubling_them(
    empty_db: duckdb.DuckDBPyConnection,
) -> None:
    _import(empty_db, _standard_files())
    _import(
        empty_db,
        [
            ("bodies.csv", b"body_id,name,siret,address\nB1,Nouveau nom,,\nB2,Autre,,\n"),
            (
                "budget_lines.csv",
                b"operation_code,imputation,label,year,credits\n"
                b"C06-020M02,6281/930202,Informatique-Fonctionnement,2022,3100.00\n",
            ),
            (
                "fee_grid.csv",
                b"agreement_id,formula,category,annual_fee,tax,billing_rule,payment_days\n"
                b"AG1,S\xc3\xa9curit\xc3\xa9,CD,1600.00,HT,calendar_year,30\n",
            ),
        ],
    )
    tables = store.read_all(empty_db)
    assert tables["bodies"].select("body_id", "name", "siret").rows() == [
        ("B1", "Nouveau nom", None),  # every column of the row is replaced
        ("B2", "Autre", None),
    ]
    assert tables["budget_lines"].select("year", "credits").rows() == [
        (2022, D("3100.00")),
        (2023, D("1500.50")),
    ]
    assert tables["fee_grid"].select("category", "annual_fee", "payment_days").rows() == [
        ("Autres structures", None, None),
        ("CD", D("1600.00"), 30),
    ]
    assert tables["conventions"].height == 2
    balance = compute(load_inputs(empty_db)).balance
    # 1 600,00 € HT → 1 920,00 € TTC on 3 100,00 € of credits
    assert balance.filter(pl.col("year") == 2022)["balance"].to_list() == [D("1180.00")]


def test_reimporting_the_seed_changes_nothing(seeded_db: duckdb.DuckDBPyConnection) -> None:
    before = store.read_all(seeded_db)
    import_folder(seeded_db, ROOT / "data" / "seed", actor=ADMIN, source="again")
    after = store.read_all(seeded_db)
    for name, frame in before.items():
        assert_frame_equal(after[name], frame)


# Round trip ------------------------------------------------------------------------------------

EXTRA = [
    (
        "bodies.csv",
        'body_id,name,siret,address\nB;1,"Centrale ""guillemets"" ; point-virgule",,=1+1\n',
    ),
    (
        "commitments.csv",
        "commitment_id,operation_code,imputation,year,amount_incl_tax,label,date,status\n"
        "E1,C06-020M02,6281/930202,2022,-0.01,-5 % de remise,2022-12-20,committed\n"
        "E2,C06-020M02,6281/930202,2023,150.10,@achat,,planned\n"
        "E3,C06-020M02,6281/930202,2023,9999.99,+annulé,2023-01-05,cancelled\n"
        'E4,C06-020M02,6281/930202,2024,12.34,"ligne 1\nligne 2",29/02/2024,committed\n',
    ),
]


@pytest.mark.parametrize("excel_fr", [False, True], ids=["standard", "excel-fr"])
def test_export_then_import_gives_the_same_tables_and_figures(
    seeded_db: duckdb.DuckDBPyConnection,
    empty_db: duckdb.DuckDBPyConnection,
    tmp_path: Path,
    excel_fr: bool,
) -> None:
    _import(seeded_db, [(name, text.encode()) for name, text in EXTRA])
    folder = tmp_path / "export"
    write_exchange_folder(seeded_db, folder, excel_fr=excel_fr)
    exported = dict(folder_files(folder))
    if excel_fr:
        assert exported["fee_grid.csv"].startswith("\ufeffIdentifiant accord-cadre;".encode())
        # Words, not codes: what the pages show is what the file holds and reads back.
        conventions = exported["conventions.csv"].decode("utf-8-sig")
        assert ";signée;oui" in conventions
        assert "active" not in conventions
        grid = exported["fee_grid.csv"].decode("utf-8-sig")
        assert ";sur devis;net de taxes;date anniversaire;" in grid
        assert ";1500,00;HT;année civile;50" in grid
    import_folder(empty_db, folder, actor=ADMIN, source="round trip")
    assert_same_store(seeded_db, empty_db)
    assert_same_figures(seeded_db, empty_db)
    commitments = store.read_table(empty_db, "commitments")
    assert commitments["label"].to_list() == [
        "-5 % de remise",
        "@achat",
        "+annulé",
        "ligne 1\nligne 2",
    ]


@pytest.mark.parametrize("excel_fr", [False, True], ids=["standard", "excel-fr"])
def test_cli_export_then_import_into_an_empty_database(tmp_path: Path, excel_fr: bool) -> None:
    source, target = tmp_path / "source.duckdb", tmp_path / "target.duckdb"
    folder = tmp_path / "export"
    assert run_cli("init", "--db", str(source)).returncode == 0
    assert run_cli("init", "--empty", "--db", str(target)).returncode == 0
    options = ["--excel-fr"] if excel_fr else []
    exported = run_cli("export", str(folder), "--db", str(source), *options)
    assert exported.returncode == 0, exported.stderr
    imported = run_cli("import", str(folder), "--db", str(target))
    assert imported.returncode == 0, imported.stderr
    for command in ("fees", "totals", "balance"):
        expected = run_cli(command, "--db", str(source))
        assert run_cli(command, "--db", str(target)).stdout == expected.stdout
        assert expected.stdout.count("\n") > 1
    con_source, con_target = store.connect(source), store.connect(target)
    try:
        assert_same_store(con_source, con_target)
    finally:
        con_source.close()
        con_target.close()
