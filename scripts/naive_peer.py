"""The benchmark's naive peer: the rules of the README (« How figures are computed ») one
convention and one title at a time, in plain Python with `decimal`, the way one would write them
without a dataframe library.

It takes the engine's inputs and gives the engine's three results (titles, totals per central
and year, balances per budget line and year), so that `make bench` can check all three agree to
the cent and say how much the vectorised engine gains.
"""

import calendar
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import polars as pl

from spend.domain.fees import EngineInputs

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
FULL_YEAR = Decimal("12.00")
# M57: these consume credits; "planned" is a forecast shown beside; "cancelled" counts for nothing.
COMMITTED = {"committed", "liquidated", "mandated", "paid"}
MONEY = pl.Decimal(18, 2)


@dataclass(frozen=True)
class NaiveFigures:
    titles: pl.DataFrame
    totals: pl.DataFrame
    balance: pl.DataFrame


def add_months(day: date, months: int) -> date:
    """The same day `months` months later, clamped to the last day of that month."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def cents(value: Decimal) -> Decimal:
    """To the cent, the half away from zero (ROUND_HALF_UP is that, in `decimal`)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


Period = tuple[int, int, date, date, Decimal, Decimal | None, date]


def calendar_year_periods(start: date, end: date, fee: Decimal | None) -> Iterator[Period]:
    """(year, title no, period start, period end, months, amount HT, issue date)."""
    for number, year in enumerate(range(start.year, end.year + 1)):
        first = start if number == 0 else date(year, 1, 1)
        yield year, number, first, min(end, date(year, 12, 31)), FULL_YEAR, fee, first


def anniversary_periods(start: date, end: date, fee: Decimal | None) -> Iterator[Period]:
    number = 0
    while (period_start := add_months(start, 12 * number)) <= end:
        natural_end = add_months(start, 12 * (number + 1)) - timedelta(days=1)
        if natural_end <= end:
            months, amount = FULL_YEAR, fee
        else:
            complete = 0
            while add_months(period_start, complete + 1) - timedelta(days=1) <= end:
                complete += 1
            days = max(0, (end - add_months(period_start, complete)).days + 1)
            months = cents(Decimal(complete) + Decimal(days) / 30)
            amount = None if fee is None else cents(months * fee / 12)
        issue = start if number == 0 else date(start.year + number, 3, 31)
        yield (start.year + number, number, period_start, min(natural_end, end), months, amount,
               issue)  # fmt: skip
        number += 1


def naive_titles(inputs: EngineInputs) -> list[dict]:
    agreements = {row["agreement_id"]: row for row in inputs.agreements.iter_rows(named=True)}
    grid = {
        (row["agreement_id"], row["formula"], row["category"]): row
        for row in inputs.fee_grid.iter_rows(named=True)
    }
    rate = inputs.vat_rate
    titles = []
    for convention in inputs.conventions.iter_rows(named=True):
        agreement = agreements.get(convention["agreement_id"], {})
        terms = grid.get(
            (convention["agreement_id"], convention["formula"], convention["category"])
        )
        start = convention["start_date"]
        end = convention["end_date"] or agreement.get("end_date")
        if terms is None or start is None or end is None or end < start:
            continue
        rule = terms["billing_rule"]
        periods = calendar_year_periods if rule == "calendar_year" else anniversary_periods
        for year, number, first, last, months, excl, issue in periods(
            start, end, terms["annual_fee"]
        ):
            if excl is None:
                vat = None
            else:
                vat = cents(excl * rate / 100) if terms["tax"] == "HT" else ZERO
            days = terms["payment_days"]
            titles.append(
                {
                    "convention_id": convention["convention_id"],
                    "body_id": agreement.get("body_id"),
                    "agreement_id": convention["agreement_id"],
                    "operation_code": convention["operation_code"],
                    "imputation": convention["imputation"],
                    "year": year,
                    "title_no": number,
                    "period_start": first,
                    "period_end": last,
                    "months": months,
                    "tax": terms["tax"],
                    "billing_rule": rule,
                    "amount_excl_tax": excl,
                    "vat": vat,
                    "amount_incl_tax": None if excl is None else excl + vat,
                    "issue_date": issue,
                    "due_date": None if days is None else issue + timedelta(days=days),
                    "priced": excl is not None,
                }
            )
    return titles


def naive_totals(titles: list[dict]) -> list[dict]:
    sums: dict[tuple, list] = defaultdict(lambda: [ZERO, ZERO, ZERO, 0])
    for title in titles:
        total = sums[(title["body_id"], title["year"])]
        if title["priced"]:
            total[0] += title["amount_excl_tax"]
            total[1] += title["vat"]
            total[2] += title["amount_incl_tax"]
        else:
            total[3] += 1
    return [
        {"body_id": body, "year": year, "amount_excl_tax": excl, "vat": vat,
         "amount_incl_tax": incl, "unpriced": unpriced}
        for (body, year), (excl, vat, incl, unpriced) in sorted(sums.items())
    ]  # fmt: skip


def naive_balance(inputs: EngineInputs, titles: list[dict]) -> list[dict]:
    keys: set[tuple] = set()
    credits: dict[tuple, Decimal] = {}
    labels: dict[tuple, tuple[int, str]] = {}
    for row in inputs.budget_lines.iter_rows(named=True):
        key = (row["operation_code"], row["imputation"], row["year"])
        keys.add(key)
        credits[key] = credits.get(key, ZERO) + row["credits"]  # crédits ouverts: every vote
        if row["label"] is not None and row["year"] >= labels.get(key[:2], (-1, ""))[0]:
            labels[key[:2]] = (row["year"], row["label"])
    fees: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    unpriced: dict[tuple, int] = defaultdict(int)
    for title in titles:
        key = (title["operation_code"], title["imputation"], title["year"])
        keys.add(key)
        if title["priced"]:
            fees[key] += title["amount_incl_tax"]
        else:
            unpriced[key] += 1
    others: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    planned: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for row in inputs.commitments.iter_rows(named=True):
        key = (row["operation_code"], row["imputation"], row["year"])
        keys.add(key)
        if row["status"] in COMMITTED:
            others[key] += row["amount_incl_tax"]
        elif row["status"] == "planned":
            planned[key] += row["amount_incl_tax"]
    rows = []
    for key in keys:
        committed = fees[key] + others[key]
        rows.append(
            {
                "operation_code": key[0],
                "imputation": key[1],
                "year": key[2],
                "label": labels.get(key[:2], (None, None))[1],
                "credits": credits.get(key, ZERO),
                "committed_fees": fees[key],
                "committed_other": others[key],
                "committed": committed,
                "balance": credits.get(key, ZERO) - committed,
                "planned": planned[key],
                "unpriced": unpriced[key],
                "has_credits": key in credits,
            }
        )
    return rows


TITLE_SCHEMA = {
    "convention_id": pl.String, "body_id": pl.String, "agreement_id": pl.String,
    "operation_code": pl.String, "imputation": pl.String, "year": pl.Int32,
    "title_no": pl.Int32, "period_start": pl.Date, "period_end": pl.Date,
    "months": pl.Decimal(5, 2), "tax": pl.String, "billing_rule": pl.String,
    "amount_excl_tax": MONEY, "vat": MONEY, "amount_incl_tax": MONEY, "issue_date": pl.Date,
    "due_date": pl.Date, "priced": pl.Boolean,
}  # fmt: skip
TOTAL_SCHEMA = {
    "body_id": pl.String, "year": pl.Int32, "amount_excl_tax": MONEY, "vat": MONEY,
    "amount_incl_tax": MONEY, "unpriced": pl.Int64,
}  # fmt: skip
BALANCE_SCHEMA = {
    "operation_code": pl.String, "imputation": pl.String, "year": pl.Int32,
    "label": pl.String, "credits": MONEY, "committed_fees": MONEY, "committed_other": MONEY,
    "committed": MONEY, "balance": MONEY, "planned": MONEY, "unpriced": pl.Int64,
    "has_credits": pl.Boolean,
}  # fmt: skip


Rows = tuple[list[dict], list[dict], list[dict]]


def naive_rows(inputs: EngineInputs) -> Rows:
    """Titles, totals and balances as Python rows: what the naive peer computes (and is timed)."""
    titles = naive_titles(inputs)
    return titles, naive_totals(titles), naive_balance(inputs, titles)


def as_frames(rows: Rows) -> NaiveFigures:
    """The rows as the engine's frames, to compare them (not part of the timed work)."""
    titles, totals, balance = rows
    return NaiveFigures(
        pl.DataFrame(titles, schema=TITLE_SCHEMA, orient="row"),
        pl.DataFrame(totals, schema=TOTAL_SCHEMA, orient="row"),
        pl.DataFrame(balance, schema=BALANCE_SCHEMA, orient="row"),
    )


def naive_figures(inputs: EngineInputs) -> NaiveFigures:
    return as_frames(naive_rows(inputs))
