"""The overview shows the deliberation's figures and flags a year without credits."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.pages.conftest import assert_clean, open_page

THIN, NBSP = "\u202f", "\u00a0"


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_2022_cards_reconcile_with_the_deliberation(app_db: Path) -> None:
    at = open_page(annee="2022")
    assert_clean(at)
    assert metric(at, "Crédits disponibles") == f"3{THIN}000,00{NBSP}€"
    assert metric(at, "Engagé (TTC)") == f"2{THIN}800,00{NBSP}€"
    assert metric(at, "Solde") == f"200,00{NBSP}€"
    assert metric(at, "Conventions actives") == "2"


def test_2023_flags_commitments_without_credits(app_db: Path) -> None:
    at = open_page(annee="2023")
    assert metric(at, "Crédits disponibles") == f"0,00{NBSP}€"
    assert metric(at, "Engagé (TTC)") == f"2{THIN}508,33{NBSP}€"
    assert metric(at, "Solde") == f"−2{THIN}508,33{NBSP}€"
    flagged = [e.value for e in at.error]
    assert any("2\u202f508,33" in text and "sans aucun crédit" in text for text in flagged)


def test_year_choice_is_kept_in_the_url(app_db: Path) -> None:
    at = open_page()
    at.selectbox(key="filter_year").set_value(2023).run()
    assert at.query_params["annee"] == "2023"
    assert metric(at, "Engagé (TTC)") == f"2{THIN}508,33{NBSP}€"


def test_central_filter_narrows_the_fees_card(app_db: Path) -> None:
    at = open_page(annee="2022", centrale="RESAH")
    assert at.selectbox(key="filter_body").value == "RESAH"
    assert metric(at, "Cotisations de l'exercice (TTC) — RESAH") == f"1{THIN}000,00{NBSP}€"
    assert metric(at, "Conventions actives — RESAH") == "1"
    # The line's total is named as such beside the central's share.
    assert metric(at, "Engagé (TTC), toutes centrales") == f"2{THIN}800,00{NBSP}€"
    assert "lignes budgétaires entières" in " ".join(c.value for c in at.caption)


def test_assumed_start_dates_are_said(app_db: Path) -> None:
    at = open_page(annee="2022")
    texts = " ".join(m.value for m in at.markdown)
    assert "supposée commencer le 13/12/2022" in texts


def test_a_crafted_date_in_the_address_opens_the_page(app_db: Path) -> None:
    for date in ("9999-12-31", "0001-01-01", "2026-02-30", "demain"):
        at = open_page(annee="2022", date=date)
        assert_clean(at)
        assert metric(at, "Solde") == f"200,00{NBSP}€"


def test_the_one_year_table_is_headed_by_its_year(app_db: Path) -> None:
    # The chart spans every year; the table under it holds the chosen year only, and says so.
    at = open_page(annee="2023")
    headings = [h.value for h in at.subheader]
    chart_heading = headings.index("Engagements et crédits, tous exercices")
    assert headings[chart_heading + 1] == "Solde par ligne budgétaire, exercice 2023"
    years = at.dataframe[-1].value["Exercice"].unique().tolist()
    assert years == [2023]
