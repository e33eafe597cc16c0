"""A write's checks read only the stored tables it can affect: one budget line imported into a
database of 100 000 conventions reads the budget lines, not the conventions. What is refused,
and how it is said, is unchanged (tests/exchange/test_validation.py, tests/bad_inputs/)."""

import duckdb
import pytest

from spend.exchange.importer import check_raw_tables, read_files
from spend.exchange.problems import ImportRefused
from spend.exchange.references import needed_tables


@pytest.mark.parametrize(
    ("touched", "cleared", "needed"),
    [
        ({"budget_lines"}, set(), {"budget_lines"}),
        ({"commitments"}, set(), {"commitments"}),
        ({"deliberations"}, set(), set()),
        ({"bodies"}, set(), set()),  # an upsert keeps every key its children point at
        ({"bodies"}, {"bodies"}, {"bodies", "agreements"}),
        ({"agreements"}, set(), {"agreements", "bodies", "conventions"}),
        ({"fee_grid"}, set(), {"fee_grid", "agreements", "conventions"}),
        ({"conventions"}, set(), {"conventions", "agreements", "fee_grid"}),
    ],
)
def test_a_write_reads_only_what_its_checks_need(
    touched: set[str], cleared: set[str], needed: set[str]
) -> None:
    assert needed_tables(touched, cleared) == needed


def test_a_budget_line_is_checked_without_the_conventions(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    """The conventions' table gone from the database: a budget line is still checked (and its
    problems said), since none of its checks reads it."""
    seeded_db.execute("alter table conventions rename to conventions_away")
    try:
        good = b"operation_code,imputation,label,year,credits\nC06,6281/930202,Ligne,2024,10.00\n"
        (frame,) = check_raw_tables(seeded_db, read_files([("budget_lines.csv", good)])).values()
        assert frame.height == 1
        bad = b"operation_code,imputation,label,year,credits\nC06,6281/930202,Ligne,1850,10\n"
        with pytest.raises(ImportRefused) as refused:
            check_raw_tables(seeded_db, read_files([("budget_lines.csv", bad)]))
        assert refused.value.lines() == [
            "budget_lines.csv, ligne 2, Exercice : exercice « 1850 » hors limites : entre 1990 "
            "et 2100"
        ]
    finally:
        seeded_db.execute("alter table conventions_away rename to conventions")
