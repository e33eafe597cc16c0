"""What a page starts with: the router, the sidebar's filters, the recorded data and its figures."""

from dataclasses import dataclass

import streamlit as st

from spend.domain.access import Actor
from spend.domain.fees import EngineInputs
from spend.domain.figures import Figures
from spend.ui.cache import cached_figures, cached_inputs, data_version
from spend.ui.routing import ensure_router
from spend.ui.sidebar import Filters


@dataclass(frozen=True)
class PageData:
    """What a page reads: the sidebar's filters and the recorded data with its figures."""

    filters: Filters
    version: str
    inputs: EngineInputs
    figures: Figures
    actor: Actor


def page_data() -> PageData:
    """Start a page: through the router, then the filters and cached figures it shows."""
    ensure_router()
    version = data_version()
    return PageData(
        st.session_state.filters,
        version,
        cached_inputs(version),
        cached_figures(version),
        actor(),
    )


def actor() -> Actor:
    """Who this run acts for (set by the router at the start of every run)."""
    return st.session_state.actor
