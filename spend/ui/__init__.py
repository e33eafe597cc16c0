"""The only package that speaks to Streamlit: caches, routing, the sidebar, page furniture.

Pages import `from spend import ui` and call what is listed here; nothing else in `spend`
imports streamlit (a test holds it).
"""

from spend.ui.cache import (
    after_write,
    cached_figures,
    cached_inputs,
    data_version,
    database,
    provenance,
)
from spend.ui.page import PageData, page_data
from spend.ui.routing import ensure_router, routed
from spend.ui.sidebar import ALL_BODIES, Filters, sidebar
from spend.ui.widgets import (
    CSV,
    XLSX,
    ZIP,
    Download,
    chart,
    download_row,
    page_header,
    speak_french,
    table,
)

__all__ = [
    "ALL_BODIES",
    "CSV",
    "XLSX",
    "ZIP",
    "Download",
    "Filters",
    "PageData",
    "after_write",
    "cached_figures",
    "cached_inputs",
    "chart",
    "data_version",
    "database",
    "download_row",
    "ensure_router",
    "page_data",
    "page_header",
    "provenance",
    "routed",
    "sidebar",
    "speak_french",
    "table",
]
