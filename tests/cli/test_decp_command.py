"""`python -m spend decp FILE`: proposals as CSV; accepted ones written, journaled."""

from pathlib import Path

import polars as pl

from spend.paths import ROOT
from tests.conftest import run_cli

FILE = str(ROOT / "tests" / "fixtures" / "decp" / "decp_consolide.csv")


def test_proposals_are_printed_then_applied_only_when_accepted(tmp_path: Path) -> None:
    db = str(tmp_path / "x.duckdb")
    assert run_cli("init", "--db", db).returncode == 0

    result = run_cli("decp", FILE, "--db", db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("agreement_id,body_id,reference,title,stored_end_date,")
    assert lines[1].startswith("RESAH-2020-027-L1,RESAH,2020-027 lot 1,")
    assert ",2024-08-27,2025-08-27,identifiant,2020-027-LOT1," in lines[1]
    assert len(lines) == 2
    exported = run_cli("export", str(tmp_path / "out"), "--db", db)
    assert exported.returncode == 0
    agreements = pl.read_csv(tmp_path / "out" / "agreements.csv", infer_schema=False)
    assert agreements.filter(pl.col("agreement_id") == "RESAH-2020-027-L1")["end_date"][0] == (
        "2024-08-27"
    )  # printing changes nothing

    refused = run_cli("decp", FILE, "--db", db, "--apply", "CAIH-SO360")
    assert refused.returncode == 1
    assert "Pas de date de fin proposée pour : CAIH-SO360" in refused.stderr

    applied = run_cli("decp", FILE, "--db", db, "--apply", "RESAH-2020-027-L1", "--as", "m.dupont")
    assert applied.returncode == 0, applied.stderr
    journal = run_cli("journal", "--db", db, "--table", "agreements").stdout.splitlines()
    newest = journal[1]
    assert ',m.dupont,ligne de commande,import,agreements,"[""RESAH-2020-027-L1""]",' in newest
    assert '""end_date"":""2024-08-27""' in newest and '""end_date"":""2025-08-27""' in newest


def test_an_unreadable_file_is_a_french_error(tmp_path: Path) -> None:
    result = run_cli("decp", str(tmp_path / "absent.json"), "--db", str(tmp_path / "x.duckdb"))
    assert result.returncode == 1
    assert "Fichier DECP introuvable" in result.stderr and "Traceback" not in result.stderr
