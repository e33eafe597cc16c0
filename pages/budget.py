"""Budget: per line and year, credits against commitments, and what makes up each commitment."""

import polars as pl
import streamlit as st

from spend import ui
from spend.charts import budget_chart
from spend.reconciliation import composition, reconciliation_lines
from spend.reports import budget_view

ui.ensure_router()
filters: ui.Filters = st.session_state.filters
version = ui.data_version()
inputs = ui.cached_inputs(version)
figures = ui.cached_figures(version)

ui.page_header(
    "Budget",
    "Crédits de paiement votés, engagements (cotisations TTC et autres) et solde, par ligne.",
)
view = budget_view(figures.balance)
if view.is_empty():
    st.info("Aucune ligne budgétaire ni engagement : importez des données (page Données).")
    st.stop()
ui.chart(budget_chart(figures.balance))
st.caption(ui.provenance())
ui.table(view, key="budget_lines", file_stem="lignes_budgetaires", sheet="Budget")

st.subheader("Détail d'un engagement")
lines = view.select("operation_code", "imputation").unique(maintain_order=True)
labels = [f"{o} / {i}" for o, i in lines.iter_rows()]
left, right = st.columns(2)
chosen = left.selectbox("Ligne budgétaire", labels, key="budget_line")
years = sorted(view["year"].unique().to_list())
year = right.selectbox(
    "Exercice",
    years,
    index=years.index(filters.year) if filters.year in years else len(years) - 1,
    key="budget_year",
)
operation_code, imputation = lines.row(labels.index(chosen))
row = view.filter(
    (pl.col("operation_code") == operation_code)
    & (pl.col("imputation") == imputation)
    & (pl.col("year") == year)
).row(0, named=True)

st.markdown(f"**Rapprochement {year} — {chosen} {row['label'] or ''}**")
sentences = reconciliation_lines(
    figures.titles, row, inputs.vat_rate, operation_code, imputation, year
)
st.markdown("\n".join(f"- {s}" for s in sentences))
if not row["credits"] and row["committed"]:
    st.error(f"Aucun crédit saisi pour {year} sur cette ligne.", icon=":material/error:")
ui.table(
    composition(figures.titles, inputs.commitments, operation_code, imputation, year),
    key="budget_composition",
    file_stem=f"engagements_{year}",
    sheet="Engagements",
)
