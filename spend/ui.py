"""The only module of the package that speaks to Streamlit: cached connection and figures."""

import duckdb
import streamlit as st

from spend.bootstrap import open_database
from spend.paths import default_db_path
from spend.reports import Figures, compute, load_inputs


@st.cache_resource
def database() -> duckdb.DuckDBPyConnection:
    """One connection per process; every query takes its own cursor."""
    return open_database(default_db_path())


def figures(con: duckdb.DuckDBPyConnection) -> Figures:
    return compute(load_inputs(con))
