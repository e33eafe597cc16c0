"""Simulation: what changes if a fee, a formula, a date, the VAT or the credits change.

The manager picks a scope (every convention, a central, an agreement, a budget line, or a
search), then its changes; another scope keeps the changes made to the first. Changes per
convention go in one table. The same widgets whatever the number of conventions. The scenario is
computed from a copy of the recorded data; nothing is written unless the user saves it.
"""

import streamlit as st

from spend import ui
from spend.domain.what_if import compare
from spend.ui import simulation as steps
from spend.views.charts import scenario_chart_spec
from spend.views.formatting import inert
from spend.views.simulation import negative_summary

context = ui.page_data()
filters, version = context.filters, context.version
choices = ui.cached_form_choices(version)
steps.start(choices)

ui.page_header(
    "Simulation",
    "Choisissez un périmètre puis faites varier cotisations, formule, dates, TVA et crédits : "
    "le scénario est comparé aux données enregistrées, qui ne sont jamais modifiées. Changer de "
    "périmètre conserve les changements déjà faits.",
)
metrics = st.container()
controls, results = st.columns([2, 3], gap="large")
with controls:
    with st.container(border=True):
        steps.scope_step(choices)
        kept = st.container()
    with st.container(border=True):
        steps.beside_step(choices)
    overrides = steps.overrides_step(choices)

form = steps.read_form(choices, overrides, context.inputs)
with kept:
    steps.kept_step(form, choices)
baseline = ui.cached_figures(version)
simulated = ui.cached_figures(version, form.scenario.to_json())
comparison = compare(baseline, simulated)
steps.cards_step(metrics, comparison, filters.year)

with results:
    steps.said_step(form, choices)
    # One message for the negative balances, however many lines and years: the table lists them.
    negative = negative_summary(comparison)
    if negative is not None:
        (st.error if negative.new else st.warning)(
            inert(negative.text), icon=":material/trending_down:"
        )

# The whole width: 22 years, recorded beside scenario.
ui.chart(
    scenario_chart_spec(
        (baseline.balance, baseline.titles),
        (simulated.balance, simulated.titles),
        filters.year,
        filters.body_id,
    )
)
st.subheader("Enregistré et scénario, par ligne budgétaire et par exercice")
steps.comparison_step(comparison)
st.caption(
    "Le lien de cette page contient le scénario : copiez l'adresse du navigateur pour le "
    f"partager. {ui.provenance()}"
)

st.subheader("Scénarios enregistrés")
steps.saved_step(context.actor, form.scenario, choices)
