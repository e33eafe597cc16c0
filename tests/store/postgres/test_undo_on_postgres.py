"""Undo on the PostgreSQL store, each kind of journaled operation in turn (an import, a table
edit, a restore, an arbitrage, settings, access rules): what the undo puts back, or the French
refusal it meets, is what the same undo gives on the DuckDB file."""

import contextlib
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from spend import store
from spend.domain.access import Actor, Role
from spend.exchange.importer import import_raw_tables, read_files
from spend.exchange.seed import seed_database
from spend.exchange.undo import undo, undo_operation
from spend.store.arbitration import read_arbitrations, set_arbitration
from spend.store.journal import JournalFilter, operations
from tests.conftest import ADMIN

MANAGER = Actor("g.martin@exemple.fr", Role.MANAGER)
LINE = ("C06-020M02", "6281/930202")
LINES = (
    "operation_code,imputation,label,year,credits\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2022,3500.00\n"
    "A,B,Nouvelle,2023,100.00\n"
)


def _newest(con: Any) -> int:
    return int(operations(con, JournalFilter(show_access_rules=True), 0, 1).rows["write_id"][0])


def _undone(con: Any, write_id: int) -> str:
    """The undo's outcome: its row count, or its refusal with the times left out (each backend
    writes its own)."""
    try:
        result = undo_operation(con, write_id, actor=ADMIN)
    except store.StoreError as refused:
        return "refusée : " + re.sub(r"\d\d/\d\d/\d{4} à \d\d:\d\d", "<date>", str(refused))
    return f"{result.entries} entrée(s), {result.rows} ligne(s)"


def _import(con: Any) -> pl.DataFrame:
    raw = read_files([("budget_lines.csv", LINES.encode())])
    import_raw_tables(con, raw, actor=MANAGER, source="lignes")
    undone = _undone(con, _newest(con))
    assert undone == "2 entrée(s), 2 ligne(s)"
    return store.read_table(con, "budget_lines")


def _edit(con: Any) -> pl.DataFrame:
    since = int(store.query(con, "last_journal_id", table_name="budget_lines")[0, 0])
    lines = store.read_table(con, "budget_lines")
    raised = lines.with_columns(pl.lit(Decimal("4200.50")).cast(pl.Decimal(18, 2)).alias("credits"))
    store.write_tables(con, {"budget_lines": raised}, actor=MANAGER, action="edit",
                       source="éditeur", unchanged_since={"budget_lines": since})  # fmt: skip
    assert _undone(con, _newest(con)) == "1 entrée(s), 1 ligne(s)"
    return store.read_table(con, "budget_lines")


def _restore(con: Any) -> str:
    store.record_event(
        con, actor=ADMIN, action="restore", source="restauration", detail="sauvegarde du 01/12"
    )
    return _undone(con, _newest(con))


def _arbitrage(con: Any) -> tuple[pl.DataFrame, str, pl.DataFrame]:
    set_arbitration(con, *LINE, 2023, Decimal("2600.00"), actor=MANAGER)
    first = _newest(con)
    set_arbitration(con, *LINE, 2023, Decimal("2550.50"), actor=MANAGER)
    assert _undone(con, _newest(con)) == "1 entrée(s), 1 ligne(s)"
    back = read_arbitrations(con)
    assert back.rows() == [(*LINE, 2023, Decimal("2600.00"))]
    refused = _undone(con, first)  # its row was changed since (by the undo)
    entry = int(store.query(con, "write_entries", write_id=first)["id"][0])
    undo(con, entry, actor=ADMIN, and_after=True)  # that entry and every one after it
    return back, refused, read_arbitrations(con)


def _settings(con: Any) -> dict[str, str]:
    store.update_settings(con, {"vat_rate": "5.50"}, actor=ADMIN, source="paramètres")
    assert store.settings(con)["vat_rate"] == "5.50"
    assert _undone(con, _newest(con)) == "1 entrée(s), 1 ligne(s)"
    # The file's own identity (its backups' lineage) is no setting an authority has.
    return {k: v for k, v in store.settings(con).items() if k != "database_id"}


def _access_rules(con: Any) -> tuple[str, pl.DataFrame]:
    rules = pl.DataFrame({"kind": ["email"], "name": ["a@x.fr"], "role": ["lecteur"]})
    store.replace_access_rules(con, rules, actor=ADMIN)
    return _undone(con, _newest(con)), store.query(con, "read_access_rules")


KINDS: dict[str, Callable[[Any], Any]] = {
    "import": _import,
    "edit": _edit,
    "restore": _restore,
    "arbitrage": _arbitrage,
    "settings": _settings,
    "access rules": _access_rules,
}


@pytest.fixture
def both(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    """The seed on a DuckDB file and on an authority of the server."""
    with contextlib.ExitStack() as stack:
        monkeypatch.delenv("SPEND_DATABASE_URL")
        on_file = stack.enter_context(store.session(tmp_path / "spend.duckdb", seed_database))
        monkeypatch.setenv("SPEND_DATABASE_URL", pg_url)
        on_server = stack.enter_context(store.session(Path("unused"), seed_database))
        assert getattr(on_server, "is_postgres", False)
        yield on_file, on_server


def _same(found: Any, expected: Any) -> bool:
    if isinstance(expected, tuple):
        return all(_same(f, e) for f, e in zip(found, expected, strict=True))
    if isinstance(expected, pl.DataFrame):
        return found.equals(expected)
    return bool(found == expected)


@pytest.mark.parametrize("kind", list(KINDS))
def test_undo_on_the_server_gives_what_undo_gives_on_the_file(
    both: tuple[Any, Any], kind: str
) -> None:
    on_file, on_server = both
    expected, found = KINDS[kind](on_file), KINDS[kind](on_server)
    assert _same(found, expected), (kind, found, expected)
    journal = [
        operations(con, JournalFilter(show_access_rules=True), 0, 50)
        .rows.drop("written_at")
        .with_columns(pl.col("tables").list.sort())
        for con in both
    ]
    assert journal[1].equals(journal[0]), (kind, journal[1], journal[0])


def test_each_kind_puts_back_what_was_there(both: tuple[Any, Any]) -> None:
    """What the comparison above relies on, said outright on the server."""
    _, con = both
    seeded = store.read_table(con, "budget_lines")
    assert _import(con).equals(seeded)
    assert _edit(con).equals(seeded)
    assert "ne change aucune ligne : il n'y a rien à annuler" in _restore(con)
    back, refused, after_all = _arbitrage(con)
    assert back["amount"].to_list() == [Decimal("2600.00")]
    assert "a été modifiée depuis" in refused and after_all.is_empty()
    assert _settings(con)["vat_rate"] == "20.00"
    refusal, rules = _access_rules(con)
    assert refusal.startswith("refusée : Annulation impossible : les droits d'accès")
    assert rules.height == 1  # the rule stays: rights are corrected on the Administration page
