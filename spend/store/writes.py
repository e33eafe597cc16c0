"""Every write of the store: its author's right checked, a backup, one transaction, its journal.

A write names its actor and its action; a role that does not allow the action is refused here,
below the pages (hiding a button is not the protection). The rows it changes are journaled in
the same transaction, with who, when, from where, before and after. A save made on data older
than another's save of the same table is refused, naming who saved what and when.
"""

import contextlib
from collections.abc import Iterator, Mapping

import duckdb
import polars as pl

from spend.domain.access import Actor, require
from spend.domain.records import TABLE_ORDER, TABLES
from spend.store.database import (
    StoreError,
    _cause,
    _rollback,
    backup_before_write,
    load_query,
    log_write,
)
from spend.store.journal import Write, append, changes, event, start_write

# The journal's word for each action.
ACTION_WORDS = {
    "import": "import",
    "edit": "modification",
    "deliberation": "délibération",
    "scenario": "scénario",
    "settings": "paramètres",
    "restore": "restauration",
    "undo": "annulation",
    "roles": "droits d'accès",
    "seed": "jeu initial",
}
# Scenario saves are logged (so that the pages see them) but change no recorded figure: the
# provenance line skips them.
SCENARIO_SOURCE = "scénario"


class StoreConflict(StoreError):  # noqa: N818 (reads as what happened)
    """A save made on data another save changed in the meantime: nothing was written."""


@contextlib.contextmanager
def transaction(
    con: duckdb.DuckDBPyConnection,
    *,
    actor: Actor,
    action: str,
    source: str,
    detail: str = "",
    backup: bool = True,
) -> Iterator[tuple[duckdb.DuckDBPyConnection, Write]]:
    """Check the right, keep a backup, then one transaction with its line in the write log."""
    if action in ACTION_WORDS and action != "seed":
        require(actor, action)
    if backup and action != "seed":  # the seed fills a new file: there is nothing to keep
        backup_before_write(con, source)
    cursor = con.cursor()
    try:
        cursor.execute("begin transaction")
        write = start_write(cursor, actor, ACTION_WORDS.get(action, action))
        yield cursor, write
        cursor.execute(
            load_query("log_import"), {"source": source, "detail": detail, "actor": actor.name}
        )
        cursor.execute("commit")
        log_write(cursor, write.write_id, source, detail, actor.name)  # before it says done
    except duckdb.Error as error:
        _rollback(cursor)
        raise StoreError(
            f"Écriture refusée par la base, rien n'a été enregistré : {_cause(error)}"
        ) from None
    except BaseException:
        _rollback(cursor)
        raise
    finally:
        cursor.close()


def _read(cursor: duckdb.DuckDBPyConnection, table: str) -> pl.DataFrame:
    return cursor.sql(load_query(f"read_{table}")).pl()


def write_tables(
    con: duckdb.DuckDBPyConnection,
    frames: Mapping[str, pl.DataFrame],
    *,
    actor: Actor,
    action: str,
    source: str,
    detail: str = "",
    replace: tuple[str, ...] = (),
    remove: Mapping[str, pl.DataFrame] | None = None,
    unchanged_since: Mapping[str, int] | None = None,
    undoes: Mapping[str, Mapping[str, int]] | None = None,
) -> None:
    """Upsert checked frames by key, all in one transaction: all of it is written or nothing.

    Tables named in `replace` are emptied first; the rows whose keys `remove` gives (a frame of
    key columns per table) are deleted first: so rows taken out of an edited table go.
    `unchanged_since` (table → journal entry) refuses the write when the table changed after
    that entry; `undoes` (table → row key → entry) marks an undo's entries.
    """
    remove = remove or {}
    touched = [n for n in TABLE_ORDER if n in frames or n in remove or n in replace]
    with transaction(con, actor=actor, action=action, source=source, detail=detail) as (
        cursor,
        write,
    ):
        for name in touched:
            _refuse_if_changed(cursor, name, (unchanged_since or {}).get(name))
            key = list(TABLES[name].key)
            before = _read(cursor, name)
            if name in replace:
                cursor.execute(load_query(f"clear_{name}"))
            if name in remove:
                cursor.register("removed", remove[name].select(key))
                cursor.execute(load_query(f"delete_{name}"))
                cursor.unregister("removed")
            if name in frames:
                cursor.register("incoming", frames[name].select(TABLES[name].column_names))
                cursor.execute(load_query(f"upsert_{name}"))
                cursor.unregister("incoming")
            after = _read(cursor, name)
            if name not in replace:  # only the rows the write named can have changed
                named = pl.concat(
                    [
                        f.select(pl.col(k).cast(before.schema[k]) for k in key)
                        for f in (frames.get(name), remove.get(name))
                        if f is not None
                    ]
                ).unique()
                before = before.join(named, on=key, how="semi", nulls_equal=True)
                after = after.join(named, on=key, how="semi", nulls_equal=True)
            entries = changes(name, before, after, write)
            if undoes and name in undoes:
                entries = entries.with_columns(
                    pl.col("row_key").replace_strict(undoes[name], default=None).alias("undoes")
                )
            append(cursor, entries, load_query("append_journal"))


def _refuse_if_changed(cursor: duckdb.DuckDBPyConnection, table: str, since: int | None) -> None:
    if since is None:
        return
    later = cursor.sql(
        load_query("later_changes"), params={"table_name": table, "after_id": since}
    ).pl()
    if later.is_empty():
        return
    last = later.row(0, named=True)
    french = TABLES[table].french if table in TABLES else table
    raise StoreConflict(
        f"« {french} » a été modifiée par {last['actor']} le {last['written_at']:%d/%m/%Y à %H:%M} "
        f"(UTC, {last['action']}, {later.height} ligne(s)) depuis que vous l'avez ouverte : "
        "rien n'a été enregistré. Rechargez la page pour voir ses modifications, puis refaites "
        "les vôtres."
    )


def update_settings(
    con: duckdb.DuckDBPyConnection,
    values: dict[str, str],
    *,
    actor: Actor,
    source: str,
    action: str = "settings",
) -> None:
    """Write settings in one transaction, journaled, logged so that caches see the change."""
    detail = ", ".join(values)
    with transaction(con, actor=actor, action=action, source=source, detail=detail) as (
        cursor,
        write,
    ):
        before = _keyed(_read(cursor, "settings"), "key", list(values))
        for key, value in values.items():
            cursor.execute(load_query("upsert_setting"), {"key": key, "value": value})
        after = _keyed(_read(cursor, "settings"), "key", list(values))
        append(cursor, changes("settings", before, after, write), load_query("append_journal"))


def _keyed(frame: pl.DataFrame, column: str, names: list[str]) -> pl.DataFrame:
    return frame.filter(pl.col(column).is_in(names))


def save_scenario(
    con: duckdb.DuckDBPyConnection, name: str, settings_json: str, *, actor: Actor
) -> None:
    """Keep a scenario's settings under a name (replacing one of the same name)."""
    _scenario_write(con, "upsert_scenario", name, {"settings_json": settings_json}, actor,
                    f"{SCENARIO_SOURCE} enregistré")  # fmt: skip


def delete_scenario(con: duckdb.DuckDBPyConnection, name: str, *, actor: Actor) -> None:
    _scenario_write(con, "delete_scenario", name, {}, actor, f"{SCENARIO_SOURCE} supprimé")


def _scenario_write(
    con: duckdb.DuckDBPyConnection,
    statement: str,
    name: str,
    params: dict[str, str],
    actor: Actor,
    source: str,
) -> None:
    # A scenario changes no recorded figure: no backup of the file for it.
    with transaction(
        con, actor=actor, action="scenario", source=source, detail=name, backup=False
    ) as (cursor, write):
        before = _keyed(_read(cursor, "scenarios"), "name", [name]).drop("saved_at")
        cursor.execute(load_query(statement), {"name": name, **params})
        after = _keyed(_read(cursor, "scenarios"), "name", [name]).drop("saved_at")
        append(cursor, changes("scenarios", before, after, write), load_query("append_journal"))


def record_event(
    con: duckdb.DuckDBPyConnection, *, actor: Actor, action: str, source: str, detail: str
) -> None:
    """Journal a write that changes no row by itself (a restore, done on the file)."""
    with transaction(
        con, actor=actor, action=action, source=source, detail=detail, backup=False
    ) as (cursor, write):
        append(cursor, event(write, detail), load_query("append_journal"))


def replace_access_rules(
    con: duckdb.DuckDBPyConnection, rules: pl.DataFrame, *, actor: Actor
) -> None:
    """The access rules an administrator edited (kind, name, role), all replaced at once."""
    with transaction(con, actor=actor, action="roles", source="droits d'accès") as (
        cursor,
        write,
    ):
        before = _read(cursor, "access_rules")
        cursor.execute(load_query("clear_access_rules"))
        cursor.register("incoming", rules.select("kind", "name", "role"))
        cursor.execute(load_query("insert_access_rules"))
        cursor.unregister("incoming")
        after = _read(cursor, "access_rules")
        append(cursor, changes("access_rules", before, after, write), load_query("append_journal"))
