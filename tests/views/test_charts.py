"""Charts are built from the engine's frames; what a reader sees is exact and in French."""

import datetime as dt
import json
from decimal import Decimal

import altair as alt
import duckdb
import polars as pl

from spend.domain.conventions import convention_table
from spend.domain.figures import compute
from spend.domain.scenario import Scenario
from spend.domain.what_if import compare, run
from spend.store import load_inputs
from spend.views.charts import (
    budget_chart,
    fees_chart,
    scenario_chart,
    scenario_chart_spec,
    timeline_chart,
)


def datasets(chart: alt.TopLevelMixin) -> list[dict]:
    spec = json.loads(chart.to_json())
    return [row for rows in spec["datasets"].values() for row in rows]


def test_budget_chart_marks_the_negative_balance(seeded_db: duckdb.DuckDBPyConnection) -> None:
    rows = datasets(budget_chart(compute(load_inputs(seeded_db)).balance))
    labels = {r["balance_label"] for r in rows if "balance_label" in r}
    assert labels == {"Solde 200,00\u00a0€", "▼ Solde −2\u202f508,33\u00a0€"}


def test_fees_chart_tooltips_are_exact(seeded_db: duckdb.DuckDBPyConnection) -> None:
    inputs = load_inputs(seeded_db)
    rows = datasets(fees_chart(compute(inputs).totals, inputs.bodies))
    assert {(r["body_id"], r["year"], r["ttc_text"]) for r in rows} == {
        ("CAIH", "2022", "1\u202f800,00\u00a0€"),
        ("CAIH", "2023", "1\u202f800,00\u00a0€"),
        ("RESAH", "2022", "1\u202f000,00\u00a0€"),
        ("RESAH", "2023", "708,33\u00a0€"),
    }


def test_timeline_has_dated_conventions_and_notice(seeded_db: duckdb.DuckDBPyConnection) -> None:
    chart = timeline_chart(convention_table(load_inputs(seeded_db)), dt.date(2023, 1, 1))
    rows = datasets(chart)
    assert {r["convention_id"] for r in rows if "convention_id" in r} == {
        "CAIH-SO360-CD62",
        "RESAH-2020-027-L1-CD62",
    }
    assert any(r.get("notice_text") == "16/04/2023" for r in rows)


def test_scenario_chart_has_both_series(seeded_db: duckdb.DuckDBPyConnection) -> None:
    inputs = load_inputs(seeded_db)
    comparison = compare(compute(inputs), run(inputs, Scenario(fee_change_pct={"CAIH": 10})))
    rows = datasets(scenario_chart(comparison))
    got = {(r["year"], r["series"], r["balance_text"]) for r in rows if "series" in r}
    assert ("2022", "Scénario", "20,00\u00a0€") in got
    assert ("2022", "Enregistré", "200,00\u00a0€") in got


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
    chart = budget_chart(compute(inputs).balance)
    spec = json.loads(chart.to_json())
    assert "vconcat" not in spec  # one chart, whatever the number of lines
    assert spec["title"].startswith("Toutes les lignes budgétaires (3)")
    rows = datasets(chart)
    # 2022: credits 3 000 + 500; committed CAIH 1 800 + Resah 1 000 (not charged to a line).
    assert ("2022", "Solde 700,00\u00a0€") in {
        (r["year"], r.get("balance_label")) for r in rows if "balance_label" in r
    }


def test_the_scenario_chart_from_its_template_is_the_same_chart(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    inputs = load_inputs(seeded_db)
    comparison = compare(compute(inputs), run(inputs, Scenario(fee_change_pct={"CAIH": 10})))
    altair = json.loads(scenario_chart(comparison).to_json())
    fast = scenario_chart_spec(comparison)
    # The same rows…
    assert (
        fast["datasets"]["balances"]
        == datasets(scenario_chart(comparison))[: len(fast["datasets"]["balances"])]
    )
    # …and the same marks, encodings and title, whatever the data is called.
    for spec in (altair, fast):
        for layer in spec["layer"]:
            layer.pop("data", None)
        spec.pop("datasets", None)
    assert fast == altair
