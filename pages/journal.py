"""Journal: who changed what, when, from where, and the row before and after; an administrator
undoes an entry (or everything from it on) here, and the undo is journaled too."""

import datetime as dt

import streamlit as st

from spend import store, ui
from spend.domain.access import AccessRefused
from spend.exchange.problems import ImportRefused
from spend.exchange.undo import undo
from spend.views.formatting import inert
from spend.views.journal import filtered_journal, in_words, table_choices, visible_journal

ui.ensure_router()
actor = ui.actor()
version = ui.data_version()
st.session_state.setdefault("journal_message", None)
ui.page_header(
    "Journal",
    "Chaque écriture, ligne par ligne : quand (UTC), qui, d'où, quoi, et la ligne avant et après.",
)
if st.session_state.journal_message:
    st.success(st.session_state.journal_message, icon=":material/check_circle:")
    st.session_state.journal_message = None

# The access rules' entries (people's e-mails and roles) only for those who may change them.
journal = visible_journal(ui.cached_journal(version), actor.may)
tables = table_choices(journal)
people = ["", *sorted(journal["actor"].unique().to_list())]
table_col, key_col, person_col, since_col = st.columns([2, 2, 2, 2])
table = table_col.selectbox("Table", list(tables), format_func=tables.get, key="journal_table")
key = key_col.text_input("Clé contenant", key="journal_key", max_chars=200)
person = person_col.selectbox(
    "Personne", people, format_func=lambda p: p or "Toutes", key="journal_person"
)
since = since_col.date_input(
    "Depuis le", value=None, key="journal_since", format="DD/MM/YYYY",
    min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31),
)  # fmt: skip
shown = filtered_journal(journal, table or None, key, person or None, since)
st.caption(f"{shown.height} entrée(s) sur {journal.height}. {ui.provenance()}")
ui.table(in_words(shown), key="journal_entries", file_stem="journal")

if actor.may("undo") and not journal.is_empty():
    st.subheader("Annuler une écriture")
    st.caption(
        "Chaque ligne touchée revient à son état d'avant l'entrée choisie, avec les mêmes "
        "contrôles qu'un import ; une ligne modifiée depuis par une autre entrée bloque "
        "l'annulation (annulez alors tout à partir de l'entrée choisie)."
    )
    entry_col, after_col, go_col = st.columns([1, 2, 1], vertical_alignment="bottom")
    entry = entry_col.number_input(
        "Entrée n°", 1, int(journal["id"].max()), value=int(journal["id"].max()),
        step=1, key="journal_undo_entry",
    )  # fmt: skip
    and_after = after_col.checkbox("et toutes les entrées qui la suivent", key="journal_undo_after")
    if go_col.button("Annuler", type="primary", key="journal_undo"):
        try:
            with ui.session() as con:
                result = undo(con, int(entry), actor=actor, and_after=and_after)
        except ImportRefused as refused:
            st.error(
                "Annulation refusée, rien n'a été enregistré :\n"
                + "\n".join(f"- {inert(p)}" for p in refused.problems[:10]),
                icon=":material/block:",
            )
        except (store.StoreError, AccessRefused) as error:
            st.error(inert(str(error)), icon=":material/block:")
        else:
            ui.after_write()
            st.session_state.journal_message = (
                f"Annulé : {result.entries} entrée(s), {result.rows} ligne(s) remise(s) dans "
                "leur état d'avant ; l'annulation figure au journal."
            )
            st.rerun()
