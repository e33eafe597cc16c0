"""The shared sidebar: year, central and reference date, read from and written to the address."""

import datetime as dt
import re
from dataclasses import dataclass

import polars as pl
import streamlit as st

from spend.ui.access import sign_in_configured, who_line
from spend.ui.authority import authority_widget
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


# What an address may say, in ASCII digits only (str.isdigit and int() accept '²' or '٢٠٢٢').
_YEAR = re.compile(r"[0-9]{4}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SHOWN_CHARS = 40  # of a value a notice quotes


@dataclass(frozen=True)
class AddressFilters:
    """The filters an address asks for, each None when absent or not understood, and a French
    notice per value ignored."""

    year: int | None
    body: str | None
    today: dt.date | None
    notices: list[str]


def _quoted(value: str) -> str:
    return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"


def address_filters(params: dict[str, str], years: list[int], bodies: list[str]) -> AddressFilters:
    """Read `annee`, `centrale` and `date` strictly: ASCII digits, the years and centrals the
    data holds, dates from 1990 to 2100. Anything else is ignored and said, never raised."""
    notices = []
    year = body = today = None
    wanted = params.get("annee", "")
    if wanted:
        if _YEAR.fullmatch(wanted) and int(wanted) in years:
            year = int(wanted)
        else:
            notices.append(f"l'exercice « {_quoted(wanted)} » n'existe pas dans les données")
    wanted = params.get("centrale", "")
    if wanted:
        if wanted in bodies:
            body = wanted
        else:
            notices.append(f"la centrale « {_quoted(wanted)} » n'est pas enregistrée")
    wanted = params.get("date", "")
    if wanted:
        try:
            asked = dt.date.fromisoformat(wanted) if _DATE.fullmatch(wanted) else None
        except ValueError:
            asked = None
        # A date from a link is kept within the years the data may hold (1990–2100).
        if asked is not None and FIRST_DAY <= asked <= LAST_DAY:
            today = asked
        else:
            notices.append(
                f"la date « {_quoted(wanted)} » n'est pas une date du 01/01/1990 au 31/12/2100 "
                "(attendu : AAAA-MM-JJ)"
            )
    return AddressFilters(year, body, today, notices)


def address_notice(notices: list[str]) -> str | None:
    """One French sentence for the values of an address that were ignored."""
    if not notices:
        return None
    return "Adresse de la page : " + " ; ".join(notices) + " (ignoré : filtres par défaut)."


def _chosen() -> tuple[object, ...]:
    state = st.session_state
    return state.get("filter_year"), state.get("filter_body"), state.get("filter_today")


def sidebar() -> Filters:
    """The shared filters, initialised from the URL and written back to it."""
    choices = cached_filter_choices(data_version())
    if "filter_ready" not in st.session_state:
        _start_from_address(choices)
    with st.sidebar:
        authority_widget()
        _filter_widgets(choices)
        _who_and_where()
    year = st.session_state.get("filter_year") if choices.years else None
    body = st.session_state.filter_body
    filters = Filters(year, None if body == ALL_BODIES else body, st.session_state.filter_today)
    _write_address(filters)
    return filters


def _start_from_address(choices: FilterChoices) -> None:
    """The filters of a session's first run, from its address (or the defaults)."""
    st.session_state.filter_ready = True
    asked = address_filters(st.query_params.to_dict(), choices.years, list(choices.body_names))
    today = asked.today or dt.date.today()
    st.session_state.filter_today = today
    st.session_state.filter_year = asked.year or _default_year(
        choices.years, today, choices.credit_years
    )
    st.session_state.filter_body = asked.body or ALL_BODIES
    # Said until the reader changes a filter (the page's first runs would hide it).
    st.session_state.filter_notice = (address_notice(asked.notices), _chosen())


def _filter_widgets(choices: FilterChoices) -> None:
    years, names = choices.years, choices.body_names
    st.markdown("### Filtres")
    notice, chosen_then = st.session_state.get("filter_notice", (None, None))
    if notice and chosen_then == _chosen():
        st.warning(inert(notice), icon=":material/link_off:")
    if years:
        if st.session_state.get("filter_year") not in years:
            st.session_state.filter_year = _default_year(
                years, st.session_state.filter_today, choices.credit_years
            )
        st.selectbox("Exercice budgétaire", years, key="filter_year")
    st.selectbox(
        "Centrale d'achat",
        [ALL_BODIES, *names],
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


def _who_and_where() -> None:
    """Who acts, where the figures come from, and what limits this base."""
    actor = st.session_state.get("actor")
    if actor is not None:
        st.text(who_line(actor))  # plain text: an e-mail address is not made a link
        if sign_in_configured():
            st.button(
                "Se déconnecter", on_click=st.logout, key="access_logout", icon=":material/logout:"
            )
    st.caption(provenance())
    warning = synthetic()
    if warning:
        st.warning(warning, icon=":material/science:")
    if read_only():
        st.warning(
            "Base en lecture seule : consultation seulement, aucune écriture possible.",
            icon=":material/lock:",
        )


def _write_address(filters: Filters) -> None:
    """The filters kept in the page's address (the defaults left out)."""
    shared = {
        "annee": str(filters.year) if filters.year else None,
        "centrale": filters.body_id,
        "date": None if filters.today == dt.date.today() else filters.today.isoformat(),
    }
    for name, value in shared.items():
        if value is None:
            if name in st.query_params:
                del st.query_params[name]
        elif st.query_params.get(name) != value:
            st.query_params[name] = value
