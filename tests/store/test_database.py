"""The DuckDB store: exact money columns, upserts by key, and writes that are all or nothing."""

from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from spend import store
from spend.domain.records import TABLE_ORDER, TABLES
from tests.conftest import ADMIN, store_snapshot, write_log

D = Decimal
MONEY = pl.Decimal(18, 2)


def _rows(
    con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, object]]
) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=store.read_table(con, table).schema)


def _assert_unchanged(before: dict[str, pl.DataFrame], con: duckdb.DuckDBPyConnection) -> None:
    after = store_snapshot(con)
    for name, frame in before.items():
        assert_frame_equal(after[name], frame)


def test_money_columns_are_decimal_18_2(empty_db: duckdb.DuckDBPyConnection) -> None:
    columns = empty_db.sql(
        "select table_name, column_name, data_type from information_schema.columns"
        " where data_type like 'DECIMAL%' order by table_name, column_name"
    ).fetchall()
    assert columns == [
        ("arbitrations", "amount", "DECIMAL(18,2)"),
        ("budget_lines", "credits", "DECIMAL(18,2)"),
        ("commitments", "amount_incl_tax", "DECIMAL(18,2)"),
        ("fee_grid", "annual_fee", "DECIMAL(18,2)"),
    ]
    money = {
        (table.name, column.name)
        for table in TABLES.values()
        for column in table.columns
        if column.kind == "money"
    }
    # The arbitrated amounts of next year's budget are outside the exchange format's tables.
    assert money | {("arbitrations", "amount")} == {(t, c) for t, c, _ in columns}
    tables = store.read_all(empty_db)
    for table, column in money:
        assert tables[table].schema[column] == MONEY


def test_every_table_reads_back_with_the_exchange_format_columns(
    empty_db: duckdb.DuckDBPyConnection,
) -> None:
    tables = store.read_all(empty_db)
    assert list(tables) == list(TABLE_ORDER)
    for name, frame in tables.items():
        assert frame.columns == TABLES[name].column_names


def test_money_is_stored_and_summed_exactly(empty_db: duckdb.DuckDBPyConnection) -> None:
    amounts = ["0.10", "0.20", "458.13", "-0.03"]
    commitments = _rows(
        empty_db,
        "commitments",
        [
            {
                "commitment_id": f"E{i}",
                "operation_code": "OP",
                "imputation": "I",
                "year": 2023,
                "amount_incl_tax": D(a),
                "status": "committed",
            }
            for i, a in enumerate(amounts)
        ],
    )
    store.write_tables(
        empty_db, {"commitments": commitments}, actor=ADMIN, action="import", source="test"
    )
    stored = store.read_table(empty_db, "commitments")
    assert stored["amount_incl_tax"].to_list() == [D(a) for a in amounts]
    total = empty_db.sql("select sum(amount_incl_tax) from commitments").fetchall()[0][0]
    assert total == D("458.40")


def test_connect_twice_keeps_the_data_and_the_default_vat_rate(tmp_path: Path) -> None:
    path = tmp_path / "twice.duckdb"
    con = store.connect(path, create=True)
    bodies = _rows(con, "bodies", [{"body_id": "B", "name": "Centrale"}])
    store.write_tables(con, {"bodies": bodies}, actor=ADMIN, action="import", source="test")
    con.close()
    con = store.connect(path)  # the schema script runs again on an existing file
    try:
        assert store.read_table(con, "bodies")["body_id"].to_list() == ["B"]
        identity = store.settings(con).pop("database_id")
        assert len(identity) == 12  # the lineage its backups are kept by
        assert {k: v for k, v in store.settings(con).items() if k != "database_id"} == {
            "vat_rate": "20.00"
        }
    finally:
        con.close()


def test_write_upserts_by_key(empty_db: duckdb.DuckDBPyConnection) -> None:
    def grid(fee: str, category: str) -> dict[str, object]:
        return {
            "agreement_id": "AG",
            "formula": "F",
            "category": category,
            "annual_fee": D(fee),
            "tax": "net",
            "billing_rule": "anniversary_prorated",
        }

    store.write_tables(
        empty_db,
        {"fee_grid": _rows(empty_db, "fee_grid", [grid("100", "A"), grid("200", "B")])},
        actor=ADMIN,
        action="import",
        source="first",
    )
    store.write_tables(
        empty_db,
        {"fee_grid": _rows(empty_db, "fee_grid", [grid("150", "A"), grid("300", "C")])},
        actor=ADMIN,
        action="import",
        source="second",
    )
    stored = store.read_table(empty_db, "fee_grid")
    assert stored.select("category", "annual_fee").rows() == [
        ("A", D("150.00")),  # changed in place, not doubled
        ("B", D("200.00")),  # untouched
        ("C", D("300.00")),  # added
    ]
    log = write_log(empty_db)
    assert sorted(log["source"].to_list()) == ["first", "second"]


def test_replace_empties_the_table_first_even_for_the_same_keys(
    empty_db: duckdb.DuckDBPyConnection,
) -> None:
    bodies = _rows(
        empty_db, "bodies", [{"body_id": "A", "name": "a"}, {"body_id": "B", "name": "b"}]
    )
    store.write_tables(empty_db, {"bodies": bodies}, actor=ADMIN, action="import", source="first")
    edited = _rows(empty_db, "bodies", [{"body_id": "B", "name": "b2"}])
    store.write_tables(
        empty_db,
        {"bodies": edited},
        replace=("bodies",),
        actor=ADMIN,
        action="import",
        source="edit",
    )
    assert store.read_table(empty_db, "bodies").rows() == [("B", "b2", None, None)]


def test_a_write_failing_in_the_middle_leaves_nothing(empty_db: duckdb.DuckDBPyConnection) -> None:
    good = _rows(empty_db, "bodies", [{"body_id": "OLD", "name": "old"}])
    store.write_tables(empty_db, {"bodies": good}, actor=ADMIN, action="import", source="first")
    before = store_snapshot(empty_db)
    frames = {
        # bodies come first in TABLE_ORDER: this upsert runs, and must be undone
        "bodies": _rows(empty_db, "bodies", [{"body_id": "NEW", "name": "new"}]),
        # date is NOT NULL in the schema: the database refuses this row
        "deliberations": _rows(empty_db, "deliberations", [{"deliberation_id": "D", "date": None}]),
    }
    with pytest.raises(store.StoreError, match=r"^Écriture refusée par la base, rien n'a été"):
        store.write_tables(empty_db, frames, actor=ADMIN, action="import", source="bad")
    _assert_unchanged(before, empty_db)


def test_a_check_constraint_in_a_later_table_undoes_the_earlier_tables(
    empty_db: duckdb.DuckDBPyConnection,
) -> None:
    before = store_snapshot(empty_db)
    frames = {
        "bodies": _rows(empty_db, "bodies", [{"body_id": "NEW", "name": "new"}]),
        "fee_grid": _rows(
            empty_db,
            "fee_grid",
            [
                {
                    "agreement_id": "AG",
                    "formula": "F",
                    "category": "C",
                    "annual_fee": D("10"),
                    "tax": "net",
                    "billing_rule": "anniversary_prorated",
                }
            ],
        ),
        # the last table written, with credits the CHECK (credits >= 0) refuses
        "budget_lines": _rows(
            empty_db,
            "budget_lines",
            [{"operation_code": "OP", "imputation": "I", "year": 2023, "credits": D("-1.00")}],
        ),
    }
    with pytest.raises(store.StoreError, match="CHECK"):
        store.write_tables(empty_db, frames, actor=ADMIN, action="import", source="bad")
    _assert_unchanged(before, empty_db)
    # the connection is still usable afterwards
    store.write_tables(
        empty_db, {"bodies": frames["bodies"]}, actor=ADMIN, action="import", source="good"
    )
    assert store.read_table(empty_db, "bodies")["body_id"].to_list() == ["NEW"]


def test_a_failure_outside_the_database_leaves_nothing_either(
    empty_db: duckdb.DuckDBPyConnection,
) -> None:
    before = store_snapshot(empty_db)
    frames = {
        "bodies": _rows(empty_db, "bodies", [{"body_id": "NEW", "name": "new"}]),
        "budget_lines": _rows(empty_db, "budget_lines", []).drop("credits"),
    }
    with pytest.raises(pl.exceptions.ColumnNotFoundError):
        store.write_tables(empty_db, frames, actor=ADMIN, action="import", source="bad")
    _assert_unchanged(before, empty_db)
    store.write_tables(
        empty_db, {"bodies": frames["bodies"]}, actor=ADMIN, action="import", source="good"
    )
    assert store.read_table(empty_db, "bodies")["body_id"].to_list() == ["NEW"]


def test_each_tables_queries_are_named_and_exist() -> None:
    """Per-table queries are called by name (a search for `upsert_conventions` finds its caller),
    one of each kind per table, each a file of queries/."""
    from spend.paths import QUERIES_DIR
    from spend.store.database import TABLE_QUERIES

    assert set(TABLE_QUERIES) == set(TABLES)
    for table, names in TABLE_QUERIES.items():
        for kind in ("read", "upsert", "delete", "clear"):
            name = getattr(names, kind)
            assert name == f"{kind}_{table}"
            assert (QUERIES_DIR / f"{name}.sql").is_file()


def test_each_tables_types_are_generated_from_its_kinds(
    empty_db: duckdb.DuckDBPyConnection,
) -> None:
    """`Table.schema` (from each column's kind) is what the store gives back, column by column."""
    for name, table in TABLES.items():
        assert store.read_table(empty_db, name).schema == table.schema, name
