"""A deliberation read from its document becomes records to review, then a checked import."""

from decimal import Decimal

import duckdb
import polars as pl

from spend import store
from spend.deliberations.reader import read_deliberation_file
from spend.deliberations.records import (
    STATUS_CHANGED,
    STATUS_NEW,
    STATUS_SAME,
    commitment_checks,
    compare_with_stored,
    fee_checks,
    proposed_budget_lines,
    proposed_deliberation,
)
from spend.domain.conventions import convention_table
from spend.domain.figures import compute
from spend.domain.records import TABLES
from spend.exchange.exports import text_frame
from spend.exchange.importer import import_raw_tables
from spend.exchange.reading import raw_table_from_frame
from spend.store import load_inputs
from tests.conftest import SOURCE_DOCUMENT


def test_source_document_matches_the_seed(seeded_db: duckdb.DuckDBPyConnection) -> None:
    reading = read_deliberation_file(SOURCE_DOCUMENT)
    lines = compare_with_stored(
        proposed_budget_lines(reading), store.read_table(seeded_db, "budget_lines"), "budget_lines"
    )
    assert lines.select("status", "year", "credits").rows() == [
        (STATUS_SAME, 2022, Decimal("3000.00"))
    ]
    deliberation = compare_with_stored(
        proposed_deliberation(reading),
        store.read_table(seeded_db, "deliberations"),
        "deliberations",
    )
    # The document's title is the uppercase heading; the seed keeps a readable sentence.
    assert deliberation["status"].to_list() == [STATUS_CHANGED]
    assert deliberation["changes"][0].startswith("Objet : ")


def test_checks_reconcile_with_the_engine(seeded_db: duckdb.DuckDBPyConnection) -> None:
    reading = read_deliberation_file(SOURCE_DOCUMENT)
    inputs = load_inputs(seeded_db)
    checks = commitment_checks(reading, compute(inputs).balance)
    assert checks.select("stated_amount", "committed", "agrees").rows() == [
        (Decimal("2800.00"), Decimal("2800.00"), True)
    ]
    fees = fee_checks(reading, convention_table(inputs)).sort("body_id")
    assert fees.select("body_id", "stated_fee", "stated_tax", "agrees").rows() == [
        ("CAIH", Decimal("1500.00"), "HT", True),
        ("RESAH", Decimal("1000.00"), "net", True),
    ]


def test_confirmed_reading_goes_through_the_import(empty_db: duckdb.DuckDBPyConnection) -> None:
    reading = read_deliberation_file(SOURCE_DOCUMENT)
    raw = [
        raw_table_from_frame(
            "delib", TABLES["deliberations"], text_frame(proposed_deliberation(reading), "standard")
        ),
        raw_table_from_frame(
            "budget", TABLES["budget_lines"], text_frame(proposed_budget_lines(reading), "standard")
        ),
    ]
    import_raw_tables(empty_db, raw, source="délibération")
    stored = store.read_table(empty_db, "deliberations")
    assert stored.select("deliberation_id", "votes_for", "outcome").rows() == [
        ("2022-504", 44, "adopted")
    ]
    status = compare_with_stored(
        proposed_budget_lines(reading), store.read_table(empty_db, "budget_lines"), "budget_lines"
    )
    assert status["status"].to_list() == [STATUS_SAME]


def test_new_rows_are_marked_new(empty_db: duckdb.DuckDBPyConnection) -> None:
    reading = read_deliberation_file(SOURCE_DOCUMENT)
    status = compare_with_stored(
        proposed_budget_lines(reading), store.read_table(empty_db, "budget_lines"), "budget_lines"
    )
    assert status["status"].to_list() == [STATUS_NEW]
    assert isinstance(status, pl.DataFrame)
