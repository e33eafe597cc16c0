"""Router: the pages, the shared sidebar, then the chosen page."""

import pandas  # noqa: F401  (imported first: a cold server raced on it in st.altair_chart)
import streamlit as st

from spend.ui import database, figures

st.set_page_config(page_title="Centrales d'achat — cotisations et crédits", layout="wide")
figures_now = figures(database())
st.title("Centrales d'achat : cotisations et crédits")
st.dataframe(figures_now.balance)
