"""The dates that cost money when missed: each convention's notice deadline, each convention's
and agreement's end, each fee title's payment date; one row per deadline, with a stable key.

The key names the kind of deadline and the rows it comes from, never its date: a calendar
event keeps its identity when its date moves, and a reminder is keyed on (kind, key, date) so
that a moved deadline is sent again.
"""

import datetime as dt
from collections.abc import Mapping

import polars as pl

# Each kind of deadline, and the lead time (a setting) that tells when to remind it.
REMINDER_KIND = {
    "notice": "notice",
    "convention_end": "end",
    "agreement_end": "end",
    "payment": "payment",
}
DEADLINE_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "kind": pl.String,
    "reminder_kind": pl.String,
    "deadline_key": pl.String,
    "date": pl.Date,
    "convention_id": pl.String,
    "agreement_id": pl.String,
    "agreement_title": pl.String,
    "body_id": pl.String,
    "body_name": pl.String,
    "convention_title": pl.String,
    "end_date": pl.Date,
    "year": pl.Int32,
    "amount_incl_tax": pl.Decimal(18, 2),
    "priced": pl.Boolean,
}
KEY_SEPARATOR = "/"


def _key(kind: str, *parts: pl.Expr) -> pl.Expr:
    return pl.concat_str(
        [pl.lit(kind), *(p.cast(pl.String) for p in parts)], separator=KEY_SEPARATOR
    )


def _rows(
    frame: pl.DataFrame, kind: str, date: str, key: pl.Expr, **columns: pl.Expr
) -> pl.DataFrame:
    """The frame's rows as deadlines of one kind, the missing columns null."""
    given = {
        "kind": pl.lit(kind),
        "reminder_kind": pl.lit(REMINDER_KIND[kind]),
        "deadline_key": key,
        "date": pl.col(date),
        **columns,
    }
    return frame.filter(pl.col(date).is_not_null()).select(
        (given[name] if name in given else pl.col(name) if name in frame.columns else pl.lit(None))
        .cast(dtype)
        .alias(name)
        for name, dtype in DEADLINE_SCHEMA.items()
    )


def deadlines(conventions: pl.DataFrame, titles: pl.DataFrame) -> pl.DataFrame:
    """Every deadline of the recorded data, the nearest first (conventions: the frame of
    `convention_table`; titles: the engine's)."""
    conventions = conventions.with_columns(
        pl.col("title").alias("convention_title"),
        pl.col("effective_end_date").alias("end_date"),
    )
    # A terminated convention has no notice left to give.
    notices = _rows(
        conventions.filter(pl.col("status").ne_missing("ended")),
        "notice",
        "notice_deadline",
        _key("notice", pl.col("convention_id")),
    )
    ends = _rows(
        conventions,
        "convention_end",
        "effective_end_date",
        _key("convention_end", pl.col("convention_id")),
    )
    agreements = (
        conventions.filter(pl.col("agreement_end").is_not_null())
        .group_by("agreement_id", "agreement_title", "body_id", "body_name", "agreement_end")
        .agg(pl.col("convention_id").sort().str.join(", "))
    )
    agreement_ends = _rows(
        agreements,
        "agreement_end",
        "agreement_end",
        _key("agreement_end", pl.col("agreement_id")),
        end_date=pl.col("agreement_end"),
    )
    paid = titles.select(
        "convention_id", "year", "title_no", "due_date", "amount_incl_tax", "priced"
    ).join(
        conventions.select(
            "convention_id",
            "agreement_id",
            "agreement_title",
            "body_id",
            "body_name",
            "convention_title",
            "end_date",
        ),
        on="convention_id",
        how="left",
    )
    payments = _rows(
        paid,
        "payment",
        "due_date",
        # The title's number in its convention: the same title whatever its date.
        _key("payment", pl.col("convention_id"), pl.col("year"), pl.col("title_no") + 1),
    )
    return pl.concat([notices, ends, agreement_ends, payments]).sort("date", "kind", "deadline_key")


def within(frame: pl.DataFrame, today: dt.date, days: int) -> pl.DataFrame:
    """The deadlines from today to `days` days ahead, both included."""
    return frame.filter(pl.col("date").is_between(today, today + dt.timedelta(days=days)))


def due_for_reminder(
    frame: pl.DataFrame, today: dt.date, lead_days: Mapping[str, int]
) -> pl.DataFrame:
    """The deadlines within their kind's lead time (notice, end, payment: days ahead)."""
    horizon = pl.col("reminder_kind").replace_strict(
        {kind: today + dt.timedelta(days=days) for kind, days in lead_days.items()},
        return_dtype=pl.Date,
    )
    return frame.filter((pl.col("date") >= today) & (pl.col("date") <= horizon))


# What the overview counts, as GLPI's home page does: (name, kind, days ahead).
COUNTS = (
    ("notice_7", "notice", 7),
    ("notice_30", "notice", 30),
    ("end_90", "convention_end", 90),
)


def counted(frame: pl.DataFrame, today: dt.date) -> dict[str, pl.DataFrame]:
    """The overview's counts, each with its list: notices within 7 and 30 days, convention ends
    within 90 (an agreement's end is that of its conventions too)."""
    return {
        name: within(frame.filter(pl.col("kind") == kind), today, days)
        for name, kind, days in COUNTS
    }
