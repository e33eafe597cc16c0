"""What a manager reads: French formatting, labels, charts and page-shaped frames.

Pure functions of the domain's frames (no database, no Streamlit): `formatting` (1 234,56 €,
13/12/2022), `labels` (French words for columns and codes), `charts` (Altair), `alerts` (what
needs attention, in sentences), `conventions`, `fee_grids`, `reconciliation`, `provenance`,
`scenario_form` (the simulation's widget values ↔ a scenario).
"""
