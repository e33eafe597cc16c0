"""Undo: an access-rules entry is corrected on the Administration page, a setting is put back
by its structured key, a whole operation (every row of one write) is undone as one, and refused
in French when one of its rows changed since."""

from decimal import Decimal

import duckdb
import polars as pl
import pytest

from spend import store
from spend.domain.access import AccessRefused, Actor, Role
from spend.exchange.importer import import_raw_tables, read_files
from spend.exchange.undo import plan_operation_undo, undo, undo_operation
from spend.store.journal import journal_frame
from tests.conftest import ADMIN


def test_an_access_rules_entry_points_to_the_administration_page(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    rules = pl.DataFrame({"kind": ["email"], "name": ["a@exemple.fr"], "role": ["lecteur"]})
    store.replace_access_rules(seeded_db, rules, actor=ADMIN)
    entry = int(journal_frame(seeded_db)["id"][0])
    with pytest.raises(store.StoreError, match=r"page Administration, onglet « Droits d'accès »"):
        undo(seeded_db, entry, actor=ADMIN)
    assert store.query(seeded_db, "read_access_rules").height == 1


def test_a_setting_is_put_back(seeded_db: duckdb.DuckDBPyConnection) -> None:
    store.update_settings(seeded_db, {"vat_rate": "5.50"}, actor=ADMIN, source="paramètres")
    entry = journal_frame(seeded_db).row(0, named=True)
    assert entry["key"] == '["vat_rate"]'
    undo(seeded_db, entry["id"], actor=ADMIN)
    assert store.settings(seeded_db)["vat_rate"] == "20.00"


LINES = (
    "operation_code,imputation,label,year,credits\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2022,3500.00\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2023,1000.00\n"
    "X01,6281/930202,Autre,2023,50.00\n"
)


def _import_lines(con: duckdb.DuckDBPyConnection, text: str = LINES) -> int:
    """Import budget lines as one operation; returns its number."""
    raw = read_files([("budget_lines.csv", text.encode())])
    import_raw_tables(con, raw, actor=ADMIN, source="import budget_lines.csv")
    return int(store.query(con, "last_write_id")["last_write_id"][0])


def _credits(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return sorted(store.read_table(con, "budget_lines").select("year", "credits").rows())


def test_a_whole_operation_is_undone_as_one(seeded_db: duckdb.DuckDBPyConnection) -> None:
    before = _credits(seeded_db)
    write_id = _import_lines(seeded_db)
    assert store.query(seeded_db, "write_entries", write_id=write_id).height == 3
    plan = plan_operation_undo(seeded_db, write_id)
    assert plan.refusal is None and plan.entries.height == 3
    result = undo_operation(seeded_db, write_id, actor=ADMIN)
    assert (result.entries, result.rows) == (3, 3)
    # 2022 back to 3 000,00 €, the two lines the import added gone: the seed's credits again.
    assert _credits(seeded_db) == before == [(2022, Decimal("3000.00"))]
    # The undo is one operation of its own, journaled as such.
    newest = journal_frame(seeded_db).row(0, named=True)
    assert newest["action"] == "annulation"
    log = store.query(seeded_db, "last_write")
    assert log["source"][0] == f"annulation de l'opération n° {write_id}"


def test_an_operation_whose_row_changed_since_is_refused_in_french(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    write_id = _import_lines(seeded_db)
    _import_lines(seeded_db, LINES.replace("3500.00", "3600.00"))
    later = (
        "la ligne « C06-020M02 / 6281/930202 / 2022 / BP » de « Lignes budgétaires » a été modifiée"
    )
    plan = plan_operation_undo(seeded_db, write_id)
    assert plan.refusal is not None and later in plan.refusal
    with pytest.raises(store.StoreError, match=later):
        undo_operation(seeded_db, write_id, actor=ADMIN)
    assert (2022, Decimal("3600.00")) in _credits(seeded_db)


def test_undoing_an_operation_needs_the_right(seeded_db: duckdb.DuckDBPyConnection) -> None:
    write_id = _import_lines(seeded_db)
    manager = Actor("g.martin@exemple.fr", Role.MANAGER)
    with pytest.raises(AccessRefused, match=r"g\.martin@exemple\.fr"):
        undo_operation(seeded_db, write_id, actor=manager)
    assert (2022, Decimal("3500.00")) in _credits(seeded_db)


def test_an_unknown_operation_is_said_in_french(seeded_db: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(store.StoreError, match="Aucune opération n° 999"):
        undo_operation(seeded_db, 999, actor=ADMIN)
