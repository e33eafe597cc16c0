"""The Préparation page's steps: the prepared lines, the arbitrage form, the files it gives."""

from decimal import Decimal
from typing import cast

import polars as pl
import streamlit as st

from spend.domain.preparation import parse_amount
from spend.domain.scenario import Scenario
from spend.exchange.draft import Draft, DraftError, draft_docx
from spend.exchange.scdl_budget import budget_export
from spend.store.arbitration import set_arbitration
from spend.ui.cache import (
    after_write,
    cached_baseline,
    cached_bills_in,
    cached_draft,
    cached_preparation,
    cached_scenarios,
    cached_settings,
    read_only,
    scenarios_version,
    session,
)
from spend.ui.page import PageData
from spend.ui.widgets import CSV, Download, download_row, table
from spend.views.formatting import budget_line_text, euros, inert

RECORDED = "Données enregistrées"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The page's French headers (the shared labels know none of these computed columns).
HEADERS = {
    "operation_code": "Code opération",
    "imputation": "Imputation",
    "label": "Libellé",
    "realised_prev": "Réalisé N−1",
    "bp_prev": "BP N−1",
    "open_prev": "Crédits ouverts N−1",
    "committed_prev": "Engagé N−1",
    "proposed": "Proposé N",
    "gap": "Écart (€)",
    "gap_pct": "Écart (%)",
    "arbitrated": "Arbitré N",
}
EXPLANATION = (
    "Réalisé N−1 : autres engagements de N−1 mandatés ou payés. Proposé N : les cotisations TTC "
    "que les conventions en vigueur factureront en N, calculées par le moteur, plus les autres "
    "engagements de N qui comptent (engagé, liquidé, mandaté, payé). Écart : proposé N − BP N−1."
)


def years(version: str) -> list[int]:
    """The years one may prepare: each year with figures, and the one after the last."""
    known = cached_baseline(version).balance["year"].unique().sort().to_list()
    return [*known, known[-1] + 1] if known else []


def scenario_names(version: str) -> list[str]:
    return [RECORDED, *sorted(cached_scenarios(scenarios_version()))]


def prepared_lines(version: str, year: int, scenario: str) -> pl.DataFrame:
    """The prepared lines of `year`, the proposal from a saved scenario when one is named."""
    settings = None
    if scenario != RECORDED:
        saved = cached_scenarios(scenarios_version())[scenario]
        settings = Scenario.from_json(saved).to_json()
    return cached_preparation(version, year, settings)


def lines_table(prepared: pl.DataFrame, year: int) -> None:
    """The lines with their French headers and the page's three downloads."""
    text = pl.col("gap_pct").cast(pl.String).str.replace(".", ",", literal=True)
    percent = text.str.replace("-", "−", literal=True) + pl.lit("\u00a0%")
    shown = prepared.with_columns(percent.fill_null("—").alias("gap_pct")).rename(HEADERS)
    table(shown, key="preparation_lines", file_stem=f"preparation_{year}", sheet="Préparation")
    st.caption(EXPLANATION)


def arbitration_form(context: PageData, prepared: pl.DataFrame, year: int) -> None:
    """Type the arbitrated amount of a line (blank: back to the proposal); journaled."""
    lines = prepared.filter(pl.col("operation_code").is_not_null())
    if lines.is_empty():
        return
    keys = lines.select("operation_code", "imputation").rows()
    labels = [budget_line_text(o, i) for o, i in keys]
    if not context.actor.may("edit") or read_only():
        st.caption(
            "L'arbitrage est réservé aux gestionnaires (base en lecture seule ou droits "
            "insuffisants)."
        )
        return
    with st.form("preparation_arbitration", border=True):
        left, right = st.columns([3, 2])
        chosen = left.selectbox("Ligne à arbitrer", labels, key="preparation_line")
        typed = right.text_input(
            "Montant arbitré (€)",
            key="preparation_amount",
            help="Vide : la ligne revient à la proposition.",
        )
        saved = st.form_submit_button("Enregistrer l'arbitrage")
    if not saved:
        return
    operation_code, imputation = keys[labels.index(chosen)]
    amount = parse_amount(typed) if typed.strip() else None
    if typed.strip() and amount is None:
        st.error(f"« {inert(typed)} » n'est pas un montant en euros (ex. : 2 508,33).")
        return
    with session() as con:
        set_arbitration(con, operation_code, imputation, year, amount, actor=context.actor)
    after_write()  # the new version keys the lines again; on the file, every entry goes
    said = euros(amount) if amount is not None else "retour à la proposition"
    st.session_state["preparation_saved"] = f"{inert(chosen)} : {said} (journalisé)."
    st.rerun()


def files(context: PageData, prepared: pl.DataFrame, year: int) -> None:
    """The SCDL « Budget » file of the arbitrated proposal, and the drafted deliberation."""
    settings = cached_settings(context.version)
    export = budget_export(prepared, year, settings)
    for problem in export.problems:
        st.warning(inert(problem), icon=":material/warning:")
    if export.notices:
        with st.expander(f"Publiées, à savoir ({len(export.notices)})"):
            st.code("\n".join(export.notices), language=None, wrap_lines=True)
    downloads = [
        Download(
            "CSV SCDL « Budget »",
            export.csv_bytes,
            f"budget_scdl_{year}.csv",
            CSV,
            help="Budget primitif arbitré, schéma SCDL Budget 0.8.3.",
        )
    ]
    if cached_bills_in(context.version, year):
        downloads.append(
            Download(
                "Projet de délibération (Word)",
                lambda: deliberation_docx(context, year, settings),
                f"projet_deliberation_{year}.docx",
                DOCX,
                help="Date, numéro et vote à compléter.",
            )
        )
    else:  # why there is nothing to deliberate (said at once: nothing is drafted)
        st.info(inert(str(deliberation(context, year, settings))))
    download_row(downloads, key="preparation_files")


def deliberation(context: PageData, year: int, settings: dict[str, str]) -> Draft | str:
    """The deliberation drafted for `year` from the page's figures, or why there is none."""
    return cached_draft(context.version, year, context.inputs, context.figures, settings)


def deliberation_docx(context: PageData, year: int, settings: dict[str, str]) -> bytes:
    """The drafted deliberation's Word file, made on the click: at 10⁵ conventions its
    articles take seconds, which no run of the page should wait for."""
    draft = deliberation(context, year, settings)
    if isinstance(draft, str):
        raise DraftError(draft)
    return draft_docx(draft)


def total_line(prepared: pl.DataFrame) -> str:
    """« Proposé : 2 508,33 € ; arbitré : … » over every line."""
    proposed = cast(Decimal | None, prepared["proposed"].sum()) or Decimal(
        "0.00"
    )  # a DECIMAL column
    retained = prepared.select(pl.coalesce("arbitrated", "proposed").sum()).item()
    return (
        f"Total proposé : {euros(proposed)} ; total retenu (arbitré, sinon proposé) : "
        f"{euros(retained or Decimal('0.00'))}."
    )
