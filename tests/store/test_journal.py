"""Every write leaves its journal entries, with who, from where, the row before and after; an
undo puts the figures back to the cent and is journaled; a save on outdated data is refused."""

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from spend import store
from spend.domain.access import Actor, Role
from spend.exchange.importer import import_raw_tables, read_files
from spend.exchange.problems import ImportRefused
from spend.exchange.undo import undo
from spend.store.journal import JournalFilter, journal_frame, operation_rows, operations
from spend.store.restore import restore
from spend.store.writes import StoreConflict
from tests.conftest import ADMIN, run_cli

MANAGER = Actor("finances@exemple.fr", Role.MANAGER)
CREDITS = (
    "operation_code,imputation,label,year,credits\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2022,{credits}\n"
)


def _import(con: duckdb.DuckDBPyConnection, credits: str, actor: Actor = MANAGER, **kw) -> None:
    raw = read_files([("budget_lines.csv", CREDITS.format(credits=credits).encode())])
    import_raw_tables(con, raw, actor=actor, source="import budget_lines.csv", **kw)


def _newest(con: duckdb.DuckDBPyConnection) -> dict:
    return journal_frame(con).row(0, named=True)


def _balance(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    from spend.domain.figures import compute

    return compute(store.load_inputs(con)).balance.rows()


def test_an_import_is_journaled_row_by_row(seeded_db: duckdb.DuckDBPyConnection) -> None:
    _import(seeded_db, "3100.00")
    entry = _newest(seeded_db)
    assert (entry["actor"], entry["source"], entry["action"]) == (
        "finances@exemple.fr", "tableau de bord", "import",
    )  # fmt: skip
    assert (entry["table"], entry["key"]) == (
        "budget_lines",
        '["C06-020M02","6281/930202",2022,"BP"]',
    )
    assert json.loads(entry["before"])["credits"] == "3000.00"
    assert json.loads(entry["after"]) == {
        "operation_code": "C06-020M02",
        "imputation": "6281/930202",
        "label": "Informatique-Fonctionnement",
        "year": "2022",
        "credits": "3100.00",
        "stage": "BP",
        "deliberation_id": None,
    }
    # A row that does not change is not journaled.
    count = journal_frame(seeded_db).height
    _import(seeded_db, "3100.00")
    assert journal_frame(seeded_db).height == count


def test_settings_scenarios_and_restores_are_journaled(
    seeded_db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    store.update_settings(seeded_db, {"vat_rate": "5.50"}, actor=ADMIN, source="paramètres")
    entry = _newest(seeded_db)
    assert (entry["table"], entry["key"], entry["action"]) == (
        "settings",
        '["vat_rate"]',
        "paramètres",
    )
    assert json.loads(entry["before"]) == {"key": "vat_rate", "value": "20.00"}
    store.save_scenario(seeded_db, "CAIH +10 %", '{"fee_pct":10}', actor=MANAGER)
    entry = _newest(seeded_db)
    assert (entry["table"], entry["before"], entry["action"]) == ("scenarios", None, "scénario")
    store.delete_scenario(seeded_db, "CAIH +10 %", actor=MANAGER)
    assert _newest(seeded_db)["after"] is None


def test_an_undo_gives_back_the_balance_to_the_cent(seeded_db: duckdb.DuckDBPyConnection) -> None:
    before = _balance(seeded_db)
    _import(seeded_db, "3100.00")
    assert _balance(seeded_db) != before
    changed = _newest(seeded_db)["id"]
    result = undo(seeded_db, changed, actor=ADMIN)
    assert (result.entries, result.rows) == (1, 1)
    assert _balance(seeded_db) == before
    entry = _newest(seeded_db)
    assert (entry["action"], entry["actor"]) == ("annulation", "tests")
    undone = store.query(seeded_db, "journal_entries", first=entry["id"], last=entry["id"])
    assert undone["undoes"][0] == changed


def test_an_undo_of_a_row_changed_since_is_refused_naming_who(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    _import(seeded_db, "3100.00")
    first = _newest(seeded_db)["id"]
    _import(seeded_db, "3200.00", actor=Actor("autre@exemple.fr", Role.MANAGER))
    with pytest.raises(store.StoreError, match=r"modifiée depuis par autre@exemple\.fr"):
        undo(seeded_db, first, actor=ADMIN)
    # Undoing from that entry on takes both back.
    before_both = undo(seeded_db, first, actor=ADMIN, and_after=True)
    assert before_both.entries == 2
    credits = store.read_table(seeded_db, "budget_lines")["credits"].to_list()
    assert str(credits[0]) == "3000.00"


def test_an_undo_that_would_break_a_reference_is_refused(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    bodies = "body_id,name,siret,address\nNEW,Nouvelle centrale,,\n"
    agreements = "agreement_id,body_id,reference,title,end_date\nAG,NEW,,Accord,\n"
    import_raw_tables(seeded_db, read_files([("bodies.csv", bodies.encode())]), actor=MANAGER,
                      source="centrale")  # fmt: skip
    body_entry = _newest(seeded_db)["id"]
    import_raw_tables(seeded_db, read_files([("agreements.csv", agreements.encode())]),
                      actor=MANAGER, source="accord")  # fmt: skip
    with pytest.raises(ImportRefused) as refused:
        undo(seeded_db, body_entry, actor=ADMIN)
    assert "centrale d'achat inconnue « NEW »" in str(refused.value.problems[0])
    assert "NEW" in store.read_table(seeded_db, "bodies")["body_id"].to_list()


def test_only_an_administrator_undoes(seeded_db: duckdb.DuckDBPyConnection) -> None:
    _import(seeded_db, "3100.00")
    with pytest.raises(Exception, match="annuler une écriture"):
        undo(seeded_db, _newest(seeded_db)["id"], actor=MANAGER)


def test_a_save_on_data_changed_since_is_refused(seeded_db: duckdb.DuckDBPyConnection) -> None:
    loaded = int(store.query(seeded_db, "last_journal_id", table_name="budget_lines")["last_id"][0])
    _import(seeded_db, "3100.00", actor=Actor("premiere@exemple.fr", Role.MANAGER))
    with pytest.raises(StoreConflict, match=r"modifiée par premiere@exemple\.fr le .* depuis"):
        _import(seeded_db, "2900.00", unchanged_since={"budget_lines": loaded})
    assert str(store.read_table(seeded_db, "budget_lines")["credits"][0]) == "3100.00"


def test_a_restore_keeps_the_history_and_is_journaled(tmp_path: Path) -> None:
    db = tmp_path / "spend.duckdb"
    assert run_cli("init", "--db", str(db)).returncode == 0
    con = store.connect(db)
    try:
        _import(con, "3100.00")
        _import(con, "3200.00")
    finally:
        con.close()
    # The full copy made at creation, and the write log up to the 3 100,00 import.
    (created,) = store.list_backups(db)
    first_import = int(store_journal(db).filter(pl.col("after").str.contains("3100.00"))["id"][0])
    restore(db, created.path, actor=ADMIN, until=_write_of(db, first_import))
    con = store.connect(db)
    try:
        journal = journal_frame(con)
        assert journal["action"].to_list()[0] == "restauration"
        # Both imports are still in the journal, though the file is back before the second.
        afters = journal.filter(pl.col("table") == "budget_lines")["after"].to_list()
        assert [json.loads(a)["credits"] for a in afters[:2]] == ["3200.00", "3100.00"]
        assert str(store.read_table(con, "budget_lines")["credits"][0]) == "3100.00"
    finally:
        con.close()


def store_journal(db: Path) -> pl.DataFrame:
    con = store.connect(db)
    try:
        return journal_frame(con)
    finally:
        con.close()


def _write_of(db: Path, entry: int) -> int:
    con = store.connect(db)
    try:
        return int(con.sql(f"select write_id from journal where id = {entry}").fetchall()[0][0])
    finally:
        con.close()


def test_the_command_line_journal_and_undo(tmp_path: Path) -> None:
    db = tmp_path / "spend.duckdb"
    assert run_cli("init", "--db", str(db)).returncode == 0
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "budget_lines.csv").write_text(CREDITS.format(credits="3100.00"))
    assert run_cli("import", str(folder), "--db", str(db), "--as", "job-nuit").returncode == 0
    listed = run_cli("journal", "--db", str(db), "--table", "budget_lines")
    assert listed.returncode == 0, listed.stderr
    header, first, *_ = listed.stdout.splitlines()
    assert header == "id,at,actor,source,action,table,key,before,after"
    assert ",job-nuit,ligne de commande,import,budget_lines," in first
    assert '""credits"":""3100.00""' in first
    entry = first.split(",", 1)[0]
    assert run_cli("undo", entry, "--db", str(db)).returncode == 0
    balance = run_cli("balance", "--db", str(db), "--year", "2022").stdout
    assert "3000.00,2800.00,200.00" in balance
    since = run_cli("journal", "--db", str(db), "--since", "01/01/2100")
    assert since.stdout.strip() == "id,at,actor,source,action,table,key,before,after"


def test_operations_are_read_a_page_at_a_time_the_newest_first(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    for credits in ("3100.00", "3200.00", "3300.00"):
        _import(seeded_db, credits)
    every = operations(seeded_db, JournalFilter(), 0, 100)
    first, second = (operations(seeded_db, JournalFilter(), page, 2) for page in (0, 1))
    assert first.total == second.total == every.total >= 4  # the seed and three imports
    assert first.rows.height == 2
    assert first.rows["write_id"].to_list() + second.rows["write_id"].to_list() == (
        every.rows["write_id"].head(4).to_list()
    )
    newest = first.rows.row(0, named=True)
    assert (newest["action"], newest["row_count"], newest["tables"]) == (
        "import",
        1,
        ["budget_lines"],
    )
    assert newest["description"] == "import budget_lines.csv"  # its line of the write log
    # A page beyond the last is empty but still counts what matches.
    assert operations(seeded_db, JournalFilter(), 99, 2).total == every.total


def test_operations_filter_by_kind_person_table_text_and_time(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    _import(seeded_db, "3100.00")
    _import(seeded_db, "3200.00", actor=ADMIN)

    def found(**wanted: object) -> list[str]:
        filters = JournalFilter(**wanted)  # type: ignore[arg-type]
        return operations(seeded_db, filters, 0, 50).rows["actor"].to_list()

    assert found(actor=MANAGER.name) == [MANAGER.name]
    assert found(action="import") == [ADMIN.name, MANAGER.name]
    assert found(table="budget_lines", text="6281/930202")[:2] == [ADMIN.name, MANAGER.name]
    assert found(text="AUCUNE-CLÉ") == []
    newest = operations(seeded_db, JournalFilter(), 0, 1).rows["written_at"][0]
    assert found(since=newest) == [ADMIN.name]
    assert found(until=newest)[0] == MANAGER.name


def test_an_operations_rows_are_paged_and_the_access_rules_hidden_unless_allowed(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    rules = pl.DataFrame(
        {"kind": ["email", "email"], "name": ["a@x.fr", "b@x.fr"], "role": ["lecteur"] * 2}
    )
    store.replace_access_rules(seeded_db, rules, actor=ADMIN)
    allowed = JournalFilter(show_access_rules=True)
    write_id = int(operations(seeded_db, allowed, 0, 1).rows["write_id"][0])
    page = operation_rows(seeded_db, write_id, allowed, 0, 1)
    assert (page.rows.height, page.total) == (1, 2)
    assert operation_rows(seeded_db, write_id, allowed, 1, 1).rows["row_key"].to_list() == [
        '["email","b@x.fr"]'
    ]
    hidden = JournalFilter()
    assert operation_rows(seeded_db, write_id, hidden, 0, 10).total == 0
    assert write_id not in operations(seeded_db, hidden, 0, 50).rows["write_id"].to_list()
