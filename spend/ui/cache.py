"""What the pages read, cached by purpose.

The connection is a resource shared by the process; inputs and figures are data keyed on the
database's write counter (and the scenario's settings), so a slider move recomputes from memory
and a write makes every cache key new.
"""

import duckdb
import streamlit as st

from spend import store
from spend.domain.fees import EngineInputs
from spend.domain.figures import Figures, compute
from spend.domain.scenario import Scenario
from spend.domain.what_if import run
from spend.exchange.seed import open_database
from spend.paths import default_db_path
from spend.views.provenance import provenance_text


@st.cache_resource(show_spinner=False)
def database() -> duckdb.DuckDBPyConnection:
    """One connection per process; every query takes its own cursor."""
    return open_database(default_db_path())


def data_version() -> str:
    row = store.query(database(), "data_version").row(0)
    return f"{row[0]}:{row[1]}"


@st.cache_data(show_spinner=False, max_entries=4)
def cached_inputs(version: str) -> EngineInputs:
    return store.load_inputs(database())


@st.cache_data(show_spinner=False, max_entries=64)
def cached_figures(version: str, scenario_json: str = "{}") -> Figures:
    inputs = cached_inputs(version)
    if scenario_json == "{}":
        return compute(inputs)
    return run(inputs, Scenario.from_json(scenario_json))


def after_write() -> None:
    """Forget every computed frame: the data changed."""
    st.cache_data.clear()


def provenance() -> str:
    """Where the figures come from, said wherever they are shown."""
    return cached_provenance(data_version())


@st.cache_data(show_spinner=False, max_entries=4)
def cached_provenance(version: str) -> str:
    con = database()
    return provenance_text(store.query(con, "last_import"), store.settings(con))
