"""A deliberation read from its document becomes records to review, then a checked import."""

from dataclasses import replace
from decimal import Decimal

import duckdb
import polars as pl

from spend import store
from spend.deliberations.reader import read_deliberation_file
from spend.deliberations.records import (
    STATUS_CHANGED,
    STATUS_NEW,
    STATUS_SAME,
    changed_rows,
    commitment_checks,
    compare_with_stored,
    fee_checks,
    proposed_budget_lines,
    proposed_deliberation,
    reading_review,
    with_stored_wording,
)
from spend.domain.conventions import convention_table
from spend.domain.figures import compute
from spend.domain.records import TABLES
from spend.exchange.exports import text_frame
from spend.exchange.importer import import_raw_tables
from spend.exchange.reading import raw_table_from_frame
from spend.exchange.validation import type_rows
from spend.store import load_inputs
from tests.conftest import ADMIN, SOURCE_DOCUMENT
from tests.deliberations.conftest import CORPUS_DIR as CORPUS


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
    import_raw_tables(empty_db, raw, actor=ADMIN, source="délibération")
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


def test_review_has_one_row_per_field_with_its_line_and_confidence() -> None:
    review = reading_review(read_deliberation_file(SOURCE_DOCUMENT))

    assert review.columns == ["field", "value", "evidence", "confidence"]
    assert all(dtype == pl.String for dtype in review.dtypes)
    rows = {row["field"]: row for row in review.iter_rows(named=True)}
    assert rows["Numéro"] == {
        "field": "Numéro",
        "value": "2022-504",
        "evidence": "(N°2022-504)",
        "confidence": "sûr",
    }
    assert rows["Date de la séance"]["value"] == "13/12/2022"
    assert rows["Date de la séance"]["evidence"] == "REUNION DU 13 DÉCEMBRE 2022"
    assert rows["Collectivité"]["value"] == "Département du Pas-de-Calais"
    assert rows["Voix pour"]["evidence"].startswith("Pour : 44 voix")
    assert rows["Résultat"]["value"] == "adoptée"
    assert rows["Ligne budgétaire 1"]["evidence"] == (
        "C06-020M02 6281/930202 Informatique-Fonctionnement 3 000,00 € 2 800,00 €"
    )
    # The report's « 1 000 € HT/an » contradicts the annexed grid: to be checked.
    assert rows["Cotisation annuelle retenue : Resah"]["confidence"] == "à vérifier"
    assert rows["Cotisation annuelle retenue : Resah"]["value"].endswith("nets de taxes par an")
    assert rows["Cotisation annuelle retenue : CAIH"]["confidence"] == "sûr"
    # Unanimity and members not voting are not stated: no row for them.
    assert "Mode de vote" not in rows


def test_review_says_what_is_missing_and_what_to_check() -> None:
    reading = read_deliberation_file(CORPUS / "cp_2023_200_tronquee.txt")
    review = reading_review(reading)

    missing = review.filter(pl.col("confidence") == "introuvable")
    assert missing["field"].to_list() == ["Voix pour", "Voix contre", "Abstentions", "Résultat"]
    assert set(missing["value"]) == {"—"}
    assert set(missing["evidence"]) == {"—"}


def test_review_of_a_row_without_operation_code_asks_to_check_it() -> None:
    reading = read_deliberation_file(CORPUS / "sdis_2024_117_conseil_administration.txt")
    rows = {row["field"]: row for row in reading_review(reading).iter_rows(named=True)}

    assert rows["Ligne budgétaire 1"]["value"].startswith("— / 011/6281")
    assert rows["Ligne budgétaire 1"]["confidence"] == "à vérifier"
    assert rows["Mode de vote"]["value"] == "à l'unanimité"
    # A row without operation code cannot be saved before a manager gives one.
    proposed = proposed_budget_lines(reading)
    assert proposed["operation_code"].to_list() == [None]


def test_the_actes_subject_read_is_proposed_for_the_record() -> None:
    reading = read_deliberation_file(SOURCE_DOCUMENT)
    proposed = proposed_deliberation(reading)
    # A membership convention of a purchasing central: « Commande publique/Autres types de
    # contrats », proposed from the object (the source text states no subject code).
    assert proposed.select("subject_code", "subject_name").row(0) == (
        reading.subject_code,
        reading.subject_name,
    )
    assert reading.subject_code == "1.4"
    assert proposed["members_in_office"][0] is None  # not read: the stored value stays


def _reviewed(reading, stored: dict[str, pl.DataFrame]) -> list:
    """The proposals as the Données page hands them to the save: stored wording kept, shown
    as French text in an editor, read back as a table."""
    proposals = {
        "deliberations": proposed_deliberation(reading),
        "budget_lines": proposed_budget_lines(reading),
    }
    return [
        raw_table_from_frame(
            name,
            TABLES[name],
            text_frame(
                with_stored_wording(proposal, stored[name], name), "excel_fr", TABLES[name]
            ).fill_null(""),
        )
        for name, proposal in proposals.items()
    ]


def rows_to_save(reviewed: list, stored: dict[str, pl.DataFrame]) -> list:
    """What the Données page saves: each table's changed rows, the tables left with some."""
    cut = []
    for raw in reviewed:
        typed, problems = type_rows(raw)
        assert problems == []
        cut.append(changed_rows(raw, typed, stored[raw.table.name]))
    return [raw for raw in cut if raw.rows.height]


def _stored(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    return {name: store.read_table(con, name) for name in ("deliberations", "budget_lines")}


def test_an_identical_deliberation_has_nothing_to_save(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    stored = _stored(seeded_db)
    reviewed = _reviewed(read_deliberation_file(SOURCE_DOCUMENT), stored)

    assert [raw.rows.height for raw in reviewed] == [1, 1]
    assert rows_to_save(reviewed, stored) == []


def test_only_the_rows_that_changed_are_saved(seeded_db: duckdb.DuckDBPyConnection) -> None:
    stored = _stored(seeded_db)
    reading = read_deliberation_file(SOURCE_DOCUMENT)
    row = reading.budget_rows[0]
    more = replace(reading, budget_rows=(replace(row, credits=Decimal("3500.00")),))

    to_save = rows_to_save(_reviewed(more, stored), stored)

    assert [(raw.table.name, raw.rows.height) for raw in to_save] == [("budget_lines", 1)]
    result = import_raw_tables(seeded_db, to_save, actor=ADMIN, source="délibération")
    assert result.rows_by_table == {"budget_lines": 1}
    lines = store.read_table(seeded_db, "budget_lines").filter(pl.col("year") == 2022)
    assert lines["credits"].to_list() == [Decimal("3500.00")]


def test_a_new_deliberation_is_saved_whole(empty_db: duckdb.DuckDBPyConnection) -> None:
    stored = _stored(empty_db)
    to_save = rows_to_save(_reviewed(read_deliberation_file(SOURCE_DOCUMENT), stored), stored)

    assert [(raw.table.name, raw.rows.height) for raw in to_save] == [
        ("deliberations", 1),
        ("budget_lines", 1),
    ]
