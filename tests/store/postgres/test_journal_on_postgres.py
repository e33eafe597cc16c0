"""The Journal page's queries on the PostgreSQL store: after the same writes, its operations,
their rows, filters and pages are those of the DuckDB file, an operation is undone as a whole,
and the page reads them without an error."""

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import streamlit as st

from spend import store
from spend.domain.access import Actor, Role
from spend.exchange.importer import import_raw_tables, read_files
from spend.exchange.seed import seed_database
from spend.exchange.undo import undo_operation
from spend.store.journal import JournalFilter, Page, journal_choices, operation_rows, operations
from tests.conftest import ADMIN
from tests.pages.conftest import assert_clean, open_page

MANAGER = Actor("g.martin@exemple.fr", Role.MANAGER)
VOTES = (
    "operation_code,imputation,label,year,credits,stage\n"
    "A / B,C,Première,2022,100.00,BP\n"
    "A,B / C,Seconde,2022,200.00,BP\n"
    "A,B / C,Seconde,2022,-20.00,DM1\n"
)
RAISED = (
    "operation_code,imputation,label,year,credits\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2022,3500.00\n"
)


def _same_writes(con: Any) -> None:
    """Two imports by two people, a setting, access rules and a scenario."""
    for text, actor, source in ((VOTES, MANAGER, "lignes"), (RAISED, ADMIN, "crédits 2022")):
        raw = read_files([("budget_lines.csv", text.encode())])
        import_raw_tables(con, raw, actor=actor, source=source)
    store.update_settings(con, {"vat_rate": "5.50"}, actor=ADMIN, source="paramètres")
    rules = pl.DataFrame(
        {"kind": ["email", "email"], "name": ["a@x.fr", "b@x.fr"], "role": ["lecteur"] * 2}
    )
    store.replace_access_rules(con, rules, actor=ADMIN)
    store.save_scenario(con, "CAIH +10 %", "{}", actor=MANAGER)


def _comparable(page: Page) -> tuple[pl.DataFrame, int]:
    """A page as both backends must give it: every column but the writes' own times, the
    tables of an operation in order."""
    rows = page.rows.drop("written_at")
    if "tables" in rows.columns:
        rows = rows.with_columns(pl.col("tables").list.sort())
    return rows, page.total


FILTERS = [
    JournalFilter(),
    JournalFilter(show_access_rules=True),
    JournalFilter(actor=MANAGER.name),
    JournalFilter(action="import"),
    JournalFilter(action="paramètres"),
    JournalFilter(table="budget_lines", text="b / c"),
    JournalFilter(text="6281/930202"),
    JournalFilter(text="aucune-clé"),
]


@pytest.fixture
def both(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    """A DuckDB file and an authority on the server, seeded, after the same writes."""
    with contextlib.ExitStack() as stack:
        monkeypatch.delenv("SPEND_DATABASE_URL")
        on_file = stack.enter_context(store.session(tmp_path / "spend.duckdb", seed_database))
        monkeypatch.setenv("SPEND_DATABASE_URL", pg_url)
        on_server = stack.enter_context(store.session(Path("unused"), seed_database))
        assert getattr(on_server, "is_postgres", False)
        for con in (on_file, on_server):
            _same_writes(con)
        yield on_file, on_server


def test_operations_and_their_rows_are_those_of_the_file(both: tuple[Any, Any]) -> None:
    on_file, on_server = both
    for wanted in FILTERS:
        for page, size in ((0, 50), (0, 2), (1, 2), (9, 2)):
            expected = _comparable(operations(on_file, wanted, page, size))
            found = _comparable(operations(on_server, wanted, page, size))
            assert found[1] == expected[1], wanted
            assert found[0].equals(expected[0]), (wanted, page, size, found[0], expected[0])
    every = operations(on_server, JournalFilter(show_access_rules=True), 0, 50).rows
    assert every.height >= 6  # the seed and the five writes
    imported = every.filter(pl.col("description") == "lignes").row(0, named=True)
    assert (imported["actor"], imported["row_count"], imported["tables"]) == (
        MANAGER.name,
        3,
        ["budget_lines"],
    )
    # Times, each backend's own: from the newest operation on, and before it.
    newest = operations(on_server, JournalFilter(), 0, 1).rows.row(0, named=True)
    since = operations(on_server, JournalFilter(since=newest["written_at"]), 0, 50)
    assert since.rows["write_id"].to_list() == [newest["write_id"]]
    until = operations(on_server, JournalFilter(until=newest["written_at"]), 0, 50)
    assert newest["write_id"] not in until.rows["write_id"].to_list() and until.total >= 4
    for write_id in every["write_id"].to_list():
        for wanted in (JournalFilter(), JournalFilter(show_access_rules=True, text="b@x")):
            for page, size in ((0, 50), (1, 1)):
                expected = _comparable(operation_rows(on_file, write_id, wanted, page, size))
                found = _comparable(operation_rows(on_server, write_id, wanted, page, size))
                assert found[1] == expected[1]
                assert found[0].equals(expected[0]), (write_id, wanted, found[0], expected[0])
    assert journal_choices(on_server).equals(journal_choices(on_file))


def test_an_operation_is_undone_as_a_whole_as_on_the_file(both: tuple[Any, Any]) -> None:
    on_file, on_server = both
    lines = []
    for con in (on_file, on_server):
        found = operations(con, JournalFilter(actor=MANAGER.name, action="import"), 0, 1).rows
        result = undo_operation(con, int(found["write_id"][0]), actor=ADMIN)
        assert result.rows == 3
        lines.append(store.read_table(con, "budget_lines"))
        newest = operations(con, JournalFilter(), 0, 1).rows.row(0, named=True)
        assert (newest["action"], newest["row_count"]) == ("annulation", 3)
    assert lines[0].equals(lines[1])
    assert lines[1]["operation_code"].to_list() == ["C06-020M02"]


@pytest.mark.slow
def test_the_journal_page_reads_the_authoritys_operations(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEND_DB", str(tmp_path / "no-file.duckdb"))  # never opened
    with store.session(Path("unused"), seed_database) as con:
        _same_writes(con)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = open_page("pages/journal.py")
        assert_clean(at)
        assert not at.error, [e.value for e in at.error]
        shown = at.dataframe[0].value
        assert len(shown) >= 5
        assert "lignes" in " ".join(str(v) for v in shown.to_numpy().ravel())
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
    assert not (tmp_path / "no-file.duckdb").exists()


def test_the_journal_is_indexed_by_write_then_entry(pg_url: str) -> None:
    """Migration 10: the page joins and filters the journal on its write, and numbers an
    operation's rows by entry; the file needs no such index (its zone maps skip other writes)."""
    with store.session(Path("unused.duckdb"), seed_database) as con:
        found = con.sql(
            "select indexdef from pg_indexes where schemaname = current_schema() "
            "and tablename = 'journal' and indexname = 'journal_by_write'"
        ).fetchall()
        step = con.sql("select name from schema_version where version = 10").fetchall()
    assert step == [("journal_by_write",)]
    assert len(found) == 1 and found[0][0].endswith("USING btree (write_id, id)")
