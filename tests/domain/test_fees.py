"""The fee engine against the README's « How figures are computed »: both billing rules,
proration, VAT, unknown fees, balances."""

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import duckdb
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from spend import store
from spend.domain.budget import budget_balance
from spend.domain.fees import EngineInputs, fee_titles, totals_by_body
from spend.domain.figures import compute
from spend.store import load_inputs


def _store_schemas() -> dict[str, pl.Schema]:
    """The schema of each table as the store gives it, so that test frames look like real ones."""
    con = duckdb.connect()
    try:
        store.bring_up_to_date(con)
        return {name: frame.schema for name, frame in store.read_all(con).items()}
    finally:
        con.close()


SCHEMAS = _store_schemas()
D = Decimal
MONEY = pl.Decimal(18, 2)
MONTHS = pl.Decimal(5, 2)
DEFAULT_VAT = Decimal("20.00")


def table(name: str, rows: Iterable[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=SCHEMAS[name])


def grid_row(
    fee: Decimal | None,
    *,
    rule: str = "anniversary_prorated",
    tax: str = "net",
    payment_days: int | None = None,
    agreement_id: str = "AG",
    formula: str = "F",
    category: str = "C",
) -> dict[str, Any]:
    return {
        "agreement_id": agreement_id,
        "formula": formula,
        "category": category,
        "annual_fee": fee,
        "tax": tax,
        "billing_rule": rule,
        "payment_days": payment_days,
    }


def convention(
    convention_id: str,
    start: date | None,
    end: date | None,
    *,
    agreement_id: str = "AG",
    formula: str | None = "F",
    category: str | None = "C",
    operation_code: str = "OP",
    imputation: str = "6281/930202",
) -> dict[str, Any]:
    return {
        "convention_id": convention_id,
        "agreement_id": agreement_id,
        "formula": formula,
        "category": category,
        "start_date": start,
        "end_date": end,
        "operation_code": operation_code,
        "imputation": imputation,
        "status": "active",
        "start_date_assumed": False,
    }


def make_inputs(
    conventions: Iterable[dict[str, Any]],
    grid: Iterable[dict[str, Any]],
    *,
    agreements: Iterable[dict[str, Any]] = ({"agreement_id": "AG", "body_id": "B", "title": "t"},),
    budget_lines: Iterable[dict[str, Any]] = (),
    commitments: Iterable[dict[str, Any]] = (),
    vat_rate: Decimal = DEFAULT_VAT,
) -> EngineInputs:
    return EngineInputs(
        bodies=table("bodies", []),
        agreements=table("agreements", agreements),
        fee_grid=table("fee_grid", grid),
        conventions=table("conventions", conventions),
        budget_lines=table("budget_lines", budget_lines),
        commitments=table("commitments", commitments),
        vat_rate=vat_rate,
    )


def one_convention(
    start: date,
    end: date,
    fee: Decimal | None,
    *,
    rule: str = "anniversary_prorated",
    tax: str = "net",
    payment_days: int | None = None,
    vat_rate: Decimal = DEFAULT_VAT,
) -> pl.DataFrame:
    inputs = make_inputs(
        [convention("K", start, end)],
        [grid_row(fee, rule=rule, tax=tax, payment_days=payment_days)],
        vat_rate=vat_rate,
    )
    return fee_titles(inputs)


PERIOD_COLUMNS = ["year", "title_no", "period_start", "period_end", "months", "amount_excl_tax"]


def periods(
    rows: list[tuple[int, int, date, date, str, str | None]],
) -> pl.DataFrame:
    """The expected (year, title, period, months, amount HT) of a convention's titles."""
    return pl.DataFrame(
        [
            (year, no, first, last, D(months), None if amount is None else D(amount))
            for year, no, first, last, months, amount in rows
        ],
        schema={
            "year": pl.Int32,
            "title_no": pl.Int32,
            "period_start": pl.Date,
            "period_end": pl.Date,
            "months": MONTHS,
            "amount_excl_tax": MONEY,
        },
        orient="row",
    )


# calendar_year ---------------------------------------------------------------------------------


def test_calendar_year_bills_the_full_fee_at_start_then_each_first_of_january() -> None:
    titles = one_convention(
        date(2022, 12, 13),
        date(2025, 3, 10),
        D("1500.00"),
        rule="calendar_year",
        tax="HT",
        payment_days=50,
    )
    expected = pl.DataFrame(
        {
            "year": [2022, 2023, 2024, 2025],
            "title_no": [0, 1, 2, 3],
            "period_start": [
                date(2022, 12, 13),
                date(2023, 1, 1),
                date(2024, 1, 1),
                date(2025, 1, 1),
            ],
            "period_end": [
                date(2022, 12, 31),
                date(2023, 12, 31),
                date(2024, 12, 31),
                date(2025, 3, 10),
            ],
            "months": [D("12.00")] * 4,
            "amount_excl_tax": [D("1500.00")] * 4,
            "vat": [D("300.00")] * 4,
            "amount_incl_tax": [D("1800.00")] * 4,
            "issue_date": [
                date(2022, 12, 13),
                date(2023, 1, 1),
                date(2024, 1, 1),
                date(2025, 1, 1),
            ],
            "due_date": [date(2023, 2, 1), date(2023, 2, 20), date(2024, 2, 20), date(2025, 2, 20)],
            "priced": [True] * 4,
        },
        schema_overrides={
            "year": pl.Int32,
            "title_no": pl.Int32,
            "months": MONTHS,
            "amount_excl_tax": MONEY,
            "vat": MONEY,
            "amount_incl_tax": MONEY,
        },
    )
    assert_frame_equal(titles.select(expected.columns), expected)


def test_calendar_year_convention_ending_early_in_its_year_still_pays_in_full() -> None:
    titles = one_convention(
        date(2023, 1, 1), date(2023, 2, 15), D("400.00"), rule="calendar_year", tax="HT"
    )
    assert_frame_equal(
        titles.select(PERIOD_COLUMNS),
        periods([(2023, 0, date(2023, 1, 1), date(2023, 2, 15), "12.00", "400.00")]),
    )
    assert titles["due_date"].to_list() == [None]  # no payment days in the grid: no due date


def test_calendar_year_takes_its_end_from_the_agreement_when_the_convention_has_none() -> None:
    inputs = make_inputs(
        [convention("K", date(2022, 12, 13), None)],
        [grid_row(D("1500.00"), rule="calendar_year", tax="HT", payment_days=50)],
        agreements=[
            {"agreement_id": "AG", "body_id": "B", "title": "t", "end_date": date(2023, 7, 16)}
        ],
    )
    assert_frame_equal(
        fee_titles(inputs).select(PERIOD_COLUMNS),
        periods(
            [
                (2022, 0, date(2022, 12, 13), date(2022, 12, 31), "12.00", "1500.00"),
                (2023, 1, date(2023, 1, 1), date(2023, 7, 16), "12.00", "1500.00"),
            ]
        ),
    )


# anniversary_prorated --------------------------------------------------------------------------


def test_anniversary_reproduces_the_deliberation_example() -> None:
    """13/12/2022 → 27/08/2024: 1 000 € then 8 months + 15 days = 8.50 months = 708,33 €."""
    titles = one_convention(date(2022, 12, 13), date(2024, 8, 27), D("1000.00"))
    assert_frame_equal(
        titles.select(PERIOD_COLUMNS),
        periods(
            [
                (2022, 0, date(2022, 12, 13), date(2023, 12, 12), "12.00", "1000.00"),
                (2023, 1, date(2023, 12, 13), date(2024, 8, 27), "8.50", "708.33"),
            ]
        ),
    )
    assert titles["issue_date"].to_list() == [date(2022, 12, 13), date(2023, 3, 31)]
    assert titles["vat"].to_list() == [D("0.00"), D("0.00")]
    assert titles["amount_incl_tax"].to_list() == [D("1000.00"), D("708.33")]


def test_anniversary_dates_title_k_on_31_march_of_start_year_plus_k() -> None:
    titles = one_convention(date(2022, 12, 13), date(2025, 1, 5), D("1000.00"))
    assert_frame_equal(
        titles.select(PERIOD_COLUMNS),
        periods(
            [
                (2022, 0, date(2022, 12, 13), date(2023, 12, 12), "12.00", "1000.00"),
                (2023, 1, date(2023, 12, 13), date(2024, 12, 12), "12.00", "1000.00"),
                # 13/12/2024 → 05/01/2025: no complete month, 24 days = 0.80 month.
                (2024, 2, date(2024, 12, 13), date(2025, 1, 5), "0.80", "66.67"),
            ]
        ),
    )
    assert titles["issue_date"].to_list() == [
        date(2022, 12, 13),
        date(2023, 3, 31),
        date(2024, 3, 31),
    ]


@pytest.mark.parametrize(
    ("start", "end", "months", "amount"),
    [
        # 31/01/2024 + 1 month = 29/02/2024 (clamped): one complete month ends on 28/02.
        (date(2023, 1, 31), date(2024, 2, 28), "1.00", "100.00"),
        # one day short of it: 28 days (31/01 → 27/02) = 0.93 month.
        (date(2023, 1, 31), date(2024, 2, 27), "0.93", "93.00"),
        # a month then 11 days from 29/02 (the clamped month start) to 10/03.
        (date(2023, 1, 31), date(2024, 3, 10), "1.37", "137.00"),
        # counted from 31/01, not step by step: 2 months end on 30/03, then 31/03 → 15/04.
        (date(2023, 1, 31), date(2024, 4, 15), "2.53", "253.00"),
        # in a common year 31/01/2025 + 1 month = 28/02/2025: one month ends on 27/02.
        (date(2024, 1, 31), date(2025, 2, 27), "1.00", "100.00"),
        # 27 days (31/01 → 26/02) = 0.90 month.
        (date(2024, 1, 31), date(2025, 2, 26), "0.90", "90.00"),
    ],
)
def test_anniversary_start_on_the_31st_clamps_to_the_month_end(
    start: date, end: date, months: str, amount: str
) -> None:
    titles = one_convention(start, end, D("1200.00"))
    second = _add_months(start, 12)
    assert_frame_equal(
        titles.select(PERIOD_COLUMNS),
        periods(
            [
                (start.year, 0, start, second - timedelta(days=1), "12.00", "1200.00"),
                (start.year + 1, 1, second, end, months, amount),
            ]
        ),
    )


def test_anniversary_start_on_29_february() -> None:
    """Periods start on 28/02 in common years and again on 29/02 four years later."""
    titles = one_convention(date(2024, 2, 29), date(2028, 3, 1), D("1200.00"))
    assert_frame_equal(
        titles.select(PERIOD_COLUMNS),
        periods(
            [
                (2024, 0, date(2024, 2, 29), date(2025, 2, 27), "12.00", "1200.00"),
                (2025, 1, date(2025, 2, 28), date(2026, 2, 27), "12.00", "1200.00"),
                (2026, 2, date(2026, 2, 28), date(2027, 2, 27), "12.00", "1200.00"),
                (2027, 3, date(2027, 2, 28), date(2028, 2, 28), "12.00", "1200.00"),
                (2028, 4, date(2028, 2, 29), date(2028, 3, 1), "0.07", "7.00"),
            ]
        ),
    )


def test_anniversary_last_period_of_exactly_twelve_months_is_billed_in_full() -> None:
    titles = one_convention(date(2023, 5, 10), date(2025, 5, 9), D("1000.00"))
    assert_frame_equal(
        titles.select(PERIOD_COLUMNS),
        periods(
            [
                (2023, 0, date(2023, 5, 10), date(2024, 5, 9), "12.00", "1000.00"),
                (2024, 1, date(2024, 5, 10), date(2025, 5, 9), "12.00", "1000.00"),
            ]
        ),
    )


def test_anniversary_last_period_shorter_than_a_month() -> None:
    """10 days = 0.33 month; 0.33 × 1 000 / 12 = 27,50 €."""
    titles = one_convention(date(2023, 5, 10), date(2024, 5, 19), D("1000.00"))
    assert_frame_equal(
        titles.select(PERIOD_COLUMNS),
        periods(
            [
                (2023, 0, date(2023, 5, 10), date(2024, 5, 9), "12.00", "1000.00"),
                (2024, 1, date(2024, 5, 10), date(2024, 5, 19), "0.33", "27.50"),
            ]
        ),
    )


def test_anniversary_half_cent_is_rounded_away_from_zero() -> None:
    """7 months + 10 days = 7.33 months; 7.33 × 750 / 12 = 458.125 → 458,13 € (not 458,12)."""
    titles = one_convention(date(2023, 1, 15), date(2024, 8, 24), D("750.00"))
    last = titles.filter(pl.col("title_no") == 1).row(0, named=True)
    assert (last["period_start"], last["period_end"]) == (date(2024, 1, 15), date(2024, 8, 24))
    assert last["months"] == D("7.33")
    assert last["amount_excl_tax"] == D("458.13")


def test_a_one_day_convention_gives_one_title() -> None:
    titles = one_convention(date(2023, 6, 1), date(2023, 6, 1), D("1200.00"))
    assert_frame_equal(
        titles.select(PERIOD_COLUMNS),
        periods([(2023, 0, date(2023, 6, 1), date(2023, 6, 1), "0.03", "3.00")]),
    )


# VAT -------------------------------------------------------------------------------------------


def test_vat_at_the_default_rate_on_each_prorated_ht_title() -> None:
    titles = one_convention(date(2023, 1, 15), date(2024, 8, 24), D("750.00"), tax="HT")
    assert titles.select("amount_excl_tax", "vat", "amount_incl_tax").rows() == [
        (D("750.00"), D("150.00"), D("900.00")),
        # 20 % of 458,13 = 91,626 → 91,63: VAT is computed on the rounded HT amount of the title.
        (D("458.13"), D("91.63"), D("549.76")),
    ]


def test_vat_at_another_rate_rounds_the_half_cent_away_from_zero() -> None:
    """5,5 % of 3,00 € = 0,165 € → 0,17 € (half to even would give 0,16 €)."""
    titles = one_convention(
        date(2023, 1, 1),
        date(2023, 12, 31),
        D("3.00"),
        rule="calendar_year",
        tax="HT",
        vat_rate=D("5.5"),
    )
    assert titles.select("amount_excl_tax", "vat", "amount_incl_tax").rows() == [
        (D("3.00"), D("0.17"), D("3.17"))
    ]


def test_net_fees_carry_no_vat_whatever_the_rate() -> None:
    titles = one_convention(
        date(2023, 1, 1),
        date(2023, 12, 31),
        D("1000.00"),
        rule="calendar_year",
        tax="net",
        vat_rate=D("20.00"),
    )
    assert titles.select("amount_excl_tax", "vat", "amount_incl_tax").rows() == [
        (D("1000.00"), D("0.00"), D("1000.00"))
    ]


# Unknown fees and incomplete conventions ---------------------------------------------------------


def test_a_fee_on_quote_gives_unknown_amounts_that_are_counted_never_zero() -> None:
    inputs = make_inputs(
        [
            convention("K1", date(2022, 12, 13), date(2024, 8, 27), category="on quote"),
            convention("K2", date(2023, 1, 1), date(2023, 12, 31), category="priced"),
        ],
        [
            grid_row(None, category="on quote", tax="HT"),
            grid_row(D("100.00"), category="priced", rule="calendar_year", tax="HT"),
        ],
        budget_lines=[
            {"operation_code": "OP", "imputation": "6281/930202", "year": 2023, "credits": D("500")}
        ],
    )
    figures = compute(inputs)
    unknown = figures.titles.filter(pl.col("convention_id") == "K1")
    assert unknown.height == 2  # the titles exist, with their periods and months
    assert unknown["months"].to_list() == [D("12.00"), D("8.50")]
    for column in ("amount_excl_tax", "vat", "amount_incl_tax"):
        assert unknown[column].to_list() == [None, None]
    assert unknown["priced"].to_list() == [False, False]

    assert figures.totals.select("year", "amount_incl_tax", "unpriced").rows() == [
        (2022, D("0.00"), 1),  # nothing known, and one unknown title counted
        (2023, D("120.00"), 1),  # the known fee, and the unknown one counted beside it
    ]
    assert figures.balance.select("year", "committed", "balance", "unpriced").rows() == [
        (2022, D("0.00"), D("0.00"), 1),
        (2023, D("120.00"), D("380.00"), 1),
    ]


@pytest.mark.parametrize(
    ("start", "end", "formula"),
    [
        (None, date(2024, 8, 27), "F"),  # no start date (nor assumed one)
        (date(2023, 1, 1), None, "F"),  # no end, nor on the agreement
        (date(2023, 1, 1), date(2024, 8, 27), None),  # no formula/category: no grid row
    ],
)
def test_a_convention_without_start_end_or_grid_row_gives_no_title(
    start: date | None, end: date | None, formula: str | None
) -> None:
    category = None if formula is None else "C"
    inputs = make_inputs(
        [convention("K", start, end, formula=formula, category=category)],
        [grid_row(D("1000.00"))],
    )
    titles = fee_titles(inputs)
    assert titles.is_empty()
    assert titles.columns == fee_titles(make_inputs([], [])).columns


# Totals and budget balance ---------------------------------------------------------------------


def commitment(commitment_id: str, year: int, amount: str, status: str) -> dict[str, Any]:
    return {
        "commitment_id": commitment_id,
        "year": year,
        "amount_incl_tax": D(amount),
        "status": status,
    }


def _balance_inputs() -> EngineInputs:
    line = {"operation_code": "OP", "imputation": "6281/930202", "label": "Informatique"}
    other = {"operation_code": "OP2", "imputation": "6281/020", "label": "Autre"}
    return make_inputs(
        [
            convention("CAL", date(2023, 3, 1), date(2024, 6, 30), agreement_id="AG-CAL"),
            convention("ANN", date(2023, 7, 1), date(2024, 12, 31), agreement_id="AG-ANN"),
        ],
        [
            grid_row(D("1500.00"), agreement_id="AG-CAL", rule="calendar_year", tax="HT"),
            grid_row(D("1000.00"), agreement_id="AG-ANN"),
        ],
        agreements=[
            {"agreement_id": "AG-CAL", "body_id": "CAIH", "title": "t"},
            {"agreement_id": "AG-ANN", "body_id": "RESAH", "title": "t"},
        ],
        budget_lines=[
            {**line, "year": 2023, "credits": D("3000.00")},
            {**line, "year": 2024, "credits": D("2000.00")},
            {**other, "year": 2023, "credits": D("50.00")},
        ],
        commitments=[
            {**line, **commitment("E1", 2023, "99.99", "committed")},
            {**line, **commitment("E2", 2023, "0.01", "planned")},
            {**line, **commitment("E3", 2023, "5000.00", "cancelled")},
            {**line, **commitment("E5", 2023, "10.00", "mandated")},
            {**line, **commitment("E6", 2023, "20.00", "paid")},
            {**line, **commitment("E7", 2023, "30.00", "liquidated")},
            {**line, **commitment("E4", 2025, "250.00", "committed")},
        ],
    )


def test_totals_per_body_and_year() -> None:
    totals = totals_by_body(fee_titles(_balance_inputs()))
    expected = pl.DataFrame(
        {
            "body_id": ["CAIH", "CAIH", "RESAH", "RESAH"],
            "year": [2023, 2024, 2023, 2024],
            "amount_excl_tax": [D("1500.00"), D("1500.00"), D("1000.00"), D("500.00")],
            "vat": [D("300.00"), D("300.00"), D("0.00"), D("0.00")],
            "amount_incl_tax": [D("1800.00"), D("1800.00"), D("1000.00"), D("500.00")],
            "unpriced": [0, 0, 0, 0],
        },
        schema_overrides={
            "year": pl.Int32,
            "amount_excl_tax": MONEY,
            "vat": MONEY,
            "amount_incl_tax": MONEY,
        },
    )
    assert_frame_equal(totals, expected)


def test_budget_balance_per_line_and_year() -> None:
    inputs = _balance_inputs()
    balance = budget_balance(inputs, fee_titles(inputs))
    line, other = ("OP", "6281/930202", "Informatique"), ("OP2", "6281/020", "Autre")
    rows = [
        # (line, year, "credits fees other-commitments committed balance planned", has credits)
        # fees 1 800 + 1 000; others engaged 99,99 + liquidated 30 + mandated 10 + paid 20 (M57:
        # all four consume credits); planned 0,01 is shown beside, cancelled not at all
        (line, 2023, "3000.00 2800.00 159.99 2959.99 40.01 0.01", True),
        # fees 1 800 + 500 (6 months of 1 000) exceed the credits: a negative balance
        (line, 2024, "2000.00 2300.00 0.00 2300.00 -300.00 0.00", True),
        # commitments and no credits: shown with credits 0,00, not hidden
        (line, 2025, "0.00 0.00 250.00 250.00 -250.00 0.00", False),
        (other, 2023, "50.00 0.00 0.00 0.00 50.00 0.00", True),
    ]
    money = ["credits", "committed_fees", "committed_other", "committed", "balance", "planned"]
    expected = pl.DataFrame(
        [
            (code, imputation, year, label, *map(D, amounts.split()), 0, has_credits)
            for (code, imputation, label), year, amounts, has_credits in rows
        ],
        schema={
            "operation_code": pl.String,
            "imputation": pl.String,
            "year": pl.Int32,
            "label": pl.String,
            **dict.fromkeys(money, MONEY),
            "unpriced": pl.Int64,
            "has_credits": pl.Boolean,
        },
        orient="row",
    )
    assert_frame_equal(balance, expected)


def test_seed_reconciles_with_the_deliberation(seeded_db: duckdb.DuckDBPyConnection) -> None:
    """2 800,00 € committed on 3 000,00 € of credits in 2022; 2023 flagged with no credits."""
    figures = compute(load_inputs(seeded_db))
    assert figures.titles.select("body_id", "year", "months", "amount_incl_tax").rows() == [
        ("CAIH", 2022, D("12.00"), D("1800.00")),
        ("RESAH", 2022, D("12.00"), D("1000.00")),
        ("CAIH", 2023, D("12.00"), D("1800.00")),
        ("RESAH", 2023, D("8.50"), D("708.33")),
    ]
    expected = pl.DataFrame(
        {
            "year": [2022, 2023],
            "credits": [D("3000.00"), D("0.00")],
            "committed": [D("2800.00"), D("2508.33")],
            "balance": [D("200.00"), D("-2508.33")],
            "unpriced": [0, 0],
            "has_credits": [True, False],
        },
        schema_overrides={
            "year": pl.Int32,
            "credits": MONEY,
            "committed": MONEY,
            "balance": MONEY,
        },
    )
    assert_frame_equal(figures.balance.select(expected.columns), expected)
    assert figures.balance["operation_code"].unique().to_list() == ["C06-020M02"]


# Property: the anniversary periods tile the convention and each amount follows the rule ----------


def _add_months(day: date, months: int) -> date:
    """The same day `months` months later, clamped to the month's last day (README, « How
    figures are computed »)."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last_day))


def _half_away(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def _expected_months(period_start: date, end: date) -> Decimal:
    complete = 0
    while _add_months(period_start, complete + 1) - timedelta(days=1) <= end:
        complete += 1
    days = max((end - _add_months(period_start, complete)).days + 1, 0)
    return _half_away(complete + D(days) / 30)


conventions_strategy = st.lists(
    st.tuples(
        st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
        st.integers(min_value=0, max_value=3000),  # length in days
        st.integers(min_value=0, max_value=10_000_000),  # annual fee in cents
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=120, deadline=None)
@given(conventions_strategy)
def test_anniversary_periods_tile_the_convention_and_amounts_follow_the_rule(
    cases: list[tuple[date, int, int]],
) -> None:
    inputs = make_inputs(
        [
            convention(f"K{i:03d}", start, start + timedelta(days=length), category=f"C{i}")
            for i, (start, length, _) in enumerate(cases)
        ],
        [
            grid_row(D(cents) / 100, category=f"C{i}", tax="HT")
            for i, (_, _, cents) in enumerate(cases)
        ],
    )
    titles = fee_titles(inputs).sort("convention_id", "title_no")
    by_convention = titles.partition_by("convention_id", as_dict=True, maintain_order=True)
    assert len(by_convention) == len(cases)
    for i, (start, length, cents) in enumerate(cases):
        end = start + timedelta(days=length)
        fee = D(cents) / 100
        rows = by_convention[(f"K{i:03d}",)].rows(named=True)
        assert rows[0]["period_start"] == start
        assert rows[-1]["period_end"] == end
        for k, row in enumerate(rows):
            assert row["title_no"] == k
            assert row["year"] == start.year + k
            assert row["issue_date"] == (start if k == 0 else date(start.year + k, 3, 31))
            assert row["period_start"] == _add_months(start, 12 * k)
            assert row["period_start"] <= row["period_end"]
            if k + 1 < len(rows):  # no gap, no overlap with the next period
                assert rows[k + 1]["period_start"] == row["period_end"] + timedelta(days=1)
                assert row["months"] == D("12.00")
            months = (
                D("12.00")
                if row["period_end"] == _add_months(start, 12 * (k + 1)) - timedelta(days=1)
                else _expected_months(row["period_start"], end)
            )
            assert row["months"] == months
            assert row["amount_excl_tax"] == _half_away(months * fee / 12)
            assert row["vat"] == _half_away(row["amount_excl_tax"] * D("0.20"))
            assert row["amount_incl_tax"] == row["amount_excl_tax"] + row["vat"]
