"""The only package that speaks to Streamlit: caches, routing, the sidebar, page furniture.

Pages import `from spend import ui` and call what is listed here; nothing else in `spend`
imports streamlit (a test holds it).
"""

from spend.ui.cache import (
    after_write,
    backups,
    cached_alerts,
    cached_conventions,
    cached_edit_page,
    cached_figures,
    cached_form_choices,
    cached_inputs,
    cached_scenarios,
    cached_settings,
    cached_tables,
    data_version,
    provenance,
    read_only,
    read_store_state,
    restore_backup,
    session,
)
from spend.ui.page import (
    PageData,
    page_data,
)
from spend.ui.reading import (
    MAX_DELIBERATION_MB,
    read_uploaded_deliberation,
)
from spend.ui.routing import (
    ensure_router,
    routed,
)
from spend.ui.sidebar import (
    ALL_BODIES,
    Filters,
    sidebar,
)
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
    "MAX_DELIBERATION_MB",
    "XLSX",
    "ZIP",
    "Download",
    "Filters",
    "PageData",
    "after_write",
    "backups",
    "cached_alerts",
    "cached_conventions",
    "cached_edit_page",
    "cached_figures",
    "cached_form_choices",
    "cached_inputs",
    "cached_scenarios",
    "cached_settings",
    "cached_tables",
    "chart",
    "data_version",
    "download_row",
    "ensure_router",
    "page_data",
    "page_header",
    "provenance",
    "read_only",
    "read_store_state",
    "read_uploaded_deliberation",
    "restore_backup",
    "routed",
    "session",
    "sidebar",
    "speak_french",
    "table",
]
