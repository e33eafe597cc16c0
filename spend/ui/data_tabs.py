"""Données: which tabs a person gets, and the export tab (everyone's)."""

from collections.abc import Callable

import streamlit as st

from spend.exchange.writing import exchange_workbook, exchange_zip
from spend.ui.cache import cached_settings, cached_tables, data_version, provenance, read_only
from spend.ui.data_import import import_tab
from spend.ui.deliberation_review import reading_tab
from spend.ui.open_data import scdl_section
from spend.ui.page import actor
from spend.ui.table_editor import edit_tab
from spend.ui.widgets import XLSX, ZIP, Download, download_row


def export_tab() -> None:
    """Every table as files, and the deliberations as open data."""
    st.markdown(
        "Toutes les tables au format d'échange, réimportables telles quelles (page Données, "
        "onglet Importer, ou `python -m spend import`)."
    )
    tables = cached_tables(data_version())
    download_row(
        [
            Download(
                "Zip de CSV Excel (FR)",
                lambda: exchange_zip(tables, "excel_fr"),
                "centrales_donnees_excel_fr.zip",
                ZIP,
            ),
            Download(
                "Zip de CSV standard (échange)",
                lambda: exchange_zip(tables, "standard"),
                "centrales_donnees.zip",
                ZIP,
            ),
            Download(
                "Classeur Excel (XLSX)",
                lambda: exchange_workbook(tables),
                "centrales_donnees.xlsx",
                XLSX,
            ),
        ],
        key="data_export",
    )
    st.caption(provenance())
    st.subheader("Délibérations en données ouvertes (SCDL)")
    scdl_section(tables["deliberations"], cached_settings(data_version()))


# The tabs, in their order, by the right each needs (the export needs none).
DATA_TABS: dict[str, tuple[str, Callable[[], None]]] = {
    "import": ("Importer", import_tab),
    "deliberation": ("Lire une délibération", reading_tab),
    "edit": ("Modifier une table", edit_tab),
    "export": ("Exporter", export_tab),
}


def allowed_data_tabs() -> list[str]:
    """The tabs of what this person may do, and a caption when that is only downloads."""
    person = actor()
    allowed = [n for n in DATA_TABS if n == "export" or (person.may(n) and not read_only())]
    if allowed == ["export"]:
        st.caption(
            "Base en lecture seule : téléchargements seulement."
            if read_only()
            else f"{person.role.label.capitalize()} : consultation et téléchargements ; les "
            "imports et les modifications sont réservés aux gestionnaires."
        )
    return allowed
