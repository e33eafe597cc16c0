"""The command line gives the deliberation's figures to the cent, and refuses bad input cleanly."""

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from spend import store
from spend.cli import main
from spend.paths import ROOT
from spend.store.backups import list_backups
from tests.conftest import SOURCE_DOCUMENT, run_cli


def test_python_dash_m_spend_is_the_command_line(tmp_path: Path) -> None:
    # The one test through a real process: the entry point, its exit code and its bytes.
    db = str(tmp_path / "x.duckdb")
    command = [sys.executable, "-m", "spend"]
    assert subprocess.run([*command, "init", "--db", db], cwd=ROOT).returncode == 0
    balance = subprocess.run(
        [*command, "balance", "--db", db, "--year", "2022"], cwd=ROOT, capture_output=True
    )
    assert balance.returncode == 0
    assert (
        balance.stdout.decode().splitlines()[1]
        == "C06-020M02,6281/930202,2022,3000.00,2800.00,200.00"
    )
    usage = subprocess.run([*command], cwd=ROOT, capture_output=True, text=True)
    assert usage.returncode == 2
    assert "utilisation" in usage.stderr


def test_init_then_balance_reproduces_the_deliberation(tmp_path: Path) -> None:
    db = str(tmp_path / "x.duckdb")
    assert run_cli("init", "--db", db).returncode == 0
    balance = run_cli("balance", "--db", db)
    assert balance.returncode == 0, balance.stderr
    assert balance.stdout.splitlines() == [
        "operation_code,imputation,year,credits,committed,balance",
        "C06-020M02,6281/930202,2022,3000.00,2800.00,200.00",
        "C06-020M02,6281/930202,2023,0.00,2508.33,-2508.33",
    ]


def test_fees_gives_each_title_including_tax(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    db = str(tmp_path / "x.duckdb")
    assert main(["init", "--db", db]) == 0
    capsysbinary.readouterr()
    assert main(["fees", "--db", db]) == 0
    fees = pl.read_csv(capsysbinary.readouterr().out, infer_schema=False)
    got = fees.select("body_id", "year", "amount_incl_tax").rows()
    assert sorted(got) == [
        ("CAIH", "2022", "1800.00"),
        ("CAIH", "2023", "1800.00"),
        ("RESAH", "2022", "1000.00"),
        ("RESAH", "2023", "708.33"),
    ]
    resah_2023 = fees.filter(pl.col("body_id") == "RESAH", pl.col("year") == "2023").row(
        0, named=True
    )
    assert resah_2023["months"] == "8.50"
    assert resah_2023["period_start"] == "2023-12-13"
    assert resah_2023["period_end"] == "2024-08-27"
    assert resah_2023["due_date"] is None


def test_year_filter_and_totals(tmp_path: Path) -> None:
    db = str(tmp_path / "x.duckdb")
    run_cli("init", "--db", db)
    totals = run_cli("totals", "--db", db, "--year", "2023").stdout.splitlines()
    assert totals == [
        "body_id,year,amount_excl_tax,vat,amount_incl_tax,unpriced",
        "CAIH,2023,1500.00,300.00,1800.00,0",
        "RESAH,2023,708.33,0.00,708.33,0",
    ]


def test_read_deliberation_json_on_the_source_document() -> None:
    result = run_cli("read-deliberation", str(SOURCE_DOCUMENT), "--json")
    assert result.returncode == 0, result.stderr
    reading = json.loads(result.stdout)
    assert (reading["deliberation_id"], reading["date"], reading["assembly"]) == (
        "2022-504",
        "2022-12-13",
        "Commission Permanente",
    )
    assert (reading["votes_for"], reading["votes_against"], reading["abstentions"]) == (44, 0, 0)
    assert reading["outcome"] == "adopted"
    assert reading["budget_rows"] == [
        {
            "operation_code": "C06-020M02",
            "imputation": "6281/930202",
            "label": "Informatique-Fonctionnement",
            "credits": "3000.00",
            "amount": "2800.00",
        }
    ]
    assert reading["fees"] == [
        {"body": "CAIH", "amount": "1500.00", "tax": "HT"},
        {"body": "Resah", "amount": "1000.00", "tax": "net"},
    ]
    assert any("HT" in w and "nets de taxes" in w for w in reading["warnings"])


def test_read_deliberation_missing_file_is_a_french_error(tmp_path: Path) -> None:
    result = run_cli("read-deliberation", str(tmp_path / "absente.pdf"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "introuvable" in result.stderr


def test_scdl_export_publishes_only_what_the_validators_accept(tmp_path: Path) -> None:
    db = str(tmp_path / "x.duckdb")
    assert run_cli("init", "--db", db).returncode == 0
    out = tmp_path / "scdl.csv"
    result = run_cli("scdl", "--db", db, "--output", str(out))
    assert result.returncode == 0, result.stderr
    # The SIRET is not in the source document: said, not invented, and no row is published.
    assert "champ obligatoire « SIRET de la collectivité » (COLL_SIRET)" in result.stderr
    assert (
        "0 délibération(s) écrite(s)" in result.stdout and "3 laissée(s) de côté" in result.stdout
    )
    assert pl.read_csv(out, infer_schema=False).is_empty()

    assert run_cli("settings", "--db", db, "collectivity_siret=21860194600013").returncode == 0
    result = run_cli("scdl", "--db", db, "--output", str(out))
    assert result.stderr == ""
    frame = pl.read_csv(out, infer_schema=False)
    assert frame.columns[:4] == ["COLL_NOM", "COLL_SIRET", "DELIB_ID", "DELIB_DATE"]
    row = frame.filter(pl.col("DELIB_ID") == "2022-504").row(0, named=True)
    assert row["COLL_NOM"] == "Département du Pas-de-Calais"
    assert row["COLL_SIRET"] == "21860194600013"
    assert (row["DELIB_MATIERE_CODE"], row["DELIB_MATIERE_NOM"]) == (
        "1.4",
        "Commande publique/Autres types de contrats",
    )
    votes = ("VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION")
    assert tuple(row[c] for c in votes) == ("44", "44", "44", "0", "0")


def test_refused_import_into_a_new_database_leaves_no_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bodies.csv").write_text("body_id,name,siret,address\nX,,,\n", encoding="utf-8")
    db = tmp_path / "new.duckdb"
    result = run_cli("import", str(folder), "--db", str(db))
    assert result.returncode == 1
    assert "bodies.csv, ligne 2, Nom : valeur obligatoire manquante" in result.stderr
    assert not db.exists()


def test_a_missing_database_with_backups_beside_it_is_never_made_again(tmp_path: Path) -> None:
    db = tmp_path / "spend.duckdb"
    assert run_cli("init", "--db", str(db)).returncode == 0
    (latest,) = list_backups(db)
    db.unlink()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bodies.csv").write_text("body_id,name,siret,address\nX,N,,\n", encoding="utf-8")
    for args in (("balance",), ("fees",), ("journal",), ("export", str(tmp_path / "out")),
                 ("import", str(folder)), ("undo", "1"), ("backup",)):  # fmt: skip
        result = run_cli(*args, "--db", str(db))
        assert result.returncode == 1, args
        assert f"Dernière sauvegarde : {latest.name}" in result.stderr, args
        assert f"python -m spend restore --db {db}" in result.stderr, args
        assert "Traceback" not in result.stderr
        assert not db.exists(), args
    # Nor by a library caller, nor by `init` without --force.
    with pytest.raises(store.StoreError, match="introuvable"):
        store.connect(db)
    assert run_cli("init", "--db", str(db)).returncode == 1
    assert not db.exists()


def test_unwritable_paths_give_a_french_error_not_a_traceback(tmp_path: Path) -> None:
    db = str(tmp_path / "x.duckdb")
    run_cli("init", "--db", db)
    result = run_cli("scdl", "--db", db, "--output", str(tmp_path / "absent" / "x.csv"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "impossible" in result.stderr


def test_unpriced_titles_are_said_on_stderr(tmp_path: Path) -> None:
    db = str(tmp_path / "x.duckdb")
    run_cli("init", "--db", db)
    folder = tmp_path / "quote"
    folder.mkdir()
    (folder / "conventions.csv").write_text(
        "convention_id,agreement_id,title,formula,category,start_date,end_date,notice_months,"
        "operation_code,imputation,deliberation_id,status\n"
        "Q1,RESAH-2020-027-L1,,Sécurité,Autres structures,2023-01-01,,,C06-020M02,"
        "6281/930202,,planned\n",
        encoding="utf-8",
    )
    assert run_cli("import", str(folder), "--db", db).returncode == 0
    result = run_cli("balance", "--db", db, "--year", "2023")
    assert "C06-020M02,6281/930202,2023,0.00,2508.33,-2508.33" in result.stdout
    assert "1 titre(s) « sur devis » sans montant" in result.stderr


def test_usage_errors_are_in_french() -> None:
    result = run_cli("balance", "--year", "deux-mille")
    assert result.returncode == 2
    assert (
        "erreur : argument --year : valeur invalide (int attendu) : 'deux-mille'" in result.stderr
    )
    assert run_cli("--help").stdout.startswith("utilisation : python -m spend")


def test_an_older_database_gains_the_open_data_columns_empty(tmp_path: Path) -> None:
    import gzip
    import shutil

    db = tmp_path / "spend.duckdb"
    packed = ROOT / "tests" / "fixtures" / "release_2026_11" / "spend.duckdb.gz"
    with gzip.open(packed, "rb") as source, db.open("wb") as out:
        shutil.copyfileobj(source, out)
    exported = run_cli("export", str(tmp_path / "out"), "--db", str(db))
    assert exported.returncode == 0, exported.stderr
    rows = pl.read_csv(tmp_path / "out" / "deliberations.csv", infer_schema=False)
    assert rows.columns[8:] == [
        "subject_code", "subject_name", "members_in_office", "prefecture_id", "prefecture_date",
        "budget_year", "budget_name", "url",
    ]  # fmt: skip
    assert (
        rows.height > 0
        and rows.select(pl.all().exclude(rows.columns[:8])).null_count().row(0)
        == (rows.height,) * 8
    )
    # Without a subject, nothing is published; the command says why, in French.
    scdl = run_cli("scdl", "--db", str(db), "--output", str(tmp_path / "scdl.csv"))
    assert scdl.returncode == 0 and "(DELIB_MATIERE_CODE) non renseigné" in scdl.stderr
