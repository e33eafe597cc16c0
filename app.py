"""Router: the pages, the shared sidebar, then the chosen page."""

import logging

import pandas  # noqa: F401  (imported first: a cold server raced on it in st.altair_chart)
import streamlit as st

from spend import ui
from spend.store import StoreError
from spend.views.formatting import inert

# No page_title here: each page's own title then names the browser tab (RGAA 8.6).
# Before sign-in the sidebar has nothing to show: it stays closed. The tab's icon is an emoji,
# drawn by the browser: a :material/…: one is fetched from fonts.gstatic.com at every page load,
# and no request may leave this machine when a page loads.
st.set_page_config(
    page_icon="🏛️",
    layout="wide",
    initial_sidebar_state="collapsed" if ui.signed_out() else "auto",
)

# Each url_path is its file's name: until the first run of this router, Streamlit serves the
# pages/ folder on its own under those names (see ui.ensure_router). The default page is served
# at "/"; a bookmarked "/overview" opens it too, through a hidden twin (Streamlit names a page
# by its url_path, so the default one takes another, unused, name).
PAGES = [
    st.Page("pages/overview.py", title="Vue d'ensemble", icon=":material/dashboard:",
            url_path="accueil", default=True),
    st.Page("pages/overview.py", title="Vue d'ensemble", icon=":material/dashboard:",
            url_path="overview", visibility="hidden"),
    st.Page("pages/conventions.py", title="Conventions", icon=":material/handshake:",
            url_path="conventions"),
    st.Page("pages/fees.py", title="Cotisations", icon=":material/receipt_long:",
            url_path="fees"),
    st.Page("pages/budget.py", title="Budget", icon=":material/account_balance_wallet:",
            url_path="budget"),
    st.Page("pages/simulation.py", title="Simulation", icon=":material/tune:",
            url_path="simulation"),
    st.Page("pages/preparation.py", title="Préparation", icon=":material/edit_note:",
            url_path="preparation"),
    st.Page("pages/data.py", title="Données", icon=":material/database:", url_path="data"),
    st.Page("pages/journal.py", title="Journal", icon=":material/history:",
            url_path="journal"),
]  # fmt: skip  # a page to a line or two: the menu as it reads


def admin_page(listed: bool) -> st.Page:
    """Administration: in the menu for administrators; for others its address says why not."""
    return st.Page(
        "pages/admin.py",
        title="Administration",
        icon=":material/admin_panel_settings:",
        url_path="admin",
        visibility="visible" if listed else "hidden",
    )


# Streamlit's page template declares English; screen readers must read French (RGAA 8.3), and
# managers read French in Streamlit's own widgets too.
ui.speak_french()
if not ui.host_allowed():
    # The local mode reached under another site's name (DNS rebinding): nothing but a refusal.
    st.navigation([*PAGES, admin_page(False)], position="hidden")
    ui.foreign_host_screen()
if ui.signed_out():
    # Nothing but the sign-in button for a visitor who has not signed in: no menu either.
    st.navigation([*PAGES, admin_page(False)], position="hidden")
    ui.sign_in_screen()
try:
    ui.enter_authority()  # on a server of several: the visitor's, put in the store's scope
    ui.read_store_state()  # once per run: the caches' key, and whether the file is writable
    st.session_state.actor = ui.current_actor()  # who acts (refused visitors stop here)
except StoreError as error:
    st.navigation([*PAGES, admin_page(False)], position="hidden")
    st.error(inert(str(error)))
    st.stop()
page = st.navigation([*PAGES, admin_page(st.session_state.actor.may("settings"))])
try:
    st.session_state.filters = ui.sidebar()
    with ui.routed():
        page.run()
except StoreError as error:
    st.error(inert(str(error)))
except Exception:
    # The user gets a French sentence; the details go to the server's log for whoever runs it.
    logging.getLogger("spend").exception("page error")
    st.error(
        "Une erreur inattendue empêche d'afficher cette page. Les données enregistrées ne sont "
        "pas modifiées ; rechargez la page ou signalez le problème."
    )
