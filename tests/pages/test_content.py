"""What the conventions, fees and budget pages show on the seed."""

from pathlib import Path

import polars as pl
import pytest

from spend import store
from spend.domain.records import TABLES
from spend.exchange.exports import text_frame
from spend.exchange.importer import import_raw_tables, read_files
from spend.exchange.reading import raw_table_from_frame
from spend.exchange.seed import open_database
from tests.conftest import ADMIN
from tests.pages.conftest import assert_clean, markdown_text, open_page

THIN, NBSP = "\u202f", "\u00a0"
RESAH = "RESAH-2020-027-L1-CD62"


def test_conventions_table_and_titles_of_a_convention(app_db: Path) -> None:
    at = open_page("pages/conventions.py")
    table = at.dataframe[0].value
    assert len(table) == 6
    caih = table[table["Convention"] == "CAIH-SO360-CD62"].iloc[0]
    assert caih["Cotisation"] == f"1{THIN}500,00{NBSP}€ HT"
    assert caih["Statut enregistré"] == "signée"
    assert caih["Préavis au plus tard"] == "16/04/2023"
    assert caih["Fin"] == "16/07/2023"
    # Signed, and ended on 16/07/2023: by the reference date (today) it is over.
    assert caih["Situation"] == "échue"
    assert list(table.columns[:7]) == [
        "Convention", "Centrale", "Situation", "Début", "Fin", "Préavis au plus tard", "Cotisation",
    ]  # fmt: skip
    at.selectbox(key="conventions_chosen").set_value("RESAH-2020-027-L1-CD62").run()
    titles = at.dataframe[1].value
    assert titles["Mois facturés"].tolist() == ["12,00", "8,50"]
    assert titles["Montant TTC"].tolist() == [f"1{THIN}000,00{NBSP}€", f"708,33{NBSP}€"]
    assert titles["Date d'émission"].tolist() == ["13/12/2022", "31/03/2023"]
    assert titles["N° de titre"].tolist() == [1, 2]


def test_conventions_filters(app_db: Path) -> None:
    at = open_page("pages/conventions.py", centrale="RESAH")
    assert len(at.dataframe[0].value) == 3
    at.multiselect(key="conventions_status").set_value(["incomplete"]).run()
    assert len(at.dataframe[0].value) == 2
    at.text_input(key="conventions_search").input("bibliothèque").run()
    assert at.dataframe[0].value["Convention"].tolist() == ["RESAH-BIBLIO-CD62"]


def test_conventions_by_situation_on_the_reference_date(app_db: Path) -> None:
    at = open_page("pages/conventions.py", date="2023-06-01")
    at.multiselect(key="conventions_situation").set_value(["in_force"]).run()
    assert sorted(at.dataframe[0].value["Convention"]) == ["CAIH-SO360-CD62", RESAH]
    at = open_page("pages/conventions.py", date="2024-01-01")
    at.multiselect(key="conventions_situation").set_value(["expired"]).run()
    assert at.dataframe[0].value["Convention"].tolist() == ["CAIH-SO360-CD62"]


def test_fees_totals_per_central_and_year(app_db: Path) -> None:
    at = open_page("pages/fees.py", annee="2023")
    totals = at.dataframe[0].value
    rows = totals[["Identifiant centrale", "Exercice", "Montant HT", "TVA", "Montant TTC"]]
    assert rows.values.tolist() == [
        ["CAIH", 2022, f"1{THIN}500,00{NBSP}€", f"300,00{NBSP}€", f"1{THIN}800,00{NBSP}€"],
        ["CAIH", 2023, f"1{THIN}500,00{NBSP}€", f"300,00{NBSP}€", f"1{THIN}800,00{NBSP}€"],
        ["RESAH", 2022, f"1{THIN}000,00{NBSP}€", f"0,00{NBSP}€", f"1{THIN}000,00{NBSP}€"],
        ["RESAH", 2023, f"708,33{NBSP}€", f"0,00{NBSP}€", f"708,33{NBSP}€"],
    ]
    assert len(at.get("vega_lite_chart")) == 1


def test_budget_reconciliation_of_2022_written_out(app_db: Path) -> None:
    at = open_page("pages/budget.py", annee="2022")
    text = markdown_text(at)
    assert (
        f"CAIH : 1{THIN}500,00{NBSP}€ HT + TVA 20,0{NBSP}% (300,00{NBSP}€) "
        f"= 1{THIN}800,00{NBSP}€ TTC" in text
    )
    assert f"RESAH : 1{THIN}000,00{NBSP}€ net de taxes = 1{THIN}000,00{NBSP}€" in text
    assert (
        f"Total engagé : 2{THIN}800,00{NBSP}€ sur 3{THIN}000,00{NBSP}€ de crédits ; "
        f"solde 200,00{NBSP}€"
    ) in text
    lines = at.dataframe[0].value
    assert lines["Part consommée (%)"].tolist() == ["93,3", "—"]
    at.selectbox(key="budget_year").set_value(2023).run()
    assert any("Aucun crédit saisi pour 2023" in e.value for e in at.error)


@pytest.fixture
def two_lines_db(app_db: Path) -> Path:
    """The seed plus a second budget line, and the Resah fees left without a budget line."""
    con = open_database(app_db)
    store_frames = {
        "budget_lines": (
            "operation_code,imputation,label,year,credits\nC99,6281/1,Autre,2024,500.00\n"
        ),
    }
    conventions = store.read_table(con, "conventions").with_columns(
        pl.when(pl.col("convention_id") == "RESAH-2020-027-L1-CD62")
        .then(None)
        .otherwise(pl.col(c))
        .alias(c)
        for c in ("operation_code", "imputation")
    )
    raw = [raw_table_from_frame("edit", TABLES["conventions"], text_frame(conventions, "standard"))]
    raw += read_files([(name + ".csv", text.encode()) for name, text in store_frames.items()])
    import_raw_tables(con, raw, actor=ADMIN, source="test")
    con.close()
    return app_db


def test_pages_with_several_lines_and_unassigned_fees(two_lines_db: Path) -> None:
    for page in ("pages/overview.py", "pages/budget.py", "pages/simulation.py"):
        at = open_page(page, annee="2022")
        assert_clean(at)
    at = open_page("pages/budget.py", annee="2022")
    assert at.selectbox(key="budget_line").options == [
        "C06-020M02 / 6281/930202",
        "C99 / 6281/1",
        "non imputé",
    ]
    at.selectbox(key="budget_line").set_value("C99 / 6281/1").run()
    assert_clean(at)
    assert at.selectbox(key="budget_year").options == ["2024"]
    at.selectbox(key="budget_line").set_value("non imputé").run()
    assert_clean(at)
    text = markdown_text(at)
    assert f"RESAH : 1{THIN}000,00{NBSP}€ net de taxes" in text
