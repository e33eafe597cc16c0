"""Données › Lire une délibération: a deliberation read, its proposals reviewed beside what is
stored and checked against the dashboard's figures, then saved."""

from dataclasses import dataclass

import polars as pl
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from spend.deliberations.model import DeliberationReadError, DeliberationReading
from spend.deliberations.records import (
    MSG_NOTHING_CHANGED,
    changed_rows,
    commitment_checks,
    compare_with_stored,
    fee_checks,
    proposed_budget_lines,
    proposed_deliberation,
    reading_review,
    warnings_text,
    with_stored_wording,
)
from spend.domain.records import TABLES
from spend.exchange.exports import text_frame
from spend.exchange.reading import LINE, RawTable, raw_table_from_frame
from spend.exchange.validation import type_rows
from spend.ui.cache import cached_conventions, cached_figures, cached_tables, data_version
from spend.ui.data_writes import Write, save
from spend.ui.reading import MAX_DELIBERATION_MB, read_uploaded_deliberation
from spend.ui.widgets import table
from spend.views.deliberation_review import fee_checks_in_words, in_french
from spend.views.formatting import display_frame, inert, with_grouped_amounts
from spend.views.labels import labels_for

INTRODUCTION = (
    "Déposez une délibération (PDF avec texte, Word, OpenDocument ou texte) : ses données "
    "sont proposées à côté de celles enregistrées ; corrigez-les au besoin puis confirmez. "
    "Rien n'est enregistré avant la confirmation, et l'enregistrement passe par les mêmes "
    "contrôles qu'un import."
)
PROPOSED = ("deliberations", "budget_lines")  # the tables a reading proposes rows for


@dataclass(frozen=True)
class Review:
    """One uploaded deliberation under review: the file, its reading, the stored data."""

    document: UploadedFile
    reading: DeliberationReading
    version: str

    @property
    def stored(self) -> dict[str, pl.DataFrame]:
        return cached_tables(self.version)


def reading_tab() -> None:
    """A deliberation read, reviewed beside what is stored, then saved."""
    st.markdown(INTRODUCTION)
    document = st.file_uploader(
        "Délibération",
        type=["pdf", "txt", "docx", "odt"],
        max_upload_size=MAX_DELIBERATION_MB,
        key=f"data_deliberation_{st.session_state.data_upload_round}",
    )
    if document is None or (review := read(document)) is None:
        return
    show_reading(review)
    raw_tables = [proposal_editor(review, name) for name in PROPOSED]
    show_checks(review)
    if st.button("Confirmer et enregistrer", type="primary", key="data_reading_save"):
        # A row stored as it is is not written again: an identical deliberation saves nothing.
        if not (to_save := [raw for raw in raw_tables if raw.rows.height]):
            st.info(MSG_NOTHING_CHANGED, icon=":material/info:")
            return
        source = f"délibération {review.document.name}"
        save(Write(to_save, "deliberation", source, done="Délibération enregistrée"))


def read(document: UploadedFile) -> Review | None:
    """The file's reading, or None and why not, in French."""
    try:
        reading = read_uploaded_deliberation(document.getvalue(), document.name)
    except DeliberationReadError as error:
        st.error(inert(str(error)), icon=":material/block:")
        return None
    return Review(document, reading, data_version())


def show_reading(review: Review) -> None:
    """What the text says, each value with the line it comes from."""
    if review.reading.warnings:
        st.warning(warnings_text(review.reading.warnings), icon=":material/warning:")
    st.markdown("**Ce que dit le texte** (chaque valeur avec la ligne d'où elle vient)")
    table(
        reading_review(review.reading), key="data_reading_review", file_stem="lecture_deliberation"
    )


def proposal_editor(review: Review, name: str) -> RawTable:
    """The rows proposed for one table, editable, then compared with the stored rows."""
    described = TABLES[name]
    stored = review.stored[name]
    proposal = {
        "deliberations": proposed_deliberation,
        "budget_lines": proposed_budget_lines,
    }[name](review.reading)
    proposal = with_stored_wording(proposal, stored, name)
    st.markdown(f"**{described.french} proposées**")
    edited = st.data_editor(
        with_grouped_amounts(text_frame(proposal, "excel_fr", described), described).fill_null(""),
        num_rows="dynamic",
        hide_index=True,
        key=f"data_reading_{name}_{review.document.file_id}",
        column_config={c.name: st.column_config.TextColumn(c.french) for c in described.columns},
    )
    raw = raw_table_from_frame(f"{review.document.name} ({described.french})", described, edited)
    typed, problems = type_rows(raw)
    if problems:
        st.code("\n".join(str(p) for p in problems), language=None, wrap_lines=True)
    else:
        comparison = compare_with_stored(
            in_french(typed.drop(LINE), described), in_french(stored, described), name
        )
        st.dataframe(display_frame(comparison, labels_for(comparison.columns)), hide_index=True)
        raw = changed_rows(raw, typed, stored)
    return raw


def show_checks(review: Review) -> None:
    """The amounts of the deliberation beside what the dashboard computes."""
    figures = cached_figures(review.version)
    checks = commitment_checks(review.reading, figures.balance)
    fees = fee_checks(review.reading, cached_conventions(review.version))
    st.markdown("**Contrôles : montants de la délibération et calcul du tableau de bord**")
    table(checks, key="data_reading_checks", file_stem="controle_engagements")
    table(fee_checks_in_words(fees), key="data_reading_fees", file_stem="controle_cotisations")
