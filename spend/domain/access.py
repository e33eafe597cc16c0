"""Who may change what: three roles, the actions each allows, and a person's role from the rules.

- lecteur: every page, unsaved simulations, downloads;
- gestionnaire: and imports, table edits, deliberations read into the store, saved scenarios;
- administrateur: and settings, restores, undoing journal entries, the access rules.

Rules give a role to an e-mail address or to a group (a claim of the identity provider); a
person named by no rule gets the default role, or is refused when the rules say so. Rules from
several places add up: a person gets the highest role any of them gives.

Only a verified e-mail address names a person: the provider's `email_verified` claim, where it
sends one, must be true, and a person without an e-mail claim is refused (never named by the
provider's opaque `sub`).
"""

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum


class Role(IntEnum):
    READER = 1
    MANAGER = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {Role.READER: "lecteur", Role.MANAGER: "gestionnaire", Role.ADMIN: "administrateur"}
ROLES_BY_LABEL = {label: role for role, label in ROLE_LABELS.items()}

# Each write action, the least role that may do it, and how a refusal names it.
ACTIONS: dict[str, tuple[Role, str]] = {
    "import": (Role.MANAGER, "importer des données"),
    "edit": (Role.MANAGER, "modifier une table"),
    "deliberation": (Role.MANAGER, "enregistrer une délibération"),
    "scenario": (Role.MANAGER, "enregistrer ou supprimer un scénario"),
    "settings": (Role.ADMIN, "changer les paramètres"),
    "restore": (Role.ADMIN, "restaurer une sauvegarde"),
    "undo": (Role.ADMIN, "annuler une écriture"),
    "roles": (Role.ADMIN, "changer les droits d'accès"),
}
DASHBOARD, COMMAND_LINE, INSTALLATION = "tableau de bord", "ligne de commande", "installation"


@dataclass(frozen=True)
class Actor:
    """Who writes: a name (an e-mail, an operating-system user), a role, and from where."""

    name: str
    role: Role
    source: str = DASHBOARD

    def may(self, action: str) -> bool:
        return self.role >= ACTIONS[action][0]


# The product itself, for the writes it makes on its own (the seed of a new database).
SYSTEM = Actor("installation", Role.ADMIN, INSTALLATION)


class AccessRefused(Exception):  # noqa: N818 (reads as what happened)
    """A write its author's role does not allow; the message is French."""


def require(actor: Actor, action: str) -> None:
    """Refuse, in French, an action the actor's role does not allow."""
    least, words = ACTIONS[action]
    if actor.role < least:
        raise AccessRefused(
            f"{actor.name} ({actor.role.label}) ne peut pas {words} : c'est réservé aux "
            f"{least.label}s. Rien n'a été enregistré."
        )


@dataclass(frozen=True)
class RoleRules:
    """Roles by e-mail and by group; `default` for everyone else (None: refused), and why the
    configuration refuses everyone else when it could not be read (`problem`, French)."""

    by_email: dict[str, Role] = field(default_factory=dict)
    by_group: dict[str, Role] = field(default_factory=dict)
    group_claim: str = "groups"
    default: Role | None = Role.READER
    problem: str | None = None

    def role_of(self, email: str | None, groups: list[str] | tuple[str, ...] = ()) -> Role | None:
        """The highest role any rule gives; the default when none applies."""
        address = (email or "").strip().lower()
        found = [self.by_email[address]] if address in self.by_email else []
        found += [self.by_group[g] for g in groups if g in self.by_group]
        return max(found) if found else self.default

    def merged(self, other: "RoleRules") -> "RoleRules":
        """These rules with `other`'s added: where both name someone, the higher role wins (a
        rule saved on the Administration page never demotes one of the configuration file)."""
        return RoleRules(
            _highest(self.by_email, other.by_email),
            _highest(self.by_group, other.by_group),
            self.group_claim,
            self.default,
            self.problem,
        )


def _highest(first: dict[str, Role], second: dict[str, Role]) -> dict[str, Role]:
    both = dict(first)
    for name, role in second.items():
        both[name] = max(role, both.get(name, role))
    return both


def rules_from_settings(section: Mapping[str, object]) -> RoleRules:
    """The access rules of a configuration section (`[acces]` of secrets.toml):

    administrateurs, gestionnaires, lecteurs: lists of e-mail addresses;
    groupes_administrateurs, groupes_gestionnaires, groupes_lecteurs: lists of group names;
    attribut_groupes: the claim holding the groups (default "groups");
    inconnus: "lecteur" (default), "gestionnaire", "administrateur" or "refuser" (also their
    feminine, plural and accented forms: "lectrice", "refusé"); any other word refuses, and
    `problem` says why.
    """
    by_email: dict[str, Role] = {}
    by_group: dict[str, Role] = {}
    for role in Role:
        plural = f"{role.label}s"
        for email in _names(section.get(plural)):
            by_email[email.lower()] = max(role, by_email.get(email.lower(), role))
        for group in _names(section.get(f"groupes_{plural}")):
            by_group[group] = max(role, by_group.get(group, role))
    default, problem = unknown_visitors(section.get("inconnus", "lecteur"))
    return RoleRules(
        by_email, by_group, str(section.get("attribut_groupes", "groups")), default, problem
    )


# The words `inconnus` takes, by their plain form (no accent, lower case): a role, or refusal.
UNKNOWN_WORDS: dict[str, Role | None] = {
    **dict.fromkeys(("lecteur", "lectrice", "lecteurs", "lectrices"), Role.READER),
    **dict.fromkeys(("gestionnaire", "gestionnaires"), Role.MANAGER),
    **dict.fromkeys(
        ("administrateur", "administratrice", "administrateurs", "administratrices"), Role.ADMIN
    ),
    **dict.fromkeys(("refuser", "refuse", "refusee", "refuses", "refusees", "refus"), None),
}


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stored_rules(rows: Iterable[tuple[str, str, str]]) -> RoleRules:
    """The rules an administrator saved (kind « email » or « groupe », name, role label); no
    default of their own: they add to the configuration's (`RoleRules.merged`)."""
    by_email: dict[str, Role] = {}
    by_group: dict[str, Role] = {}
    for kind, name, label in rows:
        if label not in ROLES_BY_LABEL:
            continue
        if kind == "email":
            by_email[name.lower()] = max(
                ROLES_BY_LABEL[label], by_email.get(name.lower(), Role.READER)
            )
        else:
            by_group[name] = max(ROLES_BY_LABEL[label], by_group.get(name, Role.READER))
    return RoleRules(by_email, by_group)


AUTHORITY_SECTIONS = "collectivites"  # [acces.collectivites.<id>]: one authority's own rules


def authority_rules(
    section: Mapping[str, object], authority: str, default_authority: str | None = None
) -> RoleRules:
    """The configured rules of one authority among several (the PostgreSQL store):

    its own sub-table `[acces.collectivites.<id>]` when it has one; else, for the server's
    default authority only (`default_authority`: the one a one-file deployment moves to), the
    keys of `[acces]` itself; else none at all (an authority created later): only the rules
    saved on its Administration page open it (`missing_section` says what to add).
    `attribut_groupes` is the identity provider's, taken from `[acces]` unless the sub-table
    names another. It fails closed: a person named by none of these rules does not see the
    authority, unless they say `inconnus` explicitly (`inconnus = "lecteur"`).
    """
    own = _own_section(section, authority)
    if own is not None:
        chosen: dict[str, object] = dict(own)
    elif authority == default_authority:
        chosen = dict(section)
    else:
        chosen = {}
    chosen.pop(AUTHORITY_SECTIONS, None)
    chosen.setdefault("attribut_groupes", section.get("attribut_groupes", "groups"))
    chosen.setdefault("inconnus", "refuser")
    return rules_from_settings(chosen)


def missing_section(
    section: Mapping[str, object], authority: str, default_authority: str
) -> str | None:
    """Why the configuration opens `authority` to no one, and what to add to the settings file;
    None when it has its own sub-table or is the default authority (French)."""
    if _own_section(section, authority) is not None or authority == default_authority:
        return None
    return (
        f"La collectivité « {authority} » n'a pas de section [acces.collectivites.{authority}] "
        "dans le fichier de paramètres (.streamlit/secrets.toml) : les clés de [acces] ne "
        f"valent que pour la collectivité par défaut « {default_authority} », et seules les "
        "règles de sa page Administration y donnent accès. Pour l'ouvrir, ajoutez cette "
        "section avec ses administrateurs, gestionnaires ou lecteurs (mêmes clés que [acces])."
    )


def unopened_authorities(authorities: list[str], default_authority: str) -> str:
    """To a person `[acces]`'s own keys name: the authorities those keys do not open for want
    of their own sub-table (five named at most, the others counted), and what to add (French)."""
    named = ", ".join(f"« {name} »" for name in authorities[:5])
    more = len(authorities) - 5
    if more > 0:
        named += f" et {more} autre{'s' if more > 1 else ''}"
    which = "La collectivité" if len(authorities) == 1 else "Les collectivités"
    return (
        f"{which} {named} : les clés de [acces] ne valent que pour la collectivité par défaut "
        f"« {default_authority} ». Pour en ouvrir une autre, ajoutez au fichier de paramètres "
        "(.streamlit/secrets.toml) sa section [acces.collectivites.ID] (ID : son identifiant), "
        "avec les mêmes clés que [acces]."
    )


def named_by_top_level_keys(
    section: Mapping[str, object], email: str | None, groups: list[str] | tuple[str, ...] = ()
) -> bool:
    """Whether the keys of `[acces]` itself name this person (by e-mail or group, not through
    `inconnus`): someone who may expect to see an authority those keys no longer open."""
    top = {key: value for key, value in section.items() if key != AUTHORITY_SECTIONS}
    return rules_from_settings({**top, "inconnus": "refuser"}).role_of(email, groups) is not None


def _own_section(section: Mapping[str, object], authority: str) -> Mapping[str, object] | None:
    tables = section.get(AUTHORITY_SECTIONS)
    if not isinstance(tables, Mapping):
        return None
    own = tables.get(authority)
    return own if isinstance(own, Mapping) else None


def unknown_visitors(word: object) -> tuple[Role | None, str | None]:
    """The role of a person named by no rule, from `inconnus`; an unknown word refuses them
    (fails closed) with a French sentence saying what to write instead."""
    plain = _plain(str(word)) if isinstance(word, str) else ""
    if plain in UNKNOWN_WORDS:
        return UNKNOWN_WORDS[plain], None
    return None, (
        f"Configuration [acces] : inconnus = « {word} » n'est pas compris (attendu : "
        "« lecteur », « gestionnaire », « administrateur » ou « refuser ») ; les personnes "
        "nommées par aucune règle sont refusées."
    )


class IdentityRefused(Exception):  # noqa: N818 (reads as what happened)
    """The identity provider named no verified e-mail address; the message is French."""


def verified_email(claims: Mapping[str, object]) -> str:
    """The signed-in person's e-mail address, from the provider's claims, when it is verified.

    Refused: no e-mail claim (the opaque `sub` names no one the rules can name), or an
    `email_verified` claim that is not true (a provider that sends none is trusted).
    """
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email.strip():
        raise IdentityRefused(
            "Le fournisseur d'identité n'a pas transmis d'adresse e-mail pour ce compte : "
            "l'accès est refusé. Demandez à l'administrateur du fournisseur d'ajouter "
            "l'attribut « email » (portée « email »)."
        )
    if "email_verified" in claims and claims["email_verified"] not in (True, "true", "True"):
        raise IdentityRefused(
            f"L'adresse {email.strip()} n'est pas vérifiée par le fournisseur d'identité : "
            "l'accès est refusé tant qu'elle ne l'est pas."
        )
    return email.strip()


def _names(value: object) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return []
