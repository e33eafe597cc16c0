"""Simulation: what changes if a fee, a formula, a date, the VAT or the credits change.

The manager picks a scope (every convention, a central, an agreement, a budget line, or a
search), then the changes; changes per convention go in one table. The same widgets whatever
the number of conventions. The scenario is computed from a copy of the recorded data; nothing
is written unless the user saves the scenario's settings under a name.
"""

import polars as pl
import streamlit as st

from spend import store, ui
from spend.domain.access import AccessRefused
from spend.domain.scenario import CREDITS_PCT, FEE_PCT, RENEWAL_YEARS, SHIFT_MONTHS, Scenario
from spend.domain.what_if import compare, scoped_conventions
from spend.views.charts import scenario_chart_spec
from spend.views.formatting import inert
from spend.views.metrics import change_card
from spend.views.scenario_form import (
    NO_FORMULA,
    OVERRIDE_COLUMNS,
    SCOPE_LABELS,
    SCOPE_VALUE_KEYS,
    default_state,
    describe,
    scenario_from_state,
    signed_months,
    signed_percent,
    span,
    state_from_scenario,
    unknown_conventions,
    vat_text,
    years_text,
)
from spend.views.simulation import comparison_table, negative_summary

context = ui.page_data()
filters, version, inputs = context.filters, context.version, context.inputs
choices = ui.cached_form_choices(version)


def load_state(values: dict[str, object]) -> None:
    for key, value in values.items():
        st.session_state[key] = value
    # A new table of changes per convention: the editor starts again from its base.
    st.session_state.sim_overrides_round = st.session_state.get("sim_overrides_round", 0) + 1


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
st.session_state.setdefault("sim_overrides_round", 0)

ui.page_header(
    "Simulation",
    "Choisissez un périmètre puis faites varier cotisations, formule, dates, TVA et crédits : "
    "le scénario est comparé aux données enregistrées, qui ne sont jamais modifiées.",
)
metrics = st.container()
controls, results = st.columns([2, 3], gap="large")

with controls:
    with st.container(border=True):
        kind = st.selectbox(
            "Périmètre", list(SCOPE_LABELS), format_func=SCOPE_LABELS.get, key="sim_scope_kind"
        )
        if kind == "body":
            st.selectbox(
                "Centrale", list(choices.bodies), format_func=choices.bodies.get,
                key=SCOPE_VALUE_KEYS["body"],
            )  # fmt: skip
        elif kind == "agreement":
            agreement = st.selectbox(
                "Accord-cadre", list(choices.agreements), format_func=choices.agreements.get,
                key=SCOPE_VALUE_KEYS["agreement"],
            )  # fmt: skip
        elif kind == "line":
            st.selectbox(
                "Ligne budgétaire", list(choices.lines), format_func=choices.lines.get,
                key=SCOPE_VALUE_KEYS["line"],
            )  # fmt: skip
        elif kind == "search":
            st.text_input(
                "Rechercher (identifiant, intitulé, formule, catégorie, centrale)",
                key=SCOPE_VALUE_KEYS["search"],
                max_chars=200,
            )
        st.select_slider(
            "Cotisations du périmètre", options=span(FEE_PCT),
            format_func=signed_percent, key="sim_fee_pct",
        )  # fmt: skip
        if kind == "agreement" and agreement in choices.formulas:
            options = {NO_FORMULA: "Formule enregistrée", **choices.formulas[agreement]}
            if st.session_state.get("sim_formula") not in options:
                st.session_state.sim_formula = NO_FORMULA
            st.selectbox(
                "Autre formule ou catégorie", list(options), format_func=options.get,
                key="sim_formula",
            )  # fmt: skip
        st.select_slider(
            "Début des conventions décalé", options=span(SHIFT_MONTHS), format_func=signed_months,
            key="sim_shift",
        )  # fmt: skip
        st.select_slider(
            "Accords-cadres renouvelés", options=span(RENEWAL_YEARS), format_func=years_text,
            key="sim_renew",
        )  # fmt: skip
    with st.container(border=True):
        st.select_slider(
            "Taux de TVA", options=choices.vat_rates, format_func=vat_text, key="sim_vat"
        )
        lines = {"": "Toutes les lignes", **choices.lines}
        st.selectbox("Crédits de", list(lines), format_func=lines.get, key="sim_credits_line")
        st.select_slider(
            "Crédits", options=span(CREDITS_PCT),
            format_func=signed_percent, key="sim_credits_pct",
        )  # fmt: skip
    with st.expander("Changements par convention", icon=":material/edit_note:"):
        st.caption(
            "Une ligne par convention : son identifiant, la variation de sa cotisation (%) et "
            "le décalage de son début (mois), en plus de ceux du périmètre."
        )
        overrides = st.data_editor(
            st.session_state.sim_overrides_base,
            num_rows="dynamic",
            hide_index=True,
            key=f"sim_overrides_{st.session_state.sim_overrides_round}",
            column_config={
                "convention_id": st.column_config.TextColumn("Convention", required=True),
                "fee_pct": st.column_config.NumberColumn(
                    "Cotisation (%)", min_value=FEE_PCT[0], max_value=FEE_PCT[1], step=1
                ),
                "shift_months": st.column_config.NumberColumn(
                    "Début décalé (mois)", min_value=SHIFT_MONTHS[0], max_value=SHIFT_MONTHS[1],
                    step=1,
                ),
            },
        )  # fmt: skip
        if not isinstance(overrides, pl.DataFrame):
            overrides = pl.from_pandas(overrides)
        overrides = overrides.cast(OVERRIDE_COLUMNS, strict=False)
        unknown = unknown_conventions(overrides, choices)
        if unknown:
            st.warning(
                "Convention(s) inconnue(s), ignorée(s) : " + inert(", ".join(unknown[:10])),
                icon=":material/help:",
            )
    st.button(
        "Revenir aux données enregistrées",
        on_click=load_state,
        args=(default_state(choices),),
        icon=":material/restart_alt:",
        key="sim_reset",
    )

scenario = scenario_from_state(st.session_state, choices, overrides)
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
    metrics.subheader(f"Exercice {year}")
    cards = [
        change_card("Engagé enregistré", in_year["committed_baseline"].sum(),
                    in_year["committed_baseline"].sum(), higher_is_better=False),
        change_card("Engagé scénario", in_year["committed_scenario"].sum(),
                    in_year["committed_baseline"].sum(), higher_is_better=False),
        change_card("Solde enregistré", in_year["balance_baseline"].sum(),
                    in_year["balance_baseline"].sum(), higher_is_better=True),
        change_card("Solde scénario", in_year["balance_scenario"].sum(),
                    in_year["balance_baseline"].sum(), higher_is_better=True),
    ]  # fmt: skip
    for column, card in zip(metrics.columns(4), cards, strict=True):
        column.metric(card.label, card.value, border=True, **card.delta_args())

with results:
    if scenario.is_baseline():
        st.info("Aucun changement : le scénario est identique aux données enregistrées.")
    else:
        in_scope = int(scoped_conventions(inputs, scenario)["in_scope"].sum())
        st.markdown(
            "**Ce que change le scénario**\n"
            + "\n".join(f"- {inert(s)}" for s in describe(scenario, choices, in_scope))
        )
    # One message for the negative balances, however many lines and years: the table lists them.
    negative = negative_summary(comparison)
    if negative is not None:
        (st.error if negative.new else st.warning)(
            inert(negative.text), icon=":material/trending_down:"
        )
    ui.chart(scenario_chart_spec(comparison))

st.subheader("Enregistré et scénario, par ligne budgétaire et par exercice")
ui.table(
    comparison_table(comparison),
    key="sim_comparison",
    file_stem="simulation",
    sheet="Simulation",
)
st.caption(
    "Le lien de cette page contient le scénario : copiez l'adresse du navigateur pour le "
    f"partager. {ui.provenance()}"
)

st.subheader("Scénarios enregistrés")
saved = ui.cached_scenarios(ui.scenarios_version())
if context.actor.may("scenario") and not ui.read_only():
    name_col, save_col = st.columns([3, 1], vertical_alignment="bottom")
    name = name_col.text_input("Nom du scénario", key="sim_name", max_chars=80)
    if save_col.button("Enregistrer", key="sim_save", icon=":material/save:"):
        if not name.strip():
            st.error("Donnez un nom au scénario avant de l'enregistrer.")
        else:
            try:
                with ui.session() as con:
                    store.save_scenario(con, name.strip(), scenario.to_json(), actor=context.actor)
            except (store.StoreError, AccessRefused) as error:
                st.error(inert(str(error)), icon=":material/block:")
            else:
                ui.after_scenario_write()
                st.success(f"Scénario « {inert(name.strip())} » enregistré.")
                saved = ui.cached_scenarios(ui.scenarios_version())
else:
    st.caption(
        "Les scénarios enregistrés se chargent ici ; les enregistrer ou les supprimer est "
        "réservé aux gestionnaires."
    )
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
    can_delete = context.actor.may("scenario") and not ui.read_only()
    if can_delete and delete_col.button("Supprimer", key="sim_delete"):
        with ui.session() as con:
            store.delete_scenario(con, picked, actor=context.actor)
        ui.after_scenario_write()
        st.rerun()
