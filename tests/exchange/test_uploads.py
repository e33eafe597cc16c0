"""Files as managers hand them over: zips of our export, UTF-16 from Excel, several mistakes."""

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from spend import store
from spend.exchange.importer import import_raw_tables
from spend.exchange.problems import ImportRefused
from spend.exchange.uploads import read_uploaded
from spend.exchange.writing import exchange_zip
from spend.views.labels import with_french_headers
from tests.conftest import ADMIN, run_cli, store_snapshot


@pytest.mark.parametrize("dialect", ["standard", "excel_fr"])
def test_the_exported_zip_imports_back(
    seeded_db: duckdb.DuckDBPyConnection, empty_db: duckdb.DuckDBPyConnection, dialect: str
) -> None:
    content = exchange_zip(store.read_all(seeded_db), dialect)  # type: ignore[arg-type]
    import_raw_tables(empty_db, read_uploaded([("export.zip", content)]), actor=ADMIN, source="zip")
    assert {n: f.rows() for n, f in store.read_all(empty_db).items()} == {
        n: f.rows() for n, f in store.read_all(seeded_db).items()
    }


def test_cli_imports_a_zip(tmp_path: Path, seeded_db: duckdb.DuckDBPyConnection) -> None:
    archive = tmp_path / "export.zip"
    archive.write_bytes(exchange_zip(store.read_all(seeded_db), "standard"))
    db = tmp_path / "from_zip.duckdb"
    result = run_cli("import", str(archive), "--db", str(db))
    assert result.returncode == 0, result.stderr
    balance = run_cli("balance", "--db", str(db)).stdout.splitlines()
    assert balance[1] == "C06-020M02,6281/930202,2022,3000.00,2800.00,200.00"


def test_a_broken_zip_is_refused_in_french() -> None:
    with pytest.raises(ImportRefused) as refused:
        read_uploaded([("export.zip", b"PK not really")])
    assert [str(p) for p in refused.value.problems] == ["export.zip : archive zip illisible"]
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("notes.txt", "rien")
    with pytest.raises(ImportRefused) as refused:
        read_uploaded([("vide.zip", empty.getvalue())])
    assert [str(p) for p in refused.value.problems] == [
        "vide.zip : aucun fichier .csv dans cette archive"
    ]


def test_utf16_from_excel_is_named() -> None:
    content = "body_id,name,siret,address\nX,Y,,\n".encode("utf-16")
    with pytest.raises(ImportRefused) as refused:
        read_uploaded([("bodies.csv", content)])
    assert "UTF-16" in str(refused.value.problems[0])


def test_bad_cells_and_unknown_references_come_in_one_report(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    before = store_snapshot(seeded_db)
    content = b"agreement_id,body_id,reference,title,end_date\nNEW-1,NOPE,,Accord,31/02/2025\n"
    with pytest.raises(ImportRefused) as refused:
        import_raw_tables(
            seeded_db, read_uploaded([("agreements.csv", content)]), actor=ADMIN, source="t"
        )
    assert [str(p) for p in refused.value.problems] == [
        "agreements.csv, ligne 2, Date de fin : date impossible « 31/02/2025 »",
        "agreements.csv, ligne 2, Identifiant centrale : centrale d'achat inconnue « NOPE »",
    ]
    after = store_snapshot(seeded_db)
    assert {k: v.rows() for k, v in after.items()} == {k: v.rows() for k, v in before.items()}


def test_preview_shows_french_headers_and_lines() -> None:
    content = b"body_id,name,siret,address\nX,Y,,\n"
    (raw,) = read_uploaded([("bodies.csv", content)])
    assert with_french_headers(raw.rows).columns == [
        "Ligne",
        "Identifiant centrale",
        "Nom",
        "SIRET",
        "Adresse",
    ]
    assert with_french_headers(raw.rows).row(0)[:3] == (2, "X", "Y")


# A page's download of an exchange table keeps the page's name (grille_tarifaire_virgule.csv):
# its header says which table it is.
GRID_STANDARD = (
    b"agreement_id,formula,category,annual_fee,tax,billing_rule,payment_days\n"
    b"CAIH-SO360,Cotisation annuelle,Autre,1600.00,HT,calendar_year,50\n"
)
GRID_FRENCH = (
    "Identifiant accord-cadre;Formule;Catégorie;Cotisation annuelle;Base fiscale;"
    "Règle de facturation;Délai de paiement (jours)\n"
    "CAIH-SO360;Cotisation annuelle;Autre;1 600,00;HT;année civile;-5\n"
).encode("cp1252")


def test_a_file_under_another_name_is_known_by_its_header(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    [raw] = read_uploaded([("grille_tarifaire_virgule.csv", GRID_STANDARD)])
    assert (raw.table.name, raw.file) == ("fee_grid", "grille_tarifaire_virgule.csv")
    import_raw_tables(seeded_db, [raw], actor=ADMIN, source="grille")
    grid = store.read_table(seeded_db, "fee_grid")
    assert grid.filter(grid["category"] == "Autre")["annual_fee"].to_list() == [Decimal("1600.00")]
    french = read_uploaded([("grille (1).csv", GRID_FRENCH)])
    with pytest.raises(ImportRefused) as refused:
        import_raw_tables(seeded_db, french, actor=ADMIN, source="grille")
    # The file is named as the manager named it, with the line and the column.
    assert refused.value.lines()[0].startswith(
        "grille (1).csv, ligne 2, Délai de paiement (jours) : valeur négative"
    )


@pytest.mark.parametrize(
    "header",
    [b"id,nom\n", b"body_id,name,siret,address,extra\n", b"body_id,siret\n", b"\n"],
    ids=["no table", "a column more", "a required column less", "no header"],
)
def test_a_header_that_fits_no_table_leaves_the_file_unknown(header: bytes) -> None:
    with pytest.raises(ImportRefused) as refused:
        read_uploaded([("centrales.csv", header + b"A,a,,\n")])
    assert refused.value.lines()[0].startswith("centrales.csv : fichier inconnu (attendus : ")
