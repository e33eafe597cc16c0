"""Undo: an access-rules entry is corrected on the Administration page, a setting is put back
by its structured key."""

import duckdb
import polars as pl
import pytest

from spend import store
from spend.exchange.undo import undo
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
