"""Préparation: next year's budget per line, from the conventions in force, and its arbitrage.

For each budget line: réalisé, BP, crédits ouverts and engagé of N−1, the proposal for N (the
fees TTC the conventions will bill, by the engine, and the other commitments of N that count),
the gap, and the amount the manager arbitrates (journaled). Then the SCDL « Budget » file of the
arbitrated proposal and the drafted deliberation.
"""

import streamlit as st

from spend import ui
from spend.ui import preparation as steps

context = ui.page_data()
filters, version = context.filters, context.version

ui.page_header(
    "Préparation",
    "Pour chaque ligne : réalisé, BP, crédits ouverts et engagé de l'exercice précédent, la "
    "proposition calculée d'après les conventions en vigueur, l'écart et le montant arbitré.",
)
years = steps.years(version)
if not years:
    st.info("Aucune ligne budgétaire ni convention : importez des données (page Données).")
    st.stop()
if st.session_state.get("preparation_year") not in years:
    # The year after the one chosen in the sidebar, by default.
    wanted = filters.year + 1 if filters.year else years[-1]
    st.session_state.preparation_year = wanted if wanted in years else years[-1]
left, right = st.columns(2)
year = left.selectbox("Exercice à préparer (N)", years, key="preparation_year")
scenario = right.selectbox(
    "Proposition d'après",
    steps.scenario_names(version),
    key="preparation_scenario",
    help="Un scénario enregistré sur la page Simulation (ex. : cotisations +3 %, renouvellement).",
)
prepared = steps.prepared_lines(version, year, scenario)
if prepared.is_empty():
    st.info(f"Aucune ligne budgétaire en {year - 1} ni engagement prévu en {year}.")
    st.stop()
if saved := st.session_state.pop("preparation_saved", None):
    st.success(f"Arbitrage enregistré — {saved}", icon=":material/check:")
steps.lines_table(prepared, year)
st.markdown(steps.total_line(prepared))

st.subheader("Arbitrage")
steps.arbitration_form(context, prepared, year)

st.subheader("Fichiers de l'exercice")
steps.files(context, prepared, year)
