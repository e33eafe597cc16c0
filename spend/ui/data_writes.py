"""How the Données page writes: every write is one checked import, its problems shown (nothing
written then), its success said after the rerun that shows the stored data."""

from dataclasses import dataclass, field

import polars as pl
import streamlit as st

from spend import store
from spend.domain.access import AccessRefused
from spend.exchange.importer import import_raw_tables
from spend.exchange.problems import ImportRefused
from spend.exchange.reading import RawTable
from spend.ui.cache import after_write, session
from spend.ui.page import actor
from spend.views.formatting import inert, thousands


@dataclass(frozen=True)
class Write:
    """One write of the page: the rows, what it is for the journal, what to say once done."""

    raw_tables: list[RawTable]
    action: str
    source: str
    done: str = "Import réussi"
    remove: dict[str, pl.DataFrame] | None = None
    unchanged_since: dict[str, int] | None = field(default=None)


def start_data_page() -> None:
    """The page's session state, and the message of the write that reran it."""
    st.session_state.setdefault("data_upload_round", 0)
    st.session_state.setdefault("data_message", None)
    if st.session_state.data_message:
        st.success(st.session_state.data_message, icon=":material/check_circle:")
        st.session_state.data_message = None


def show_problems(refused: ImportRefused) -> None:
    st.error(
        f"Rien n'a été enregistré : {thousands(refused.count)} problème(s) à corriger.",
        icon=":material/block:",
    )
    st.code("\n".join(refused.lines()), language=None, wrap_lines=True)


def save(write: Write) -> None:
    """The checked import every write goes through; problems shown, nothing written then."""
    try:
        with session() as con:
            result = import_raw_tables(
                con,
                write.raw_tables,
                actor=actor(),
                action=write.action,
                source=write.source,
                remove=write.remove,
                unchanged_since=write.unchanged_since,
            )
    except ImportRefused as refused:
        show_problems(refused)
    except (store.StoreError, AccessRefused) as error:
        st.error(inert(str(error)), icon=":material/block:")
    else:
        after_write()
        st.session_state.data_message = result.summary(write.done)
        st.session_state.data_upload_round += 1  # empties the file pickers
        st.session_state.data_edit_snapshot = None  # the editor shows what is now stored
        st.rerun()
