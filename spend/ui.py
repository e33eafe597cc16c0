"""The only module of the package that speaks to Streamlit: caches, sidebar filters, tables.

Caching is split by purpose: the connection is a resource shared by the process; inputs and
figures are data keyed on the database's write counter (and the scenario's settings), so a
slider move recomputes from memory and a write makes every cache key new.
"""

import contextlib
import datetime as dt
import runpy
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import altair as alt
import duckdb
import polars as pl
import streamlit as st

from spend import store
from spend.bootstrap import open_database
from spend.engine import EngineInputs
from spend.exports import csv_bytes, xlsx_bytes
from spend.formatting import display_frame, french_date
from spend.labels import labels_for
from spend.paths import ROOT, default_db_path
from spend.reports import Figures, compute, load_inputs
from spend.scenario import Scenario, run


@st.cache_resource(show_spinner=False)
def database() -> duckdb.DuckDBPyConnection:
    """One connection per process; every query takes its own cursor."""
    return open_database(default_db_path())


def data_version() -> str:
    row = store.query(database(), "data_version").row(0)
    return f"{row[0]}:{row[1]}"


@st.cache_data(show_spinner=False, max_entries=4)
def cached_inputs(version: str) -> EngineInputs:
    return load_inputs(database())


@st.cache_data(show_spinner=False, max_entries=64)
def cached_figures(version: str, scenario_json: str = "{}") -> Figures:
    inputs = cached_inputs(version)
    if scenario_json == "{}":
        return compute(inputs)
    return run(inputs, Scenario.from_json(scenario_json))


def after_write() -> None:
    """Forget every computed frame: the data changed."""
    st.cache_data.clear()


def ensure_router() -> None:
    """Run the page through app.py when Streamlit started it on its own.

    Until a process has run app.py's st.navigation once, Streamlit serves pages/ by itself
    (its older multipage mode): the first visitor of /fees would get the page without the
    sidebar. Running the router here renders the same page properly, then stops this run.
    """
    if getattr(_router, "active", False):
        return
    runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
    st.stop()


_router = threading.local()  # set while app.py runs a page, in that script thread


@contextlib.contextmanager
def routed() -> Iterator[None]:
    """Mark the page run as coming from the router (see ensure_router)."""
    _router.active = True
    try:
        yield
    finally:
        _router.active = False


@dataclass(frozen=True)
class Filters:
    year: int | None
    body_id: str | None
    today: dt.date


@dataclass(frozen=True)
class PageData:
    """What a page reads: the sidebar's filters and the recorded data with its figures."""

    filters: Filters
    version: str
    inputs: EngineInputs
    figures: Figures


def page_data() -> PageData:
    """Start a page: through the router, then the filters and cached figures it shows."""
    ensure_router()
    version = data_version()
    return PageData(
        st.session_state.filters, version, cached_inputs(version), cached_figures(version)
    )


ALL_BODIES = "Toutes les centrales"


def _default_year(years: list[int], today: dt.date, years_with_credits: list[int]) -> int | None:
    """This year if it has data, else the last year with credits, else the last year."""
    if not years:
        return None
    if today.year in years:
        return today.year
    past_credits = [y for y in years_with_credits if y <= today.year]
    return max(past_credits) if past_credits else max(years)


def sidebar() -> Filters:
    """The shared filters, initialised from the URL and written back to it."""
    version = data_version()
    inputs = cached_inputs(version)
    figures = cached_figures(version)
    years = sorted(set(figures.balance["year"].to_list()) | set(figures.titles["year"].to_list()))
    credit_years = figures.balance.filter(pl.col("has_credits"))["year"].to_list()
    bodies = inputs.bodies["body_id"].to_list()
    names = dict(zip(bodies, inputs.bodies["name"].to_list(), strict=True))
    params = st.query_params

    if "filter_ready" not in st.session_state:
        st.session_state.filter_ready = True
        today = dt.date.today()
        with contextlib.suppress(ValueError):
            today = dt.date.fromisoformat(params.get("date", ""))
        st.session_state.filter_today = today
        wanted = params.get("annee", "")
        year = int(wanted) if wanted.isdigit() and int(wanted) in years else None
        st.session_state.filter_year = year or _default_year(years, today, credit_years)
        body = params.get("centrale", "")
        st.session_state.filter_body = body if body in bodies else ALL_BODIES

    with st.sidebar:
        st.markdown("### Filtres")
        if years:
            if st.session_state.get("filter_year") not in years:
                st.session_state.filter_year = _default_year(
                    years, st.session_state.filter_today, credit_years
                )
            st.selectbox("Exercice budgétaire", years, key="filter_year")
        st.selectbox(
            "Centrale d'achat",
            [ALL_BODIES, *bodies],
            key="filter_body",
            format_func=lambda b: b if b == ALL_BODIES else f"{b} — {names.get(b, '')}",
        )
        st.date_input("Date de référence (échéances)", key="filter_today", format="DD/MM/YYYY")
        st.caption(provenance())

    year = st.session_state.get("filter_year") if years else None
    body = st.session_state.filter_body
    today = st.session_state.filter_today
    shared = {
        "annee": str(year) if year else None,
        "centrale": None if body == ALL_BODIES else body,
    }
    shared["date"] = None if today == dt.date.today() else today.isoformat()
    for name, value in shared.items():
        if value is None:
            if name in st.query_params:
                del st.query_params[name]
        elif st.query_params.get(name) != value:
            st.query_params[name] = value
    return Filters(year, None if body == ALL_BODIES else body, today)


def provenance() -> str:
    """Where the figures come from, said wherever they are shown."""
    return cached_provenance(data_version())


@st.cache_data(show_spinner=False, max_entries=4)
def cached_provenance(version: str) -> str:
    last = store.query(database(), "last_import")
    if last.is_empty():
        return "Données : base vide."
    source = last["source"][0]
    when = last["imported_at"][0]
    if source == "seed":
        return (
            "Données : jeu initial issu de la délibération n° 2022-504 de la Commission "
            f"Permanente du Pas-de-Calais (13/12/2022), chargé le {french_date(when.date())}."
        )
    return (
        f"Données : dernière modification « {source} » le {french_date(when.date())} "
        f"à {when:%H:%M}."
    )


def table(
    frame: pl.DataFrame,
    *,
    key: str,
    file_stem: str,
    sheet: str = "Données",
    height: int | None = None,
) -> None:
    """A table in French with its three downloads: CSV Excel (FR), CSV standard, XLSX."""
    labels = labels_for(frame.columns)
    st.dataframe(
        display_frame(frame, labels),
        hide_index=True,
        height=height if height else "auto",
    )
    download_row(
        [
            Download(
                "CSV Excel (FR)",
                lambda: csv_bytes(frame, "excel_fr", labels),
                f"{file_stem}.csv",
                CSV,
                "Séparateur « ; », virgule décimale, en-têtes en français : pour Excel.",
            ),
            Download(
                "CSV standard",
                lambda: csv_bytes(frame, "standard"),
                f"{file_stem}_standard.csv",
                CSV,
                "Format d'échange : séparateur « , », point décimal, dates ISO ; réimportable.",
            ),
            Download("Excel (XLSX)", lambda: xlsx_bytes({sheet: frame}, labels),
                     f"{file_stem}.xlsx", XLSX),
        ],
        key=key,
    )  # fmt: skip


CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"


@dataclass(frozen=True)
class Download:
    label: str
    make: Callable[[], bytes]  # called only when the user clicks
    file_name: str
    mime: str
    help: str | None = None


def download_row(downloads: list[Download], *, key: str) -> None:
    """Download buttons side by side; the file is made on the click, not on every rerun."""
    row = st.container(horizontal=True, gap="small")
    for index, download in enumerate(downloads):
        row.download_button(
            download.label,
            data=download.make,
            file_name=download.file_name,
            mime=download.mime,
            key=f"{key}_download_{index}",
            on_click="ignore",
            icon=":material/download:",
            help=download.help,
        )


def page_header(title: str, intro: str) -> None:
    st.title(title)
    st.caption(intro)


def chart(figure: alt.TopLevelMixin) -> None:
    """An Altair chart at the full width, at the height its builder chose."""
    height = getattr(figure, "height", None)
    st.altair_chart(figure, height=height if isinstance(height, int) else "content")
