"""Administration: settings, backups and their restore, who may do what. Administrators only:
the page says so to others, and the writes are refused below it anyway. The tabs' steps live
in `spend.ui.admin`."""

import streamlit as st

from spend import ui
from spend.ui.admin import ADMIN_TABS, start_admin_page

ui.ensure_router()
ui.page_header(
    "Administration",
    "Paramètres, sauvegardes et restauration, droits d'accès : réservé aux administrateurs.",
)
if not start_admin_page():
    st.stop()
ui.run_tabs(list(ADMIN_TABS), ADMIN_TABS, key="admin_tab")
