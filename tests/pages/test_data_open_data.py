"""Données: a DECP file's end dates reviewed then saved; the SCDL file says what it leaves out."""

from datetime import date
from pathlib import Path

from spend import store, ui
from spend.domain.access import SYSTEM
from spend.paths import ROOT
from spend.store.journal import journal_frame
from tests.pages.conftest import assert_clean, open_page

DECP = ROOT / "tests" / "fixtures" / "decp" / "decp_consolide.csv"


def _end_date(agreement: str) -> date | None:
    with ui.session() as con:
        agreements = store.read_table(con, "agreements")
    return agreements.filter(agreements["agreement_id"] == agreement)["end_date"][0]


def test_decp_end_dates_are_saved_only_once_confirmed(app_db: Path) -> None:
    at = open_page("pages/data.py")
    at.file_uploader(key="data_decp_0").set_value(("decp.csv", DECP.read_bytes(), "text/csv")).run()
    assert_clean(at)
    assert _end_date("RESAH-2020-027-L1") == date(2024, 8, 27)  # shown, not yet saved
    button = at.button(key="data_decp_save")
    assert button.label == "Enregistrer les dates de fin retenues (1)"
    button.click().run()
    assert_clean(at)
    assert any("Dates de fin enregistrées" in s.value for s in at.success)
    assert _end_date("RESAH-2020-027-L1") == date(2025, 8, 27)
    with ui.session() as con:
        journal = journal_frame(con, "agreements", None)
    newest = journal.row(0, named=True)
    assert (newest["key"], newest["source"]) == ('["RESAH-2020-027-L1"]', "tableau de bord")
    assert '"end_date":"2025-08-27"' in newest["after"]


def test_scdl_section_says_why_rows_are_left_out(app_db: Path) -> None:
    at = open_page("pages/data.py")
    texts = [w.value for w in at.warning]
    assert any("3 délibération(s) sur 3 non publiée(s)" in t for t in texts), texts
    with ui.session() as con:
        store.update_settings(con, {"collectivity_siret": "21860194600013"}, actor=SYSTEM,
                              source="test")  # fmt: skip
    at = open_page("pages/data.py")
    assert_clean(at)
    assert not [w.value for w in at.warning if "non publiée" in w.value]
