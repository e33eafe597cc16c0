"""The store after migration 0007: each earlier figure is its year's BP, and a write logged
before stages existed replays as a BP."""

import json
from decimal import Decimal
from pathlib import Path

import duckdb

from spend import store
from spend.store.schema import LATEST, migrations
from spend.store.writelog import _apply_rows


def test_the_seed_figure_is_the_bp_of_its_year(seeded_db: duckdb.DuckDBPyConnection) -> None:
    lines = store.read_table(seeded_db, "budget_lines")
    assert lines.select("year", "credits", "stage", "deliberation_id").rows() == [
        (2022, Decimal("3000.00"), "BP", None)
    ]
    # The step that gave credits their stage is on disk, and applied (its number may change).
    assert any(m.name == "credit_votes" for m in migrations())
    assert max(m.version for m in migrations()) == LATEST


def test_a_row_logged_before_stages_replays_as_a_bp(seeded_db: duckdb.DuckDBPyConnection) -> None:
    old_image = {"operation_code": "C07", "imputation": "011/6281", "label": "Autre",
                 "year": "2024", "credits": "120.00"}  # fmt: skip
    cursor = seeded_db.cursor()
    _apply_rows(cursor, "budget_lines", [{"row_before": None, "row_after": json.dumps(old_image)}])
    cursor.close()
    row = store.read_table(seeded_db, "budget_lines").row(-1, named=True)
    assert (row["operation_code"], row["stage"], row["credits"]) == (
        "C07", "BP", Decimal("120.00"),
    )  # fmt: skip


def test_a_dm_may_be_negative_a_bp_may_not(tmp_path: Path, seeded_file: Path) -> None:
    con = duckdb.connect(str(seeded_file), read_only=True)
    try:
        checks = con.sql(
            "select constraint_text from duckdb_constraints() "
            "where table_name = 'budget_lines' and constraint_type = 'CHECK'"
        ).fetchall()
    finally:
        con.close()
    assert any("stage" in text and "credits" in text for (text,) in checks)
