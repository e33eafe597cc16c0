"""Credits by stage: crédits ouverts are the sum of a year's votes, the BP is the BP's."""

from decimal import Decimal

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from spend.domain.credits import as_open_credits, credits_by_line

D = Decimal


def _votes(rows: list[tuple[str, int, str | None, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "operation_code": [r[0] for r in rows],
            "imputation": ["6281/930202"] * len(rows),
            "label": ["Informatique"] * len(rows),
            "year": [r[1] for r in rows],
            "credits": [D(r[3]) for r in rows],
            "stage": [r[2] for r in rows],
        },
        schema_overrides={"year": pl.Int32, "credits": pl.Decimal(18, 2)},
    )


def test_a_bp_and_two_dms() -> None:
    votes = _votes([("C06", 2022, "DM2", "-300.00"), ("C06", 2022, "BP", "3000.00"),
                    ("C06", 2022, "DM1", "500.00"), ("C06", 2023, None, "10.00")])  # fmt: skip
    lines = credits_by_line(votes.lazy()).collect()
    assert lines.select("year", "bp", "open_credits").rows() == [
        (2022, D("3000.00"), D("3200.00")),
        (2023, D("10.00"), D("10.00")),  # a blank stage is a BP
    ]
    assert lines.schema["open_credits"] == pl.Decimal(18, 2)
    # The votes in the order of the year, whatever the order of the rows.
    assert [v["stage"] for v in lines["votes"][0]] == ["BP", "DM1", "DM2"]


def test_votes_without_a_stage_column_are_budgets_primitifs() -> None:
    votes = _votes([("C06", 2022, None, "3000.00")]).drop("stage")
    assert credits_by_line(votes.lazy()).collect().select("bp", "open_credits").row(0) == (
        D("3000.00"),
        D("3000.00"),
    )


def test_open_credits_as_one_row_per_line_and_year_keep_the_columns() -> None:
    votes = _votes([("C06", 2022, "BP", "3000.00"), ("C06", 2022, "DM1", "0.01")])
    summed = as_open_credits(votes)
    assert summed.columns == votes.columns
    assert summed.select("year", "credits", "stage", "label").rows() == [
        (2022, D("3000.01"), "BP", "Informatique")
    ]


stages = st.sampled_from(["BP", "BS", "DM1", "DM2", "DM3", "RAR"])
cents = st.integers(min_value=-(10**12), max_value=10**12)


@given(st.lists(st.tuples(stages, cents), min_size=1, max_size=12, unique_by=lambda v: v[0]))
def test_open_credits_are_the_exact_sum_of_the_votes(votes: list[tuple[str, int]]) -> None:
    frame = _votes([("C06", 2024, stage, str(D(c) / 100)) for stage, c in votes])
    line = credits_by_line(frame.lazy()).collect().row(0, named=True)
    assert line["open_credits"] == D(sum(c for _, c in votes)) / 100
    assert line["bp"] == D(sum(c for s, c in votes if s == "BP")) / 100
