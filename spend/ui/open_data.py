"""Open data on the Données page: the SCDL « délibérations » file, what it leaves out and why."""

import polars as pl
import streamlit as st

from spend.exchange.scdl import ScdlExport, scdl_export
from spend.ui.cache import data_version
from spend.ui.widgets import CSV, Download, download_row, table
from spend.views.formatting import inert, thousands


@st.cache_resource(show_spinner=False, max_entries=2)
def _export(_deliberations: pl.DataFrame, settings_items: tuple, version: str) -> ScdlExport:
    # Row by row in Python: computed once per version of the data, not at every rerun.
    return scdl_export(_deliberations, dict(settings_items))


def scdl_section(deliberations: pl.DataFrame, settings: dict[str, str]) -> None:
    """The file a validator accepts, its preview, and in French what is left out of it."""
    export = _export(deliberations, tuple(sorted(settings.items())), data_version())
    left_out = export.frame.height - export.published.height
    if export.problems:
        # One message however many deliberations: the list itself in a block below it.
        st.warning(
            f"{thousands(left_out)} délibération(s) sur {thousands(export.frame.height)} non "
            "publiée(s) : le format "
            f"SCDL les refuserait. {inert(export.problems[0])}",
            icon=":material/warning:",
        )
        with st.expander(f"Tous les points à compléter ({thousands(len(export.problems))})"):
            st.code("\n".join(export.problems), language=None, wrap_lines=True)
    if export.notices:
        with st.expander(f"Publiées, à savoir ({thousands(len(export.notices))})"):
            st.code("\n".join(export.notices), language=None, wrap_lines=True)
    table(
        export.published, key="data_scdl_table", file_stem="deliberations_scdl_apercu", sheet="SCDL"
    )
    download_row(
        [
            Download(
                "CSV SCDL « délibérations »",
                export.csv_bytes,
                "deliberations_scdl.csv",
                CSV,
                help="Le fichier publie les valeurs enregistrées, telles quelles.",
            )
        ],
        key="data_scdl",
    )
