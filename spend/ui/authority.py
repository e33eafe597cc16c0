"""Which authority a run works on, when one dashboard serves every authority of the PostgreSQL
server (`SPEND_DATABASE_URL`): those the signed-in person's rules name (the configuration's
`[acces.collectivites.<id>]`, else `[acces]` for the default authority only, with the rules
saved on each authority's Administration page), one of them chosen in the sidebar. The local
user (127.0.0.1, no sign-in) may choose any. On the embedded file nothing is chosen: the file
is the authority.

The choice is put in the store's scope (`spend.store.backend`) at the start of every run, with
the set the person may use: the store refuses any other, whatever a page asks.
"""

import logging
from collections import Counter

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from spend.domain.access import (
    Role,
    missing_section,
    named_by_top_level_keys,
    unopened_authorities,
)
from spend.store.backend import (
    database_url,
    enter_scope,
    leave_scope,
    require_scope_when,
)
from spend.ui.access import (
    access_settings,
    configured_rules,
    default_authority,
    refuse,
    sign_in_configured,
    signed_in_identity,
    signed_out,
    user_groups,
)
from spend.ui.cache import authority_profile, authority_profiles, cached_authorities
from spend.views.formatting import inert

CHOSEN = "authority"  # the authority of this session (session_state)
WIDGET = "authority_choice"  # the sidebar's « Collectivité »
REFUSED = "authority_refused"  # a choice the store refused once: the next run takes another
ROLES = "authority_roles"  # the authorities this person may use, for the sidebar
UNOPENED = "authority_unopened"  # the authorities [acces]'s keys no longer open to this person
KEPT = (CHOSEN, WIDGET, REFUSED, ROLES, UNOPENED)
ADDRESS = "collectivite"  # the chosen authority in the page's address, among several


def several_authorities() -> bool:
    """This dashboard serves the authorities of a server (else one file)."""
    return database_url() is not None


def enter_authority() -> None:
    """Choose this run's authority among the visitor's, and put it in the store's scope. A
    signed-in person with no rule on any authority is refused here (with the way out)."""
    url = database_url()
    if url is None:
        return
    # A script run's thread (and its callbacks, run before this) never falls back on
    # SPEND_AUTHORITY: without its scope the store opens nothing.
    require_scope_when(_in_script_run)
    leave_scope()  # until chosen, the store opens no authority in this run
    if signed_out():
        return  # the router shows the sign-in screen
    roles = visitor_roles(url)
    if not roles:
        if sign_in_configured():
            refuse(
                "Vous n'avez accès à aucune collectivité de ce tableau de bord : demandez-le à un "
                "administrateur." + (f" {_unopened()}" if st.session_state.get(UNOPENED) else "")
            )
        st.error(
            "Aucune collectivité sur le serveur : créez-en une avec python -m spend init "
            "--authority ID.",
            icon=":material/domain_disabled:",
        )
        st.stop()
    state = st.session_state
    # The session's, else (its first run) the address's, else the default.
    chosen = state.get(CHOSEN) or st.query_params.get(ADDRESS) or _default(roles)
    if chosen not in roles:
        if chosen == state.get(REFUSED):
            chosen = _default(roles)
        else:
            state[REFUSED] = chosen  # refused by the store below, once; then the default
    state[CHOSEN] = chosen
    state[ROLES] = sorted(roles)
    enter_scope(chosen, roles)


def _in_script_run() -> bool:
    return get_script_run_ctx(suppress_warning=True) is not None


def _default(roles: dict[str, Role]) -> str:
    """SPEND_AUTHORITY when the person may use it, else the first by name."""
    wanted = default_authority()
    if wanted in roles:
        return wanted
    names = labels(list(roles))
    return min(roles, key=lambda name: (names[name], name))


def visitor_roles(url: str) -> dict[str, Role]:
    """Every authority the visitor may use, with their role there: all of them for the local
    user (and an open server); for a signed-in person, those whose rules name them."""
    names = cached_authorities(url)
    if not sign_in_configured():
        return dict.fromkeys(names, Role.ADMIN)
    email, _ = signed_in_identity(configured_rules(default_authority()).group_claim)
    section = access_settings()
    roles, unopened = {}, []
    for name, profile in authority_profiles(names).items():
        rules = configured_rules(name).merged(profile.stored_rules)
        role = rules.role_of(email, user_groups(rules.group_claim))  # a sub-table may name its own
        if role is not None:
            roles[name] = role
        elif hint := missing_section(section, name, default_authority()):
            _log_once(hint)
            # Told only to someone [acces]'s keys name (they may expect to see it), never to
            # a stranger: the groups are those of [acces]'s claim, this authority's.
            if named_by_top_level_keys(section, email, user_groups(rules.group_claim)):
                unopened.append(name)
    st.session_state[UNOPENED] = unopened
    return roles


def _unopened() -> str:
    return unopened_authorities(st.session_state[UNOPENED], default_authority())


_logged: set[str] = set()


def _log_once(hint: str) -> None:
    """Said to whoever runs the server, once per process and authority."""
    if hint not in _logged:
        _logged.add(hint)
        logging.getLogger("spend").warning(hint)


def label(authority: str) -> str:
    """The authority's name from its settings, else its id."""
    return authority_profile(authority).name


def missing_section_hint(authority: str) -> str | None:
    """What to add to the settings file for `authority`, when `[acces]` opens it to no one."""
    return missing_section(access_settings(), authority, default_authority())


def chosen_label() -> str:
    """The chosen authority as the sidebar names it: « Nom (id) » when another of this
    person's authorities has the same name."""
    chosen = st.session_state[CHOSEN]
    roles = st.session_state.get(ROLES) or [chosen]
    return labels(roles if chosen in roles else [chosen]).get(chosen) or label(chosen)


def labels(authorities: list[str]) -> dict[str, str]:
    """`label` of each, read together; « Nom (id) » for a name two of them share, so that two
    authorities are never two identical choices."""
    names = {name: profile.name for name, profile in authority_profiles(authorities).items()}
    shared = Counter(names.values())
    return {
        name: f"{title} ({name})" if shared[title] > 1 and title != name else title
        for name, title in names.items()
    }


def authority_widget() -> None:
    """In the sidebar: « Collectivité », a choice among several, or the one name."""
    if not several_authorities() or CHOSEN not in st.session_state:
        return
    if st.session_state.get(UNOPENED):
        st.caption(inert(_unopened()))
    roles = st.session_state.get(ROLES) or [st.session_state[CHOSEN]]
    if len(roles) == 1:
        st.markdown(f"**Collectivité** : {inert(label(roles[0]))}")
        if ADDRESS in st.query_params:
            del st.query_params[ADDRESS]
        return
    if st.query_params.get(ADDRESS) != st.session_state[CHOSEN]:
        st.query_params[ADDRESS] = st.session_state[CHOSEN]  # a link opens this authority
    st.session_state[WIDGET] = st.session_state[CHOSEN]
    names = labels(roles)
    st.selectbox(
        "Collectivité",
        sorted(roles, key=lambda name: (names[name], name)),
        key=WIDGET,
        format_func=lambda name: names.get(name, name),
        on_change=_switched,
    )


def _switched() -> None:
    """Another authority: nothing of the one before stays in the session (its filters, loaded
    forms, editors), nor in the address."""
    chosen = st.session_state[WIDGET]
    for key in list(st.session_state.keys()):
        if key not in KEPT:
            del st.session_state[key]
    st.session_state[CHOSEN] = chosen
    st.query_params[ADDRESS] = chosen
    for name in ("annee", "centrale"):
        if name in st.query_params:
            del st.query_params[name]
