"""`spend prepare` and `spend draft-deliberation`: the seed's proposal for 2023 and the 2022 draft
read back by `spend read-deliberation`, through the command line."""

import json
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from spend import store
from spend.domain.access import SYSTEM
from spend.store.arbitration import set_arbitration
from tests.conftest import copy_of_seeded, run_cli


@pytest.fixture
def db(tmp_path: Path, seeded_file: Path) -> str:
    return str(copy_of_seeded(seeded_file, tmp_path / "seed.duckdb"))


def test_prepare_2023_proposes_2508_33_on_the_seeds_line(db: str) -> None:
    result = run_cli("prepare", "--year", "2023", "--db", db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "operation_code,imputation,label,realised_prev,bp_prev,open_prev,committed_prev,"
        "proposed,gap,gap_pct,arbitrated"
    )
    assert lines[1:] == [
        "C06-020M02,6281/930202,Informatique-Fonctionnement,0.00,3000.00,3000.00,2800.00,"
        "2508.33,-491.67,-16.4,"
    ]


def test_prepare_writes_a_file_with_the_arbitrated_amount(db: str, tmp_path: Path) -> None:
    with store.connect(Path(db)) as con:
        set_arbitration(con, "C06-020M02", "6281/930202", 2023, Decimal("2550.00"), actor=SYSTEM)
    out = tmp_path / "budget_2023.csv"
    result = run_cli("prepare", "--year", "2023", "--db", db, "--output", str(out))
    assert result.returncode == 0 and str(out) in result.stdout
    frame = pl.read_csv(out, schema_overrides={"arbitrated": pl.String, "proposed": pl.String})
    assert frame.select("proposed", "arbitrated").row(0) == ("2508.33", "2550.00")


def test_prepare_follows_a_saved_scenario_and_names_an_unknown_one(db: str) -> None:
    with store.connect(Path(db)) as con:
        store.save_scenario(con, "plus 3 %", json.dumps({"fee_pct": 3}), actor=SYSTEM)
    raised = run_cli("prepare", "--year", "2023", "--db", db, "--scenario", "plus 3 %")
    assert raised.returncode == 0, raised.stderr
    proposed = Decimal(raised.stdout.splitlines()[1].split(",")[7])
    assert proposed > Decimal("2508.33")
    unknown = run_cli("prepare", "--year", "2023", "--db", db, "--scenario", "moins 3 %")
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "Scénario « moins 3 % » inconnu (enregistrés : plus 3 %)."


def test_prepare_scdl_is_the_open_data_file_or_says_why_not(db: str) -> None:
    refused = run_cli("prepare", "--year", "2023", "--db", db, "--scdl")
    assert refused.returncode == 0
    assert refused.stdout.splitlines()[0].startswith("BGT_NATDEC,BGT_ANNEE,BGT_SIRET")
    assert len(refused.stdout.splitlines()) == 1
    assert "SIRET de la collectivité non renseigné" in refused.stderr
    assert run_cli("settings", "--db", db, "collectivity_siret=21860194600013").returncode == 0
    published = run_cli("prepare", "--year", "2023", "--db", db, "--scdl")
    row = published.stdout.splitlines()[1].split(",")
    assert row[:5] == ["budget primitif", "2023", "21860194600013", "Département du Pas-de-Calais",
                       "6281"]  # fmt: skip
    assert "non arbitrée" in published.stderr


def test_the_2022_draft_reads_back_with_the_seeds_figures(db: str, tmp_path: Path) -> None:
    draft = tmp_path / "draft.docx"
    made = run_cli("draft-deliberation", "--year", "2022", "--db", db, "--output", str(draft))
    assert made.returncode == 0, made.stderr
    assert "2 convention(s), 1 ligne(s) de crédits" in made.stdout

    read = run_cli("read-deliberation", str(draft), "--json")
    assert read.returncode == 0, read.stderr
    reading = json.loads(read.stdout)
    assert reading["budget_rows"] == [
        {"operation_code": "C06-020M02", "imputation": "6281/930202",
         "label": "Informatique-Fonctionnement", "credits": "3000.00", "amount": "2800.00"}
    ]  # fmt: skip
    assert reading["fees"] == [
        {"body": "CAIH", "amount": "1500.00", "tax": "HT"},
        {"body": "Resah", "amount": "1000.00", "tax": "net"},
    ]


def test_draft_for_a_central_without_fees_says_so(db: str, tmp_path: Path) -> None:
    out = tmp_path / "none.docx"
    result = run_cli("draft-deliberation", "--year", "2022", "--db", db, "--central", "UGAP",
                     "--output", str(out))  # fmt: skip
    assert result.returncode == 1 and not out.exists()
    assert result.stderr.strip() == (
        "Aucune convention de la centrale UGAP ne donne lieu à une cotisation en 2022 : rien à "
        "délibérer."
    )
