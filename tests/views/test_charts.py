"""Charts are built from the engine's frames; what a reader sees is exact and in French."""

import datetime as dt
import json
from decimal import Decimal

import altair as alt
import duckdb
import polars as pl

from spend.domain.conventions import convention_table
from spend.domain.figures import compute
from spend.domain.money import MONEY
from spend.domain.scenario import Scenario
from spend.domain.what_if import run
from spend.store import load_inputs
from spend.views.budget import body_share_text, committed_parts
from spend.views.charts import (
    body_scale,
    budget_chart,
    budget_chart_spec,
    fees_chart,
    scenario_chart,
    scenario_chart_spec,
    timeline_chart,
)


def datasets(chart: alt.TopLevelMixin) -> list[dict]:
    spec = json.loads(chart.to_json())
    return [row for rows in spec["datasets"].values() for row in rows]


def layer_rows(chart: alt.TopLevelMixin, index: int) -> list[dict]:
    """The rows one layer of a layered chart draws."""
    spec = json.loads(chart.to_json())
    return spec["datasets"][spec["layer"][index]["data"]["name"]]


def test_budget_chart_writes_the_balance_of_the_chosen_year_only(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    figures = compute(load_inputs(seeded_db))
    for year, label in [
        (2022, "Solde 200,00\u00a0€"),
        (2023, "▼ Solde −2\u202f508,33\u00a0€"),
    ]:
        labels = layer_rows(budget_chart(figures.balance, figures.titles, year), 2)
        assert [r["balance_label"] for r in labels] == [label]


def test_budget_chart_splits_the_committed_by_central_against_the_credits(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    figures = compute(load_inputs(seeded_db))
    chart = budget_chart(figures.balance, figures.titles, 2022)
    bars = {(r["year"], r["part"], r["amount_text"]) for r in layer_rows(chart, 0)}
    assert bars == {
        ("2022", "CAIH", "1\u202f800,00\u00a0€"),
        ("2022", "RESAH", "1\u202f000,00\u00a0€"),
        ("2023", "CAIH", "1\u202f800,00\u00a0€"),
        ("2023", "RESAH", "708,33\u00a0€"),
    }
    credits = {(r["year"], r["credits_value"]) for r in layer_rows(chart, 1)}
    assert credits == {("2022", 3000.0), ("2023", 0.0)}
    spec = json.loads(chart.to_json())
    assert spec["layer"][1]["mark"]["type"] == "line"


def test_a_chosen_central_is_its_share_and_the_others_are_grouped(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    figures = compute(load_inputs(seeded_db))
    chart = budget_chart(figures.balance, figures.titles, 2022, body_id="RESAH")
    bars = {(r["year"], r["part"]) for r in layer_rows(chart, 0)}
    assert bars == {
        ("2022", "RESAH"),
        ("2022", "Autres centrales"),
        ("2023", "RESAH"),
        ("2023", "Autres centrales"),
    }
    parts = committed_parts(figures.balance, figures.titles, "RESAH")
    assert body_share_text(parts, 2022, "RESAH") == (
        "Part de RESAH en 2022 : 1\u202f000,00\u00a0€ sur 2\u202f800,00\u00a0€ engagés "
        "(35,7\u00a0%) ; en couleur sur le graphique, les autres centrales en gris."
    )


def test_fourteen_centrals_and_twenty_two_years_stay_readable() -> None:
    years = list(range(2005, 2027))
    bodies = [f"C{i:02d}" for i in range(14)]
    titles = pl.DataFrame(
        {
            "operation_code": "OP",
            "imputation": "6281",
            "year": [y for y in years for _ in bodies],
            "body_id": [b for _ in years for b in bodies],
            "amount_incl_tax": [Decimal(100 + i) for _ in years for i in range(len(bodies))],
        },
        schema_overrides={"year": pl.Int32, "amount_incl_tax": pl.Decimal(18, 2)},
    )
    committed = Decimal(sum(100 + i for i in range(14)))
    balance = pl.DataFrame(
        {
            "operation_code": "OP",
            "imputation": "6281",
            "year": years,
            "credits": Decimal(1500),
            "committed": committed + 10,
            "committed_other": Decimal(10),
            "balance": Decimal(1500) - committed - 10,
        },
        schema_overrides={"year": pl.Int32},
    ).with_columns(pl.col("credits", "committed", "committed_other", "balance").cast(MONEY))
    chart = budget_chart(balance, titles, 2020)
    parts = {r["part"] for r in layer_rows(chart, 0)}
    # The nine largest by name, the five others as one part, and the other commitments.
    assert parts == {*bodies[5:], "Autres centrales", "Autres engagements"}
    assert len(layer_rows(chart, 2)) == 1  # one balance written, not 22
    spec = json.loads(chart.to_json())
    colours = spec["layer"][0]["encoding"]["color"]["scale"]["range"]
    assert len(set(colours)) == len(colours) == 11


def test_show_data_reads_french_headers_and_figures(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    figures = compute(load_inputs(seeded_db))
    # Streamlit's « Afficher les données » shows the chart's first dataset, in the order of
    # the description the page sends (ui.chart).
    spec = budget_chart(figures.balance, figures.titles, 2022).to_dict(validate=False)
    shown = spec["datasets"][spec["data"]["name"]]
    assert next(iter(spec["datasets"])) == spec["data"]["name"]
    assert set(shown[0]) == {
        "Exercice", "Part de l'engagé", "Montant TTC", "Crédits de l'exercice",
        "Engagé de l'exercice", "Solde de l'exercice",
    }  # fmt: skip
    assert {"Exercice": "2023", "Part de l'engagé": "RESAH", "Montant TTC": "708,33\u00a0€",
            "Crédits de l'exercice": "0,00\u00a0€", "Engagé de l'exercice": "2\u202f508,33\u00a0€",
            "Solde de l'exercice": "−2\u202f508,33\u00a0€"} in shown  # fmt: skip


def test_fees_chart_tooltips_are_exact(seeded_db: duckdb.DuckDBPyConnection) -> None:
    inputs = load_inputs(seeded_db)
    rows = datasets(fees_chart(compute(inputs).totals, inputs.bodies))
    assert {(r["body_id"], r["year"], r["ttc_text"]) for r in rows if "body_id" in r} == {
        ("CAIH", "2022", "1\u202f800,00\u00a0€"),
        ("CAIH", "2023", "1\u202f800,00\u00a0€"),
        ("RESAH", "2022", "1\u202f000,00\u00a0€"),
        ("RESAH", "2023", "708,33\u00a0€"),
    }


def test_fourteen_centrals_have_fourteen_colours() -> None:
    scale = body_scale([f"C{i:02d}" for i in range(14)]).to_dict()
    assert len(set(scale["range"])) == 14


def test_timeline_has_dated_conventions_and_notice(seeded_db: duckdb.DuckDBPyConnection) -> None:
    chart = timeline_chart(convention_table(load_inputs(seeded_db)), dt.date(2023, 1, 1))
    rows = datasets(chart)
    assert {r["convention_id"] for r in rows if "convention_id" in r} == {
        "CAIH-SO360-CD62",
        "RESAH-2020-027-L1-CD62",
    }
    assert any(r.get("notice_text") == "16/04/2023" for r in rows)


def scenario_pair(con: duckdb.DuckDBPyConnection, scenario: Scenario) -> tuple[tuple, tuple]:
    inputs = load_inputs(con)
    baseline, changed = compute(inputs), run(inputs, scenario)
    return (baseline.balance, baseline.titles), (changed.balance, changed.titles)


def test_scenario_chart_is_the_budget_picture_beside_the_recorded_one(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    recorded, scenario = scenario_pair(seeded_db, Scenario(fee_change_pct={"CAIH": 10}))
    chart = scenario_chart(recorded, scenario, 2022)
    bars = {(r["year"], r["series"], r["part"], r["amount_text"]) for r in layer_rows(chart, 0)}
    assert ("2022", "Scénario", "CAIH", "1\u202f980,00\u00a0€") in bars
    assert ("2022", "Enregistré", "CAIH", "1\u202f800,00\u00a0€") in bars
    # One balance written, the chosen year's: the scenario's beside the recorded one.
    labels = [(r["year"], r["balance_label"]) for r in layer_rows(chart, 2)]
    assert labels == [("2022", "Solde scénario 20,00\u00a0€ (enregistré 200,00\u00a0€)")]


def test_budget_chart_adds_up_several_lines_in_one_chart(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    inputs = load_inputs(seeded_db)
    extra = pl.DataFrame(
        {
            "operation_code": ["C99"],
            "imputation": ["6281/1"],
            "label": ["Autre"],
            "year": [2022],
            "credits": [Decimal("500.00")],
            "stage": ["BP"],
            "deliberation_id": [None],
        },
        schema=inputs.budget_lines.schema,
    )
    unassigned = inputs.conventions.with_columns(
        pl.when(pl.col("convention_id") == "RESAH-2020-027-L1-CD62")
        .then(None)
        .otherwise(pl.col(c))
        .alias(c)
        for c in ("operation_code", "imputation")
    )
    inputs = inputs.with_changes(
        budget_lines=pl.concat([inputs.budget_lines, extra]), conventions=unassigned
    )
    figures = compute(inputs)
    chart = budget_chart(figures.balance, figures.titles, 2022)
    spec = json.loads(chart.to_json())
    assert "vconcat" not in spec  # one chart, whatever the number of lines
    assert "toutes les lignes budgétaires (3)" in spec["title"]
    # 2022: credits 3 000 + 500; committed CAIH 1 800 + Resah 1 000 (not charged to a line).
    assert [r["balance_label"] for r in layer_rows(chart, 2)] == ["Solde 700,00\u00a0€"]


def test_the_scenario_chart_from_its_template_is_the_same_chart(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    recorded, scenario = scenario_pair(seeded_db, Scenario(fee_change_pct={"CAIH": 10}))
    altair = scenario_chart(recorded, scenario, 2023, "CAIH").to_dict(validate=False)
    fast = scenario_chart_spec(recorded, scenario, 2023, "CAIH")
    # The same rows, the table that « Afficher les données » shows first…
    by_name = {layer["data"]["name"]: layer for layer in fast["layer"]}
    assert next(iter(fast["datasets"])) == fast["data"]["name"] == "tableau"
    for index, layer in enumerate(altair["layer"]):
        rows = altair["datasets"][layer["data"]["name"]]
        assert fast["datasets"][fast["layer"][index]["data"]["name"]] == rows
    assert len(by_name) == 3
    # …and the same marks, encodings, colours and title, whatever the data is called.
    for spec in (altair, fast):
        for layer in spec["layer"]:
            layer.pop("data", None)
        spec.pop("datasets", None)
        spec.pop("data", None)
        spec["title"] = spec["title"]["text"] if isinstance(spec["title"], dict) else spec["title"]
    assert fast == altair


def test_the_budget_chart_from_its_template_is_the_same_chart(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    figures = compute(load_inputs(seeded_db))
    altair = budget_chart(figures.balance, figures.titles, 2023, "CAIH").to_dict(validate=False)
    fast = budget_chart_spec(figures.balance, figures.titles, 2023, "CAIH")
    for index, layer in enumerate(altair["layer"]):
        rows = altair["datasets"][layer["data"]["name"]]
        assert fast["datasets"][fast["layer"][index]["data"]["name"]] == rows
    assert fast["datasets"][fast["data"]["name"]] == altair["datasets"][altair["data"]["name"]]
    for spec in (altair, fast):
        for layer in spec["layer"]:
            layer.pop("data", None)
        spec.pop("datasets", None)
        spec.pop("data", None)
        spec["title"] = spec["title"]["text"] if isinstance(spec["title"], dict) else spec["title"]
    assert fast == altair
