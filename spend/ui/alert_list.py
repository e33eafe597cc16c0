"""The list of every alert: filters by kind, year, central and line; the chosen year and the
nearest deadlines first; a row chosen in the table is read in full below it."""

import polars as pl
import streamlit as st

from spend.domain.french import thousands
from spend.exchange.exports import csv_bytes, xlsx_bytes
from spend.ui.widgets import CSV, XLSX, Download, download_row, page_of
from spend.views.formatting import display_frame, inert
from spend.views.labels import labels_for
from spend.views.overview import AlertFilter, alert_options, alert_table, filter_alerts

EVERY = "Tous"


def alert_list(alerts: pl.DataFrame, year: int | None, *, key: str, file_stem: str) -> None:
    """The filters, the table (paged) with its downloads, and the chosen alert's whole text."""
    chosen = _filters(alerts, key)
    table = alert_table(filter_alerts(alerts, chosen), year)
    st.caption(
        f"{thousands(table.height)} alerte(s) sur {thousands(alerts.height)}"
        + (f", celles de {year} d'abord" if year is not None else "")
        + ", puis les échéances les plus proches. Choisissez une ligne pour lire son texte entier."
    )
    labels = labels_for(table.columns)
    shown = page_of(table, key)
    event = st.dataframe(
        display_frame(shown, labels),
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key=f"{key}_grid",
        column_config={labels["message"]: st.column_config.TextColumn(width="large")},
    )
    rows = event.selection.rows if event is not None else []
    if rows and rows[0] < shown.height:
        st.info(inert(shown["message"][rows[0]]), icon=":material/notes:")
    download_row(
        [
            Download(
                "CSV Excel (FR)",
                lambda: csv_bytes(table, "excel_fr", labels),
                f"{file_stem}.csv",
                CSV,
            ),
            Download(
                "CSV (virgule)",
                lambda: csv_bytes(table, "standard", labels),
                f"{file_stem}_virgule.csv",
                CSV,
            ),
            Download(
                "Excel (XLSX)",
                lambda: xlsx_bytes({"Alertes": table}, labels),
                f"{file_stem}.xlsx",
                XLSX,
            ),
        ],
        key=key,
    )


def _filters(alerts: pl.DataFrame, key: str) -> AlertFilter:
    """One widget per filter, whatever the number of alerts (their options are the values)."""
    options = alert_options(alerts)
    kind_col, year_col, body_col, line_col = st.columns([3, 1, 2, 2])
    kinds = kind_col.multiselect(
        "Type d'alerte",
        list(options.kinds),
        format_func=options.kinds.__getitem__,
        key=f"{key}_kinds",
        placeholder="Tous les types",
    )
    year = year_col.selectbox("Exercice", [EVERY, *options.years], key=f"{key}_year")
    body = body_col.selectbox("Centrale", [EVERY, *options.bodies], key=f"{key}_body")
    line = line_col.selectbox("Ligne budgétaire", [EVERY, *options.lines], key=f"{key}_line")
    return AlertFilter(
        kinds=tuple(kinds),
        year=None if year == EVERY else int(str(year)),
        body_id=None if body == EVERY else str(body),
        line=None if line == EVERY else str(line),
    )
