"""Open data on the Données page: the SCDL « délibérations » file, what it leaves out and why."""

import polars as pl
import streamlit as st

from spend.exchange.scdl import scdl_export
from spend.ui.widgets import CSV, Download, download_row, table
from spend.views.formatting import inert


def scdl_section(deliberations: pl.DataFrame, settings: dict[str, str]) -> None:
    """The file a validator accepts, its preview, and in French what is left out of it."""
    export = scdl_export(deliberations, settings)
    left_out = export.frame.height - export.published.height
    if export.problems:
        # One message however many deliberations: the list itself in a block below it.
        st.warning(
            f"{left_out} délibération(s) sur {export.frame.height} non publiée(s) : le format "
            f"SCDL les refuserait. {inert(export.problems[0])}",
            icon=":material/warning:",
        )
        with st.expander(f"Tous les points à compléter ({len(export.problems)})"):
            st.code("\n".join(export.problems), language=None, wrap_lines=True)
    if export.notices:
        with st.expander(f"Publiées, à savoir ({len(export.notices)})"):
            st.code("\n".join(export.notices), language=None, wrap_lines=True)
    table(export.published, key="data_scdl_table", file_stem="deliberations_scdl_apercu",
          sheet="SCDL")  # fmt: skip
    download_row(
        [Download("CSV SCDL « délibérations »", export.csv_bytes, "deliberations_scdl.csv", CSV,
                  help="Le fichier publie les valeurs enregistrées, telles quelles.")],
        key="data_scdl",
    )  # fmt: skip
