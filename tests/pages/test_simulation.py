"""The simulation answers the what-if questions without touching the recorded data."""

import json
import re
from pathlib import Path

import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from spend import store, ui
from spend.domain.access import AccessRefused
from spend.exchange.importer import import_raw_tables, read_files
from tests.conftest import ADMIN
from tests.pages.conftest import assert_clean, markdown_text, open_page, widget_counts

THIN, NBSP = "\u202f", "\u00a0"
RESAH = "RESAH-2020-027-L1-CD62"
CAIH_CATEGORY = '"GHT (plafond) / autre groupement d\'établissements"'


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def recorded_tables() -> dict[str, list[tuple]]:
    """What the store holds, read as the app reads it."""
    with ui.session() as con:
        tables = {name: frame.rows() for name, frame in store.read_all(con).items()}
        tables["settings"] = sorted(store.settings(con).items())
    return tables


def simulation(**query: str) -> AppTest:
    return open_page("pages/simulation.py", **query)


def delta_of(at: AppTest, label: str) -> tuple[str, str, str]:
    """A card's change as the manager sees it: its text, colour and arrow."""
    card = next(m for m in at.metric if m.label == label)
    proto = card.proto
    return (
        card.delta,
        MetricProto.MetricColor.Name(proto.color),
        MetricProto.MetricDirection.Name(proto.direction),
    )


def test_resah_hosting_and_security_makes_2022_negative(app_db: Path) -> None:
    at = simulation(annee="2022")
    before = recorded_tables()
    at.selectbox(key="sim_scope_kind").set_value("agreement").run()
    at.selectbox(key="sim_scope_agreement").set_value("RESAH-2020-027-L1").run()
    at.selectbox(key="sim_formula").set_value(
        "Hébergement + Sécurité||Groupement de 5 à 9 bénéficiaires / CD"
    ).run()
    assert_clean(at)
    assert metric(at, "Solde scénario") == f"−825,00{NBSP}€"
    # Worse is red whatever the arrow: the balance falls, the commitment rises.
    assert delta_of(at, "Solde scénario") == (f"−1{THIN}025,00{NBSP}€", "RED", "DOWN")
    assert delta_of(at, "Engagé scénario") == (f"+1{THIN}025,00{NBSP}€", "RED", "UP")
    assert any("Solde négatif en 2022" in e.value for e in at.error)
    assert recorded_tables() == before


def test_a_cheaper_scenario_is_green(app_db: Path) -> None:
    at = simulation(annee="2022")
    at.select_slider(key="sim_fee_pct").set_value(-10).run()
    assert delta_of(at, "Solde scénario") == (f"+280,00{NBSP}€", "GREEN", "UP")
    assert delta_of(at, "Engagé scénario") == (f"−280,00{NBSP}€", "GREEN", "DOWN")


def test_caih_plus_ten_percent_commits_2980_and_records_nothing(app_db: Path) -> None:
    at = simulation(annee="2022")
    before = recorded_tables()
    at.selectbox(key="sim_scope_kind").set_value("body").run()
    at.selectbox(key="sim_scope_body").set_value("CAIH").run()
    at.select_slider(key="sim_fee_pct").set_value(10).run()
    assert metric(at, "Engagé scénario") == f"2{THIN}980,00{NBSP}€"
    assert metric(at, "Engagé enregistré") == f"2{THIN}800,00{NBSP}€"
    assert json.loads(at.query_params["scenario"]) == {
        "fee_pct": 10,
        "scope_kind": "body",
        "scope_value": "CAIH",
    }
    said = markdown_text(at)
    assert "Périmètre : la centrale CAIH" in said and "(3 convention(s))" in said
    assert recorded_tables() == before
    at.switch_page("pages/budget.py").run()
    texts = markdown_text(at)
    assert f"Total engagé : 2{THIN}800,00{NBSP}€ sur 3{THIN}000,00{NBSP}€" in texts


def test_a_shared_link_reopens_the_scenario(app_db: Path) -> None:
    shared = json.dumps({"scope_kind": "body", "scope_value": "CAIH", "fee_pct": 10})
    at = simulation(annee="2022", scenario=shared)
    assert at.selectbox(key="sim_scope_body").value == "CAIH"
    assert at.select_slider(key="sim_fee_pct").value == 10
    assert metric(at, "Engagé scénario") == f"2{THIN}980,00{NBSP}€"


def test_a_link_of_the_earlier_version_still_opens_and_says_what_it_changes(
    app_db: Path,
) -> None:
    at = simulation(annee="2022", scenario=json.dumps({"fee_change_pct": {"CAIH": 10}}))
    assert_clean(at)
    assert metric(at, "Engagé scénario") == f"2{THIN}980,00{NBSP}€"
    said = markdown_text(at)
    assert "Cotisations CAIH : +10" in said and "version précédente" in said
    at.select_slider(key="sim_credits_pct").set_value(10).run()  # kept while other things move
    assert metric(at, "Engagé scénario") == f"2{THIN}980,00{NBSP}€"
    at.button(key="sim_reset").click().run()
    assert metric(at, "Engagé scénario") == f"2{THIN}800,00{NBSP}€"


def test_changes_per_convention_in_one_table(app_db: Path) -> None:
    shared = json.dumps({"overrides": {RESAH: {"fee_pct": 20}}})
    at = simulation(annee="2022", scenario=shared)
    assert_clean(at)
    assert metric(at, "Engagé scénario") == f"3{THIN}000,00{NBSP}€"
    assert "Convention RESAH-2020-027-L1-CD62 : cotisation +20" in markdown_text(at)


def test_saved_scenario_reloads(app_db: Path) -> None:
    at = simulation(annee="2022")
    at.selectbox(key="sim_scope_kind").set_value("body").run()
    at.selectbox(key="sim_scope_body").set_value("RESAH").run()
    at.select_slider(key="sim_fee_pct").set_value(20).run()
    at.text_input(key="sim_name").input("Resah +20 %").run()
    at.button(key="sim_save").click().run()
    assert any("enregistré" in s.value for s in at.success)
    at.button(key="sim_reset").click().run()
    assert at.select_slider(key="sim_fee_pct").value == 0
    at.selectbox(key="sim_pick").set_value("Resah +20 %").run()
    at.button(key="sim_load").click().run()
    assert at.select_slider(key="sim_fee_pct").value == 20
    assert at.selectbox(key="sim_scope_body").value == "RESAH"
    assert metric(at, "Engagé scénario") == f"3{THIN}000,00{NBSP}€"


@pytest.mark.parametrize(
    "shared",
    [
        '{"start_shift_months": {"CAIH-SO360-CD62": 30}}',
        '{"fee_change_pct": {"CAIH": 1e999}}',
        '{"all_fees_change_pct": NaN}',
        '{"scope_kind": "body", "scope_value": "NOPE", "fee_pct": 10}',
        '{"scope_kind": "drop table", "fee_pct": "x", "vat_rate": "1e999"}',
        '{"overrides": {"X": {"fee_pct": 5}}, "formula": ["a"]}',
        "[" * 5000,
        "not json at all",
    ],
)
def test_a_tampered_link_still_opens(app_db: Path, shared: str) -> None:
    at = simulation(annee="2022", scenario=shared)
    assert_clean(at)
    # The recorded figures stand whatever the link says: the seed's 2022 (2 800,00 € committed).
    assert metric(at, "Engagé enregistré") == f"2{THIN}800,00{NBSP}€"


def test_the_page_draws_the_same_widgets_whatever_the_number_of_conventions(
    app_db: Path,
) -> None:
    at = simulation(annee="2022")
    counts = widget_counts(at)
    extra = "\n".join(
        f"K{i},CAIH-SO360,Extra {i},Cotisation annuelle,{CAIH_CATEGORY},"
        "2023-01-01,,,C06-020M02,6281/930202,,signée"
        for i in range(300)
    )
    header = (
        "convention_id,agreement_id,title,formula,category,start_date,end_date,notice_months,"
        "operation_code,imputation,deliberation_id,status\n"
    )
    with ui.session() as con:
        import_raw_tables(
            con,
            read_files([("conventions.csv", (header + extra).encode())]),
            actor=ADMIN,
            source="t",
        )
    ui.after_write()
    at = simulation(annee="2022")
    assert_clean(at)
    assert widget_counts(at) == counts


RESAH_AGREEMENT = "RESAH-2020-027-L1"


def captions(at: AppTest) -> str:
    """The captions as read (stored text is made inert with Markdown escapes)."""
    return re.sub(r"\\(.)", r"\1", " ".join(c.value for c in at.caption))


HOSTING = "Hébergement + Sécurité||Groupement de 5 à 9 bénéficiaires / CD"


def test_a_scope_change_keeps_the_changes_already_made(app_db: Path) -> None:
    at = simulation(annee="2022")
    at.select_slider(key="sim_fee_pct").set_value(10).run()
    assert metric(at, "Engagé scénario") == f"3{THIN}080,00{NBSP}€"
    at.selectbox(key="sim_scope_kind").set_value("agreement").run()
    # The new scope starts from no change; the +10 % on everything is kept, and said so.
    assert at.select_slider(key="sim_fee_pct").value == 0
    assert metric(at, "Engagé scénario") == f"3{THIN}080,00{NBSP}€"
    kept = captions(at)
    assert "toutes les conventions" in kept and "cotisations +10" in kept
    at.selectbox(key="sim_scope_agreement").set_value(RESAH_AGREEMENT).run()
    at.selectbox(key="sim_formula").set_value(HOSTING).run()
    assert_clean(at)
    # CAIH 1 980 and Resah's other formula at +10 %: 2 227,50.
    assert metric(at, "Engagé scénario") == f"4{THIN}207,50{NBSP}€"
    link = json.loads(at.query_params["scenario"])
    assert link["kept_scopes"] == [{"scope_kind": "all", "fee_pct": 10}]
    said = markdown_text(at)
    assert "Changements conservés d'autres périmètres (1)" in said
    assert "Formule et catégorie : Hébergement + Sécurité" in said

    # Back to every convention: its +10 % comes back to the slider, the formula is kept.
    at.selectbox(key="sim_scope_kind").set_value("all").run()
    assert at.select_slider(key="sim_fee_pct").value == 10
    assert metric(at, "Engagé scénario") == f"4{THIN}207,50{NBSP}€"
    assert "Hébergement + Sécurité" in captions(at)

    # A kept change is removed only when the manager says so.
    at.button(key="sim_drop_0").click().run()
    assert metric(at, "Engagé scénario") == f"3{THIN}080,00{NBSP}€"
    assert "Changements conservés" not in markdown_text(at)


def test_a_scenario_of_several_scopes_is_saved_and_shared(app_db: Path) -> None:
    at = simulation(annee="2022")
    at.selectbox(key="sim_scope_kind").set_value("body").run()
    at.selectbox(key="sim_scope_body").set_value("CAIH").run()
    at.select_slider(key="sim_fee_pct").set_value(10).run()
    at.selectbox(key="sim_scope_body").set_value("RESAH").run()
    at.select_slider(key="sim_fee_pct").set_value(-10).run()
    assert metric(at, "Engagé scénario") == f"2{THIN}880,00{NBSP}€"  # 1 980 + 900
    shared = at.query_params["scenario"]
    at.text_input(key="sim_name").input("Deux centrales").run()
    at.button(key="sim_save").click().run()
    at.button(key="sim_reset").click().run()
    assert metric(at, "Engagé scénario") == f"2{THIN}800,00{NBSP}€"
    at.selectbox(key="sim_pick").set_value("Deux centrales").run()
    at.button(key="sim_load").click().run()
    assert metric(at, "Engagé scénario") == f"2{THIN}880,00{NBSP}€"
    assert at.selectbox(key="sim_scope_body").value == "RESAH"
    assert at.select_slider(key="sim_fee_pct").value == -10
    reopened = simulation(annee="2022", scenario=shared)
    assert metric(reopened, "Engagé scénario") == f"2{THIN}880,00{NBSP}€"


def comparison_styles(at: AppTest) -> str:
    table = next(d for d in at.dataframe if "Écart solde" in d.value.columns)
    return str(table.proto.arrow_data.styler.styles)


def test_the_comparison_is_coloured_by_meaning(app_db: Path) -> None:
    at = simulation(annee="2022")
    at.select_slider(key="sim_fee_pct").set_value(10).run()
    styles = comparison_styles(at)
    # The balance falls and the commitment rises: red, as on the cards; 2023 is negative.
    assert "color: #c00000" in styles
    assert "color: #1a7f37" not in styles
    at.select_slider(key="sim_fee_pct").set_value(-10).run()
    assert "color: #1a7f37" in comparison_styles(at)


def test_a_refused_delete_is_said_in_french_and_keeps_the_scenario(
    app_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = simulation(annee="2022")
    at.select_slider(key="sim_fee_pct").set_value(10).run()
    at.text_input(key="sim_name").input("Tout +10 %").run()
    at.button(key="sim_save").click().run()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AccessRefused("Refusé : c'est réservé aux gestionnaires. Rien n'a été enregistré.")

    # The refusal a write can meet between the page's drawing and the click (rights changed).
    monkeypatch.setattr(store, "delete_scenario", refuse)
    at.selectbox(key="sim_pick").set_value("Tout +10 %").run()
    at.button(key="sim_delete").click().run()
    assert_clean(at)
    assert any("réservé aux gestionnaires" in e.value for e in at.error)
    assert "Tout +10 %" in at.selectbox(key="sim_pick").options
