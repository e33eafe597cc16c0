"""A large table is edited a page at a time: a save replaces the rows of that page only."""

from decimal import Decimal

import duckdb
import polars as pl

from spend import store
from spend.domain.records import TABLES
from spend.exchange.editing import EDIT_ROWS, edit_page
from spend.exchange.importer import import_raw_tables
from spend.exchange.reading import raw_table_from_frame
from tests.conftest import ADMIN

TABLE = TABLES["budget_lines"]


def _many_lines(con: duckdb.DuckDBPyConnection, count: int) -> None:
    frame = pl.DataFrame(
        {
            "operation_code": [f"OP{i:04d}" for i in range(count)],
            "imputation": ["6281/930202"] * count,
            "label": [f"Ligne {i}" for i in range(count)],
            "year": [2024] * count,
            "credits": [Decimal("100.00")] * count,
        },
        schema_overrides={"year": pl.Int32, "credits": pl.Decimal(18, 2)},
    )
    store.write_tables(con, {"budget_lines": frame}, actor=ADMIN, action="import", source="test")


def _save(con: duckdb.DuckDBPyConnection, page_rows: pl.DataFrame, keys: pl.DataFrame) -> None:
    raw = raw_table_from_frame("Lignes budgétaires (édition)", TABLE, page_rows)
    import_raw_tables(con, [raw], actor=ADMIN, source="édition", remove={"budget_lines": keys})


def test_a_page_is_saved_without_touching_the_others(empty_db: duckdb.DuckDBPyConnection) -> None:
    _many_lines(empty_db, 1200)
    stored = store.read_table(empty_db, "budget_lines")
    page = edit_page(stored, TABLE, "", 2)
    assert (page.pages, page.matching, page.rows.height) == (3, 1200, EDIT_ROWS)
    assert page.rows["credits"][0] == "100,00"  # as a manager reads it
    first = page.rows["operation_code"][0]
    edited = page.rows.slice(1).with_columns(  # the page's first row deleted…
        pl.when(pl.col("operation_code") == page.rows["operation_code"][1])
        .then(pl.lit("250,50"))  # …its second one changed
        .otherwise(pl.col("credits"))
        .alias("credits")
    )
    _save(empty_db, edited, page.keys)
    after = store.read_table(empty_db, "budget_lines")
    assert after.height == 1199
    assert first not in after["operation_code"].to_list()
    assert after["credits"].sum() == Decimal("100.00") * 1198 + Decimal("250.50")


def test_the_search_narrows_the_rows_shown_and_saved(empty_db: duckdb.DuckDBPyConnection) -> None:
    _many_lines(empty_db, 30)
    stored = store.read_table(empty_db, "budget_lines")
    page = edit_page(stored, TABLE, "ligne 2", 1)
    assert sorted(page.rows["label"].to_list()) == ["Ligne 2", *(f"Ligne 2{i}" for i in range(10))]
    _save(empty_db, page.rows.filter(pl.col("label") != "Ligne 2"), page.keys)
    assert store.read_table(empty_db, "budget_lines").height == 29
