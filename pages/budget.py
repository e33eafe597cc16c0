"""Budget: per line and year, credits against commitments, and what makes up each commitment."""

import polars as pl
import streamlit as st

from spend import ui
from spend.domain.budget import budget_view, composition, line_years, on_budget_line
from spend.views.budget import (
    body_share_text,
    budget_table,
    committed_parts,
    committed_statuses_note,
)
from spend.views.charts import budget_chart_spec
from spend.views.formatting import budget_line_text, inert
from spend.views.reconciliation import reconciliation_lines

context = ui.page_data()
filters, inputs, figures = context.filters, context.inputs, context.figures

ui.page_header(
    "Budget",
    "Crédits de paiement votés, engagements (cotisations TTC et autres) et solde, par ligne.",
)
view = budget_view(figures.balance)
if view.is_empty():
    st.info("Aucune ligne budgétaire ni engagement : importez des données (page Données).")
    st.stop()
ui.table(budget_table(view), key="budget_lines", file_stem="lignes_budgetaires", sheet="Budget")
st.caption(committed_statuses_note())

st.subheader("Une ligne budgétaire")
lines = view.select("operation_code", "imputation").unique(maintain_order=True).rows()
labels = [budget_line_text(o, i) for o, i in lines]
left, right = st.columns(2)
chosen = left.selectbox("Ligne budgétaire", labels, key="budget_line")
operation_code, imputation = lines[labels.index(chosen)]
years = line_years(view, operation_code, imputation)
if st.session_state.get("budget_year") not in years:
    st.session_state.budget_year = filters.year if filters.year in years else years[-1]
year = right.selectbox("Exercice", years, key="budget_year")
on_line = figures.balance.filter(on_budget_line(operation_code, imputation))
ui.chart(budget_chart_spec(on_line, figures.titles, year, filters.body_id))
share = (
    body_share_text(
        committed_parts(on_line, figures.titles, filters.body_id), year, filters.body_id
    )
    if filters.body_id
    else None
)
st.caption(" ".join(filter(None, [share, ui.provenance()])))
row = view.filter(on_budget_line(operation_code, imputation) & (pl.col("year") == year)).row(
    0, named=True
)

st.markdown(f"**Rapprochement {year} — {inert(chosen)} {inert(row['label'] or '')}**")
sentences = reconciliation_lines(
    figures.titles, row, inputs.vat_rate, operation_code, imputation, year
)
st.markdown("\n".join(f"- {inert(s)}" for s in sentences))
if not row["credits"] and row["committed"]:
    st.error(f"Aucun crédit saisi pour {year} sur cette ligne.", icon=":material/error:")
ui.table(
    composition(figures.titles, inputs.commitments, operation_code, imputation, year),
    key="budget_composition",
    file_stem=f"engagements_{year}",
    sheet="Engagements",
)
