"""Administration: settings, backups and their restore, who may do what. Administrators only:
the page says so to others, and the writes are refused below it anyway."""

import polars as pl
import streamlit as st

from spend import store, ui
from spend.domain.access import ROLE_LABELS, AccessRefused
from spend.exchange.settings import check_access_rules, check_settings
from spend.ui.deadlines import reminders_tab
from spend.views.backups import backup_label, backup_table
from spend.views.formatting import inert

ui.ensure_router()
actor = ui.actor()
st.session_state.setdefault("admin_message", None)
ui.page_header(
    "Administration",
    "Paramètres, sauvegardes et restauration, droits d'accès : réservé aux administrateurs.",
)
if not actor.may("settings"):
    st.info(
        f"{actor.role.label.capitalize()} : cette page est réservée aux administrateurs.",
        icon=":material/lock:",
    )
    st.stop()
if st.session_state.admin_message:
    st.success(st.session_state.admin_message, icon=":material/check_circle:")
    st.session_state.admin_message = None


def done(message: str) -> None:
    ui.after_write()
    st.session_state.admin_message = message
    st.rerun()


def settings_tab() -> None:
    """The VAT rate, the authority's name and SIRET, how many backups to keep."""
    current = ui.cached_settings(ui.data_version())
    vat = st.text_input(
        "Taux de TVA (%)",
        value=current.get("vat_rate", "20.00").replace(".", ","),
        key="data_vat",
    )
    name = st.text_input(
        "Nom de la collectivité", value=current.get("collectivity_name", ""), key="data_coll_name"
    )
    siret = st.text_input(
        "SIRET de la collectivité (14 chiffres)",
        value=current.get("collectivity_siret", ""),
        key="data_coll_siret",
    )
    keep = st.text_input(
        "Sauvegardes à garder",
        value=current.get("backup_keep", "20"),
        key="data_backup_keep",
        help="Une copie de la base est faite avant chaque écriture ; les plus récentes restent.",
    )
    if st.button("Enregistrer les paramètres", key="data_settings_save"):
        values, problems = check_settings(vat, name, siret, keep)
        if problems:
            for problem in problems:
                st.error(problem)
        else:
            try:
                with ui.session() as con:
                    store.update_settings(con, values, actor=actor, source="paramètres")
            except (store.StoreError, AccessRefused) as error:
                st.error(inert(str(error)), icon=":material/block:")
            else:
                done("Paramètres enregistrés.")


def backups_tab() -> None:
    """The backups, newest first, and putting one back."""
    found = ui.backups()
    st.markdown(
        "Une copie datée de la base est faite avant chaque écriture (import, modification, "
        "délibération, paramètres, mise à jour du schéma, restauration) ; les plus récentes "
        "sont gardées (nombre réglable dans les Paramètres)."
    )
    if not found:
        st.info(
            "Aucune sauvegarde pour l'instant : la première sera faite à la prochaine écriture."
        )
    else:
        ui.table(backup_table(found), key="data_backups", file_stem="sauvegardes")
        by_name = {b.name: b for b in found}
        chosen = st.selectbox(
            "Sauvegarde à remettre en place",
            list(by_name),
            format_func=lambda n: backup_label(by_name[n]),
            key="data_backup_pick",
        )
        confirmed = st.checkbox(
            "Je remplace les données actuelles par cette sauvegarde (elles sont sauvegardées "
            "juste avant).",
            key="data_backup_confirm",
        )
        if st.button("Restaurer", disabled=not confirmed, key="data_restore", type="primary"):
            try:
                ui.restore_backup(by_name[chosen].path, actor)
            except (store.StoreError, AccessRefused) as error:
                st.error(inert(str(error)), icon=":material/block:")
            else:
                done(f"Sauvegarde du {by_name[chosen].taken_at:%d/%m/%Y à %H:%M} restaurée.")


def access_tab() -> None:
    """Who may do what, beside the configuration (`[acces]` of .streamlit/secrets.toml)."""
    st.markdown(
        "Un rôle par adresse e-mail ou par groupe (l'attribut de groupes du fournisseur "
        "d'identité) : **lecteur** (tout voir, simuler, télécharger), **gestionnaire** (et "
        "importer, modifier, enregistrer délibérations et scénarios), **administrateur** (et "
        "paramètres, restauration, annulations, droits). Ces règles s'ajoutent à celles de la "
        "configuration ; une personne nommée nulle part est lectrice, ou refusée si la "
        "configuration le dit."
    )
    if not ui.sign_in_configured():
        st.info(
            "Sans connexion configurée, le tableau de bord sert un seul utilisateur local, qui a "
            "tous les droits : ces règles s'appliqueront une fois la connexion configurée.",
            icon=":material/info:",
        )
    rules = ui.cached_access_rules(ui.data_version())
    edited = st.data_editor(
        rules,
        num_rows="dynamic",
        hide_index=True,
        key=f"admin_rules_{ui.data_version()}",
        column_config={
            "kind": st.column_config.SelectboxColumn(
                "Par", options=["email", "groupe"], required=True
            ),
            "name": st.column_config.TextColumn("Adresse ou groupe", required=True),
            "role": st.column_config.SelectboxColumn(
                "Rôle", options=list(ROLE_LABELS.values()), required=True
            ),
        },
    )
    if st.button("Enregistrer les droits", type="primary", key="admin_rules_save"):
        if not isinstance(edited, pl.DataFrame):
            edited = pl.from_pandas(edited)
        checked, problems = check_access_rules(edited)
        if problems:
            st.error("\n".join(f"- {inert(p)}" for p in problems), icon=":material/block:")
            return
        try:
            with ui.session() as con:
                store.replace_access_rules(con, checked, actor=actor)
        except (store.StoreError, AccessRefused) as error:
            st.error(inert(str(error)), icon=":material/block:")
        else:
            done("Droits d'accès enregistrés.")


for tab, body in zip(
    st.tabs(
        ["Paramètres", "Sauvegardes", "Droits d'accès", "Rappels et calendrier"],
        key="admin_tab",
        on_change="rerun",
    ),
    (settings_tab, backups_tab, access_tab, lambda: reminders_tab(actor)),
    strict=True,
):
    with tab:
        body()
