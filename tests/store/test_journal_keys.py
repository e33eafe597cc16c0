"""Journal keys are JSON arrays of the key's values: two rows whose values, joined with « / »,
read the same keep apart, an undo puts both back, and older journals are migrated."""

import json
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from spend import store
from spend.domain.access import Actor, Role
from spend.exchange.importer import import_raw_tables, read_files
from spend.exchange.undo import undo
from spend.store.journal import journal_frame, readable_key
from tests.conftest import ADMIN, copy_of_seeded, run_cli

MANAGER = Actor("finances@exemple.fr", Role.MANAGER)
HEADER = "operation_code,imputation,label,year,credits\n"
# Joined with « / », both keys read « A / B / C / 2022 ».
COLLIDING = HEADER + "A / B,C,Première,2022,{first}\nA,B / C,Seconde,2022,{second}\n"


def _import(con: duckdb.DuckDBPyConnection, text: str, actor: Actor = MANAGER) -> None:
    raw = read_files([("budget_lines.csv", text.encode())])
    import_raw_tables(con, raw, actor=actor, source="import budget_lines.csv")


def _credits(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], Decimal]:
    lines = store.read_table(con, "budget_lines").filter(pl.col("year") == 2022)
    return {(o, i): c for o, i, c in lines.select("operation_code", "imputation", "credits").rows()}


def test_colliding_keys_are_two_entries_and_an_undo_after_puts_both_back(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    _import(seeded_db, COLLIDING.format(first="100.00", second="200.00"))
    _import(seeded_db, COLLIDING.format(first="110.00", second="220.00"))
    update = journal_frame(seeded_db).filter(pl.col("table") == "budget_lines").head(2)
    # One entry per row, each row's before with its own after.
    assert update["key"].sort().to_list() == ['["A / B","C",2022,"BP"]', '["A","B / C",2022,"BP"]']
    pairs = {
        tuple(json.loads(key)[:2]): (json.loads(b)["credits"], json.loads(a)["credits"])
        for key, b, a in update.select("key", "before", "after").rows()
    }
    assert pairs == {("A / B", "C"): ("100.00", "110.00"), ("A", "B / C"): ("200.00", "220.00")}
    result = undo(seeded_db, int(update["id"].min()), actor=ADMIN, and_after=True)
    assert (result.entries, result.rows) == (2, 2)
    credits = _credits(seeded_db)
    assert credits[("A / B", "C")] == Decimal("100.00")
    assert credits[("A", "B / C")] == Decimal("200.00")


def test_an_undo_of_one_colliding_row_leaves_the_other(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    _import(seeded_db, COLLIDING.format(first="100.00", second="200.00"))
    _import(seeded_db, COLLIDING.format(first="110.00", second="220.00"))
    entries = journal_frame(seeded_db).filter(pl.col("key") == '["A","B / C",2022,"BP"]')
    undo(seeded_db, int(entries["id"][0]), actor=ADMIN)
    credits = _credits(seeded_db)
    assert (credits[("A / B", "C")], credits[("A", "B / C")]) == (
        Decimal("110.00"),
        Decimal("200.00"),
    )


def test_a_key_reads_as_its_values() -> None:
    assert readable_key('["C06-020M02","6281/930202",2022]') == "C06-020M02 / 6281/930202 / 2022"
    assert readable_key('["vat_rate"]') == "vat_rate"
    assert readable_key(None) == ""


def _old_journal_file(tmp_path: Path, seeded_file: Path) -> tuple[Path, list[tuple]]:
    """A database whose journal has keys of every kind, written as before migration 0004 (the
    values joined with « / »), at schema step 3; and the keys the store writes today."""
    db = copy_of_seeded(seeded_file, tmp_path / "old.duckdb")
    con = store.connect(db)
    try:
        _import(con, COLLIDING.format(first="100.00", second="200.00"))
        _import(con, COLLIDING.format(first="110.00", second="220.00"))
        store.update_settings(con, {"vat_rate": "5.50"}, actor=ADMIN, source="paramètres")
        store.save_scenario(con, "CAIH +10 %", "{}", actor=MANAGER)
        rules = pl.DataFrame({"kind": ["email"], "name": ["a@b.fr"], "role": ["gestionnaire"]})
        store.replace_access_rules(con, rules, actor=ADMIN)
        fee_grid = store.read_table(con, "fee_grid").head(1)
        store.write_tables(con, {"fee_grid": fee_grid.with_columns(pl.lit("x").alias("category"))},
                           actor=ADMIN, action="import", source="grille")  # fmt: skip
        cursor = con.cursor()
        expected = cursor.sql("select id, table_name, row_key from journal order by id").fetchall()
        # As the release before it wrote them: the values as text, joined with « / ».
        cursor.execute(
            "update journal set row_key = array_to_string(cast(json(row_key) as varchar[]), ' / ')"
            " where row_key is not null"
        )
        cursor.execute("delete from schema_version where version >= 4")
        # …and its write log as the import log it was then (migration `write_log`).
        cursor.execute("alter table write_log drop column write_id")
        cursor.execute("alter table write_log rename column written_at to imported_at")
        cursor.execute("alter table write_log rename to import_log")
        cursor.close()
    finally:
        con.close()
    return db, expected


def test_older_journal_keys_are_migrated_to_the_same_keys(
    tmp_path: Path, seeded_file: Path
) -> None:
    db, expected = _old_journal_file(tmp_path, seeded_file)
    con = duckdb.connect(str(db))
    joined = con.sql("select row_key from journal where table_name = 'budget_lines'").fetchall()
    con.close()
    assert ("A / B / C / 2022 / BP",) in joined  # the collision, before the migration
    con = store.connect(db)
    try:
        migrated = con.sql("select id, table_name, row_key from journal order by id").fetchall()
        tables = {t for _, t, _ in migrated}
        assert {"budget_lines", "settings", "scenarios", "access_rules", "fee_grid"} <= tables
        assert migrated == expected
        # And undoes work on the migrated keys, each on its own row.
        update = journal_frame(con).filter(pl.col("table") == "budget_lines").head(2)
        for entry in update["id"].to_list():
            undo(con, entry, actor=ADMIN)
        credits = _credits(con)
        assert (credits[("A / B", "C")], credits[("A", "B / C")]) == (
            Decimal("100.00"),
            Decimal("200.00"),
        )
    finally:
        con.close()


def test_the_command_line_journal_gives_the_structured_key(
    tmp_path: Path, seeded_file: Path
) -> None:
    db = copy_of_seeded(seeded_file, tmp_path / "spend.duckdb")
    con = store.connect(db)
    try:
        _import(con, COLLIDING.format(first="100.00", second="200.00"))
    finally:
        con.close()
    listed = run_cli("journal", "--db", str(db), "--table", "budget_lines")
    assert listed.returncode == 0, listed.stderr
    keys = pl.read_csv(listed.stdout.encode())["key"].to_list()
    assert sorted(keys)[:2] == ['["A / B","C",2022,"BP"]', '["A","B / C",2022,"BP"]']


@pytest.mark.parametrize("after", [True, False])
def test_undo_from_the_command_line_on_colliding_keys(
    tmp_path: Path, seeded_file: Path, after: bool
) -> None:
    db = copy_of_seeded(seeded_file, tmp_path / "spend.duckdb")
    con = store.connect(db)
    try:
        _import(con, COLLIDING.format(first="100.00", second="200.00"))
        _import(con, COLLIDING.format(first="110.00", second="220.00"))
        entries = journal_frame(con).filter(pl.col("key") == '["A / B","C",2022,"BP"]')
        first = int(entries["id"][0])
    finally:
        con.close()
    args = ["undo", str(first), "--db", str(db)] + (["--after"] if after else [])
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    con = store.connect(db)
    try:
        credits = _credits(con)
    finally:
        con.close()
    # The entry alone puts its row back; with the entry after it, the other row too.
    second = Decimal("200.00") if after else Decimal("220.00")
    assert (credits[("A / B", "C")], credits[("A", "B / C")]) == (Decimal("100.00"), second)
