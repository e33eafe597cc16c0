"""A scenario holds changes for several scopes: each keeps its own, none is dropped."""

import json
from decimal import Decimal

import duckdb
import polars as pl

from spend.domain.figures import compute
from spend.domain.scenario import Scenario, ScopeChange
from spend.domain.what_if import compare, run
from spend.store import load_inputs

RESAH_AGREEMENT = "RESAH-2020-027-L1"
HOSTING = ("Hébergement + Sécurité", "Groupement de 5 à 9 bénéficiaires / CD")


def committed(con: duckdb.DuckDBPyConnection, scenario: Scenario, year: int = 2022) -> Decimal:
    inputs = load_inputs(con)
    comparison = compare(compute(inputs), run(inputs, scenario))
    return comparison.filter(pl.col("year") == year)["committed_scenario"].sum()


def test_ten_percent_on_everything_then_a_formula_for_resah_keeps_both(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    everything = ScopeChange(fee_pct=10)
    resah = Scenario(scope_kind="agreement", scope_value=RESAH_AGREEMENT, formula=HOSTING)
    both = Scenario(
        scope_kind="agreement",
        scope_value=RESAH_AGREEMENT,
        formula=HOSTING,
        kept_scopes=(everything,),
    )
    # Recorded 2022: CAIH 1 800 + Resah 1 000. The formula alone: Resah 2 025 (3 825 in all).
    assert committed(seeded_db, resah) == Decimal("3825.00")
    # Both: CAIH 1 980 and Resah's new formula at +10 %: 2 227,50.
    assert committed(seeded_db, both) == Decimal("4207.50")
    # The same figures when the engine recomputes only what changed.
    inputs = load_inputs(seeded_db)
    baseline = compute(inputs)
    assert run(inputs, both, baseline).balance.equals(run(inputs, both).balance)


def test_two_scopes_compose_their_fee_changes(seeded_db: duckdb.DuckDBPyConnection) -> None:
    caih = ScopeChange(scope_kind="body", scope_value="CAIH", fee_pct=10)
    resah = Scenario(scope_kind="body", scope_value="RESAH", fee_pct=-10, kept_scopes=(caih,))
    assert committed(seeded_db, resah) == Decimal("2880.00")  # 1 980 + 900


def test_kept_scopes_go_through_the_link_and_earlier_links_still_open() -> None:
    scenario = Scenario(
        scope_kind="body",
        scope_value="RESAH",
        fee_pct=-10,
        kept_scopes=(ScopeChange(fee_pct=10), ScopeChange("agreement", "A", formula=("f", "c"))),
    )
    text = scenario.to_json()
    assert json.loads(text)["kept_scopes"] == [
        {"scope_kind": "all", "fee_pct": 10},
        {"scope_kind": "agreement", "scope_value": "A", "formula": ["f", "c"]},
    ]
    assert Scenario.from_json(text) == scenario
    assert not Scenario(kept_scopes=(ScopeChange(fee_pct=10),)).is_baseline()
    # A link of the previous version (one scope) opens as it was.
    earlier = '{"fee_pct":10,"scope_kind":"body","scope_value":"CAIH"}'
    assert Scenario.from_json(earlier) == Scenario(
        scope_kind="body", scope_value="CAIH", fee_pct=10
    )
    assert Scenario.from_json(earlier).to_json() == earlier
    # A tampered list: bad items dropped, at most 20 kept.
    tampered = {"kept_scopes": [{"fee_pct": 5}, "x", {"fee_pct": 0}] + [{"fee_pct": 1}] * 50}
    kept = Scenario.from_json(json.dumps(tampered)).kept_scopes
    assert kept[0] == ScopeChange(fee_pct=5) and len(kept) <= 20
