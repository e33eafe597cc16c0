"""The shared sidebar: year, central and reference date, read from and written to the address."""

import contextlib
import datetime as dt
from dataclasses import dataclass

import polars as pl
import streamlit as st

from spend.ui.access import sign_in_configured, who_line
from spend.ui.cache import (
    cached_figures,
    cached_inputs,
    data_version,
    provenance,
    read_only,
    synthetic,
)
from spend.views.formatting import inert


@dataclass(frozen=True)
class FilterChoices:
    years: list[int]  # with credits or titles
    credit_years: list[int]
    body_names: dict[str, str]


@st.cache_resource(show_spinner=False, max_entries=2)
def cached_filter_choices(version: str) -> FilterChoices:
    """What the filters offer, worked out once per version of the data."""
    inputs, figures = cached_inputs(version), cached_figures(version)
    years = pl.concat([figures.balance["year"], figures.titles["year"]]).unique().sort()
    return FilterChoices(
        years=years.to_list(),
        credit_years=figures.balance.filter(pl.col("has_credits"))["year"].to_list(),
        body_names=dict(inputs.bodies.select("body_id", "name").iter_rows()),
    )


@dataclass(frozen=True)
class Filters:
    year: int | None
    body_id: str | None
    today: dt.date


ALL_BODIES = "Toutes les centrales"
FIRST_DAY, LAST_DAY = dt.date(1990, 1, 1), dt.date(2100, 12, 31)


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
    choices = cached_filter_choices(data_version())
    years, credit_years, names = choices.years, choices.credit_years, choices.body_names
    bodies = list(names)
    params = st.query_params

    if "filter_ready" not in st.session_state:
        st.session_state.filter_ready = True
        today = dt.date.today()
        with contextlib.suppress(ValueError):
            asked = dt.date.fromisoformat(params.get("date", ""))
            # A date from a link is kept within the years the data may hold (1990–2100).
            if FIRST_DAY <= asked <= LAST_DAY:
                today = asked
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
        st.date_input(
            "Date de référence (échéances)",
            key="filter_today",
            format="DD/MM/YYYY",
            min_value=FIRST_DAY,
            max_value=LAST_DAY,
        )
        actor = st.session_state.get("actor")
        if actor is not None:
            st.caption(inert(who_line(actor)))
            if sign_in_configured():
                st.button("Se déconnecter", on_click=st.logout, key="access_logout",
                          icon=":material/logout:")  # fmt: skip
        st.caption(provenance())
        warning = synthetic()
        if warning:
            st.warning(warning, icon=":material/science:")
        if read_only():
            st.warning(
                "Base en lecture seule : consultation seulement, aucune écriture possible.",
                icon=":material/lock:",
            )

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
