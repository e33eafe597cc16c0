"""Every write of the store: its author's right checked, a backup, one transaction, its journal.

A write names its actor and its action; a role that does not allow the action is refused here,
below the pages (hiding a button is not the protection). The rows it changes are journaled in
the same transaction, with who, when, from where, before and after.

Never a lost update: a save sends only what its author changed, and is refused, naming who
changed what and when, when those rows changed since its author loaded them. A table edit is
checked row by row against the journal; an import, a deliberation or an undo of the table since
counts as changing all of it, a restore as changing every table. Settings and access rules are
checked field by field against the values the form was loaded with.
"""

import contextlib
from collections.abc import Iterator, Mapping

import duckdb
import polars as pl

from spend.domain.access import Actor, require
from spend.domain.french import paris_time
from spend.domain.records import TABLE_ORDER, TABLES
from spend.store.database import (
    TABLE_QUERIES,
    StoreError,
    backup_before_write,
    error_cause,
    load_query,
    log_write,
    rollback,
)
from spend.store.journal import (
    Write,
    append,
    changes,
    event,
    key_text,
    readable_key,
    row_key,
    start_write,
)

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
# Entries of these actions change only their own rows for a later save's conflict check; those
# of any other action (an import, an undo) count as changing every row of their table.
ROW_LEVEL_ACTIONS = [ACTION_WORDS["edit"]]


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
            load_query("append_write_log"),
            {"source": source, "detail": detail, "actor": actor.name, "write_id": write.write_id},
        )
        cursor.execute("commit")
        log_write(cursor, write.write_id, source, detail, actor.name)  # before it says done
    except duckdb.Error as error:
        rollback(cursor)
        raise StoreError(
            f"Écriture refusée par la base, rien n'a été enregistré : {error_cause(error)}"
        ) from None
    except BaseException:
        rollback(cursor)
        raise
    finally:
        cursor.close()


def _read(cursor: duckdb.DuckDBPyConnection, query: str) -> pl.DataFrame:
    """Every row a `read_…` query gives, inside the write's transaction."""
    return cursor.sql(load_query(query)).pl()


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
    `unchanged_since` (table → journal entry) refuses the write when a row it names changed
    after that entry (or the table, for an import or an undo; or the file, for a restore);
    `undoes` (table → row key → entry) marks an undo's entries.
    """
    remove = remove or {}
    frames = {name: _with_defaults(name, frame) for name, frame in frames.items()}
    touched = [n for n in TABLE_ORDER if n in frames or n in remove or n in replace]
    with transaction(con, actor=actor, action=action, source=source, detail=detail) as (
        cursor,
        write,
    ):
        for name in touched:
            key = list(TABLES[name].key)
            before = _read(cursor, TABLE_QUERIES[name].read)
            if unchanged_since and name in unchanged_since and name not in replace:
                named = _named_keys(before, key, frames.get(name), remove.get(name))
                _refuse_if_changed(
                    cursor,
                    name,
                    unchanged_since[name],
                    named.select(row_key(key)).to_series().to_list(),
                    ROW_LEVEL_ACTIONS,
                )
            _put(cursor, name, name in replace, remove.get(name), frames.get(name))
            after = _read(cursor, TABLE_QUERIES[name].read)
            if name not in replace:  # only the rows the write named can have changed
                named = _named_keys(before, key, frames.get(name), remove.get(name))
                before = before.join(named, on=key, how="semi", nulls_equal=True)
                after = after.join(named, on=key, how="semi", nulls_equal=True)
            entries = changes(name, before, after, write)
            if undoes and name in undoes:
                entries = entries.with_columns(
                    pl.col("row_key").replace_strict(undoes[name], default=None).alias("undoes")
                )
            append(cursor, entries, load_query("append_journal"))


def _put(
    cursor: duckdb.DuckDBPyConnection,
    name: str,
    clear: bool,
    removed: pl.DataFrame | None,
    incoming: pl.DataFrame | None,
) -> None:
    """One table's statements, in order: emptied, rows removed by key, rows upserted."""
    queries = TABLE_QUERIES[name]
    if clear:
        cursor.execute(load_query(queries.clear))
    if removed is not None:
        cursor.register("removed", removed.select(list(TABLES[name].key)))
        cursor.execute(load_query(queries.delete))
        cursor.unregister("removed")
    if incoming is not None:
        cursor.register("incoming", incoming.select(TABLES[name].column_names))
        cursor.execute(load_query(queries.upsert))
        cursor.unregister("incoming")


def _with_defaults(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """A frame with its columns' defaults where a cell is blank or the column missing (a budget
    line's figure without a stage is a budget primitif); a text column it lacks, blank."""
    filled = [
        (pl.col(c.name) if c.name in frame.columns else pl.lit(None, dtype=pl.String))
        .fill_null(pl.lit(c.default, dtype=pl.String))
        .alias(c.name)
        for c in TABLES[table].columns
        if c.default is not None or (c.name not in frame.columns and c.kind == "text")
    ]
    return frame.with_columns(filled) if filled else frame


def _named_keys(stored: pl.DataFrame, key: list[str], *frames: pl.DataFrame | None) -> pl.DataFrame:
    """The keys of the rows a write names (to upsert or remove), typed as stored."""
    return pl.concat(
        [f.select(pl.col(k).cast(stored.schema[k]) for k in key) for f in frames if f is not None]
    ).unique()


def later_changes(
    cursor: duckdb.DuckDBPyConnection,
    table: str,
    after_id: int,
    row_keys: list[str] | None,
    row_actions: list[str] | None = None,
) -> pl.DataFrame:
    """The entries after `after_id` that changed those rows of `table` (None: any row), the
    newest first; a restore since counts for every row, and so does an entry of the table whose
    action is not in `row_actions` (when given)."""
    params = {
        "table_name": table,
        "after_id": after_id,
        "row_keys": row_keys,
        "row_actions": row_actions,
    }
    return cursor.sql(load_query("later_changes"), params=params).pl()


def conflict_message(table: str, later: pl.DataFrame, since: str) -> str:
    """Who changed what and when (the newest of `later`), `since` the author loaded it."""
    last = later.row(0, named=True)
    french = _french(table)
    when = f"le {paris_time(last['written_at'])} (heure de Paris"
    key = readable_key(last["row_key"])
    if last["table_name"] is None:
        what = f"La base a été restaurée par {last['actor']} {when})"
    elif table == "settings":
        what = (
            f"Le paramètre « {SETTING_WORDS.get(key, key)} » a été modifié par {last['actor']} "
            f"{when}, {last['action']})"
        )
    elif table == "access_rules":
        what = (
            f"La règle « {key} » des droits d'accès a été modifiée par {last['actor']} "
            f"{when}, {last['action']})"
        )
    elif last["action"] in ROW_LEVEL_ACTIONS or table not in TABLES:
        what = (
            f"La ligne « {key} » de « {french} » a été modifiée par "
            f"{last['actor']} {when}, {last['action']})"
        )
    else:
        rows = later.filter(pl.col("write_id") == last["write_id"]).height
        what = (
            f"« {french} » a été modifiée par {last['actor']} {when}, {last['action']}, "
            f"{rows} ligne(s))"
        )
    return (
        f"{what} {since} : rien n'a été enregistré. Rechargez la page pour voir ses "
        "modifications, puis refaites les vôtres."
    )


def _french(table: str) -> str:
    return TABLES[table].french if table in TABLES else OTHER_FRENCH.get(table, table)


SETTING_WORDS = {
    "vat_rate": "taux de TVA",
    "collectivity_name": "nom de la collectivité",
    "collectivity_siret": "SIRET de la collectivité",
    "backup_keep": "sauvegardes à garder",
}
OTHER_FRENCH = {
    "settings": "Paramètres",
    "access_rules": "Droits d'accès",
    "scenarios": "Scénarios",
}


def _refuse_if_changed(
    cursor: duckdb.DuckDBPyConnection,
    table: str,
    since: int,
    row_keys: list[str] | None,
    row_actions: list[str] | None,
) -> None:
    if row_keys == []:
        return  # the write names no row of the table
    later = later_changes(cursor, table, since, row_keys, row_actions)
    if not later.is_empty():
        raise StoreConflict(conflict_message(table, later, "depuis que vous l'avez ouverte"))


def _refuse_if_not_as_loaded(
    cursor: duckdb.DuckDBPyConnection,
    table: str,
    changed: list[str],
) -> None:
    """A form's save whose fields (their keys) no longer hold the values it was loaded with."""
    if changed:
        later = later_changes(cursor, table, 0, changed)
        message = (
            conflict_message(table, later, "depuis que vous avez ouvert le formulaire")
            if not later.is_empty()
            else f"« {_french(table)} » ont changé depuis que vous avez ouvert le formulaire : "
            "rien n'a été enregistré. Rechargez la page puis refaites vos modifications."
        )
        raise StoreConflict(message)


def update_settings(
    con: duckdb.DuckDBPyConnection,
    values: dict[str, str],
    *,
    actor: Actor,
    source: str,
    action: str = "settings",
    loaded: Mapping[str, str | None] | None = None,
) -> None:
    """Write settings in one transaction, journaled, logged so that caches see the change.

    With `loaded` (each setting written as stored when its form was loaded, None when it was
    not), the save is refused when one of them holds another value now: another
    administrator changed it since. A form sends only the settings its author changed, so two
    saves from one version of the form both go through when they change different settings.
    """
    detail = ", ".join(values)
    with transaction(con, actor=actor, action=action, source=source, detail=detail) as (
        cursor,
        write,
    ):
        before = _keyed(_read(cursor, "read_settings"), "key", list(values))
        if loaded is not None:
            stored = dict(before.select("key", "value").iter_rows())
            moved = [key_text(k) for k in values if stored.get(k) != loaded.get(k)]
            _refuse_if_not_as_loaded(cursor, "settings", moved)
        for key, value in values.items():
            cursor.execute(load_query("upsert_setting"), {"key": key, "value": value})
        after = _keyed(_read(cursor, "read_settings"), "key", list(values))
        append(cursor, changes("settings", before, after, write), load_query("append_journal"))


def _keyed(frame: pl.DataFrame, column: str, names: list[str]) -> pl.DataFrame:
    return frame.filter(pl.col(column).is_in(names))


def save_scenario(
    con: duckdb.DuckDBPyConnection, name: str, settings_json: str, *, actor: Actor
) -> None:
    """Keep a scenario's settings under a name (replacing one of the same name)."""
    _scenario_write(
        con,
        "upsert_scenario",
        name,
        {"settings_json": settings_json},
        actor,
        f"{SCENARIO_SOURCE} enregistré",
    )


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
        before = _keyed(_read(cursor, "read_scenarios"), "name", [name]).drop("saved_at")
        cursor.execute(load_query(statement), {"name": name, **params})
        after = _keyed(_read(cursor, "read_scenarios"), "name", [name]).drop("saved_at")
        append(cursor, changes("scenarios", before, after, write), load_query("append_journal"))


def record_event(
    con: duckdb.DuckDBPyConnection, *, actor: Actor, action: str, source: str, detail: str
) -> None:
    """Journal a write that changes no row by itself (a restore, done on the file)."""
    with transaction(
        con, actor=actor, action=action, source=source, detail=detail, backup=False
    ) as (cursor, write):
        append(cursor, event(write, detail), load_query("append_journal"))


RULE_KEY = ["kind", "name"]


def replace_access_rules(
    con: duckdb.DuckDBPyConnection,
    rules: pl.DataFrame,
    *,
    actor: Actor,
    loaded: pl.DataFrame | None = None,
) -> int:
    """The access rules an administrator edited (kind, name, role); returns how many changed.

    Without `loaded`, the rules replace all those stored. With `loaded` (the rules the editor
    showed), only the rules added, removed or changed since them are written, and the save is
    refused when one of those is no longer as loaded: a rule another administrator added
    meanwhile stays.
    """
    rules = rules.select("kind", "name", "role")
    if loaded is not None:
        loaded = loaded.select("kind", "name", "role")
        touched = _differing(loaded, rules, RULE_KEY)
        if touched.is_empty():
            return 0  # nothing changed in the editor: nothing to write
    with transaction(con, actor=actor, action="roles", source="droits d'accès") as (
        cursor,
        write,
    ):
        stored = _read(cursor, "read_access_rules")
        if loaded is None:
            touched = pl.concat([stored, rules]).select(RULE_KEY).unique()
        else:
            moved = _differing(
                loaded.join(touched, on=RULE_KEY, how="semi"),
                stored.join(touched, on=RULE_KEY, how="semi"),
                RULE_KEY,
            )
            _refuse_if_not_as_loaded(
                cursor, "access_rules", moved.select(row_key(RULE_KEY)).to_series().to_list()
            )
        before = stored.join(touched, on=RULE_KEY, how="semi")
        cursor.register("removed", touched)
        cursor.execute(load_query("delete_access_rules"))
        cursor.unregister("removed")
        cursor.register("incoming", rules.join(touched, on=RULE_KEY, how="semi"))
        cursor.execute(load_query("insert_access_rules"))
        cursor.unregister("incoming")
        after = _read(cursor, "read_access_rules").join(touched, on=RULE_KEY, how="semi")
        entries = changes("access_rules", before, after, write)
        append(cursor, entries, load_query("append_journal"))
    return entries.height


def _differing(old: pl.DataFrame, new: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """The keys of the rows added, removed or changed from `old` to `new`."""
    gone = old.join(new, on=old.columns, how="anti", nulls_equal=True).select(key)
    came = new.join(old, on=new.columns, how="anti", nulls_equal=True).select(key)
    return pl.concat([gone, came]).unique()
