"""The Journal page's steps: the filters, one line per operation (a page of them), the chosen
operation's rows in French, and its undo after a confirmation that says what will change.

Each step reads one page from the store (paged SQL): nothing holds the whole journal.
"""

import datetime as dt
import math
from typing import Any

import polars as pl
import streamlit as st

from spend import store
from spend.domain.access import AccessRefused, Actor
from spend.exchange.problems import ImportRefused
from spend.exchange.settings import SETTINGS
from spend.exchange.undo import plan_operation_undo, undo_operation
from spend.store.journal import JournalFilter, journal_choices, operation_rows, operations
from spend.store.writes import ACTION_WORDS
from spend.ui.cache import after_write, provenance, session
from spend.ui.widgets import page_header
from spend.views.formatting import inert, thousands
from spend.views.journal import (
    OPERATION_HEADERS,
    ROW_HEADERS,
    change_lines,
    operation_label,
    operation_lines,
    shows_access_rules,
    table_choices,
    undo_warning,
    utc_period,
)

OPERATIONS_PER_PAGE = 50
ROWS_PER_PAGE = 100
PENDING = "journal_undo_pending"  # the operation whose undo waits for its confirmation
MESSAGE = "journal_message"
# Column widths in pixels that fit the main area at 1366 px (sidebar open), « Après » included.
OPERATION_WIDTHS = {
    "write_id": 60,
    "when": 165,
    "action": 110,
    "what": 220,
    "rows": 80,
    "actor": 120,
    "source": 140,
}
ROW_WIDTHS = {"table": 150, "key": 200, "nature": 90, "before": 220, "after": 240}


def _widths(headers: dict[str, str], widths: dict[str, int]) -> dict[str, Any]:
    return {headers[name]: st.column_config.Column(width=w) for name, w in widths.items()}


def header() -> None:
    st.session_state.setdefault(MESSAGE, None)
    st.session_state.setdefault(PENDING, None)
    page_header(
        "Journal",
        "Chaque opération (un import, une modification, une restauration, une annulation) sur "
        "une ligne, à l'heure de Paris ; choisissez-en une pour voir ses lignes, avant et après.",
    )
    if st.session_state[MESSAGE]:
        st.success(st.session_state[MESSAGE], icon=":material/check_circle:")
        st.session_state[MESSAGE] = None


@st.cache_data(show_spinner=False, max_entries=4)
def _people(version: str) -> list[str]:
    """The authors the journal names (a short list, read once per version of the base)."""
    with session() as con:
        return sorted(journal_choices(con)["actor"].drop_nulls().unique().to_list())


def filters(actor: Actor, version: str) -> JournalFilter:
    """The filter widgets: kind of operation, table, person, dates (Paris days), text."""
    kinds: dict[str, str] = {"": "Toutes", **{w: w for w in sorted(set(ACTION_WORDS.values()))}}
    tables = table_choices(actor.may)
    kind_col, table_col, person_col = st.columns(3)
    kind = kind_col.selectbox(
        "Opération", list(kinds), format_func=lambda k: kinds[k], key="journal_kind"
    )
    table = table_col.selectbox(
        "Table", list(tables), format_func=lambda t: tables[t], key="journal_table"
    )
    people = ["", *_people(version)]
    person = person_col.selectbox(
        "Personne", people, format_func=lambda p: p or "Toutes", key="journal_person"
    )
    since_col, until_col, text_col = st.columns(3)
    first, last = dt.date(1990, 1, 1), dt.date(2100, 12, 31)
    start = since_col.date_input("Du", None, first, last, key="journal_since", format="DD/MM/YYYY")
    end = until_col.date_input("Au", None, first, last, key="journal_until", format="DD/MM/YYYY")
    text = text_col.text_input("Clé ou source contenant", key="journal_text", max_chars=200)
    since, until = utc_period(start, end)
    return JournalFilter(
        action=kind or None,
        table=table or None,
        actor=person or None,
        since=since,
        until=until,
        text=text,
        show_access_rules=shows_access_rules(actor.may),
    )


def _asked_page(key: str) -> int:
    """The page the reader asked for, from 0 (its picker is drawn under the table)."""
    return max(0, int(st.session_state.get(key) or 1) - 1)


def _within(key: str, total: int, per_page: int) -> tuple[int, int]:
    """The page asked for, brought within the pages there are (filters changed), and their
    count."""
    pages = max(1, math.ceil(total / per_page))
    if _asked_page(key) >= pages:
        st.session_state[key] = pages
    return _asked_page(key), pages


def _pager(key: str, pages: int) -> None:
    if pages > 1:
        st.number_input(f"Page (sur {thousands(pages)})", 1, pages, step=1, key=key)


def operation_list(wanted: JournalFilter) -> pl.DataFrame:
    """The page of operations that match, one line each; returns them (their stored fields)."""
    with session() as con:
        found = operations(con, wanted, _asked_page("journal_page"), OPERATIONS_PER_PAGE)
        page, pages = _within("journal_page", found.total, OPERATIONS_PER_PAGE)
        if found.rows.is_empty() and found.total:
            found = operations(con, wanted, page, OPERATIONS_PER_PAGE)
    st.dataframe(
        operation_lines(found.rows),
        hide_index=True,
        key="journal_operations",
        column_config=_widths(OPERATION_HEADERS, OPERATION_WIDTHS),
    )
    _pager("journal_page", pages)
    st.caption(f"{thousands(found.total)} opération(s). {provenance()}")
    return found.rows


def chosen_operation(shown: pl.DataFrame) -> dict | None:
    """The operation the reader opens among those shown (the newest by default)."""
    if shown.is_empty():
        st.info("Aucune opération ne correspond à ces filtres.", icon=":material/info:")
        return None
    by_id = {int(op["write_id"]): op for op in shown.iter_rows(named=True)}
    if st.session_state.get("journal_operation") not in by_id:
        st.session_state["journal_operation"] = next(iter(by_id))
    chosen = st.selectbox(
        "Ouvrir l'opération",
        list(by_id),
        key="journal_operation",
        format_func=lambda w: operation_label(by_id[w]),
    )
    return by_id[int(chosen)]


def operation_detail(op: dict, wanted: JournalFilter) -> None:
    """The chosen operation's rows (a page of them), each change in French."""
    st.subheader(f"Opération n° {op['write_id']} : {op['action']}")
    key = f"journal_rows_page_{op['write_id']}"
    with session() as con:
        found = operation_rows(con, int(op["write_id"]), wanted, _asked_page(key), ROWS_PER_PAGE)
        page, pages = _within(key, found.total, ROWS_PER_PAGE)
        if found.rows.is_empty() and found.total:
            found = operation_rows(con, int(op["write_id"]), wanted, page, ROWS_PER_PAGE)
    labels = {name: s.label for name, s in SETTINGS.items()}
    st.dataframe(
        change_lines(found.rows, labels),
        hide_index=True,
        key="journal_rows",
        column_config=_widths(ROW_HEADERS, ROW_WIDTHS),
    )
    _pager(key, pages)
    st.caption(f"{thousands(found.total)} ligne(s) de cette opération.")


def undo_box(op: dict, actor: Actor) -> None:
    """Undo the whole operation: a first click shows what will change, a confirmation does it."""
    write_id = int(op["write_id"])
    if st.session_state[PENDING] != write_id:
        if st.button(f"Annuler l'opération n° {write_id}…", key="journal_undo_ask"):
            st.session_state[PENDING] = write_id
            st.session_state["journal_undo_confirm"] = False  # never ticked in advance
            st.rerun()
        return
    with session() as con:
        try:
            plan = plan_operation_undo(con, write_id)
        except store.StoreError as error:
            st.error(inert(str(error)), icon=":material/block:")
            return
    if plan.refusal:
        st.error(inert(plan.refusal), icon=":material/block:")
        if st.button("Fermer", key="journal_undo_close"):
            st.session_state[PENDING] = None
            st.rerun()
        return
    labels = {name: s.label for name, s in SETTINGS.items()}
    st.warning(undo_warning(op, plan.entries, labels), icon=":material/warning:")
    confirmed = st.checkbox(
        f"Je confirme l'annulation de l'opération n° {write_id}", key="journal_undo_confirm"
    )
    go, cancel = st.columns(2)
    if cancel.button("Ne pas annuler", key="journal_undo_cancel"):
        st.session_state[PENDING] = None
        st.rerun()
    if go.button("Annuler l'opération", type="primary", disabled=not confirmed, key="journal_undo"):
        _undo(write_id, actor)


def _undo(write_id: int, actor: Actor) -> None:
    try:
        with session() as con:
            result = undo_operation(con, write_id, actor=actor)
    except ImportRefused as refused:
        st.error(
            "Annulation refusée, rien n'a été enregistré :\n"
            + "\n".join(f"- {inert(p)}" for p in refused.problems[:10]),
            icon=":material/block:",
        )
    except (store.StoreError, AccessRefused) as error:
        st.error(inert(str(error)), icon=":material/block:")
    else:
        after_write()
        st.session_state[PENDING] = None
        st.session_state[MESSAGE] = (
            f"Opération n° {write_id} annulée : {thousands(result.rows)} ligne(s) remise(s) dans "
            "leur état d'avant ; l'annulation figure au journal."
        )
        st.rerun()
