"""The deadlines of the source deliberation's conventions: notice, ends, payments, with keys
that do not depend on the date."""

import datetime as dt

import duckdb
import polars as pl

from spend import store
from spend.domain.conventions import convention_table
from spend.domain.deadlines import counted, deadlines, due_for_reminder
from spend.domain.figures import compute


def seed_deadlines(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    inputs = store.load_inputs(con)
    return deadlines(convention_table(inputs), compute(inputs).titles)


def test_the_seed_deadlines_are_those_of_the_deliberation(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    found = seed_deadlines(seeded_db)
    rows = {(r["kind"], r["deadline_key"]): r["date"] for r in found.iter_rows(named=True)}
    assert rows == {
        # CAIH: invoices on 13/12/2022 and 01/01/2023, each due 50 days later.
        ("payment", "payment/CAIH-SO360-CD62/2022/1"): dt.date(2023, 2, 1),
        ("payment", "payment/CAIH-SO360-CD62/2023/2"): dt.date(2023, 2, 20),
        # 3 months' notice before the end of 16/07/2023.
        ("notice", "notice/CAIH-SO360-CD62"): dt.date(2023, 4, 16),
        ("convention_end", "convention_end/CAIH-SO360-CD62"): dt.date(2023, 7, 16),
        ("agreement_end", "agreement_end/CAIH-SO360"): dt.date(2023, 7, 16),
        ("convention_end", "convention_end/RESAH-2020-027-L1-CD62"): dt.date(2024, 8, 27),
        ("agreement_end", "agreement_end/RESAH-2020-027-L1"): dt.date(2024, 8, 27),
    }
    payment = found.filter(pl.col("kind") == "payment").row(0, named=True)
    assert str(payment["amount_incl_tax"]) == "1800.00"
    assert payment["body_id"] == "CAIH"
    assert found["date"].is_sorted()


def test_a_terminated_convention_has_no_notice_left(seeded_db: duckdb.DuckDBPyConnection) -> None:
    inputs = store.load_inputs(seeded_db)
    conventions = convention_table(inputs).with_columns(pl.lit("ended").alias("status"))
    found = deadlines(conventions, compute(inputs).titles)
    assert "notice" not in found["kind"].to_list()
    assert "convention_end" in found["kind"].to_list()


def test_each_kind_is_due_within_its_own_lead_time(seeded_db: duckdb.DuckDBPyConnection) -> None:
    found = seed_deadlines(seeded_db)
    leads = {"notice": 60, "end": 90, "payment": 15}
    # 20/01/2023: the first payment (01/02) is 12 days ahead, the second (20/02) 31.
    due = due_for_reminder(found, dt.date(2023, 1, 20), leads)
    assert due["deadline_key"].to_list() == ["payment/CAIH-SO360-CD62/2022/1"]
    # 17/02/2023: the notice (16/04) is 58 days ahead; the ends (16/07) 149.
    due = due_for_reminder(found, dt.date(2023, 2, 17), leads)
    assert due["deadline_key"].to_list() == [
        "payment/CAIH-SO360-CD62/2023/2",
        "notice/CAIH-SO360-CD62",
    ]
    # The day itself counts; the day after, it is past.
    assert due_for_reminder(found, dt.date(2023, 7, 16), leads)["kind"].to_list() == [
        "agreement_end",
        "convention_end",
    ]
    assert due_for_reminder(found, dt.date(2023, 7, 17), leads).is_empty()


def test_the_overview_counts_notices_within_7_and_30_days_and_ends_within_90(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    found = seed_deadlines(seeded_db)
    heights = {name: frame.height for name, frame in counted(found, dt.date(2023, 4, 10)).items()}
    assert heights == {"notice_7": 1, "notice_30": 1, "end_90": 0}
    heights = {name: frame.height for name, frame in counted(found, dt.date(2023, 3, 20)).items()}
    assert heights == {"notice_7": 0, "notice_30": 1, "end_90": 0}
    ends = counted(found, dt.date(2023, 4, 17))["end_90"]
    assert ends["deadline_key"].to_list() == ["convention_end/CAIH-SO360-CD62"]
