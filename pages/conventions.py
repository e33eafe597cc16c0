"""Conventions: who we are members of, until when, at what fee; each convention's titles."""

import streamlit as st

from spend import ui
from spend.domain.conventions import filter_conventions, titles_of
from spend.views.charts import timeline_chart
from spend.views.conventions import (
    assumed_start_note,
    convention_choices,
    convention_view,
    timeline_selection,
)
from spend.views.formatting import french_date, thousands
from spend.views.labels import CONVENTION_STATUS_LABELS, SITUATION_LABELS

context = ui.page_data()
filters, figures = context.filters, context.figures
conventions = ui.cached_conventions(context.version)

ui.page_header(
    "Conventions",
    "Adhésions aux accords-cadres des centrales : dates, préavis, cotisation et titres émis.",
)
situation_col, status_col, search_col = st.columns([2, 2, 3])
situations = situation_col.multiselect(
    f"Situation au {french_date(filters.today)}",
    list(SITUATION_LABELS),
    format_func=SITUATION_LABELS.get,
    key="conventions_situation",
    placeholder="Toutes",
)
statuses = status_col.multiselect(
    "Statut enregistré",
    list(CONVENTION_STATUS_LABELS),
    format_func=CONVENTION_STATUS_LABELS.get,
    key="conventions_status",
    placeholder="Tous les statuts",
)
search = search_col.text_input(
    "Rechercher (intitulé, accord-cadre, formule)", key="conventions_search"
)
shown = filter_conventions(
    conventions, filters.body_id, statuses, search, situations, filters.today
)

st.caption(
    f"{thousands(shown.height)} convention(s) sur {thousands(conventions.height)}. "
    f"{ui.provenance()}"
)
ui.table(
    convention_view(shown, filters.today),
    key="conventions_table",
    file_stem="conventions",
    exchange=(
        "conventions",
        context.inputs.conventions.join(
            shown.select("convention_id"), on="convention_id", how="semi"
        ),
    ),
)
note = assumed_start_note(shown)
if note:
    st.info(note, icon=":material/info:")

in_timeline, cut = timeline_selection(shown, filters.today)
ui.chart(timeline_chart(in_timeline, filters.today, conventions["body_id"].unique().to_list()))
if cut:
    st.caption(cut)

st.subheader("Titres d'une convention")
choices, more = convention_choices(shown)
if not choices:
    st.info("Aucune convention ne correspond aux filtres.")
    st.stop()
chosen = st.selectbox(
    "Convention", list(choices), key="conventions_chosen", format_func=choices.get
)
if more:
    st.caption(more)
titles = titles_of(figures.titles, chosen)
if titles.is_empty():
    st.info("Aucun titre calculé : la convention n'a pas de date de début, de fin ou de formule.")
else:
    ui.table(titles, key="conventions_titles", file_stem=f"titres_{chosen}", sheet="Titres")
