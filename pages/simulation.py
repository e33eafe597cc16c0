"""Simulation: what changes if a fee, a formula, a date, the VAT or the credits change.

The scenario is computed from a copy of the recorded data; nothing is written unless the user
saves the scenario's settings under a name.
"""

import polars as pl
import streamlit as st

from spend import store, ui
from spend.domain.scenario import (
    CREDITS_PCT,
    FEE_PCT,
    RENEWAL_YEARS,
    SHIFT_MONTHS,
    Scenario,
    compare,
)
from spend.views.charts import scenario_chart
from spend.views.formatting import euros
from spend.views.scenario_form import (
    default_state,
    form_choices,
    line_label,
    option_label,
    scenario_from_state,
    state_from_scenario,
)

context = ui.page_data()
filters, version, inputs = context.filters, context.version, context.inputs
choices = form_choices(inputs)
con = ui.database()


def load_state(values: dict[str, object]) -> None:
    for key, value in values.items():
        st.session_state[key] = value


# Widgets start at the recorded values, or at the scenario of a shared link.
if "sim_ready" not in st.session_state:
    st.session_state.sim_ready = True
    shared = st.query_params.get("scenario")
    load_state(
        state_from_scenario(Scenario.from_json(shared), choices)
        if shared
        else default_state(choices)
    )
for key, value in default_state(choices).items():
    st.session_state.setdefault(key, value)

ui.page_header(
    "Simulation",
    "Faites varier cotisations, formules, dates, TVA et crédits : le scénario est comparé aux "
    "données enregistrées, qui ne sont jamais modifiées.",
)
metrics = st.container()
controls, results = st.columns([2, 3], gap="large")

with controls:
    with st.expander("Cotisations des centrales", expanded=True, icon=":material/percent:"):
        st.slider("Toutes les centrales (%)", *FEE_PCT, step=1, key="sim_all_fees")
        for body in choices.bodies:
            st.slider(f"{body} (%)", *FEE_PCT, step=1, key=f"sim_fee__{body}")
    with st.expander("Formule ou catégorie", icon=":material/swap_horiz:"):
        for convention in choices.conventions:
            agreement = inputs.conventions.filter(pl.col("convention_id") == convention)[
                "agreement_id"
            ][0]
            st.selectbox(
                convention,
                choices.convention_options[convention],
                key=f"sim_choice__{convention}",
                format_func=lambda o, a=agreement: option_label(choices, a, o),
            )
    with st.expander("Dates : début décalé, accord renouvelé", icon=":material/event:"):
        for convention in choices.conventions:
            st.slider(
                f"Début de {convention} décalé (mois)", *SHIFT_MONTHS, step=1,
                key=f"sim_shift__{convention}",
            )  # fmt: skip
        for agreement in choices.agreements:
            st.number_input(
                f"Accord {agreement} renouvelé (années de plus)", *RENEWAL_YEARS, step=1,
                key=f"sim_renew__{agreement}",
            )  # fmt: skip
    with st.expander("TVA et crédits", icon=":material/account_balance:"):
        st.number_input("Taux de TVA (%)", 0.0, 100.0, step=0.1, format="%.2f", key="sim_vat")
        for line in choices.lines:
            st.slider(
                f"Crédits {line_label(line)} (%)", *CREDITS_PCT, step=1,
                key=f"sim_credits__{line}",
            )  # fmt: skip
    st.button(
        "Revenir aux données enregistrées",
        on_click=load_state,
        args=(default_state(choices),),
        icon=":material/restart_alt:",
        key="sim_reset",
    )

scenario = scenario_from_state(st.session_state, choices)
if scenario.is_baseline():
    st.query_params.pop("scenario", None)
else:
    st.query_params["scenario"] = scenario.to_json()

baseline = ui.cached_figures(version)
simulated = ui.cached_figures(version, scenario.to_json())
comparison = compare(baseline, simulated)

year = filters.year
if year is not None:
    in_year = comparison.filter(pl.col("year") == year)
    base_committed = in_year["committed_baseline"].sum()
    scen_committed = in_year["committed_scenario"].sum()
    base_balance = in_year["balance_baseline"].sum()
    scen_balance = in_year["balance_scenario"].sum()
    metrics.subheader(f"Exercice {year}")
    a, b, c, d = metrics.columns(4)
    a.metric("Engagé enregistré", euros(base_committed), border=True)
    b.metric(
        "Engagé scénario",
        euros(scen_committed),
        delta=euros(scen_committed - base_committed, signed=True)
        if scen_committed != base_committed
        else None,
        delta_color="inverse",
        border=True,
    )
    c.metric("Solde enregistré", euros(base_balance), border=True)
    d.metric(
        "Solde scénario",
        euros(scen_balance),
        delta=euros(scen_balance - base_balance, signed=True)
        if scen_balance != base_balance
        else None,
        border=True,
    )

with results:
    if scenario.is_baseline():
        st.info("Aucun changement : le scénario est identique aux données enregistrées.")
    negative = comparison.filter(pl.col("negative_scenario"))
    for op, imp, neg_year, balance, before in negative.select(
        "operation_code", "imputation", "year", "balance_scenario", "balance_baseline"
    ).rows():
        if before < 0:
            st.warning(
                f"Solde négatif en {neg_year} sur {op} / {imp} : {euros(balance)} "
                f"(déjà négatif dans les données enregistrées : {euros(before)}).",
                icon=":material/trending_down:",
            )
        else:
            st.error(
                f"Solde négatif en {neg_year} sur {op} / {imp} : {euros(balance)} avec ce "
                f"scénario (enregistré : {euros(before)}).",
                icon=":material/trending_down:",
            )
    ui.chart(scenario_chart(comparison))

st.subheader("Enregistré et scénario, par ligne budgétaire et par exercice")
ui.table(
    comparison.drop("negative_scenario"),
    key="sim_comparison",
    file_stem="simulation",
    sheet="Simulation",
)
st.caption(
    "Le lien de cette page contient le scénario : copiez l'adresse du navigateur pour le "
    f"partager. {ui.provenance()}"
)

st.subheader("Scénarios enregistrés")
saved = store.saved_scenarios(con)
name_col, save_col = st.columns([3, 1], vertical_alignment="bottom")
name = name_col.text_input("Nom du scénario", key="sim_name", max_chars=80)
if save_col.button("Enregistrer", key="sim_save", icon=":material/save:"):
    if not name.strip():
        st.error("Donnez un nom au scénario avant de l'enregistrer.")
    else:
        store.save_scenario(con, name.strip(), scenario.to_json())
        st.success(f"Scénario « {name.strip()} » enregistré.")
        saved = store.saved_scenarios(con)
if saved:
    pick_col, load_col, delete_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    picked = pick_col.selectbox("Scénario", list(saved), key="sim_pick")
    load_col.button(
        "Charger",
        key="sim_load",
        on_click=lambda: load_state(
            state_from_scenario(Scenario.from_json(saved[picked]), choices)
        ),
    )
    if delete_col.button("Supprimer", key="sim_delete"):
        store.delete_scenario(con, picked)
        st.rerun()
