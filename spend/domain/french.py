"""French writing of figures, the one home for it: 10 000, 1 234,56 €, 13/12/2022, 120,5 Mo.

Used by the views (what a page shows), validation and reading (what a problem says) and the
deliberation reader. Thousands take a narrow no-break space, the euro sign a no-break space
before it, a negative amount a true minus sign. Only at the edge, never before a computation:
the values written here are already exact.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import polars as pl

THIN = "\u202f"  # narrow no-break space, between thousands
NBSP = "\u00a0"  # no-break space, before the euro sign and the percent sign
MINUS = "−"
UNKNOWN = "inconnu"
# The store writes UTC; a manager reads the time of Paris (as the Journal shows it).
PARIS = ZoneInfo("Europe/Paris")


def thousands(count: int) -> str:
    """A whole number the French way: 10 000, 2 584, −3 000 (grouped by a narrow space)."""
    sign = MINUS if count < 0 else ""
    return sign + f"{abs(count):,}".replace(",", THIN)


def thousands_expr(count: pl.Expr) -> pl.Expr:
    """The same as `thousands`, as a Polars expression over a whole-number column."""
    return pl.concat_str(
        pl.when(count < 0).then(pl.lit(MINUS)).otherwise(pl.lit("")),
        grouped_digits(count.abs().cast(pl.String)),
    )


def grouped_digits(digits: pl.Expr) -> pl.Expr:
    """'1000000' → '1 000 000' over a column of digits (reverse, cut every 3, reverse back)."""
    return (
        digits.str.reverse()
        .str.replace_all(r"(\d{3})", f"$1{THIN}")
        .str.strip_chars(THIN)
        .str.reverse()
    )


def euros(value: Decimal | int | None, *, signed: bool = False) -> str:
    """1 234,56 € (negative with a true minus sign); 'inconnu' when the amount is unknown."""
    if value is None:
        return UNKNOWN
    amount = Decimal(value).quantize(Decimal("0.01"))
    sign = MINUS if amount < 0 else ("+" if signed and amount > 0 else "")
    units, cents = f"{abs(amount):.2f}".split(".")
    return f"{sign}{thousands(int(units))},{cents}{NBSP}€"


def french_date(value: dt.date | None) -> str:
    """13/12/2022; a dash when there is no date."""
    return value.strftime("%d/%m/%Y") if value else "—"


def paris_time(utc: dt.datetime) -> str:
    """A stored time (UTC, naive or not) in Paris time, as the Journal shows it: « 02/12/2026 à
    12:30 » (the caller says « heure de Paris » where the sentence allows)."""
    aware = utc if utc.tzinfo is not None else utc.replace(tzinfo=dt.UTC)
    return f"{aware.astimezone(PARIS):%d/%m/%Y à %H:%M}"


def megabytes(size: int) -> str:
    """120 450 000 → « 120,5 Mo » (decimal megabytes, as file managers show them)."""
    tenths = (size + 99_999) // 100_000  # rounded up: just past a limit never reads as it
    units = thousands(tenths // 10)
    return f"{units},{tenths % 10} Mo" if tenths % 10 else f"{units} Mo"
