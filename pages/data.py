"""Données: import files, read a deliberation, edit a table in place (gestionnaires), export
everything (everyone). Every write is checked first, for its author's right too, and done in
one transaction, journaled: all of it or nothing."""

import polars as pl
import streamlit as st

from spend import store, ui
from spend.deliberations.reader import DeliberationReadError
from spend.deliberations.records import (
    MSG_NOTHING_CHANGED,
    changed_rows,
    commitment_checks,
    compare_with_stored,
    fee_checks,
    proposed_budget_lines,
    proposed_deliberation,
    reading_review,
    warnings_text,
    with_stored_wording,
)
from spend.domain.access import AccessRefused
from spend.domain.records import TABLE_ORDER, TABLES
from spend.exchange.editing import page_changes
from spend.exchange.exports import text_frame
from spend.exchange.importer import import_raw_tables
from spend.exchange.problems import ImportRefused
from spend.exchange.reading import RawTable, raw_table_from_frame
from spend.exchange.uploads import read_uploaded
from spend.exchange.validation import type_rows
from spend.exchange.writing import exchange_workbook, exchange_zip
from spend.views.formatting import display_frame, inert
from spend.views.labels import labels_for, with_french_headers

ui.ensure_router()
actor = ui.actor()
st.session_state.setdefault("data_upload_round", 0)
st.session_state.setdefault("data_message", None)

ui.page_header(
    "Données",
    "Importer des fichiers au format d'échange, lire une délibération, corriger une table, tout "
    "exporter.",
)
if st.session_state.data_message:
    st.success(st.session_state.data_message, icon=":material/check_circle:")
    st.session_state.data_message = None


def show_problems(refused: ImportRefused) -> None:
    st.error(
        f"Rien n'a été enregistré : {refused.count} problème(s) à corriger.",
        icon=":material/block:",
    )
    st.code("\n".join(refused.lines()), language=None, wrap_lines=True)


def save(
    raw_tables: list[RawTable],
    *,
    action: str,
    source: str,
    remove: dict[str, pl.DataFrame] | None = None,
    unchanged_since: dict[str, int] | None = None,
    done: str = "Import réussi",
) -> None:
    """The checked import every write goes through; problems shown, nothing written then."""
    try:
        with ui.session() as con:
            result = import_raw_tables(
                con, raw_tables, actor=actor, action=action, source=source, remove=remove,
                unchanged_since=unchanged_since,
            )  # fmt: skip
    except ImportRefused as refused:
        show_problems(refused)
    except (store.StoreError, AccessRefused) as error:
        st.error(inert(str(error)), icon=":material/block:")
    else:
        ui.after_write()
        st.session_state.data_message = result.summary(done)
        st.session_state.data_upload_round += 1  # empties the file pickers
        st.session_state.data_edit_snapshot = None  # the editor shows what is now stored
        st.rerun()


def import_tab() -> None:
    """Files of the exchange format, checked, previewed, then saved."""
    st.markdown(
        "Fichiers acceptés : "
        + ", ".join(f"`{t.file_name}`" for t in TABLES.values())
        + " (CSV « , » ou « ; », UTF-8 ou Windows-1252, virgule ou point décimal, dates "
        "JJ/MM/AAAA ou AAAA-MM-JJ), un zip de ces fichiers (tel que l'export le produit), ou "
        "un classeur XLSX dont chaque feuille porte le nom d'une table. Les lignes existantes "
        "de même clé sont remplacées."
    )
    uploaded = st.file_uploader(
        "Fichiers à importer",
        type=["csv", "xlsx", "zip"],
        accept_multiple_files=True,
        key=f"data_upload_{st.session_state.data_upload_round}",
    )
    if uploaded:
        try:
            raw_tables = read_uploaded([(f.name, f.getvalue()) for f in uploaded])
        except ImportRefused as refused:
            show_problems(refused)
            raw_tables = []
        for raw in raw_tables:
            with st.expander(
                f"Aperçu : {inert(raw.file)} → {raw.table.french} ({raw.rows.height} lignes)"
            ):
                st.dataframe(with_french_headers(raw.rows), hide_index=True)
        if raw_tables and st.button("Valider et enregistrer", type="primary", key="data_import"):
            save(
                raw_tables, action="import", source="import " + ", ".join(f.name for f in uploaded)
            )
    if decp := ui.decp_review(st.session_state.data_upload_round):
        save([decp[0]], action="import", source=decp[1], done="Dates de fin enregistrées")


def reading_tab() -> None:
    """A deliberation read, reviewed beside what is stored, then saved."""
    st.markdown(
        "Déposez une délibération (PDF avec texte, Word, OpenDocument ou texte) : ses données "
        "sont proposées à côté de celles enregistrées ; corrigez-les au besoin puis confirmez. "
        "Rien n'est enregistré avant la confirmation, et l'enregistrement passe par les mêmes "
        "contrôles qu'un import."
    )
    document = st.file_uploader(
        "Délibération",
        type=["pdf", "txt", "docx", "odt"],
        max_upload_size=ui.MAX_DELIBERATION_MB,
        key=f"data_deliberation_{st.session_state.data_upload_round}",
    )
    if document is not None:
        try:
            reading = ui.read_uploaded_deliberation(document.getvalue(), document.name)
        except DeliberationReadError as error:
            st.error(inert(str(error)), icon=":material/block:")
            reading = None
        if reading is not None:
            if reading.warnings:
                st.warning(warnings_text(reading.warnings), icon=":material/warning:")
            st.markdown("**Ce que dit le texte** (chaque valeur avec la ligne d'où elle vient)")
            ui.table(
                reading_review(reading), key="data_reading_review", file_stem="lecture_deliberation"
            )
            version = ui.data_version()
            stored_tables = ui.cached_tables(version)
            proposals = {
                name: with_stored_wording(proposal, stored_tables[name], name)
                for name, proposal in (
                    ("deliberations", proposed_deliberation(reading)),
                    ("budget_lines", proposed_budget_lines(reading)),
                )
            }
            raw_tables = []
            for name, proposal in proposals.items():
                table = TABLES[name]
                st.markdown(f"**{table.french} proposées**")
                edited = st.data_editor(
                    text_frame(proposal, "excel_fr", table).fill_null(""),
                    num_rows="dynamic",
                    hide_index=True,
                    key=f"data_reading_{name}_{document.file_id}",
                    column_config={
                        c.name: st.column_config.TextColumn(c.french) for c in table.columns
                    },
                )
                raw = raw_table_from_frame(f"{document.name} ({table.french})", table, edited)
                typed, problems = type_rows(raw)
                if problems:
                    st.code("\n".join(str(p) for p in problems), language=None, wrap_lines=True)
                else:
                    comparison = compare_with_stored(typed.drop("_line"), stored_tables[name], name)
                    st.dataframe(display_frame(comparison, labels_for(comparison.columns)),
                                 hide_index=True)  # fmt: skip
                    raw = changed_rows(raw, typed, stored_tables[name])
                raw_tables.append(raw)
            figures = ui.cached_figures(version)
            checks = commitment_checks(reading, figures.balance)
            fees = fee_checks(reading, ui.cached_conventions(version))
            st.markdown("**Contrôles : montants de la délibération et calcul du tableau de bord**")
            ui.table(checks, key="data_reading_checks", file_stem="controle_engagements")
            ui.table(fees, key="data_reading_fees", file_stem="controle_cotisations")
            if st.button("Confirmer et enregistrer", type="primary", key="data_reading_save"):
                if not (to_save := [raw for raw in raw_tables if raw.rows.height]):
                    st.info(MSG_NOTHING_CHANGED, icon=":material/info:")
                else:
                    save(
                        to_save,
                        action="deliberation",
                        source=f"délibération {document.name}",
                        done="Délibération enregistrée",
                    )


def edit_tab() -> None:
    """A stored table edited a page at a time."""
    table_name = st.selectbox(
        "Table",
        list(TABLE_ORDER),
        format_func=lambda n: TABLES[n].french,
        key="data_table",
    )
    table = TABLES[table_name]
    stored = ui.cached_tables(ui.data_version())[table_name]
    search_col, page_col = st.columns([3, 1], vertical_alignment="bottom")
    search = search_col.text_input("Rechercher dans la table", key="data_edit_search")
    page_number = st.session_state.get("data_edit_page", 1)
    # The rows as loaded stay in the editor until a save or a reload: a save sends only the rows
    # changed from them, and is refused (never a lost update) when one of those was changed
    # since by someone else (or the table imported, or the base restored), naming who.
    wanted = (table_name, search, page_number)
    snapshot = st.session_state.get("data_edit_snapshot")
    if snapshot is None or snapshot["wanted"] != wanted:
        version = ui.data_version()
        since = ui.last_journal_entry(version)
        if since is None:  # written meanwhile: the rows and the entry of one version only
            ui.read_store_state()
            st.rerun()
        snapshot = {
            "wanted": wanted,
            "page": ui.cached_edit_page(version, table_name, search, page_number),
            "since": since,
            "round": st.session_state.get("data_edit_round", 0) + 1,
        }
        st.session_state.data_edit_snapshot = snapshot
        st.session_state.data_edit_round = snapshot["round"]
    page = snapshot["page"]
    if page.pages > 1:
        page_col.number_input(f"Page (sur {page.pages})", 1, page.pages, key="data_edit_page")
    st.caption(
        f"{page.rows.height} ligne(s) affichée(s) sur {page.matching} trouvée(s) "
        f"({stored.height} dans la table). Ajoutez, modifiez ou supprimez des lignes puis "
        "enregistrez : seules les lignes que vous avez changées sont enregistrées, vérifiées "
        "comme un import. Montants avec virgule ou point, dates JJ/MM/AAAA ou AAAA-MM-JJ ; "
        "les lignes sont numérotées à partir de 1 dans les messages."
    )
    edited = st.data_editor(
        page.rows,
        num_rows="dynamic",
        hide_index=True,
        key=f"data_editor_{snapshot['round']}",
        column_config={c.name: st.column_config.TextColumn(c.french) for c in table.columns},
    )
    save_col, reload_col = st.columns([1, 1], vertical_alignment="bottom")
    if reload_col.button("Recharger la table", key="data_reload", icon=":material/refresh:"):
        st.session_state.data_edit_snapshot = None
        st.rerun()
    if save_col.button("Enregistrer les modifications", type="primary", key="data_save"):
        changes = page_changes(page, table, edited, f"{table.french} (édition)")
        if changes.empty:
            st.info("Aucune modification à enregistrer.", icon=":material/info:")
            return
        save(
            [changes.raw],
            action="edit",
            source=f"édition {table.french}",
            remove={table_name: changes.removed},
            unchanged_since={table_name: snapshot["since"]},
            done="Modifications enregistrées",
        )


def export_tab() -> None:
    """Every table as files, and the deliberations as open data."""
    st.markdown(
        "Toutes les tables au format d'échange, réimportables telles quelles (page Données, "
        "onglet Importer, ou `python -m spend import`)."
    )
    tables = ui.cached_tables(ui.data_version())
    ui.download_row(
        [
            ui.Download("Zip de CSV Excel (FR)", lambda: exchange_zip(tables, "excel_fr"),
                        "centrales_donnees_excel_fr.zip", ui.ZIP),
            ui.Download("Zip de CSV standard (échange)", lambda: exchange_zip(tables, "standard"),
                        "centrales_donnees.zip", ui.ZIP),
            ui.Download("Classeur Excel (XLSX)", lambda: exchange_workbook(tables),
                        "centrales_donnees.xlsx", ui.XLSX),
        ],
        key="data_export",
    )  # fmt: skip
    st.caption(ui.provenance())
    st.subheader("Délibérations en données ouvertes (SCDL)")
    ui.scdl_section(tables["deliberations"], ui.cached_settings(ui.data_version()))


# The tabs of what this person may do; the one shown is kept across reruns (a save reruns the
# page): its key remembers it.
TABS = {
    "import": ("Importer", import_tab),
    "deliberation": ("Lire une délibération", reading_tab),
    "edit": ("Modifier une table", edit_tab),
    "export": ("Exporter", export_tab),
}
allowed = [n for n in TABS if n == "export" or (actor.may(n) and not ui.read_only())]
if allowed == ["export"]:
    st.caption(
        "Base en lecture seule : téléchargements seulement."
        if ui.read_only()
        else f"{actor.role.label.capitalize()} : consultation et téléchargements ; les imports "
        "et les modifications sont réservés aux gestionnaires."
    )
tabs = st.tabs([TABS[n][0] for n in allowed], key="data_tab", on_change="rerun")
for name, tab in zip(allowed, tabs, strict=True):
    with tab:
        TABS[name][1]()
