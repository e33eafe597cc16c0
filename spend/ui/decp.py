"""The agreements' end dates a DECP file proposes, reviewed on the Données page."""

import polars as pl
import streamlit as st

from spend.exchange.decp import (
    BY_ID,
    DecpError,
    accepted_end_dates,
    decp_proposals,
    read_decp_bytes,
)
from spend.exchange.reading import RawTable
from spend.ui.cache import cached_tables, data_version
from spend.views.formatting import inert, thousands

LABELS = {
    "apply": "Appliquer",
    "agreement_id": "Accord-cadre",
    "title": "Intitulé",
    "stored_end_date": "Date de fin enregistrée",
    "proposed_end_date": "Date de fin proposée",
    "match": "Trouvé par",
    "decp_id": "Identifiant DECP",
    "decp_objet": "Objet DECP",
    "notification": "Notification",
    "duration_months": "Durée (mois)",
    "modifications": "Modifications",
}


def decp_review(round_: int) -> tuple[RawTable, str] | None:
    """A DECP file uploaded, its proposals beside the stored dates; the rows the manager keeps
    (those found by identifier are ticked, those found by object are to check) once confirmed,
    with the journal's source."""
    st.markdown(
        "**Dates de fin d'après les données essentielles de la commande publique (DECP)** : "
        "déposez le fichier consolidé (CSV ou Parquet) ou un fichier DECP 2.0 (JSON) téléchargé "
        "sur data.gouv.fr. Un accord-cadre est reconnu au SIRET de sa centrale et à sa "
        "référence, ou proposé d'après son objet (à vérifier) ; la date de fin est la "
        "notification plus la durée actuelle, modifications comprises."
    )
    upload = st.file_uploader(
        "Fichier DECP", type=["csv", "parquet", "json"], key=f"data_decp_{round_}"
    )
    if upload is None:
        return None
    tables = cached_tables(data_version())
    try:
        rows = read_decp_bytes(upload.getvalue(), upload.name)
    except DecpError as error:
        st.error(inert(str(error)), icon=":material/block:")
        return None
    proposals = decp_proposals(rows, tables["agreements"], tables["bodies"])
    if proposals.is_empty():
        st.info(
            "Aucun accord-cadre trouvé dans ce fichier : vérifiez le SIRET des centrales et la "
            "référence des accords-cadres."
        )
        return None
    shown = proposals.select(
        (pl.col("match") == BY_ID).alias("apply"), *[c for c in LABELS if c != "apply"]
    )
    edited = st.data_editor(
        shown,
        hide_index=True,
        disabled=[c for c in LABELS if c != "apply"],
        key=f"data_decp_review_{round_}",
        column_config={
            c: st.column_config.CheckboxColumn(label) if c == "apply" else label
            for c, label in LABELS.items()
        },
    )
    if not isinstance(edited, pl.DataFrame):
        edited = pl.from_pandas(edited)
    chosen = edited.filter(pl.col("apply"))["agreement_id"].to_list()
    if st.button(
        f"Enregistrer les dates de fin retenues ({thousands(len(chosen))})",
        type="primary",
        disabled=not chosen,
        key="data_decp_save",
    ):
        accepted = accepted_end_dates(proposals, tables["agreements"], chosen)
        return accepted.raw_table(), f"DECP {upload.name}"
    return None
