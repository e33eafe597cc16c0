"""The simulation page's steps: the form (scope, its changes, the changes kept from other
scopes, what lies beside them, changes per convention), the cards, the comparison coloured by
meaning, and the saved scenarios. The page calls them in order."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

import polars as pl
import streamlit as st

from spend import store
from spend.domain.access import AccessRefused, Actor
from spend.domain.scenario import CREDITS_PCT, FEE_PCT, RENEWAL_YEARS, SHIFT_MONTHS, Scenario
from spend.domain.what_if import scoped_conventions
from spend.exchange.exports import csv_bytes, xlsx_bytes
from spend.ui.cache import after_scenario_write, cached_scenarios, read_only, scenarios_version
from spend.ui.cache import session as db_session
from spend.ui.widgets import CSV, XLSX, Download, download_row, page_of
from spend.views.formatting import display_frame, inert
from spend.views.labels import labels_for
from spend.views.metrics import BAD, GOOD
from spend.views.scenario_form import (
    NO_FORMULA,
    OVERRIDE_COLUMNS,
    SCOPE_LABELS,
    SCOPE_VALUE_KEYS,
    FormChoices,
    chosen_scope,
    default_state,
    describe,
    drop_kept,
    scenario_from_state,
    scope_sentence,
    signed_months,
    signed_percent,
    span,
    state_from_scenario,
    switch_scope,
    unknown_conventions,
    vat_text,
    years_text,
)
from spend.views.simulation import change_meanings, comparison_table, simulation_cards

COLOURS = {GOOD: "#1a7f37", BAD: "#c00000"}  # text colours readable on white (RGAA 4.5:1)


@dataclass(frozen=True)
class SimulationForm:
    """What the form describes: the scenario, and what the page says of it."""

    scenario: Scenario
    in_scope: int  # conventions of the current scope
    kept_counts: list[int]  # conventions of each kept scope


def load_state(values: Mapping[str, object]) -> None:
    for key, value in values.items():
        st.session_state[key] = value
    # A new table of changes per convention: the editor starts again from its base.
    st.session_state.sim_overrides_round = st.session_state.get("sim_overrides_round", 0) + 1


def start(choices: FormChoices) -> None:
    """Widgets at the recorded values, or at the scenario of a shared link (first run)."""
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


def _state() -> Mapping[str, object]:
    """The session's widget values, as the package's pure functions read them."""
    return cast(Mapping[str, object], st.session_state)


def _scope_changed() -> None:
    """The scope changed: the changes made to the one left are kept, not dropped."""
    for key, value in switch_scope(_state()).items():
        st.session_state[key] = value


def _drop_kept(index: int) -> None:
    for key, value in drop_kept(_state(), index).items():
        st.session_state[key] = value


def scope_step(choices: FormChoices) -> None:
    """The scope, the changes kept from other scopes, and the changes made to this one."""
    kind = st.selectbox(
        "Périmètre",
        list(SCOPE_LABELS),
        format_func=SCOPE_LABELS.__getitem__,
        key="sim_scope_kind",
        on_change=_scope_changed,
    )
    pickers = {
        "body": ("Centrale", choices.bodies),
        "agreement": ("Accord-cadre", choices.agreements),
        "line": ("Ligne budgétaire", choices.lines),
    }
    if kind is not None and kind in pickers:
        label, options = pickers[kind]
        st.selectbox(
            label,
            list(options),
            format_func=options.__getitem__,
            key=SCOPE_VALUE_KEYS[kind],
            on_change=_scope_changed,
        )
    elif kind == "search":
        st.text_input(
            "Rechercher (identifiant, intitulé, formule, catégorie, centrale)",
            key=SCOPE_VALUE_KEYS["search"],
            max_chars=200,
            on_change=_scope_changed,
        )
    st.select_slider(
        "Cotisations du périmètre",
        options=span(FEE_PCT),
        format_func=signed_percent,
        key="sim_fee_pct",
    )
    agreement = st.session_state.get(SCOPE_VALUE_KEYS["agreement"])
    if kind == "agreement" and agreement in choices.formulas:
        options = {NO_FORMULA: "Formule enregistrée", **choices.formulas[agreement]}
        if st.session_state.get("sim_formula") not in options:
            st.session_state.sim_formula = NO_FORMULA
        st.selectbox(
            "Autre formule ou catégorie",
            list(options),
            format_func=options.__getitem__,
            key="sim_formula",
        )
    st.select_slider(
        "Début des conventions décalé",
        options=span(SHIFT_MONTHS),
        format_func=signed_months,
        key="sim_shift",
    )
    st.select_slider(
        "Accords-cadres renouvelés",
        options=span(RENEWAL_YEARS),
        format_func=years_text,
        key="sim_renew",
    )


def kept_step(form: SimulationForm, choices: FormChoices) -> None:
    """The changes made to other scopes, kept: each said, each removable."""
    kept = form.scenario.kept_scopes
    if not kept:
        return
    st.markdown(f"**Changements conservés d'autres périmètres ({len(kept)})**")
    for index, (scope, count) in enumerate(zip(kept, form.kept_counts, strict=True)):
        text, remove = st.columns([5, 1], vertical_alignment="center")
        text.caption(inert(scope_sentence(scope, choices, count)))
        remove.button("Retirer", key=f"sim_drop_{index}", on_click=_drop_kept, args=(index,))


def beside_step(choices: FormChoices) -> None:
    """The VAT rate and the credits: beside every scope."""
    st.select_slider("Taux de TVA", options=choices.vat_rates, format_func=vat_text, key="sim_vat")
    lines = {"": "Toutes les lignes", **choices.lines}
    st.selectbox("Crédits de", list(lines), format_func=lines.__getitem__, key="sim_credits_line")
    st.select_slider(
        "Crédits", options=span(CREDITS_PCT), format_func=signed_percent, key="sim_credits_pct"
    )


def overrides_step(choices: FormChoices) -> pl.DataFrame:
    """Changes per convention, in one table whatever their number."""
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
                    "Début décalé (mois)",
                    min_value=SHIFT_MONTHS[0],
                    max_value=SHIFT_MONTHS[1],
                    step=1,
                ),
            },
        )
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
    return overrides


def read_form(choices: FormChoices, overrides: pl.DataFrame, inputs: object) -> SimulationForm:
    """The scenario the widgets describe, kept in the page's address."""
    scenario = scenario_from_state(_state(), choices, overrides)
    st.session_state.sim_active_scope = chosen_scope(_state())
    if scenario.is_baseline():
        st.query_params.pop("scenario", None)
    else:
        st.query_params["scenario"] = scenario.to_json()

    def count(one: Scenario) -> int:
        return int(scoped_conventions(inputs, one)["in_scope"].sum())  # type: ignore[arg-type]  # Boolean sum: an int

    return SimulationForm(
        scenario,
        count(scenario) if scenario.scope_changes() else 0,
        [count(kept.as_scenario()) for kept in scenario.kept_scopes],
    )


def cards_step(
    container: st.delta_generator.DeltaGenerator, comparison: pl.DataFrame, year: int | None
) -> None:
    if year is None:
        return
    container.subheader(f"Exercice {year}")
    for row in simulation_cards(comparison, year):
        for column, card in zip(container.columns(len(row)), row, strict=True):
            column.metric(
                card.label,
                card.value,
                border=True,
                delta=card.delta,
                delta_color=card.delta_color,
                delta_arrow=card.delta_arrow,
            )


def said_step(form: SimulationForm, choices: FormChoices) -> None:
    if form.scenario.is_baseline():
        st.info("Aucun changement : le scénario est identique aux données enregistrées.")
        return
    sentences = describe(form.scenario, choices, form.in_scope, form.kept_counts)
    st.markdown("**Ce que change le scénario**\n" + "\n".join(f"- {inert(s)}" for s in sentences))


def comparison_step(comparison: pl.DataFrame) -> None:
    """The comparison per line and year, each change coloured by what it means (as the cards),
    with the three downloads of every table."""
    table = comparison_table(comparison)
    labels = labels_for(table.columns)
    shown = page_of(table, "sim_comparison")
    text = display_frame(shown, labels).to_pandas()
    meanings = change_meanings(shown)
    css = text.copy().astype(object)
    css[:] = ""
    for column in meanings.columns:
        css[labels[column]] = [
            f"color: {COLOURS[m]}; font-weight: 600" if m else "" for m in meanings[column]
        ]
    st.dataframe(text.style.apply(lambda _: css, axis=None), hide_index=True)
    download_row(
        [
            Download(
                "CSV Excel (FR)",
                lambda: csv_bytes(table, "excel_fr", labels),
                "simulation.csv",
                CSV,
            ),
            Download(
                "CSV (virgule)",
                lambda: csv_bytes(table, "standard", labels),
                "simulation_virgule.csv",
                CSV,
            ),
            Download(
                "Excel (XLSX)",
                lambda: xlsx_bytes({"Simulation": table}, labels),
                "simulation.xlsx",
                XLSX,
            ),
        ],
        key="sim_comparison",
    )


def saved_step(actor: Actor, scenario: Scenario, choices: FormChoices) -> None:
    """Save the scenario under a name (gestionnaires), load or delete a saved one."""
    saved = cached_scenarios(scenarios_version())
    writable = actor.may("scenario") and not read_only()
    if writable:
        name_col, save_col = st.columns([3, 1], vertical_alignment="bottom")
        name = name_col.text_input("Nom du scénario", key="sim_name", max_chars=80)
        if save_col.button("Enregistrer", key="sim_save", icon=":material/save:"):
            saved = _save(actor, name.strip(), scenario) or saved
    else:
        st.caption(
            "Les scénarios enregistrés se chargent ici ; les enregistrer ou les supprimer est "
            "réservé aux gestionnaires."
        )
    if not saved:
        return
    pick_col, load_col, delete_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    picked = pick_col.selectbox("Scénario", list(saved), key="sim_pick")
    load_col.button(
        "Charger",
        key="sim_load",
        on_click=lambda: load_state(
            state_from_scenario(Scenario.from_json(saved[picked]), choices)
        ),
    )
    if writable and delete_col.button("Supprimer", key="sim_delete"):
        _delete(actor, picked)


def _delete(actor: Actor, name: str) -> None:
    """A saved scenario deleted, or the refusal said (as a save's is): never a traceback."""
    try:
        with db_session() as con:
            store.delete_scenario(con, name, actor=actor)
    except (store.StoreError, AccessRefused) as error:
        st.error(inert(str(error)), icon=":material/block:")
        return
    after_scenario_write()
    st.rerun()


def _save(actor: Actor, name: str, scenario: Scenario) -> dict[str, str] | None:
    if not name:
        st.error("Donnez un nom au scénario avant de l'enregistrer.")
        return None
    try:
        with db_session() as con:
            store.save_scenario(con, name, scenario.to_json(), actor=actor)
    except (store.StoreError, AccessRefused) as error:
        st.error(inert(str(error)), icon=":material/block:")
        return None
    after_scenario_write()
    st.success(f"Scénario « {inert(name)} » enregistré.")
    return cached_scenarios(scenarios_version())
