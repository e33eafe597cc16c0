"""Cotisations: what each central costs per year, and the grids the fees come from."""

import polars as pl
import streamlit as st

from spend import ui
from spend.views.charts import fees_chart
from spend.views.fee_grids import grid_rows, grid_view, totals_view

context = ui.page_data()
filters, inputs, figures = context.filters, context.inputs, context.figures

ui.page_header(
    "Cotisations",
    "Cotisations par centrale et par exercice (HT, TVA, TTC) et grilles tarifaires des accords.",
)
totals = totals_view(figures.totals, inputs.bodies)
if filters.body_id:
    totals = totals.filter(pl.col("body_id") == filters.body_id)
if totals.is_empty():
    st.info("Aucune cotisation calculée pour ce choix.")
else:
    chart_totals = figures.totals
    if filters.body_id:
        chart_totals = chart_totals.filter(pl.col("body_id") == filters.body_id)
    ui.chart(fees_chart(chart_totals, inputs.bodies))
    st.caption(
        "Montants connus uniquement ; la colonne « Titres sans montant » compte les cotisations "
        f"« sur devis ». {ui.provenance()}"
    )
    st.subheader("Totaux par centrale et par exercice")
    ui.table(totals, key="fees_totals", file_stem="cotisations_par_centrale", sheet="Totaux")

st.subheader("Titres de l'exercice" + (f" {filters.year}" if filters.year else ""))
titles = figures.titles
if filters.year:
    titles = titles.filter(pl.col("year") == filters.year)
if filters.body_id:
    titles = titles.filter(pl.col("body_id") == filters.body_id)
ui.table(
    titles.select(
        "convention_id",
        "body_id",
        "year",
        "period_start",
        "period_end",
        "months",
        "amount_excl_tax",
        "vat",
        "amount_incl_tax",
        "issue_date",
        "due_date",
    ),
    key="fees_titles",
    file_stem=f"titres_{filters.year}",
    sheet="Titres",
)

st.subheader("Grilles tarifaires")
grid = grid_view(inputs.fee_grid, inputs.agreements)
if filters.body_id:
    grid = grid.filter(pl.col("body_id") == filters.body_id)
agreements = grid["agreement_title"].unique(maintain_order=True).to_list()
if agreements:
    # One agreement at a time: a single picker whatever the number of agreements.
    agreement = st.selectbox("Accord-cadre", agreements, key="fees_agreement")
    ui.table(
        grid.filter(pl.col("agreement_title") == agreement).drop("agreement_title"),
        key="fees_grid",
        file_stem="grille_tarifaire",
        exchange=(
            "fee_grid",
            grid_rows(inputs.fee_grid, inputs.agreements, agreement, filters.body_id),
        ),
    )
else:
    st.info("Aucune grille tarifaire pour ce choix.")
