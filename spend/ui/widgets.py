"""Page furniture: headers, charts, and tables in French with their downloads."""

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt
import polars as pl
import streamlit as st

from spend.domain.french import thousands
from spend.exchange.exports import csv_bytes, xlsx_bytes
from spend.exchange.writing import table_csv, table_workbook
from spend.views.formatting import display_frame
from spend.views.labels import labels_for

PAGE_ROWS = 500  # rows sent to the browser at once; the downloads hold them all


def page_of(frame: pl.DataFrame, key: str) -> pl.DataFrame:
    """The rows of the page the reader chose, with the page picker when there are several."""
    if frame.height <= PAGE_ROWS:
        return frame
    pages = math.ceil(frame.height / PAGE_ROWS)
    picker, note = st.columns([1, 4], vertical_alignment="bottom")
    page = picker.number_input(f"Page (sur {pages})", 1, pages, step=1, key=f"{key}_page")
    first = (int(page) - 1) * PAGE_ROWS
    last = min(first + PAGE_ROWS, frame.height)
    note.caption(
        f"Lignes {first + 1} à {last} sur {thousands(frame.height)}"
        + " ; les téléchargements contiennent toutes les lignes."
    )
    return frame.slice(first, PAGE_ROWS)


def table(
    frame: pl.DataFrame,
    *,
    key: str,
    file_stem: str,
    sheet: str = "Données",
    height: int | None = None,
    exchange: tuple[str, pl.DataFrame] | None = None,
) -> None:
    """A table in French with its three downloads: CSV Excel (FR), CSV (virgule), XLSX.

    The downloads hold the table as shown, under French headers; for a table of the exchange
    format (`exchange`: its name and the stored rows shown), they hold those rows in the
    exchange format instead, importable back as they are (Données, or `spend import`).
    """
    labels = labels_for(frame.columns)
    st.dataframe(
        display_frame(page_of(frame, key), labels),
        hide_index=True,
        height=height if height else "auto",
    )
    if exchange is not None:
        download_row(exchange_downloads(*exchange, file_stem), key=key)
        return
    download_row(
        [
            Download(
                "CSV Excel (FR)",
                lambda: csv_bytes(frame, "excel_fr", labels),
                f"{file_stem}.csv",
                CSV,
                "Séparateur « ; », virgule décimale, en-têtes en français : pour Excel.",
            ),
            Download(
                "CSV (virgule)",
                lambda: csv_bytes(frame, "standard", labels),
                f"{file_stem}_virgule.csv",
                CSV,
                "Le tableau pour un autre logiciel : séparateur « , », point décimal, dates "
                "AAAA-MM-JJ. Tableau calculé, non réimportable : les fichiers réimportables "
                "sont sur la page Données (Exporter).",
            ),
            Download(
                "Excel (XLSX)",
                lambda: xlsx_bytes({sheet: frame}, labels),
                f"{file_stem}.xlsx",
                XLSX,
            ),
        ],
        key=key,
    )


def exchange_downloads(name: str, rows: pl.DataFrame, file_stem: str) -> list["Download"]:
    """The three downloads of a table of the exchange format: its rows, importable back."""
    again = " Réimportable tel quel (page Données, onglet Importer)."
    return [
        Download(
            "CSV Excel (FR)",
            lambda: table_csv(name, rows, "excel_fr"),
            f"{file_stem}.csv",
            CSV,
            "Séparateur « ; », virgule décimale, en-têtes en français : pour Excel." + again,
        ),
        Download(
            "CSV (virgule)",
            lambda: table_csv(name, rows, "standard"),
            f"{file_stem}_virgule.csv",
            CSV,
            "Format d'échange : séparateur « , », point décimal, dates AAAA-MM-JJ." + again,
        ),
        Download(
            "Excel (XLSX)",
            lambda: table_workbook(name, rows),
            f"{file_stem}.xlsx",
            XLSX,
            "Une feuille au nom de la table." + again,
        ),
    ]


CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"


@dataclass(frozen=True)
class Download:
    label: str
    make: Callable[[], bytes]  # called only when the user clicks
    file_name: str
    mime: str
    help: str | None = None


def download_row(downloads: list[Download], *, key: str) -> None:
    """Download buttons side by side; the file is made on the click, not on every rerun."""
    row = st.container(horizontal=True, gap="small")
    for index, download in enumerate(downloads):
        row.download_button(
            download.label,
            data=download.make,
            file_name=download.file_name,
            mime=download.mime,
            key=f"{key}_download_{index}",
            on_click="ignore",
            icon=":material/download:",
            help=download.help,
        )


FRENCH_JS = (Path(__file__).parent / "french.js").read_text(encoding="utf-8")


def speak_french() -> None:
    """The page declares French (RGAA 8.3) and Streamlit's own English words are translated."""
    st.sidebar.html(f"<script>{FRENCH_JS}</script>", unsafe_allow_javascript=True)


def page_header(title: str, intro: str) -> None:
    st.title(title)
    st.caption(intro)


def chart(figure: alt.TopLevelMixin | dict[str, Any]) -> None:
    """An Altair chart (or its Vega-Lite description) at the full width, at its own height.

    Its description is made without Altair's schema validation, which costs more than the rest
    of a page; the chart builders are validated by their tests.
    """
    spec = figure if isinstance(figure, dict) else figure.to_dict(validate=False)
    height = spec.get("height")
    st.vega_lite_chart(spec, height=height if isinstance(height, int) else "content")


def run_tabs(names: list[str], tabs: dict[str, tuple[str, Callable[[], None]]], key: str) -> None:
    """The tabs named, each drawn by its function; the one shown is kept across reruns (a save
    reruns the page) by its key."""
    shown = st.tabs([tabs[n][0] for n in names], key=key, on_change="rerun")
    for name, tab in zip(names, shown, strict=True):
        with tab:
            tabs[name][1]()
