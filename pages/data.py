"""Données: import files, edit a table in place, export everything. Every write is checked
first and done in one transaction: all of it or nothing."""

import streamlit as st

from spend import store, ui
from spend.exchange_read import raw_table_from_frame
from spend.exchange_write import exchange_workbook, exchange_zip
from spend.exports import text_frame
from spend.importer import import_raw_tables
from spend.problems import ImportRefused
from spend.tables import TABLE_ORDER, TABLES
from spend.uploads import read_uploaded

con = ui.database()
st.session_state.setdefault("data_upload_round", 0)
st.session_state.setdefault("data_message", None)

ui.page_header(
    "Données",
    "Importer des fichiers au format d'échange, corriger une table, tout exporter.",
)
if st.session_state.data_message:
    st.success(st.session_state.data_message, icon=":material/check_circle:")
    st.session_state.data_message = None


def show_problems(refused: ImportRefused) -> None:
    st.error(
        f"Rien n'a été enregistré : {len(refused.problems)} problème(s) à corriger.",
        icon=":material/block:",
    )
    st.code("\n".join(str(p) for p in refused.problems), language=None, wrap_lines=True)


upload_tab, edit_tab, export_tab = st.tabs(["Importer", "Modifier une table", "Exporter"])

with upload_tab:
    st.markdown(
        "Fichiers acceptés : "
        + ", ".join(f"`{t.file_name}`" for t in TABLES.values())
        + " (CSV « , » ou « ; », UTF-8 ou Windows-1252, virgule ou point décimal, dates "
        "JJ/MM/AAAA ou AAAA-MM-JJ), ou un classeur XLSX dont chaque feuille porte le nom d'une "
        "table. Les lignes existantes de même clé sont remplacées."
    )
    uploaded = st.file_uploader(
        "Fichiers à importer",
        type=["csv", "xlsx"],
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
                f"Aperçu : {raw.file} → {raw.table.french} ({raw.rows.height} lignes)"
            ):
                st.dataframe(raw.rows.head(50), hide_index=True)
        if raw_tables and st.button("Valider et enregistrer", type="primary", key="data_import"):
            try:
                result = import_raw_tables(
                    con, raw_tables, source="import " + ", ".join(f.name for f in uploaded)
                )
            except ImportRefused as refused:
                show_problems(refused)
            except store.StoreError as error:
                st.error(str(error))
            else:
                ui.after_write()
                st.session_state.data_message = result.summary()
                st.session_state.data_upload_round += 1
                st.rerun()

with edit_tab:
    table_name = st.selectbox(
        "Table",
        list(TABLE_ORDER),
        format_func=lambda n: TABLES[n].french,
        key="data_table",
    )
    table = TABLES[table_name]
    stored = store.read_table(con, table_name)
    editable = text_frame(stored, "standard")
    st.caption(
        "Ajoutez, modifiez ou supprimez des lignes puis enregistrez : la table entière est "
        "vérifiée comme un import. Montants avec point ou virgule, dates AAAA-MM-JJ ou JJ/MM/AAAA."
    )
    edited = st.data_editor(
        editable,
        num_rows="dynamic",
        hide_index=True,
        key=f"data_editor_{table_name}_{ui.data_version()}",
        column_config={c.name: st.column_config.TextColumn(c.french) for c in table.columns},
    )
    if st.button("Enregistrer les modifications", type="primary", key="data_save"):
        raw = raw_table_from_frame(f"{table.file_name} (édition)", table, edited)
        try:
            result = import_raw_tables(
                con, [raw], source=f"édition {table.french}", replace=(table_name,)
            )
        except ImportRefused as refused:
            show_problems(refused)
        except store.StoreError as error:
            st.error(str(error))
        else:
            ui.after_write()
            st.session_state.data_message = result.summary()
            st.rerun()

with export_tab:
    st.markdown("Toutes les tables, réimportables telles quelles.")
    tables = store.read_all(con)
    a, b, c = st.columns(3)
    a.download_button(
        "Zip de CSV Excel (FR)",
        data=lambda: exchange_zip(tables, "excel_fr"),
        file_name="centrales_donnees_excel_fr.zip",
        mime="application/zip",
        on_click="ignore",
        icon=":material/folder_zip:",
        key="data_zip_fr",
    )
    b.download_button(
        "Zip de CSV standard",
        data=lambda: exchange_zip(tables, "standard"),
        file_name="centrales_donnees.zip",
        mime="application/zip",
        on_click="ignore",
        icon=":material/folder_zip:",
        key="data_zip_std",
    )
    c.download_button(
        "Classeur Excel (XLSX)",
        data=lambda: exchange_workbook(tables),
        file_name="centrales_donnees.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/table_view:",
        key="data_xlsx",
    )
    st.caption(ui.provenance())
