"""Vue d'ensemble: the chosen year's cards, what needs attention, all years in one chart."""

import polars as pl
import streamlit as st

from spend import ui
from spend.domain.budget import budget_view
from spend.domain.figures import for_year, year_summary
from spend.ui.alert_list import alert_list
from spend.ui.deadlines import deadline_counts
from spend.views.alerts import CRITICAL, INFO, WARNING, alert_summary
from spend.views.budget import budget_table
from spend.views.charts import budget_chart_spec
from spend.views.formatting import thousands
from spend.views.overview import alert_box_text, filter_note, overview_cards

context = ui.page_data()
filters, figures = context.filters, context.figures
conventions = ui.cached_conventions(context.version)

ui.page_header(
    "Vue d'ensemble",
    "Crédits, engagements et solde de l'exercice choisi ; alertes et échéances à surveiller.",
)
if filters.year is None:
    st.info("Aucune donnée chiffrée : importez des conventions et des crédits (page Données).")
    st.stop()

summary = year_summary(figures, conventions, filters.year, filters.body_id)
st.subheader(f"Exercice {filters.year}")
cards = overview_cards(summary, filters.body_id)
for row in (cards[:3], cards[3:]):
    for column, card in zip(st.columns(len(row)), row, strict=True):
        column.metric(card.label, card.value, help=card.help, border=True, **card.delta_args())
if filters.body_id:
    st.caption(filter_note(filters.body_id))
if summary.unpriced_titles:
    st.warning(
        f"{summary.unpriced_titles} titre(s) de l'exercice sans montant connu (« sur devis ») : "
        "ils ne sont pas comptés dans les totaux.",
        icon=":material/help:",
    )

alerts = ui.cached_alerts(context.version, filters.today)
st.subheader("Alertes et échéances")
serious = alerts.filter(pl.col("level").is_in([CRITICAL, WARNING]))
if serious.is_empty():
    st.success("Aucun dépassement ni échéance proche.", icon=":material/check_circle:")
# One box per kind of alert, with its count and the most urgent case: never one per row.
for kind in alert_summary(serious, filters.year).iter_rows(named=True):
    box = st.error if kind["level"] == CRITICAL else st.warning
    box(alert_box_text(kind), icon=":material/warning:")
if not serious.is_empty():
    with st.expander(f"Toutes les alertes ({thousands(serious.height)})", icon=":material/list:"):
        alert_list(serious, filters.year, key="overview_alerts", file_stem="alertes")
information = alerts.filter(pl.col("level") == INFO)
with st.expander(f"Hypothèses et données incomplètes ({thousands(information.height)})"):
    for kind in alert_summary(information, filters.year).iter_rows(named=True):
        st.markdown(f"- {alert_box_text(kind)}")
    if not information.is_empty():
        alert_list(information, filters.year, key="overview_information", file_stem="hypotheses")

deadline_counts(context.version, filters.today)
st.subheader("Engagements et crédits, tous exercices")
ui.chart(budget_chart_spec(figures.balance, figures.titles, filters.year, filters.body_id))
st.caption(ui.provenance())
st.subheader(f"Solde par ligne budgétaire, exercice {filters.year}")
ui.table(
    budget_table(budget_view(for_year(figures.balance, filters.year))),
    key="overview_balance",
    file_stem=f"solde_{filters.year}",
    sheet=f"Solde {filters.year}",
)
