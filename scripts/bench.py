"""Benchmarks, reported as ratios measured in one run (the machine is shared and noisy).

1. The vectorised fee engine against a plain-Python implementation of the same rules, on the
   same synthetic conventions; the results must be identical to the cent.
2. What a slider move costs (scenario applied to cached inputs, then the engine) against a
   reload of the inputs from DuckDB: why the dashboard caches the inputs.

Run with `make bench`.
"""

import calendar
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spend.domain.fees import EngineInputs, fee_titles
from spend.domain.figures import compute
from spend.domain.scenario import Scenario, run
from spend.exchange.seed import open_database
from spend.store import load_inputs

CONVENTIONS = 20_000


def add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def python_titles(rows: list[dict]) -> list[tuple]:
    """DOMAIN.md's two rules, one convention and one title at a time."""
    out = []
    for row in rows:
        start, end, fee = row["start_date"], row["end_date"], row["annual_fee"]
        if row["billing_rule"] == "calendar_year":
            for year in range(start.year, end.year + 1):
                out.append((row["convention_id"], year, Decimal("12.00"), fee))
            continue
        k = 0
        while (period_start := add_months(start, 12 * k)) <= end:
            natural_end = add_months(start, 12 * (k + 1)) - timedelta(days=1)
            if natural_end <= end:
                months, amount = Decimal("12.00"), fee
            else:
                m = 0
                while add_months(period_start, m + 1) - timedelta(days=1) <= end:
                    m += 1
                days = max(0, (end - add_months(period_start, m)).days + 1)
                months = cents(Decimal(m) + Decimal(days) / 30)
                amount = cents(months * fee / 12)
            out.append((row["convention_id"], start.year + k, months, amount))
            k += 1
    return out


def synthetic_inputs(count: int) -> EngineInputs:
    rng = random.Random(2022)
    rules = ["calendar_year", "anniversary_prorated"]
    grid = pl.DataFrame(
        {
            "agreement_id": ["A0", "A1"],
            "formula": ["F", "F"],
            "category": ["C", "C"],
            "annual_fee": [Decimal("1500.00"), Decimal("1000.00")],
            "tax": ["HT", "net"],
            "billing_rule": rules,
            "payment_days": [50, None],
        },
        schema_overrides={"annual_fee": pl.Decimal(18, 2), "payment_days": pl.Int32},
    )
    starts = [date(2020, 1, 1) + timedelta(days=rng.randrange(0, 1500)) for _ in range(count)]
    ends = [s + timedelta(days=rng.randrange(0, 2000)) for s in starts]
    conventions = pl.DataFrame(
        {
            "convention_id": [f"C{i}" for i in range(count)],
            "agreement_id": [f"A{i % 2}" for i in range(count)],
            "title": [None] * count,
            "formula": ["F"] * count,
            "category": ["C"] * count,
            "start_date": starts,
            "end_date": ends,
            "notice_months": [None] * count,
            "operation_code": ["OP"] * count,
            "imputation": ["IMP"] * count,
            "deliberation_id": [None] * count,
            "status": ["active"] * count,
            "start_date_assumed": [False] * count,
        },
        schema_overrides={
            "title": pl.String,
            "notice_months": pl.Int32,
            "deliberation_id": pl.String,
        },
    )
    agreements = pl.DataFrame(
        {
            "agreement_id": ["A0", "A1"],
            "body_id": ["B0", "B1"],
            "reference": [None, None],
            "title": ["a", "b"],
            "end_date": [None, None],
        },
        schema_overrides={"reference": pl.String, "end_date": pl.Date},
    )
    empty_lines = pl.DataFrame(
        schema={
            "operation_code": pl.String,
            "imputation": pl.String,
            "label": pl.String,
            "year": pl.Int32,
            "credits": pl.Decimal(18, 2),
        }
    )
    empty_commitments = pl.DataFrame(
        schema={
            "commitment_id": pl.String,
            "operation_code": pl.String,
            "imputation": pl.String,
            "year": pl.Int32,
            "amount_incl_tax": pl.Decimal(18, 2),
            "label": pl.String,
            "date": pl.Date,
            "status": pl.String,
        }
    )
    bodies = pl.DataFrame({"body_id": ["B0", "B1"], "name": ["b0", "b1"]})
    return EngineInputs(
        bodies, agreements, grid, conventions, empty_lines, empty_commitments, Decimal("20.00")
    )


def timed(function: Callable[[], object], repeat: int = 1) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        began = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - began)
    return best, result


def main() -> None:
    inputs = synthetic_inputs(CONVENTIONS)
    rows = inputs.conventions.join(inputs.fee_grid, on=["agreement_id", "formula", "category"])
    rows = rows.to_dicts()
    engine_s, titles = timed(lambda: fee_titles(inputs), repeat=3)
    python_s, expected = timed(lambda: python_titles(rows))
    got = titles.select(
        "convention_id", pl.col("year").cast(pl.Int64), "months", "amount_excl_tax"
    ).rows()
    assert sorted(got) == sorted(expected), "engine and plain Python disagree"
    print(f"{CONVENTIONS} conventions, {titles.height} titles, identical to the cent")
    print(f"  engine {engine_s * 1000:.0f} ms, plain Python {python_s * 1000:.0f} ms")
    print(f"  ratio plain Python / engine: {python_s / engine_s:.1f}×")

    with tempfile.TemporaryDirectory() as folder:
        con = open_database(Path(folder) / "bench.duckdb")
        cached = load_inputs(con)
        reload_s, _ = timed(lambda: compute(load_inputs(con)), repeat=5)
        slider_s, _ = timed(lambda: run(cached, Scenario(fee_change_pct={"CAIH": 10})), repeat=5)
        con.close()
    print("seed database, one slider move:")
    print(f"  reload from DuckDB + compute {reload_s * 1000:.1f} ms")
    print(f"  scenario on cached inputs {slider_s * 1000:.1f} ms")
    print(f"  ratio reload / cached: {reload_s / slider_s:.1f}×")


if __name__ == "__main__":
    main()
