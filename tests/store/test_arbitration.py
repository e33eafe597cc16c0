"""The arbitrated amounts of next year's budget: kept per line and year, journaled, refused to a
reader, and removed when cleared."""

import json
from decimal import Decimal

import duckdb
import pytest

from spend.domain.access import AccessRefused, Actor, Role
from spend.exchange.undo import undo
from spend.store import StoreError
from spend.store.arbitration import read_arbitrations, set_arbitration
from spend.store.journal import journal_frame
from tests.conftest import ADMIN

LINE = ("C06-020M02", "6281/930202")
MANAGER = Actor("g.martin@exemple.fr", Role.MANAGER, "tests")


def test_an_arbitrated_amount_is_kept_and_journaled(seeded_db: duckdb.DuckDBPyConnection) -> None:
    set_arbitration(seeded_db, *LINE, 2023, Decimal("2600.00"), actor=MANAGER)
    set_arbitration(seeded_db, *LINE, 2023, Decimal("2550.50"), actor=MANAGER)

    assert read_arbitrations(seeded_db).rows() == [(*LINE, 2023, Decimal("2550.50"))]
    newest = journal_frame(seeded_db).row(0, named=True)
    assert (newest["actor"], newest["table"]) == ("g.martin@exemple.fr", "arbitrations")
    assert newest["source"] == "tests"  # where the actor acts from
    assert json.loads(newest["key"]) == [*LINE, 2023]
    assert json.loads(newest["before"])["amount"] == "2600.00"
    assert json.loads(newest["after"])["amount"] == "2550.50"


def test_clearing_removes_the_amount_journaled(seeded_db: duckdb.DuckDBPyConnection) -> None:
    set_arbitration(seeded_db, *LINE, 2023, Decimal("2600.00"), actor=MANAGER)
    set_arbitration(seeded_db, *LINE, 2023, None, actor=MANAGER)
    assert read_arbitrations(seeded_db).is_empty()
    newest = journal_frame(seeded_db).row(0, named=True)
    assert newest["after"] is None and json.loads(newest["before"])["amount"] == "2600.00"


def test_a_reader_may_not_arbitrate(seeded_db: duckdb.DuckDBPyConnection) -> None:
    reader = Actor("lecteur@exemple.fr", Role.READER, "tests")
    with pytest.raises(AccessRefused, match=r"lecteur@exemple\.fr"):
        set_arbitration(seeded_db, *LINE, 2023, Decimal("1.00"), actor=reader)
    assert read_arbitrations(seeded_db).is_empty()


def test_undo_of_an_arbitrage_puts_the_amount_before_back(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    set_arbitration(seeded_db, *LINE, 2023, Decimal("2600.00"), actor=MANAGER)
    first = int(journal_frame(seeded_db)["id"][0])
    set_arbitration(seeded_db, *LINE, 2023, Decimal("2550.50"), actor=MANAGER)
    undo(seeded_db, int(journal_frame(seeded_db)["id"][0]), actor=ADMIN)
    assert read_arbitrations(seeded_db)["amount"].to_list() == [Decimal("2600.00")]
    newest = journal_frame(seeded_db).row(0, named=True)
    assert (newest["table"], newest["action"]) == ("arbitrations", "annulation")
    with pytest.raises(StoreError, match="a été modifiée depuis"):
        undo(seeded_db, first, actor=ADMIN)  # changed since, by the undo
    undo(seeded_db, first, actor=ADMIN, and_after=True)
    assert read_arbitrations(seeded_db).is_empty()  # back to the proposal
