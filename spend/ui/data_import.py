"""Données › Importer: files of the exchange format read, checked and previewed as soon as they
are dropped, then saved on « Valider »."""

import hashlib

import streamlit as st

from spend.domain.records import TABLES
from spend.exchange.importer import check_raw_tables
from spend.exchange.problems import ImportRefused
from spend.exchange.reading import RawTable
from spend.exchange.uploads import read_uploaded
from spend.ui.cache import data_version, session
from spend.ui.data_writes import Write, save, show_problems
from spend.ui.decp import decp_review
from spend.views.formatting import inert, thousands
from spend.views.labels import with_french_headers

ACCEPTED = (
    "Fichiers acceptés : "
    + ", ".join(f"`{t.file_name}`" for t in TABLES.values())
    + " (CSV « , » ou « ; », UTF-8 ou Windows-1252, virgule ou point décimal, dates "
    "JJ/MM/AAAA ou AAAA-MM-JJ), un zip de ces fichiers (tel que l'export le produit), ou "
    "un classeur XLSX dont chaque feuille porte le nom d'une table. Les lignes existantes "
    "de même clé sont remplacées."
)


def import_tab() -> None:
    """Files of the exchange format, checked, previewed, then saved."""
    st.markdown(ACCEPTED)
    uploaded = st.file_uploader(
        "Fichiers à importer",
        type=["csv", "xlsx", "zip"],
        accept_multiple_files=True,
        key=f"data_upload_{st.session_state.data_upload_round}",
    )
    if uploaded:
        files = [(f.name, f.getvalue()) for f in uploaded]
        raw_tables = read_files(files)
        preview(raw_tables)
        checked = raw_tables and checked_before_saving(files, raw_tables)
        if checked and st.button("Valider et enregistrer", type="primary", key="data_import"):
            source = "import " + ", ".join(name for name, _ in files)
            save(Write(raw_tables, action="import", source=source))
    if decp := decp_review(st.session_state.data_upload_round):
        save(Write([decp[0]], action="import", source=decp[1], done="Dates de fin enregistrées"))


def read_files(files: list[tuple[str, bytes]]) -> list[RawTable]:
    """The files' tables, or none and their reading problems shown."""
    try:
        return read_uploaded(files)
    except ImportRefused as refused:
        show_problems(refused)
        return []


def preview(raw_tables: list[RawTable]) -> None:
    for raw in raw_tables:
        rows = thousands(raw.rows.height)
        with st.expander(f"Aperçu : {inert(raw.file)} → {raw.table.french} ({rows} lignes)"):
            st.dataframe(with_french_headers(raw.rows), hide_index=True)


def checked_before_saving(files: list[tuple[str, bytes]], raw_tables: list[RawTable]) -> bool:
    """The import's own checks, run as soon as the files are read (nothing written): their
    problems are shown before any « Valider », which is offered only when there are none."""
    digest = hashlib.sha256()
    for name, content in files:
        digest.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    refused = _check(data_version(), digest.hexdigest(), raw_tables)
    if refused is not None:
        show_problems(refused)
        return False
    return True


@st.cache_resource(show_spinner="Vérification des fichiers…", max_entries=4)
def _check(version: str, digest: str, _raw_tables: list[RawTable]) -> ImportRefused | None:
    """The problems the import would find in these files against the data at `version`."""
    try:
        with session() as con:
            check_raw_tables(con, _raw_tables)
    except ImportRefused as refused:
        return refused
    return None
