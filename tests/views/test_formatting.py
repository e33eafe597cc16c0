"""French display: 1 234,56 €, negative with a minus sign, unknown said, dates dd/mm/yyyy."""

import datetime as dt
from decimal import Decimal

import polars as pl

from spend.views.formatting import display_frame, euros, euros_expr, french_date

THIN, NBSP = "\u202f", "\u00a0"


def test_euros() -> None:
    assert euros(Decimal("1234.56")) == f"1{THIN}234,56{NBSP}€"
    assert euros(Decimal("-2508.33")) == f"−2{THIN}508,33{NBSP}€"
    assert euros(Decimal("1234567.5")) == f"1{THIN}234{THIN}567,50{NBSP}€"
    assert euros(Decimal("0")) == f"0,00{NBSP}€"
    assert euros(Decimal("180"), signed=True) == f"+180,00{NBSP}€"
    assert euros(None) == "inconnu"


def test_euros_expression_matches_the_python_formatter() -> None:
    values = [Decimal(v) for v in ("0.00", "5.05", "999.99", "1000.00", "-2508.33", "1234567.89")]
    frame = pl.DataFrame({"x": [*values, None]}, schema={"x": pl.Decimal(18, 2)})
    shown = frame.select(euros_expr("x"))["x"].to_list()
    assert shown == [euros(v) for v in values] + ["inconnu"]


def test_display_frame_formats_money_dates_months_and_headers() -> None:
    frame = pl.DataFrame(
        {
            "year": [2023],
            "months": [Decimal("8.50")],
            "amount_incl_tax": [Decimal("708.33")],
            "issue_date": [dt.date(2023, 3, 31)],
        },
        schema_overrides={"months": pl.Decimal(5, 2), "amount_incl_tax": pl.Decimal(18, 2)},
    )
    shown = display_frame(frame, {"months": "Mois facturés", "amount_incl_tax": "Montant TTC"})
    assert shown.columns == ["year", "Mois facturés", "Montant TTC", "issue_date"]
    assert shown.row(0) == (2023, "8,50", f"708,33{NBSP}€", "31/03/2023")
    assert french_date(dt.date(2022, 12, 13)) == "13/12/2022"
