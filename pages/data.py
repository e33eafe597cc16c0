"""Données: import files, read a deliberation, edit a table in place (gestionnaires), export
everything (everyone). Every write is checked first, for its author's right too, and done in
one transaction, journaled: all of it or nothing. The tabs' steps live in `spend.ui`."""

from spend import ui
from spend.ui.data_tabs import DATA_TABS, allowed_data_tabs
from spend.ui.data_writes import start_data_page

ui.ensure_router()
ui.page_header(
    "Données",
    "Importer des fichiers au format d'échange, lire une délibération, corriger une table, tout "
    "exporter.",
)
start_data_page()
ui.run_tabs(allowed_data_tabs(), DATA_TABS, key="data_tab")
