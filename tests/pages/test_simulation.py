"""The simulation answers the what-if questions without touching the recorded data."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from spend import store, ui
from tests.pages.conftest import assert_clean, open_page

THIN, NBSP = "\u202f", "\u00a0"
RESAH = "RESAH-2020-027-L1-CD62"


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def recorded_tables() -> dict[str, list[tuple]]:
    """What the store holds, read through the app's own connection (it keeps the file open)."""
    con = ui.database()
    tables = {name: frame.rows() for name, frame in store.read_all(con).items()}
    tables["settings"] = sorted(store.settings(con).items())
    return tables


def simulation(**query: str) -> AppTest:
    return open_page("pages/simulation.py", **query)


def test_resah_hosting_and_security_makes_2022_negative(app_db: Path) -> None:
    at = simulation(annee="2022")
    before = recorded_tables()
    at.selectbox(key=f"sim_choice__{RESAH}").set_value(
        "Hébergement + Sécurité||Groupement de 5 à 9 bénéficiaires / CD"
    ).run()
    assert_clean(at)
    assert metric(at, "Solde scénario") == f"−825,00{NBSP}€"
    assert any("Solde négatif en 2022" in e.value for e in at.error)
    assert recorded_tables() == before


def test_caih_plus_ten_percent_commits_2980_and_records_nothing(app_db: Path) -> None:
    at = simulation(annee="2022")
    before = recorded_tables()
    at.slider(key="sim_fee__CAIH").set_value(10).run()
    assert metric(at, "Engagé scénario") == f"2{THIN}980,00{NBSP}€"
    assert metric(at, "Engagé enregistré") == f"2{THIN}800,00{NBSP}€"
    assert json.loads(at.query_params["scenario"]) == {"fee_change_pct": {"CAIH": 10}}
    assert recorded_tables() == before
    at.switch_page("pages/budget.py").run()
    texts = " ".join(m.value for m in at.markdown)
    assert f"Total engagé : 2{THIN}800,00{NBSP}€ sur 3{THIN}000,00{NBSP}€" in texts


def test_a_shared_link_reopens_the_scenario(app_db: Path) -> None:
    shared = json.dumps({"fee_change_pct": {"CAIH": 10}})
    at = simulation(annee="2022", scenario=shared)
    assert at.slider(key="sim_fee__CAIH").value == 10
    assert metric(at, "Engagé scénario") == f"2{THIN}980,00{NBSP}€"


def test_saved_scenario_reloads(app_db: Path) -> None:
    at = simulation(annee="2022")
    at.slider(key="sim_fee__RESAH").set_value(20).run()
    at.text_input(key="sim_name").input("Resah +20 %").run()
    at.button(key="sim_save").click().run()
    assert any("enregistré" in s.value for s in at.success)
    at.button(key="sim_reset").click().run()
    assert at.slider(key="sim_fee__RESAH").value == 0
    at.selectbox(key="sim_pick").set_value("Resah +20 %").run()
    at.button(key="sim_load").click().run()
    assert at.slider(key="sim_fee__RESAH").value == 20
    assert metric(at, "Engagé scénario") == f"3{THIN}000,00{NBSP}€"


@pytest.mark.parametrize(
    "shared",
    [
        '{"start_shift_months": {"CAIH-SO360-CD62": 30}}',
        '{"fee_change_pct": {"CAIH": 1e999}}',
        '{"all_fees_change_pct": NaN}',
        "not json at all",
    ],
)
def test_a_tampered_link_still_opens(app_db: Path, shared: str) -> None:
    at = simulation(annee="2022", scenario=shared)
    assert_clean(at)
    assert at.metric
