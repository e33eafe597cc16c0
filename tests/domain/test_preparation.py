"""Next year's budget prepared: the seed's proposal, arbitrations, scenarios, and the property that
every line's proposal is the engine's committed amount of the year."""

from datetime import date
from decimal import Decimal

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spend import store
from spend.domain.budget import COMMITTED_STATUSES
from spend.domain.fees import DEFAULT_VAT_RATE, EngineInputs
from spend.domain.figures import compute
from spend.domain.preparation import (
    PREPARATION_COLUMNS,
    arbitrated_or_proposed,
    bills_in,
    parse_amount,
    preparation,
)
from spend.domain.scenario import Scenario
from spend.domain.what_if import run
from spend.exchange.demo import demo_tables
from spend.exchange.draft import DraftError, draft_content

LINE = ("C06-020M02", "6281/930202")


def _inputs_of(tables: dict[str, pl.DataFrame]) -> EngineInputs:
    return EngineInputs(
        bodies=tables["bodies"], agreements=tables["agreements"], fee_grid=tables["fee_grid"],
        conventions=tables["conventions"], budget_lines=tables["budget_lines"],
        commitments=tables["commitments"], vat_rate=DEFAULT_VAT_RATE,
        deliberations=tables["deliberations"],
    )  # fmt: skip


def _row(frame: pl.DataFrame, line: tuple[str, str] = LINE) -> dict:
    on_line = (pl.col("operation_code") == line[0]) & (pl.col("imputation") == line[1])
    return frame.filter(on_line).row(0, named=True)


def test_the_seed_proposes_2508_33_for_2023(seeded_db: duckdb.DuckDBPyConnection) -> None:
    inputs = store.load_inputs(seeded_db)
    prepared = preparation(inputs, compute(inputs), 2023)

    assert prepared.columns == PREPARATION_COLUMNS and prepared.height == 1
    row = _row(prepared)
    # CAIH 1 500,00 HT → 1 800,00 TTC, plus Resah 1 000,00 net prorated to 708,33.
    assert row["proposed"] == Decimal("2508.33")
    assert (row["bp_prev"], row["open_prev"]) == (Decimal("3000.00"), Decimal("3000.00"))
    assert row["committed_prev"] == Decimal("2800.00")  # the deliberation's « Dépense »
    assert row["gap"] == Decimal("-491.67") and row["gap_pct"] == Decimal("-16.4")
    assert row["realised_prev"] == Decimal("0.00") and row["arbitrated"] is None
    assert row["label"] == "Informatique-Fonctionnement"


def test_realised_counts_only_mandated_and_paid_commitments_of_the_year_before() -> None:
    commitments = pl.DataFrame(
        [
            ("a", *LINE, 2022, Decimal("100.00"), "x", date(2022, 3, 1), "paid"),
            ("b", *LINE, 2022, Decimal("20.00"), "x", date(2022, 3, 1), "mandated"),
            ("c", *LINE, 2022, Decimal("3.00"), "x", date(2022, 3, 1), "committed"),
            ("d", *LINE, 2021, Decimal("4000.00"), "x", date(2021, 3, 1), "paid"),
            ("e", *LINE, 2023, Decimal("50.00"), "x", date(2023, 3, 1), "planned"),
            ("f", *LINE, 2023, Decimal("60.00"), "x", date(2023, 3, 1), "liquidated"),
        ],
        schema={"commitment_id": pl.String, "operation_code": pl.String, "imputation": pl.String,
                "year": pl.Int32, "amount_incl_tax": pl.Decimal(18, 2), "label": pl.String,
                "date": pl.Date, "status": pl.String},
        orient="row",
    )  # fmt: skip
    tables = demo_tables(0, 1) | {"commitments": commitments}
    tables["budget_lines"] = tables["budget_lines"].clear()
    inputs = _inputs_of(tables)
    row = _row(preparation(inputs, compute(inputs), 2023))

    assert row["realised_prev"] == Decimal("120.00")
    assert row["committed_prev"] == Decimal("123.00")
    # The forecast of 2023 is not proposed; the liquidated commitment is.
    assert row["proposed"] >= Decimal("60.00") and row["bp_prev"] == Decimal("0.00")
    assert row["gap_pct"] is None  # no BP: no percentage


def test_an_arbitrated_amount_is_shown_and_retained(seeded_db: duckdb.DuckDBPyConnection) -> None:
    inputs = store.load_inputs(seeded_db)
    typed = pl.DataFrame(
        [(*LINE, 2023, Decimal("2600.00")), (*LINE, 2024, Decimal("1.00"))],
        schema={"operation_code": pl.String, "imputation": pl.String, "year": pl.Int32,
                "amount": pl.Decimal(18, 2)},
        orient="row",
    )  # fmt: skip
    prepared = preparation(inputs, compute(inputs), 2023, typed)
    assert _row(prepared)["arbitrated"] == Decimal("2600.00")
    assert _row(arbitrated_or_proposed(prepared))["retained"] == Decimal("2600.00")
    unarbitrated = arbitrated_or_proposed(preparation(inputs, compute(inputs), 2023))
    assert _row(unarbitrated)["retained"] == Decimal("2508.33")


def test_the_proposal_follows_a_scenario(seeded_db: duckdb.DuckDBPyConnection) -> None:
    inputs = store.load_inputs(seeded_db)
    recorded = compute(inputs)
    raised = run(inputs, Scenario(fee_pct=3), recorded)
    row = _row(preparation(inputs, recorded, 2023, proposal=raised))
    # +3 %: CAIH 1 545,00 HT → 1 854,00 TTC; Resah 1 030,00 net prorated → 729,58.
    assert row["proposed"] == _row(raised.balance.filter(pl.col("year") == 2023))["committed"]
    assert row["proposed"] > Decimal("2508.33")
    assert row["committed_prev"] == Decimal("2800.00")  # N−1 stays the recorded figure


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("2 508,33", "2508.33"), ("2508.33 €", "2508.33"), ("0", "0.00"), ("1\u202f000,5", "1000.50")],
)
def test_typed_amounts_in_french_are_read(typed: str, amount: str) -> None:
    assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize("typed", ["", "abc", "-5", "1,234,5", "12.345", "NaN", "1e400"])
def test_what_is_not_an_amount_is_refused(typed: str) -> None:
    assert parse_amount(typed) is None


def _committed_by_hand(inputs: EngineInputs, titles: pl.DataFrame, year: int) -> dict:
    """The committed amount of each line in `year`, summed in plain Decimal from the titles and
    the commitments that count: the engine's answer, computed another way."""
    totals: dict[tuple, Decimal] = {}
    for row in titles.filter(pl.col("year") == year).iter_rows(named=True):
        key = (row["operation_code"], row["imputation"])
        totals[key] = totals.get(key, Decimal("0.00")) + (row["amount_incl_tax"] or 0)
    for row in inputs.commitments.filter(pl.col("year") == year).iter_rows(named=True):
        if row["status"] in COMMITTED_STATUSES:
            key = (row["operation_code"], row["imputation"])
            totals[key] = totals.get(key, Decimal("0.00")) + row["amount_incl_tax"]
    return totals


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    conventions=st.integers(min_value=1, max_value=400),
    seed=st.integers(min_value=0, max_value=10_000),
    year=st.integers(min_value=2018, max_value=2030),
)
def test_every_line_proposes_the_engines_committed_amount_to_the_cent(
    conventions: int, seed: int, year: int
) -> None:
    inputs = _inputs_of(demo_tables(conventions, seed))
    figures = compute(inputs)
    prepared = preparation(inputs, figures, year)
    expected = _committed_by_hand(inputs, figures.titles, year)

    proposed = {(r["operation_code"], r["imputation"]): r["proposed"]
                for r in prepared.iter_rows(named=True)}  # fmt: skip
    assert prepared.select("operation_code", "imputation").is_duplicated().sum() == 0
    for key, amount in expected.items():
        assert proposed[key] == amount, key
    # A line with nothing committed in N proposes 0,00.
    assert all(v == 0 for k, v in proposed.items() if k not in expected)


def test_a_bp_and_two_dms_give_the_bp_and_the_open_credits_of_the_year_before(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    inputs = store.load_inputs(seeded_db)
    seed = inputs.budget_lines

    def vote(stage: str, amount: str) -> pl.DataFrame:
        return seed.with_columns(
            pl.lit(stage).alias("stage"), pl.lit(Decimal(amount)).alias("credits")
        )

    votes = pl.concat([seed, vote("DM1", "500.00"), vote("DM2", "-200.00")], how="vertical_relaxed")
    votes = votes.cast(seed.schema)
    voted = inputs.with_changes(budget_lines=votes)
    row = _row(preparation(voted, compute(voted), 2023))
    assert (row["bp_prev"], row["open_prev"]) == (Decimal("3000.00"), Decimal("3300.00"))
    assert row["gap"] == Decimal("-491.67")  # the gap is to the BP


def _drafts(inputs: EngineInputs, figures, year: int) -> bool:
    try:
        draft_content(inputs, figures, year, {})
    except DraftError:
        return False
    return True


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    conventions=st.integers(min_value=0, max_value=300),
    seed=st.integers(min_value=0, max_value=10_000),
    year=st.integers(min_value=2015, max_value=2032),
)
def test_a_year_bills_exactly_when_its_deliberation_can_be_drafted(
    conventions: int, seed: int, year: int
) -> None:
    inputs = _inputs_of(demo_tables(conventions, seed))
    figures = compute(inputs)
    assert bills_in(inputs, figures, year) is _drafts(inputs, figures, year)


def test_the_seed_bills_in_2022_and_2023_only(seeded_db: duckdb.DuckDBPyConnection) -> None:
    inputs = store.load_inputs(seeded_db)
    figures = compute(inputs)
    billing = [year for year in range(2019, 2027) if bills_in(inputs, figures, year)]
    assert billing == [2022, 2023]
    assert billing == [year for year in range(2019, 2027) if _drafts(inputs, figures, year)]
