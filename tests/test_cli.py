"""The command line gives the deliberation's figures to the cent, and refuses bad input cleanly."""

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from spend.cli import main
from spend.paths import ROOT


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spend", *args], cwd=ROOT, capture_output=True, text=True
    )


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
