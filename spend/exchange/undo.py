"""Undoing journal entries: each row put back as it was before, through the same checks as an
import, in one transaction, journaled as an undo.

An entry is undone alone, or with every entry after it. An entry whose row was changed again
later (by an entry not undone with it) is refused, naming who changed it and when: undoing it
would silently drop that later change.
"""

import json
from dataclasses import dataclass
from decimal import Decimal

import duckdb
import polars as pl

from spend import store
from spend.domain.access import Actor, require
from spend.domain.french import paris_time
from spend.domain.records import TABLES
from spend.exchange.importer import import_raw_tables
from spend.exchange.reading import raw_table_from_frame
from spend.store.arbitration import set_arbitration
from spend.store.journal import readable_key
from spend.store.writes import later_changes

UNDOABLE_ELSEWHERE = {
    "access_rules": "les droits d'accès se corrigent sur la page Administration, onglet "
    "« Droits d'accès »",
}


@dataclass(frozen=True)
class UndoResult:
    entries: int  # journal entries undone
    rows: int  # rows put back or removed


def undo(
    con: duckdb.DuckDBPyConnection, first: int, *, actor: Actor, and_after: bool = False
) -> UndoResult:
    """Undo entry `first` (and every entry after it with `and_after`)."""
    require(actor, "undo")
    entries = store.query(con, "journal_entries", first=first, last=None if and_after else first)
    if entries.is_empty() or entries["id"][0] != first:
        raise store.StoreError(f"Aucune entrée n° {first} dans le journal.")
    source = f"annulation de l'entrée n° {first}" + (" et des suivantes" if and_after else "")
    what = f"L'entrée n° {first} ({entries['action'][0]})"
    return _undo_entries(con, entries, actor, source, what)


def undo_operation(con: duckdb.DuckDBPyConnection, write_id: int, *, actor: Actor) -> UndoResult:
    """Undo a whole operation (every row one write changed: an import of 10 000 conventions is
    one operation), through the same checks as an entry."""
    require(actor, "undo")
    entries = _operation_entries(con, write_id)
    source = f"annulation de l'opération n° {write_id}"
    what = f"L'opération n° {write_id} ({entries['action'][0]})"
    return _undo_entries(con, entries, actor, source, what)


@dataclass(frozen=True)
class UndoPlan:
    """What undoing an operation would do, before it is done: each row it touched (the first
    entry of each, its state after the operation and before it), or why it would be refused."""

    write_id: int
    entries: pl.DataFrame
    refusal: str | None


def plan_operation_undo(con: duckdb.DuckDBPyConnection, write_id: int) -> UndoPlan:
    """The rows an undo of operation `write_id` puts back, and the refusal it would meet (a row
    changed since, a restore since, rows undone elsewhere); the import checks run at the undo."""
    entries = _operation_entries(con, write_id)
    rows = entries.filter(pl.col("table_name").is_not_null())
    first_touch = rows.sort("id").unique(subset=["table_name", "row_key"], keep="first")
    try:
        _check(con, entries, f"L'opération n° {write_id} ({entries['action'][0]})")
    except store.StoreError as refused:
        return UndoPlan(write_id, first_touch, str(refused))
    return UndoPlan(write_id, first_touch, None)


def _operation_entries(con: duckdb.DuckDBPyConnection, write_id: int) -> pl.DataFrame:
    entries = store.query(con, "write_entries", write_id=write_id)
    if entries.is_empty():
        raise store.StoreError(f"Aucune opération n° {write_id} dans le journal.")
    return entries


def _check(con: duckdb.DuckDBPyConnection, entries: pl.DataFrame, what: str) -> pl.DataFrame:
    """The entries' rows, once the undo is known possible (else refused in French)."""
    rows = entries.filter(pl.col("table_name").is_not_null())
    if rows.is_empty():
        raise store.StoreError(
            f"{what} ne change aucune ligne : il n'y a rien à annuler (une restauration se "
            "défait en restaurant la sauvegarde prise juste avant)."
        )
    for table in rows["table_name"].unique().to_list():
        if table in UNDOABLE_ELSEWHERE:
            raise store.StoreError(f"Annulation impossible : {UNDOABLE_ELSEWHERE[table]}.")
    _refuse_across_a_restore(entries, int(entries.select(pl.col("id").min()).item()))
    _refuse_later_changes(con, rows)
    return rows


def _undo_entries(
    con: duckdb.DuckDBPyConnection, entries: pl.DataFrame, actor: Actor, source: str, what: str
) -> UndoResult:
    rows = _check(con, entries, what)
    # The state to return to: each row as it was before the first entry undone that touched it.
    first_touch = rows.sort("id").unique(subset=["table_name", "row_key"], keep="first")
    exchange = first_touch.filter(pl.col("table_name").is_in(list(TABLES)))
    if not exchange.is_empty():
        _undo_records(con, exchange, actor, source)
    for row in first_touch.filter(~pl.col("table_name").is_in(list(TABLES))).iter_rows(named=True):
        _undo_other(con, row, actor)
    return UndoResult(entries.height, first_touch.height)


def _refuse_across_a_restore(entries: pl.DataFrame, first: int) -> None:
    """A restore among the entries undone: the rows are no longer those the journal says."""
    restores = entries.filter(pl.col("table_name").is_null() & (pl.col("id") > first))
    if not restores.is_empty():
        _refuse_restored(restores.row(0, named=True))


def _refuse_restored(restore: dict) -> None:
    raise store.StoreError(
        f"Annulation refusée : la base a été restaurée depuis par {restore['actor']} le "
        f"{paris_time(restore['written_at'])} (heure de Paris, entrée n° {restore['id']}) ; "
        "les lignes ne sont plus celles que décrit le journal. Remettez plutôt en place la "
        "sauvegarde voulue (page Administration, onglet « Sauvegardes »)."
    )


def _refuse_later_changes(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame) -> None:
    last = int(rows.select(pl.col("id").max()).item())
    for table, keys in rows.group_by("table_name").agg(pl.col("row_key").unique()).iter_rows():
        cursor = con.cursor()
        try:
            later = later_changes(cursor, table, last, keys)
        finally:
            cursor.close()
        if later.is_empty():
            continue
        change = later.row(-1, named=True)  # the first change after, of those rows
        if change["table_name"] is None:
            _refuse_restored(change)
        french = TABLES[table].french if table in TABLES else table
        raise store.StoreError(
            f"Annulation refusée : la ligne « {readable_key(change['row_key'])} » de « {french} » "
            f"a été modifiée depuis par {change['actor']} le "
            f"{paris_time(change['written_at'])} (heure de Paris, entrée n° {change['id']}, "
            f"{change['action']}). Annulez d'abord cette modification, ou annulez tout à partir "
            "de l'entrée choisie."
        )


def _decoded(texts: pl.Series, columns: list[str]) -> pl.DataFrame:
    """JSON objects of exchange-format values, as a frame of text columns."""
    schema = pl.Struct({c: pl.String for c in columns})
    return texts.str.json_decode(schema).struct.unnest()


def _undo_records(
    con: duckdb.DuckDBPyConnection, rows: pl.DataFrame, actor: Actor, source: str
) -> None:
    raw_tables, remove, undoes = [], {}, {}
    for table, group in rows.group_by("table_name", maintain_order=True):
        name = str(table[0])
        spec = TABLES[name]
        # Every row touched goes; those that existed before come back as they were.
        either = group.select(pl.coalesce("row_before", "row_after")).to_series()
        stored = store.read_table(con, name).schema  # the keys typed as stored (a year: Int32)
        remove[name] = _decoded(either, spec.column_names).select(
            pl.col(k).cast(stored[k]) for k in spec.key
        )
        back = group.filter(pl.col("row_before").is_not_null())
        if not back.is_empty():
            frame = _decoded(back["row_before"], spec.column_names)
            raw_tables.append(raw_table_from_frame(f"{spec.french} (annulation)", spec, frame))
        undoes[name] = dict(zip(group["row_key"], group["id"], strict=True))
    # The rows put back are typed and checked as an import: a reference the undo would break
    # (a central still used by an agreement) is refused in French, and nothing is written.
    import_raw_tables(
        con, raw_tables, actor=actor, action="undo", source=source, remove=remove, undoes=undoes
    )


def _undo_other(con: duckdb.DuckDBPyConnection, row: dict, actor: Actor) -> None:
    """A setting, a saved scenario or an arbitrated amount put back as it was (or taken away if
    it was not)."""
    before = json.loads(row["row_before"]) if row["row_before"] else None
    if row["table_name"] == "arbitrations":
        operation_code, imputation, year = json.loads(row["row_key"])
        amount = Decimal(before["amount"]) if before else None
        set_arbitration(
            con,
            operation_code,
            imputation,
            int(year),
            amount,
            actor=actor,
            action="undo",
            source=f"annulation de l'entrée n° {row['id']}",
        )
        return
    (key,) = json.loads(row["row_key"])  # settings and scenarios have a one-value key
    if row["table_name"] == "settings":
        store.update_settings(
            con,
            {key: before["value"] if before else ""},
            actor=actor,
            source=f"annulation de l'entrée n° {row['id']}",
            action="undo",
        )
    elif before is None:
        store.delete_scenario(con, key, actor=actor)
    else:
        store.save_scenario(con, key, before["settings_json"], actor=actor)
