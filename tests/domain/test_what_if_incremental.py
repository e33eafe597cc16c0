"""A scenario computed from the recorded figures gives the same figures, to the cent, as the
whole engine run again on the scenario's inputs."""

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from spend import store
from spend.domain.figures import Figures, compute
from spend.domain.scenario import Override, Scenario
from spend.domain.what_if import apply, run
from spend.exchange.demo import write_demo

KEY = ["year", "convention_id", "title_no"]


@pytest.fixture(scope="module")
def demo_inputs(tmp_path_factory: pytest.TempPathFactory):
    con = store.connect(tmp_path_factory.mktemp("demo") / "demo.duckdb")
    try:
        write_demo(con, 2_000, seed=11)
        return store.load_inputs(con)
    finally:
        con.close()


def _same(a: Figures, b: Figures) -> None:
    assert_frame_equal(a.titles.sort(KEY), b.titles.sort(KEY))
    assert_frame_equal(a.totals, b.totals)
    assert_frame_equal(a.balance, b.balance)


SCENARIOS = [
    Scenario(fee_pct=10),
    Scenario(fee_pct=-37, vat_rate="5.5"),
    Scenario(vat_rate="0"),
    Scenario(scope_kind="body", scope_value="RAHT", fee_pct=25, shift_months=-3),
    Scenario(scope_kind="search", scope_value="a", renew_years=2),
    Scenario(shift_months=7),
    Scenario(credits_pct=-20),
    Scenario(all_fees_change_pct=3, fee_change_pct={"CAHN": -10}),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.to_json())
def test_from_the_recorded_figures_or_from_scratch_the_same(
    demo_inputs,
    scenario: Scenario,
) -> None:
    baseline = compute(demo_inputs)
    _same(run(demo_inputs, scenario, baseline), compute(apply(demo_inputs, scenario)))


def test_per_convention_and_formula_changes_too(demo_inputs) -> None:
    conventions = demo_inputs.conventions.filter(pl.col("formula").is_not_null())
    first, second = conventions["convention_id"].head(2).to_list()
    agreement, formula, category = (
        demo_inputs.fee_grid.filter(pl.col("annual_fee").is_not_null())
        .select("agreement_id", "formula", "category")
        .row(0)
    )
    scenario = Scenario(
        scope_kind="agreement",
        scope_value=agreement,
        formula=(formula, category),
        overrides={first: Override(fee_pct=50, shift_months=2), second: Override(fee_pct=-50)},
    )
    baseline = compute(demo_inputs)
    _same(run(demo_inputs, scenario, baseline), compute(apply(demo_inputs, scenario)))
