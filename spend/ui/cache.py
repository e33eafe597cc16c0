"""What the pages read, cached by purpose.

The connection is a resource shared by the process. Inputs, figures, the conventions table and
the alerts are keyed on the database's write counter (and the scenario's settings, or the
reference date), so a slider move recomputes from memory and a write makes every key new.
They are kept as shared resources, not copied per reader: Polars frames are never changed in
place, and copying a hundred thousand conventions' titles at each rerun (as st.cache_data
does, through pickle) cost more than computing them.
"""

import datetime as dt

import duckdb
import polars as pl
import streamlit as st

from spend import store
from spend.domain.conventions import convention_table
from spend.domain.fees import EngineInputs
from spend.domain.figures import Figures, compute
from spend.domain.records import TABLES
from spend.domain.scenario import Scenario
from spend.domain.what_if import run
from spend.exchange.editing import EditPage, edit_page
from spend.exchange.seed import open_database
from spend.paths import default_db_path
from spend.views.alerts import all_alerts
from spend.views.provenance import provenance_text, synthetic_warning


@st.cache_resource(show_spinner=False)
def database() -> duckdb.DuckDBPyConnection:
    """One connection per process; every query takes its own cursor."""
    return open_database(default_db_path())


def data_version() -> str:
    row = store.query(database(), "data_version").row(0)
    return f"{row[0]}:{row[1]}"


@st.cache_resource(show_spinner=False, max_entries=2)
def cached_inputs(version: str) -> EngineInputs:
    return store.load_inputs(database())


@st.cache_resource(show_spinner=False, max_entries=2)
def cached_baseline(version: str) -> Figures:
    return compute(cached_inputs(version))


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_scenario(version: str, scenario_json: str) -> Figures:
    return run(cached_inputs(version), Scenario.from_json(scenario_json))


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
    return store.read_all(database())


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_edit_page(version: str, table: str, search: str, page: int) -> EditPage:
    """A page of a stored table as the editor shows it (text of 10⁵ rows is worth keeping)."""
    return edit_page(cached_tables(version)[table], TABLES[table], search, page)


COMPUTED = (
    cached_inputs,
    cached_baseline,
    cached_scenario,
    cached_conventions,
    cached_alerts,
    cached_tables,
    cached_edit_page,
)


def after_write() -> None:
    """Forget every computed frame and text: the data changed (the connection stays)."""
    for cached in COMPUTED:
        cached.clear()
    st.cache_data.clear()


def provenance() -> str:
    """Where the figures come from, said wherever they are shown."""
    return cached_provenance(data_version())


@st.cache_data(show_spinner=False, max_entries=4)
def cached_provenance(version: str) -> str:
    con = database()
    return provenance_text(store.query(con, "last_import"), store.settings(con))


def synthetic() -> str | None:
    """A warning when the figures are demonstration data, else None."""
    return cached_synthetic(data_version())


@st.cache_data(show_spinner=False, max_entries=4)
def cached_synthetic(version: str) -> str | None:
    return synthetic_warning(store.query(database(), "synthetic_writes"))
