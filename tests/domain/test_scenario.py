"""Scenarios answer the what-if questions of DOMAIN.md on copies of the inputs."""

from decimal import Decimal

import duckdb
import polars as pl
import pytest

from spend.domain.budget import line_key
from spend.domain.figures import compute
from spend.domain.scenario import Scenario, apply, compare, run
from spend.store import load_inputs
from spend.views.scenario_form import (
    default_state,
    form_choices,
    scenario_from_state,
    state_from_scenario,
)

RESAH = "RESAH-2020-027-L1-CD62"
CAIH = "CAIH-SO360-CD62"
LINE = line_key("C06-020M02", "6281/930202")


def year_row(comparison: pl.DataFrame, year: int) -> dict:
    return comparison.filter(pl.col("year") == year).row(0, named=True)


def test_resah_hosting_and_security_gives_minus_825_in_2022(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    inputs = load_inputs(seeded_db)
    scenario = Scenario(
        formula_choice={RESAH: ["Hébergement + Sécurité", "Groupement de 5 à 9 bénéficiaires / CD"]}
    )
    row = year_row(compare(compute(inputs), run(inputs, scenario)), 2022)
    assert row["committed_scenario"] == Decimal("3825.00")
    assert row["balance_scenario"] == Decimal("-825.00")
    assert row["delta_balance"] == Decimal("-1025.00")
    assert row["negative_scenario"]


def test_caih_plus_ten_percent_commits_2980(seeded_db: duckdb.DuckDBPyConnection) -> None:
    inputs = load_inputs(seeded_db)
    row = year_row(
        compare(compute(inputs), run(inputs, Scenario(fee_change_pct={"CAIH": 10}))), 2022
    )
    assert row["committed_baseline"] == Decimal("2800.00")
    assert row["committed_scenario"] == Decimal("2980.00")
    assert row["balance_scenario"] == Decimal("20.00")


def test_changes_compose_and_round_half_away(seeded_db: duckdb.DuckDBPyConnection) -> None:
    inputs = load_inputs(seeded_db)
    # Resah 1 000 × 1.10 × 0.95 = 1 045.00; CAIH 1 500 × 0.95 = 1 425 HT → 1 710 TTC.
    scenario = Scenario(fee_change_pct={"RESAH": 10}, all_fees_change_pct=-5)
    row = year_row(compare(compute(inputs), run(inputs, scenario)), 2022)
    assert row["committed_scenario"] == Decimal("2755.00")


def test_vat_credits_renewal_and_shift(seeded_db: duckdb.DuckDBPyConnection) -> None:
    inputs = load_inputs(seeded_db)
    scenario = Scenario(
        vat_rate="5.5",
        credits_change_pct={LINE: 10},
        renewal_years={"CAIH-SO360": 1},
        start_shift_months={RESAH: 1},
    )
    figures = run(inputs, scenario)
    caih = figures.titles.filter(pl.col("convention_id") == CAIH)
    assert caih["year"].to_list() == [2022, 2023, 2024]  # renewed to 16/07/2024
    assert caih["vat"].to_list() == [Decimal("82.50")] * 3
    resah = figures.titles.filter(pl.col("convention_id") == RESAH)
    assert resah["period_start"].to_list()[0].isoformat() == "2023-01-13"
    credits = figures.balance.filter(pl.col("year") == 2022)["credits"].item()
    assert credits == Decimal("3300.00")


def test_scenario_never_changes_the_inputs(seeded_db: duckdb.DuckDBPyConnection) -> None:
    inputs = load_inputs(seeded_db)
    before = {name: getattr(inputs, name).rows() for name in ("fee_grid", "conventions")}
    apply(inputs, Scenario(fee_change_pct={"CAIH": 50}, start_shift_months={CAIH: 3}))
    assert {name: getattr(inputs, name).rows() for name in before} == before


def test_json_round_trip_and_garbage() -> None:
    scenario = Scenario(fee_change_pct={"CAIH": 10}, vat_rate="5.5", renewal_years={"X": 2})
    assert Scenario.from_json(scenario.to_json()) == scenario
    assert Scenario.from_json("not json") == Scenario()
    assert Scenario.from_json('{"fee_change_pct": {"CAIH": 900}}').fee_change_pct == {"CAIH": 100}
    assert Scenario.from_json('{"vat_rate": "abc"}').vat_rate is None
    assert Scenario.from_json('{"fee_change_pct": {"CAIH": 1e999}}') == Scenario()
    assert Scenario.from_json('{"all_fees_change_pct": NaN}') == Scenario()
    shifted = Scenario.from_json('{"start_shift_months": {"X": 30}}')
    assert shifted.start_shift_months == {"X": 24}  # the slider's own limit


@pytest.mark.parametrize(
    "scenario",
    [
        Scenario(),
        Scenario(fee_change_pct={"CAIH": 10}),
        Scenario(formula_choice={RESAH: ["Hébergement", "EPS/ESPIC/SDIS/GCSMS/OHLM"]}),
        Scenario(start_shift_months={CAIH: -2}, renewal_years={"CAIH-SO360": 3}),
        Scenario(vat_rate="10.00", credits_change_pct={LINE: -20}),
    ],
)
def test_form_state_round_trip(seeded_db: duckdb.DuckDBPyConnection, scenario: Scenario) -> None:
    choices = form_choices(load_inputs(seeded_db))
    assert scenario_from_state(state_from_scenario(scenario, choices), choices) == scenario
    assert scenario_from_state(default_state(choices), choices) == Scenario()
