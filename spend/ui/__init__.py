"""The only package that speaks to Streamlit: caches, routing, the sidebar, page furniture.

Pages import `from spend import ui` and call what is listed here; nothing else in `spend`
imports streamlit (a test holds it).
"""

from spend.ui.access import (
    current_actor,
    foreign_host_screen,
    host_allowed,
    role_rules,
    sign_in_configured,
    sign_in_screen,
    signed_out,
)
from spend.ui.authority import enter_authority
from spend.ui.cache import (
    after_scenario_write,
    after_write,
    backups,
    cached_access_rules,
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
    last_journal_entry,
    provenance,
    read_only,
    read_store_state,
    restore_backup,
    scenarios_version,
    session,
)
from spend.ui.decp import decp_review
from spend.ui.open_data import scdl_section
from spend.ui.page import (
    PageData,
    actor,
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
    run_tabs,
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
    "actor",
    "after_scenario_write",
    "after_write",
    "backups",
    "cached_access_rules",
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
    "current_actor",
    "data_version",
    "decp_review",
    "download_row",
    "ensure_router",
    "enter_authority",
    "foreign_host_screen",
    "host_allowed",
    "last_journal_entry",
    "page_data",
    "page_header",
    "provenance",
    "read_only",
    "read_store_state",
    "read_uploaded_deliberation",
    "restore_backup",
    "role_rules",
    "routed",
    "run_tabs",
    "scdl_section",
    "scenarios_version",
    "session",
    "sidebar",
    "sign_in_configured",
    "sign_in_screen",
    "signed_out",
    "speak_french",
    "table",
]
