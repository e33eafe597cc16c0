"""Données › Modifier une table: a stored table edited a page at a time.

The rows as loaded stay in the editor until a save or a reload: a save sends only the rows
changed from them, and is refused (never a lost update) when one of those was changed since by
someone else (or the table imported, or the base restored), naming who.
"""

from dataclasses import dataclass

import polars as pl
import streamlit as st

from spend.domain.records import TABLE_ORDER, TABLES, Table
from spend.exchange.editing import EditPage, page_changes
from spend.ui.cache import (
    cached_edit_page,
    cached_tables,
    data_version,
    last_journal_entry,
    read_store_state,
)
from spend.ui.data_writes import Write, save
from spend.views.formatting import thousands

EDIT_HELP = (
    "Ajoutez, modifiez ou supprimez des lignes puis enregistrez : seules les lignes que vous "
    "avez changées sont enregistrées, vérifiées comme un import. Montants avec virgule ou "
    "point, dates JJ/MM/AAAA ou AAAA-MM-JJ ; les lignes sont numérotées à partir de 1 dans les "
    "messages."
)


@dataclass(frozen=True)
class Wanted:
    """Which rows the editor should hold: a table, a search, a page."""

    table: str
    search: str
    page: int


@dataclass(frozen=True)
class EditSnapshot:
    """The rows loaded into the editor, kept until a save or a reload."""

    wanted: Wanted
    page: EditPage
    since: int  # the newest journal entry when they were loaded
    round: int  # names a new editor widget for every load


def edit_tab() -> None:
    """A stored table edited a page at a time."""
    table_name = st.selectbox(
        "Table", list(TABLE_ORDER), format_func=lambda n: TABLES[n].french, key="data_table"
    )
    search_col, page_col = st.columns([3, 1], vertical_alignment="bottom")
    search = search_col.text_input("Rechercher dans la table", key="data_edit_search")
    snapshot = loaded(Wanted(table_name, search, st.session_state.get("data_edit_page", 1)))
    page = snapshot.page
    if page.pages > 1:
        page_col.number_input(f"Page (sur {page.pages})", 1, page.pages, key="data_edit_page")
    stored = cached_tables(data_version())[table_name]
    st.caption(
        f"{thousands(page.rows.height)} ligne(s) affichée(s) sur {thousands(page.matching)} "
        f"trouvée(s) ({thousands(stored.height)} dans la table). {EDIT_HELP}"
    )
    table = TABLES[table_name]
    edited = st.data_editor(
        page.rows,
        num_rows="dynamic",
        hide_index=True,
        key=f"data_editor_{snapshot.round}",
        column_config={c.name: st.column_config.TextColumn(c.french) for c in table.columns},
    )
    save_col, reload_col = st.columns([1, 1], vertical_alignment="bottom")
    if reload_col.button("Recharger la table", key="data_reload", icon=":material/refresh:"):
        st.session_state.data_edit_snapshot = None
        st.rerun()
    if save_col.button("Enregistrer les modifications", type="primary", key="data_save"):
        save_edits(snapshot, table, edited)


def loaded(wanted: Wanted) -> EditSnapshot:
    """The rows in the editor: those loaded before, or the wanted ones read now."""
    snapshot: EditSnapshot | None = st.session_state.get("data_edit_snapshot")
    if snapshot is not None and snapshot.wanted == wanted:
        return snapshot
    version = data_version()
    since = last_journal_entry(version)
    if since is None:  # written meanwhile: the rows and the entry of one version only
        read_store_state()
        st.rerun()
    snapshot = EditSnapshot(
        wanted,
        cached_edit_page(version, wanted.table, wanted.search, wanted.page),
        since,
        st.session_state.get("data_edit_round", 0) + 1,
    )
    st.session_state.data_edit_snapshot = snapshot
    st.session_state.data_edit_round = snapshot.round
    return snapshot


def save_edits(snapshot: EditSnapshot, table: Table, edited: pl.DataFrame) -> None:
    """Only the rows changed from those loaded, refused if they changed since."""
    changes = page_changes(snapshot.page, table, edited, f"{table.french} (édition)")
    if changes.empty:
        st.info("Aucune modification à enregistrer.", icon=":material/info:")
        return
    save(
        Write(
            [changes.raw],
            action="edit",
            source=f"édition {table.french}",
            remove={table.name: changes.removed},
            unchanged_since={table.name: snapshot.since},
            done="Modifications enregistrées",
        )
    )
