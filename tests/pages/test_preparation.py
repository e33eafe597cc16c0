"""The Préparation page: the seed's proposal for 2023, an arbitrage typed and journaled, and the
page on an empty database."""

import json
from pathlib import Path

from spend import store
from spend.domain.scenario import Scenario
from spend.exchange.seed import open_database
from spend.store.arbitration import read_arbitrations
from spend.store.journal import journal_frame
from tests.conftest import ADMIN
from tests.pages.conftest import assert_clean, open_page

PAGE = "pages/preparation.py"


def _cells(at) -> dict[str, str]:
    frame = at.dataframe[0].value
    return {c: str(frame[c].iloc[0]).replace("\u202f", " ").replace("\xa0", " ")
            for c in frame.columns}  # fmt: skip


def test_the_seed_proposes_2508_33_for_2023(app_db: Path) -> None:
    at = open_page(PAGE)
    assert_clean(at)
    at.selectbox(key="preparation_year").set_value(2023).run()
    assert_clean(at)
    row = _cells(at)
    assert row["Code opération"] == "C06-020M02" and row["Imputation"] == "6281/930202"
    assert row["Proposé N"] == "2 508,33 €"
    assert (row["BP N−1"], row["Engagé N−1"]) == ("3 000,00 €", "2 800,00 €")
    assert (row["Écart (€)"], row["Écart (%)"]) == ("−491,67 €", "−16,4 %")
    assert row["Arbitré N"] == "inconnu"
    assert [b.label for b in at.get("download_button")][-2:] == [
        "CSV SCDL « Budget »", "Projet de délibération (Word)"
    ]  # fmt: skip


def test_an_arbitrage_is_typed_saved_and_journaled(app_db: Path) -> None:
    at = open_page(PAGE)
    at.selectbox(key="preparation_year").set_value(2023).run()
    at.text_input(key="preparation_amount").set_value("2 600,00")
    at.button[0].click().run()  # the form's only button
    assert_clean(at)
    assert "2 600,00" in at.success[0].value.replace("\u202f", " ").replace("\xa0", " ")
    assert _cells(at)["Arbitré N"] == "2 600,00 €"
    with store.connect(app_db) as con:
        assert read_arbitrations(con)["amount"].cast(str).to_list() == ["2600.00"]
        newest = journal_frame(con).row(0, named=True)
    assert newest["table"] == "arbitrations" and json.loads(newest["key"])[2] == 2023


def test_what_is_not_an_amount_is_said_and_not_saved(app_db: Path) -> None:
    at = open_page(PAGE)
    at.text_input(key="preparation_amount").set_value("deux mille")
    at.button[0].click().run()
    assert "n'est pas un montant" in at.error[0].value
    with store.connect(app_db) as con:
        assert read_arbitrations(con).is_empty()


def test_the_page_on_an_empty_database(app_db: Path) -> None:
    app_db.unlink()
    open_database(app_db, seed_if_new=False).close()
    at = open_page(PAGE)
    assert_clean(at)
    assert "importez des données" in at.info[0].value


def test_a_scenario_saved_again_under_its_name_changes_the_proposal(app_db: Path) -> None:
    def save(fee_pct: int) -> None:
        with store.connect(app_db) as con:
            store.save_scenario(con, "hausse", Scenario(fee_pct=fee_pct).to_json(), actor=ADMIN)

    save(10)
    at = open_page(PAGE)
    at.selectbox(key="preparation_year").set_value(2023).run()
    recorded = _cells(at)["Proposé N"]
    at.selectbox(key="preparation_scenario").set_value("hausse").run()
    assert_clean(at)
    raised = _cells(at)["Proposé N"]
    save(50)  # the same name, other settings: the figures change, the data version does not
    at.run()
    assert_clean(at)
    assert len({recorded, raised, _cells(at)["Proposé N"]}) == 3
