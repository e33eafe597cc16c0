"""What the pages read, cached by purpose.

The connection is a resource shared by the process. Inputs, figures, the conventions table and
the alerts are keyed on the database's write counter (and the scenario's settings, or the
reference date), so a slider move recomputes from memory and a write makes every key new.
They are kept as shared resources, not copied per reader: Polars frames are never changed in
place, and copying a hundred thousand conventions' titles at each rerun (as st.cache_data
does, through pickle) cost more than computing them.
"""

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import duckdb
import polars as pl
import streamlit as st

from spend import store
from spend.domain.access import Actor
from spend.domain.conventions import convention_table
from spend.domain.fees import EngineInputs
from spend.domain.figures import Figures, compute
from spend.domain.records import TABLES
from spend.domain.scenario import Scenario
from spend.domain.what_if import run, title_terms
from spend.exchange.editing import EditPage, edit_page
from spend.paths import default_db_path
from spend.store.restore import restore
from spend.store.users import register_user
from spend.views.alerts import all_alerts
from spend.views.formatting import with_grouped_amounts
from spend.views.provenance import provenance_text, synthetic_warning
from spend.views.scenario_form import FormChoices, form_choices


@contextlib.contextmanager
def session() -> Iterator[duckdb.DuckDBPyConnection]:
    """The database for one piece of work, then free for the command line and other servers.

    The dashboard never creates the file (`make run` runs `init` the first time): a missing
    one is said in French with its latest backup. This process is registered as one of its
    users, so that `python -m spend init --force` does not remove it under the dashboard.
    """
    path = default_db_path()
    register_user(path)
    with store.session(path) as con:
        yield con


def backups() -> list[store.Backup]:
    """The backups of the dashboard's database, the newest first."""
    return store.list_backups(default_db_path())


def restore_backup(backup: Path, actor: Actor) -> None:
    """Put a backup in place of the database (after a backup of it), then forget the figures."""
    restore(default_db_path(), backup, actor=actor)
    after_write()


def last_journal_entry(version: str) -> int | None:
    """The newest journal entry at `version` (0 when none): what an editor remembers when it
    loads a table, to refuse a save on rows changed since (a restore, journaled without a
    table, counts for every table). None when the base was written since `version` was read:
    the page's rows may then be older than the entry, and the page reads the base again."""
    with session() as con:
        if _version(store.query(con, "data_version").row(0)) != version:
            return None
        return int(store.query(con, "last_journal_id", table_name=None)["last_id"][0])


def _version(row: tuple) -> str:
    """The caches' key: the count and time of the writes of recorded data."""
    return f"{row[0]}:{row[1]}"


@st.cache_resource(show_spinner=False, max_entries=2)
def cached_access_rules(version: str) -> pl.DataFrame:
    with session() as con:
        return store.query(con, "read_access_rules")


class StoreState(NamedTuple):
    """What a run's caches are keyed on, read once per run."""

    version: str  # the count and time of the writes of recorded data
    read_only: bool  # the file cannot be written
    scenarios_version: str  # changes when a scenario is saved or deleted


def read_store_state() -> None:
    """Read once per run what the run's caches are keyed on: the write counter, and whether the
    file can be written. Another process's write is seen at the next run.

    The file is opened only when it changed on disk since it was last read (its size, time and
    identity, and its write-ahead log's): a run of an idle dashboard costs a few system calls.
    """
    path = default_db_path()
    stamp = _file_stamp(path)
    known = _state_by_stamp.get(path)
    if stamp is not None and known is not None and known[0] == stamp:
        st.session_state["store_state"] = known[1]
        return
    with session() as con:
        row = store.query(con, "data_version").row(0)
        read_only = store.is_read_only(con)
    state = StoreState(_version(row), read_only, str(row[2]))
    st.session_state["store_state"] = state
    # Stamped after the session: its own opening (migrations, a checkpoint) is not a change.
    _state_by_stamp[path] = (_file_stamp(path), state)


_state_by_stamp: dict[Path, tuple[object, StoreState]] = {}


def _file_stamp(path: Path) -> tuple[tuple[int, int, int, int], ...] | None:
    """What changes on disk when any process writes the database."""
    stamps = []
    for file in (path, path.with_name(f"{path.name}.wal")):
        try:
            info = file.stat()
        except FileNotFoundError:
            stamps.append((0, 0, 0, 0))
            continue
        stamps.append((info.st_ino, info.st_size, info.st_mtime_ns, info.st_mode))
    return tuple(stamps) if stamps[0] != (0, 0, 0, 0) else None


def store_state() -> StoreState:
    """This run's state of the store (read at the run's first need)."""
    if "store_state" not in st.session_state:
        read_store_state()
    state: StoreState = st.session_state["store_state"]
    return state


def data_version() -> str:
    return store_state().version


def scenarios_version() -> str:
    """Changes when a scenario is saved or deleted (the figures' version does not)."""
    return store_state().scenarios_version


def read_only() -> bool:
    """The database file cannot be written: the pages say so and offer no write."""
    return store_state().read_only


@st.cache_resource(show_spinner=False, max_entries=2)
def cached_inputs(version: str) -> EngineInputs:
    with session() as con:
        return store.load_inputs(con)


@st.cache_resource(show_spinner=False, max_entries=2)
def cached_baseline(version: str) -> Figures:
    return compute(cached_inputs(version))


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_scenario(version: str, scenario_json: str) -> Figures:
    # From the recorded figures: only what the scenario changes is computed again.
    return run(
        cached_inputs(version),
        Scenario.from_json(scenario_json),
        cached_baseline(version),
        cached_title_terms(version),
    )


@st.cache_resource(show_spinner=False, max_entries=2)
def cached_title_terms(version: str) -> pl.DataFrame:
    return title_terms(cached_inputs(version))


def cached_figures(version: str, scenario_json: str = "{}") -> Figures:
    """The recorded figures, or those of a scenario (its settings as JSON)."""
    if scenario_json == "{}":
        return cached_baseline(version)
    return cached_scenario(version, scenario_json)


@st.cache_resource(show_spinner=False, max_entries=2)
def cached_conventions(version: str) -> pl.DataFrame:
    return convention_table(cached_inputs(version))


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_alerts(version: str, today: dt.date) -> pl.DataFrame:
    figures = cached_baseline(version)
    return all_alerts(figures.balance, cached_conventions(version), figures.titles, today)


@st.cache_resource(show_spinner=False, max_entries=2)
def cached_tables(version: str) -> dict[str, pl.DataFrame]:
    """Every table as stored (the Données page's editor and exports)."""
    with session() as con:
        return store.read_all(con)


@st.cache_resource(show_spinner=False, max_entries=2)
def cached_form_choices(version: str) -> FormChoices:
    """What the simulation's widgets offer (a hundred thousand conventions' ids among it)."""
    return form_choices(cached_inputs(version))


@st.cache_resource(show_spinner=False, max_entries=2)
def cached_settings(version: str) -> dict[str, str]:
    with session() as con:
        return store.settings(con)


@st.cache_resource(show_spinner=False, max_entries=2)
def cached_scenarios(version: str) -> dict[str, str]:
    """Saved scenarios by name; `version` is `scenarios_version()`."""
    with session() as con:
        return store.saved_scenarios(con)


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_edit_page(version: str, table: str, search: str, page: int) -> EditPage:
    """A page of a stored table as the editor shows it (text of 10⁵ rows is worth keeping),
    amounts with their thousands grouped (« 3 000,00 », read back as typed)."""
    shown = edit_page(cached_tables(version)[table], TABLES[table], search, page)
    return dataclasses.replace(shown, rows=with_grouped_amounts(shown.rows, TABLES[table]))


COMPUTED = (
    cached_inputs,
    cached_baseline,
    cached_scenario,
    cached_conventions,
    cached_alerts,
    cached_tables,
    cached_edit_page,
    cached_settings,
    cached_scenarios,
    cached_form_choices,
    cached_title_terms,
    cached_access_rules,
)


def after_scenario_write() -> None:
    """A scenario saved or deleted: only the list of scenarios is read again."""
    cached_scenarios.clear()
    read_store_state()


def after_write() -> None:
    """Forget every computed frame and text: the data changed (the connection stays)."""
    for cached in COMPUTED:
        cached.clear()
    st.cache_data.clear()
    read_store_state()


def provenance() -> str:
    """Where the figures come from, said wherever they are shown."""
    return cached_provenance(data_version())


@st.cache_data(show_spinner=False, max_entries=4)
def cached_provenance(version: str) -> str:
    with session() as con:
        return provenance_text(store.query(con, "last_write"), store.settings(con))


def synthetic() -> str | None:
    """A warning when the figures are demonstration data, else None."""
    return cached_synthetic(data_version())


@st.cache_data(show_spinner=False, max_entries=4)
def cached_synthetic(version: str) -> str | None:
    with session() as con:
        return synthetic_warning(store.query(con, "synthetic_writes"))
