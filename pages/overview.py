"""Vue d'ensemble: the chosen year's cards, what needs attention, all years in one chart."""

import streamlit as st

from spend import ui
from spend.domain.conventions import convention_table
from spend.domain.figures import for_year, year_summary
from spend.views.alerts import CRITICAL, WARNING, all_alerts
from spend.views.charts import budget_chart
from spend.views.formatting import euros

context = ui.page_data()
filters, figures = context.filters, context.figures
conventions = convention_table(context.inputs)

ui.page_header(
    "Vue d'ensemble",
    "Crédits, engagements et solde de l'exercice choisi ; alertes et échéances à surveiller.",
)
if filters.year is None:
    st.info("Aucune donnée chiffrée : importez des conventions et des crédits (page Données).")
    st.stop()

summary = year_summary(figures, conventions, filters.year, filters.body_id)
st.subheader(f"Exercice {filters.year}")
cols = [*st.columns(3), *st.columns(2)]
cols[0].metric("Crédits disponibles", euros(summary.credits), border=True)
cols[1].metric("Engagé (TTC)", euros(summary.committed), border=True)
cols[2].metric(
    "Solde",
    euros(summary.balance),
    delta="négatif" if summary.balance < 0 else None,
    delta_color="inverse",
    delta_arrow="down",
    border=True,
)
fees_label = "Cotisations de l'exercice (TTC)" + (
    f" — {filters.body_id}" if filters.body_id else ""
)
cols[3].metric(fees_label, euros(summary.fees_incl_tax), border=True)
cols[4].metric("Conventions actives", str(summary.active_conventions), border=True)
if summary.unpriced_titles:
    st.warning(
        f"{summary.unpriced_titles} titre(s) de l'exercice sans montant connu (« sur devis ») : "
        "ils ne sont pas comptés dans les totaux.",
        icon=":material/help:",
    )

alerts = all_alerts(figures.balance, conventions, figures.titles, filters.today)
st.subheader("Alertes et échéances")
serious = alerts.filter(alerts["level"].is_in([CRITICAL, WARNING]))
if serious.is_empty():
    st.success("Aucun dépassement ni échéance proche.", icon=":material/check_circle:")
for level, message in serious.select("level", "message").iter_rows():
    (st.error if level == CRITICAL else st.warning)(message, icon=":material/warning:")
information = alerts.filter(~alerts["level"].is_in([CRITICAL, WARNING]))
with st.expander(f"Hypothèses et données incomplètes ({information.height})"):
    for message in information["message"]:
        st.markdown(f"- {message}")

st.subheader("Engagements et crédits, tous exercices")
ui.chart(budget_chart(figures.balance))
st.caption(ui.provenance())
ui.table(
    for_year(figures.balance, filters.year).drop("has_credits"),
    key="overview_balance",
    file_stem=f"solde_{filters.year}",
    sheet=f"Solde {filters.year}",
)
