"""A line whose 2022 credits are a BP and two DMs: every page counts its crédits ouverts."""

from pathlib import Path

import pytest

from spend.exchange.importer import import_raw_tables, read_files
from spend.exchange.seed import open_database
from tests.conftest import ADMIN
from tests.pages.conftest import assert_clean, markdown_text, open_page

THIN, NBSP = "\u202f", "\u00a0"
# The seed's BP of 3 000,00 €, then DM1 +500,00 € and DM2 −300,00 €: 3 200,00 € open.
VOTES = (
    "operation_code,imputation,label,year,credits,stage,deliberation_id\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2022,3000.00,BP,\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2022,500.00,DM1,2022-301\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2022,-300.00,décision modificative n° 2,\n"
)


@pytest.fixture
def votes_db(app_db: Path) -> Path:
    con = open_database(app_db)
    import_raw_tables(con, read_files([("budget_lines.csv", VOTES.encode())]), actor=ADMIN,
                      source="test")  # fmt: skip
    con.close()
    return app_db


def test_the_budget_page_counts_the_open_credits(votes_db: Path) -> None:
    at = open_page("pages/budget.py", annee="2022")
    assert_clean(at)
    text = markdown_text(at)
    assert (
        f"Total engagé : 2{THIN}800,00{NBSP}€ sur 3{THIN}200,00{NBSP}€ de crédits ; "
        f"solde 400,00{NBSP}€"
    ) in text
    table = at.dataframe[0].value
    row = table[table["Exercice"] == 2022].iloc[0]
    assert row["Crédits"] == f"3{THIN}200,00{NBSP}€"
    assert row["Solde"] == f"400,00{NBSP}€"
    assert row["Part consommée (%)"] == "87,5"


def test_the_overview_counts_the_open_credits(votes_db: Path) -> None:
    at = open_page("pages/overview.py", annee="2022")
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Crédits disponibles"] == f"3{THIN}200,00{NBSP}€"
    assert metrics["Engagé (TTC)"] == f"2{THIN}800,00{NBSP}€"
    assert metrics["Solde"] == f"400,00{NBSP}€"


def test_the_simulation_starts_from_the_open_credits(votes_db: Path) -> None:
    at = open_page("pages/simulation.py", annee="2022")
    assert_clean(at)
    # Committed and balance, the scenario's beside the recorded (no change made).
    assert [m.value for m in at.metric] == [f"2{THIN}800,00{NBSP}€"] * 2 + [f"400,00{NBSP}€"] * 2
