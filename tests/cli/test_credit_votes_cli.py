"""`balance` on a line whose credits are a BP and two DMs: crédits ouverts and balance."""

from pathlib import Path

import polars as pl

from tests.conftest import run_cli

VOTES = (
    "operation_code;imputation;label;year;credits;stage;deliberation_id\n"
    "C06-020M02;6281/930202;Informatique-Fonctionnement;2022;3 000,00;budget primitif;\n"
    "C06-020M02;6281/930202;Informatique-Fonctionnement;2022;500,00;DM1;2022-301\n"
    "C06-020M02;6281/930202;Informatique-Fonctionnement;2022;-300,00;DM 2;2022-450\n"
)


def test_balance_counts_a_bp_and_two_dms(tmp_path: Path) -> None:
    db = str(tmp_path / "x.duckdb")
    assert run_cli("init", "--db", db).returncode == 0
    folder = tmp_path / "votes"
    folder.mkdir()
    (folder / "budget_lines.csv").write_text(VOTES, encoding="utf-8")
    imported = run_cli("import", str(folder), "--db", db)
    assert imported.returncode == 0, imported.stderr
    balance = run_cli("balance", "--db", db)
    assert balance.returncode == 0, balance.stderr
    assert balance.stdout.splitlines()[1:] == [
        "C06-020M02,6281/930202,2022,3200.00,2800.00,400.00",
        "C06-020M02,6281/930202,2023,0.00,2508.33,-2508.33",
    ]
    # The export carries each vote with its stage and deliberation, ready to import again.
    out = tmp_path / "out"
    assert run_cli("export", str(out), "--db", db).returncode == 0
    votes = pl.read_csv(out / "budget_lines.csv", infer_schema=False)
    assert votes.select("year", "stage", "credits", "deliberation_id").rows() == [
        ("2022", "BP", "3000.00", None),
        ("2022", "DM1", "500.00", "2022-301"),
        ("2022", "DM2", "-300.00", "2022-450"),
    ]
    again = tmp_path / "again.duckdb"
    assert run_cli("init", "--db", str(again), "--empty").returncode == 0
    assert run_cli("import", str(out), "--db", str(again)).returncode == 0
    assert run_cli("balance", "--db", str(again)).stdout.splitlines()[1] == (
        "C06-020M02,6281/930202,2022,3200.00,2800.00,400.00"
    )


def test_a_negative_bp_is_refused_naming_file_line_and_column(tmp_path: Path) -> None:
    db = str(tmp_path / "x.duckdb")
    assert run_cli("init", "--db", db).returncode == 0
    folder = tmp_path / "votes"
    folder.mkdir()
    (folder / "budget_lines.csv").write_text(
        "operation_code,imputation,label,year,credits,stage\nC06,6281/930202,,2024,-5.00,\n",
        encoding="utf-8",
    )
    refused = run_cli("import", str(folder), "--db", db)
    assert refused.returncode != 0
    assert (
        "budget_lines.csv, ligne 2, Crédits : valeur négative « -5.00 » refusée pour un budget "
        "primitif" in refused.stderr
    )
