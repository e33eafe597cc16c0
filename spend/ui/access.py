"""Who is using the dashboard, and with which role: signed in through the authority's identity
provider (Streamlit's OpenID Connect), or the one local user of a dashboard served on this
machine only.

- With an `[auth]` section in `.streamlit/secrets.toml`: a visitor signs in first; their role
  comes from the `[acces]` section's rules and those an administrator edits (by e-mail or by a
  group claim); a person named nowhere is a lecteur, or is refused when `inconnus = "refuser"`.
- Without it, on 127.0.0.1 (`make run`'s default): one local user with every right, said so.
- Without it, on another address: refused, unless `[acces] serveur_non_protege = true` says so
  on purpose; then every visitor has every right, and every page says the server is unprotected.
"""

import ipaddress
import logging
import os
from typing import Any, NoReturn
from urllib.parse import urlsplit

import streamlit as st

from spend import store
from spend.domain.access import (
    DASHBOARD,
    Actor,
    IdentityRefused,
    Role,
    RoleRules,
    authority_rules,
    rules_from_settings,
    stored_rules,
    verified_email,
)
from spend.store.backend import DEFAULT_AUTHORITY, database_url
from spend.store.backend import authority as backend_authority
from spend.ui.cache import VERSIONS, data_version, session
from spend.views.formatting import inert

LOCAL_USER = "utilisateur local"
OPEN_SERVER = "accès non protégé"


def _secrets() -> dict[str, Any]:
    """The secrets' sections as plain dicts; none when there is no secrets file."""
    try:
        return {
            name: dict(section) for name, section in st.secrets.items() if hasattr(section, "items")
        }
    except Exception:  # no secrets.toml: Streamlit raises its own "not found" error
        return {}


def sign_in_configured() -> bool:
    return "auth" in _secrets()


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def loopback_host(host: str | None) -> bool:
    """Whether a request's Host header names this machine (any port); no header (no browser
    request, as in tests driving the script) counts as local."""
    if host is None:
        return True
    try:
        parsed = urlsplit(f"//{host}")
        name, _ = parsed.hostname, parsed.port  # .port checks the port is a number
    except ValueError:
        return False
    if name is None or parsed.username is not None or parsed.path or parsed.query:
        return False
    return name.rstrip(".") in LOOPBACK_NAMES


def served_locally() -> bool:
    address = str(st.get_option("server.address") or "")
    if address in ("localhost", ""):
        return address == "localhost"
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


@st.cache_resource(show_spinner=False, max_entries=VERSIONS)
def _stored_rules(version: str) -> RoleRules:
    with session() as con:
        return stored_rules(store.query(con, "read_access_rules").iter_rows())


def role_rules() -> RoleRules:
    """The configuration's rules with the administrator's on top; on the server, those of the
    chosen authority (its own `[acces.collectivites.<id>]`, failing closed)."""
    return configured_rules().merged(_stored_rules(data_version()))


def configured_rules(authority: str | None = None) -> RoleRules:
    """The rules of the secrets file: `[acces]` on the file; on the server, those of
    `authority` (by default the run's)."""
    section = access_settings()
    if database_url() is None:
        return rules_from_settings(section)
    return authority_rules(section, authority or backend_authority(), default_authority())


def access_settings() -> dict[str, Any]:
    """The `[acces]` section of the secrets file (empty without)."""
    return dict(_secrets().get("acces", {}))


def default_authority() -> str:
    """The server's default authority, the only one `[acces]`'s own keys open:
    `SPEND_AUTHORITY`, else `principale`."""
    return os.environ.get("SPEND_AUTHORITY", "").strip() or DEFAULT_AUTHORITY


def current_actor() -> Actor:
    """Who this run acts for; a visitor who must sign in, or may not enter, stops here."""
    if sign_in_configured():
        return _signed_in()
    if served_locally():
        if not host_allowed():
            foreign_host_screen()
        return Actor(LOCAL_USER, Role.ADMIN, DASHBOARD)
    if _secrets().get("acces", {}).get("serveur_non_protege") is True:
        return Actor(OPEN_SERVER, Role.ADMIN, DASHBOARD)
    st.error(
        "Ce tableau de bord est servi hors de cette machine sans connexion configurée : toute "
        "personne qui l'atteint pourrait modifier les données. Configurez la connexion (section "
        "[auth] de .streamlit/secrets.toml), servez-le sur 127.0.0.1, ou acceptez un accès non "
        "protégé en écrivant serveur_non_protege = true dans la section [acces].",
        icon=":material/lock:",
    )
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


def host_allowed() -> bool:
    """False for the local mode reached by another name than this machine's.

    The local mode gives every right to whoever reaches it: a foreign name is a page of another
    site whose name points at 127.0.0.1 (DNS rebinding). server.allowedHosts refuses it first;
    this holds when that list was opened (`--server.allowedHosts "*"`).
    """
    if sign_in_configured() or not served_locally():
        return True
    return loopback_host(st.context.headers.get("Host"))


def foreign_host_screen() -> NoReturn:
    """What a page reached by a foreign name shows; the run stops there."""
    host = st.context.headers.get("Host")
    logging.getLogger("spend").warning("Host refusé en mode local : %r", host)
    st.error(
        "Ce tableau de bord local ne s'ouvre qu'à l'adresse de cette machine "
        "(http://127.0.0.1 ou http://localhost) ; il a été appelé sous un autre nom "
        f"(« {inert(host or '')} ») : accès refusé.",
        icon=":material/block:",
    )
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


def signed_out() -> bool:
    """Sign-in is configured and this visitor has not signed in yet."""
    return sign_in_configured() and not st.user.get("is_logged_in")


def sign_in_screen() -> None:
    """The only thing a visitor who has not signed in sees; the run stops there."""
    st.title("Centrales d'achat : cotisations et crédits")
    st.info("Connectez-vous avec le compte de votre collectivité.", icon=":material/login:")
    if st.button("Se connecter", type="primary", key="access_login"):
        st.login()
    st.stop()


def signed_in_identity(group_claim: str) -> tuple[str, list[str]]:
    """The signed-in person's verified e-mail and groups; refused (the run stops) without."""
    user = st.user
    if not user.get("is_logged_in"):
        sign_in_screen()
    try:
        email = verified_email(user.to_dict())
    except IdentityRefused as refusal:
        refuse(str(refusal))
    return email, user_groups(group_claim)


def user_groups(group_claim: str) -> list[str]:
    """The signed-in person's groups, as the provider's claim `group_claim` lists them."""
    groups: object = st.user.get(group_claim) or []
    return groups if isinstance(groups, list) else [str(groups)]


def _signed_in() -> Actor:
    rules = role_rules()
    email, groups = signed_in_identity(rules.group_claim)
    role = rules.role_of(email, groups)
    if role is None:
        if rules.problem:  # said to whoever runs the server too, until the file is corrected
            logging.getLogger("spend").warning(rules.problem)
        refuse(
            f"{email} n'a pas accès à ce tableau de bord : demandez-le à un administrateur."
            + (f" ({rules.problem})" if rules.problem else "")
        )
    return Actor(email, role, DASHBOARD)


def refuse(sentence: str) -> NoReturn:
    """A signed-in visitor who may not enter: why, and the way out."""
    st.error(inert(sentence), icon=":material/block:")
    if st.button("Se déconnecter", key="access_refused_logout"):
        st.logout()
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


def who_line(actor: Actor) -> str:
    """The sidebar's line saying who uses the dashboard, with which rights."""
    if actor.name == LOCAL_USER:
        return "Utilisateur local, tous les droits (tableau de bord servi sur cette machine seule)."
    if actor.name == OPEN_SERVER:
        return "Accès non protégé : toute personne qui atteint ce serveur peut tout modifier."
    return f"Connecté : {actor.name} ({actor.role.label})."
