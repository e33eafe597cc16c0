"""Administration: settings, backups and their restore, who may do what. Administrators only:
the page says so to others, and the writes are refused below it anyway."""

from collections.abc import Callable

import polars as pl
import streamlit as st

from spend import store
from spend.domain.access import ROLE_LABELS, AccessRefused
from spend.exchange.settings import (
    changed_settings,
    check_access_rules,
    check_settings,
    with_defaults,
)
from spend.ui.access import sign_in_configured
from spend.ui.authority import chosen_label, missing_section_hint, several_authorities
from spend.ui.cache import (
    after_write,
    backups,
    cached_access_rules,
    cached_settings,
    data_version,
    restore_backup,
    session,
)
from spend.ui.deadlines import reminders_tab
from spend.ui.page import actor
from spend.ui.widgets import table
from spend.views.backups import backup_label, backup_table
from spend.views.formatting import inert

SETTINGS_WIDGETS = ("data_vat", "data_coll_name", "data_coll_siret", "data_backup_keep")
ACCESS_RULES = (
    "Un rôle par adresse e-mail ou par groupe (l'attribut de groupes du fournisseur "
    "d'identité) : **lecteur** (tout voir, simuler, télécharger), **gestionnaire** (et "
    "importer, modifier, enregistrer délibérations et scénarios), **administrateur** (et "
    "paramètres, restauration, annulations, droits). Ces règles s'ajoutent à celles de la "
    "configuration"
)


def start_admin_page() -> bool:
    """The page's state and the message of the write that reran it; False (and why said) for
    someone who is not an administrator."""
    st.session_state.setdefault("admin_message", None)
    # What the forms were loaded with, kept until a save: a save sends only what its author
    # changed from them, and is refused when another administrator changed the same thing.
    st.session_state.setdefault("admin_settings_loaded", None)
    st.session_state.setdefault("admin_rules_loaded", None)
    st.session_state.setdefault("admin_rules_round", 0)
    if not actor().may("settings"):
        st.info(
            f"{actor().role.label.capitalize()} : cette page est réservée aux administrateurs.",
            icon=":material/lock:",
        )
        return False
    if st.session_state.admin_message:
        st.success(st.session_state.admin_message, icon=":material/check_circle:")
        st.session_state.admin_message = None
    return True


def done(message: str) -> None:
    after_write()
    st.session_state.admin_message = message
    # The forms load what is stored now (other administrators' changes too).
    st.session_state.admin_settings_loaded = None
    st.session_state.admin_rules_loaded = None
    for key in SETTINGS_WIDGETS:
        st.session_state.pop(key, None)
    st.rerun()


def settings_tab() -> None:
    """The VAT rate, the authority's name and SIRET, how many backups to keep."""
    if st.session_state.admin_settings_loaded is None:
        st.session_state.admin_settings_loaded = dict(cached_settings(data_version()))
    loaded = st.session_state.admin_settings_loaded
    shown = with_defaults(loaded)
    vat = st.text_input(
        "Taux de TVA (%)", value=shown["vat_rate"].replace(".", ","), key="data_vat"
    )
    name = st.text_input(
        "Nom de la collectivité", value=shown["collectivity_name"], key="data_coll_name"
    )
    siret = st.text_input(
        "SIRET de la collectivité (14 chiffres)",
        value=shown["collectivity_siret"],
        key="data_coll_siret",
    )
    keep = st.text_input(
        "Sauvegardes à garder",
        value=shown["backup_keep"],
        key="data_backup_keep",
        help="Une copie de la base est faite avant chaque écriture ; les plus récentes restent.",
    )
    if st.button("Enregistrer les paramètres", key="data_settings_save"):
        save_settings(loaded, check_settings(vat, name, siret, keep))


def save_settings(loaded: dict[str, str], checked: tuple[dict[str, str], list[str]]) -> None:
    values, problems = checked
    for problem in problems:
        st.error(inert(problem))
    if problems:
        return
    if not (changed := changed_settings(values, loaded)):
        st.info("Aucun paramètre modifié.", icon=":material/info:")
        return
    try:
        with session() as con:
            store.update_settings(
                con,
                changed,
                actor=actor(),
                source="paramètres",
                loaded={key: loaded.get(key) for key in changed},
            )
    except (store.StoreError, AccessRefused) as error:
        st.error(inert(str(error)), icon=":material/block:")
    else:
        done("Paramètres enregistrés.")


def backups_tab() -> None:
    """The backups, newest first, and putting one back."""
    found = backups()
    if several_authorities():
        authority = st.session_state.authority
        st.markdown(
            f"Les sauvegardes de la collectivité « {inert(chosen_label())} » sur le serveur "
            f"(`pg_dump` de son schéma : `python -m spend backup --authority {authority}`, et "
            "avant chaque restauration)."
        )
    else:
        st.markdown(
            "Une copie datée de la base est faite avant chaque écriture (import, modification, "
            "délibération, paramètres, mise à jour du schéma, restauration) ; les plus récentes "
            "sont gardées (nombre réglable dans les Paramètres)."
        )
    if not found:
        st.info(
            "Aucune sauvegarde pour l'instant"
            + (
                "."
                if several_authorities()
                else " : la première sera faite à la prochaine écriture."
            )
        )
        return
    table(backup_table(found), key="data_backups", file_stem="sauvegardes")
    by_name = {b.name: b for b in found}
    chosen = st.selectbox(  # never None: the first backup is chosen by default
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
            restore_backup(by_name[chosen].path, actor())
        except (store.StoreError, AccessRefused) as error:
            st.error(inert(str(error)), icon=":material/block:")
        else:
            done(f"Sauvegarde du {by_name[chosen].taken_at:%d/%m/%Y à %H:%M} restaurée.")


def access_tab() -> None:
    """Who may do what, beside the configuration (`[acces]` of .streamlit/secrets.toml)."""
    if several_authorities():
        name = inert(chosen_label())
        st.markdown(
            f"{ACCESS_RULES} (sa section `[acces.collectivites.…]`) et valent pour la "
            f"collectivité « {name} » seule. Une personne nommée par aucune règle de cette "
            'collectivité ne la voit pas, sauf si sa configuration dit `inconnus = "lecteur"`.'
        )
        if hint := missing_section_hint(st.session_state.authority):
            st.warning(inert(hint), icon=":material/key_off:")
    else:
        st.markdown(
            f"{ACCESS_RULES} ; une personne nommée nulle part est lectrice, ou refusée si la "
            "configuration le dit."
        )
    if not sign_in_configured():
        st.info(
            "Sans connexion configurée, le tableau de bord sert un seul utilisateur local, qui a "
            "tous les droits : ces règles s'appliqueront une fois la connexion configurée.",
            icon=":material/info:",
        )
    if st.session_state.admin_rules_loaded is None:
        st.session_state.admin_rules_loaded = cached_access_rules(data_version())
        st.session_state.admin_rules_round += 1  # a new editor, on the rules as stored now
    loaded = st.session_state.admin_rules_loaded
    edited = st.data_editor(
        loaded,
        num_rows="dynamic",
        hide_index=True,
        key=f"admin_rules_{st.session_state.admin_rules_round}",
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
        save_access_rules(loaded, edited)


def save_access_rules(loaded: pl.DataFrame, edited: object) -> None:
    rules = edited if isinstance(edited, pl.DataFrame) else pl.from_pandas(edited)
    checked, problems = check_access_rules(rules)
    if problems:
        st.error("\n".join(f"- {inert(p)}" for p in problems), icon=":material/block:")
        return
    try:
        with session() as con:
            changed = store.replace_access_rules(con, checked, actor=actor(), loaded=loaded)
    except (store.StoreError, AccessRefused) as error:
        st.error(inert(str(error)), icon=":material/block:")
    else:
        if changed:
            done("Droits d'accès enregistrés.")
        st.info("Aucun droit modifié.", icon=":material/info:")


ADMIN_TABS: dict[str, tuple[str, Callable[[], None]]] = {
    "settings": ("Paramètres", settings_tab),
    "backups": ("Sauvegardes", backups_tab),
    "access": ("Droits d'accès", access_tab),
    "reminders": ("Rappels et calendrier", lambda: reminders_tab(actor())),
}
