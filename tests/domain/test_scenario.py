"""Scenarios answer the what-if questions of the README (« Simulation ») on copies of the inputs."""

from decimal import Decimal

import duckdb
import polars as pl
import pytest

from spend.domain.budget import line_key
from spend.domain.figures import compute
from spend.domain.scenario import Override, Scenario
from spend.domain.what_if import apply, compare, run, scoped_conventions
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


def test_a_scope_takes_the_conventions_it_names(seeded_db: duckdb.DuckDBPyConnection) -> None:
    inputs = load_inputs(seeded_db)
    taken = {
        kind: sorted(
            scoped_conventions(inputs, Scenario(scope_kind=kind, scope_value=value, fee_pct=1))
            .filter(pl.col("in_scope"))["convention_id"]
            .to_list()
        )
        for kind, value in [
            ("all", ""),
            ("body", "CAIH"),
            ("agreement", "RESAH-2020-027-L1"),
            ("line", LINE),
            ("search", "hébergement"),
        ]
    }
    assert len(taken["all"]) == 6
    assert taken["body"] == ["CAIH-ELODI-CD62", CAIH, "CAIH-TELECOM-CD62"]
    assert taken["agreement"] == [RESAH]
    assert taken["line"] == [CAIH, RESAH]
    assert taken["search"] == [RESAH]


def test_scoped_changes_give_the_same_figures_as_earlier_links(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    # CAIH +10 % said the new way (a scope) and the old way (per central): the same to the cent.
    inputs = load_inputs(seeded_db)
    scoped = run(inputs, Scenario(scope_kind="body", scope_value="CAIH", fee_pct=10))
    earlier = run(inputs, Scenario(fee_change_pct={"CAIH": 10}))
    assert scoped.balance.equals(earlier.balance)
    assert scoped.titles.drop("convention_id").equals(earlier.titles.drop("convention_id"))


def test_another_formula_for_an_agreement(seeded_db: duckdb.DuckDBPyConnection) -> None:
    inputs = load_inputs(seeded_db)
    scenario = Scenario(
        scope_kind="agreement",
        scope_value="RESAH-2020-027-L1",
        formula=("Hébergement + Sécurité", "Groupement de 5 à 9 bénéficiaires / CD"),
    )
    row = year_row(compare(compute(inputs), run(inputs, scenario)), 2022)
    assert row["balance_scenario"] == Decimal("-825.00")


def test_per_convention_changes_add_to_the_scope(seeded_db: duckdb.DuckDBPyConnection) -> None:
    inputs = load_inputs(seeded_db)
    # Every fee −10 %, then Resah +10 % on top: 1 000 × 0.9 × 1.1 = 990.00; CAIH 1 350 HT.
    scenario = Scenario(fee_pct=-10, overrides={RESAH: Override(fee_pct=10, shift_months=1)})
    figures = run(inputs, scenario)
    resah = figures.titles.filter(pl.col("convention_id") == RESAH)
    assert resah["amount_incl_tax"].to_list()[0] == Decimal("990.00")
    assert resah["period_start"].to_list()[0].isoformat() == "2023-01-13"
    row = figures.balance.filter(pl.col("year") == 2022).row(0, named=True)
    assert row["committed"] == Decimal("1620.00") + Decimal("0.00")  # CAIH only: Resah moved


def test_credits_of_one_line_or_all(seeded_db: duckdb.DuckDBPyConnection) -> None:
    inputs = load_inputs(seeded_db)
    for line in ("", LINE):
        figures = run(inputs, Scenario(credits_line=line, credits_pct=-33))
        credits = figures.balance.filter(pl.col("year") == 2022)["credits"].item()
        assert credits == Decimal("2010.00")


def test_huge_fees_are_scaled_without_wrapping(seeded_db: duckdb.DuckDBPyConnection) -> None:
    inputs = load_inputs(seeded_db)
    grid = inputs.fee_grid.with_columns(
        pl.when(pl.col("annual_fee").is_not_null())
        .then(pl.lit(Decimal("999999999999.99"), dtype=pl.Decimal(18, 2)))
        .otherwise(pl.col("annual_fee"))
        .alias("annual_fee")
    )
    changed = apply(inputs.with_changes(fee_grid=grid), Scenario(fee_pct=100))
    assert changed.fee_grid["annual_fee"].max() == Decimal("1999999999999.98")


@pytest.mark.parametrize(
    "scenario",
    [
        Scenario(),
        Scenario(fee_change_pct={"CAIH": 10}),
        Scenario(formula_choice={RESAH: ["Hébergement", "EPS/ESPIC/SDIS/GCSMS/OHLM"]}),
        Scenario(start_shift_months={CAIH: -2}, renewal_years={"CAIH-SO360": 3}),
        Scenario(vat_rate="10", credits_change_pct={LINE: -20}),
        Scenario(scope_kind="body", scope_value="RESAH", fee_pct=20, renew_years=2),
        Scenario(
            scope_kind="agreement",
            scope_value="RESAH-2020-027-L1",
            formula=("Hébergement", "EPS/ESPIC/SDIS/GCSMS/OHLM"),
            shift_months=-3,
        ),
        Scenario(scope_kind="search", scope_value="sécurité", fee_pct=-5),
        Scenario(vat_rate="5.5", credits_line=LINE, credits_pct=15),
        Scenario(overrides={CAIH: Override(fee_pct=7), RESAH: Override(shift_months=2)}),
    ],
)
def test_form_state_round_trip(seeded_db: duckdb.DuckDBPyConnection, scenario: Scenario) -> None:
    choices = form_choices(load_inputs(seeded_db))
    assert scenario_from_state(state_from_scenario(scenario, choices), choices) == scenario
    assert scenario_from_state(default_state(choices), choices) == Scenario()
    assert Scenario.from_json(scenario.to_json()) == scenario
