"""Check what an administrator types before saving it: the settings and the access rules.

`SETTINGS` is the one table of the known settings: each one's stored name, French label,
default and check. A module that adds a setting declares it there (`declare`), and the
Administration page and `python -m spend settings` check it the same way.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import polars as pl

from spend.domain.access import ROLE_LABELS
from spend.domain.records import FREE_TEXT_REFUSED

# The name heads every page and every export: one line of text.
MAX_NAME_CHARS = 200
# La Poste's establishments share one SIREN and are not keyed by Luhn (but their head office).
LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"


@dataclass(frozen=True)
class Setting:
    """One setting: `check` turns what was typed into the stored value, or raises ValueError
    with the French sentence that says what is wrong."""

    name: str
    label: str
    default: str
    check: Callable[[str], str]


SETTINGS: dict[str, Setting] = {}


def declare(*settings: Setting) -> None:
    """Make settings known (a module's own ones, at its import)."""
    for setting in settings:
        SETTINGS[setting.name] = setting


def _luhn(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def siret_problem(siret: str) -> str | None:
    """Why a SIRET (digits only) is wrong, in French, as the open-data validators see it: 14
    digits, the Luhn key of the SIREN and of the SIRET, La Poste's establishments aside (the sum
    of their digits a multiple of 5)."""
    if not re.fullmatch(r"\d{14}", siret):
        return f"SIRET « {siret} » invalide : 14 chiffres attendus."
    if siret.startswith(LA_POSTE_SIREN) and siret != LA_POSTE_HEAD_OFFICE:
        key_ok = sum(int(d) for d in siret) % 5 == 0
    else:
        key_ok = _luhn(siret)
    if not key_ok or not _luhn(siret[:9]):
        return (
            f"SIRET « {siret} » invalide : la clé de contrôle ne correspond pas (un chiffre mal "
            "recopié ?) ; l'avis de situation SIRENE de la collectivité donne le bon numéro."
        )
    return None


def _vat(typed: str) -> str:
    cleaned = typed.strip().replace(",", ".").replace("%", "").strip()
    try:
        rate = Decimal(cleaned)
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or not Decimal(0) <= rate <= Decimal(100):
        raise ValueError(f"Taux de TVA illisible « {typed} » : un pourcentage entre 0 et 100.")
    return f"{rate.quantize(Decimal('0.01'))}"


def _name(typed: str) -> str:
    name = typed.strip()
    if not name:
        raise ValueError(
            "Nom de la collectivité obligatoire (colonne COLL_NOM des données ouvertes)."
        )
    if len(name) > MAX_NAME_CHARS:
        raise ValueError(
            f"Nom de la collectivité trop long ({len(name)} caractères) : au plus {MAX_NAME_CHARS}."
        )
    if refused := [c for c in typed if c in FREE_TEXT_REFUSED or c in "\t\n\r"]:
        raise ValueError(
            f"Nom de la collectivité : caractère U+{ord(refused[0]):04X} refusé (une seule ligne "
            "de texte)."
        )
    return name


def _siret(typed: str) -> str:
    digits = re.sub(r"[\s.\-\u00a0\u202f]", "", typed)
    if digits and (problem := siret_problem(digits)):
        raise ValueError(problem.replace(f"« {digits} »", f"« {typed.strip()} »", 1))
    return digits


def _budget(typed: str) -> str:
    if not typed.strip().isdigit() or not 100 <= int(typed.strip()) <= 1_000_000:
        raise ValueError(
            f"Place des sauvegardes illisible « {typed} » : un nombre de Mo entre 100 et 1000000."
        )
    return str(int(typed.strip()))


def _keep(typed: str) -> str:
    if not typed.strip().isdigit() or not 1 <= int(typed.strip()) <= 1000:
        raise ValueError(f"Nombre de sauvegardes à garder illisible « {typed} » : entre 1 et 1000.")
    return str(int(typed.strip()))


declare(
    Setting("vat_rate", "Taux de TVA (%)", "20.00", _vat),
    Setting("collectivity_name", "Nom de la collectivité", "", _name),
    Setting("collectivity_siret", "SIRET de la collectivité (14 chiffres)", "", _siret),
    Setting("backup_keep", "Sauvegardes à garder", "20", _keep),
    Setting("backup_budget_mb", "Place des sauvegardes (Mo)", "4096", _budget),
)


_ADDRESS = re.compile(r"[^@\s,;<>\"'()\[\]]+@[^@\s,;<>\"'()\[\]]+\.[^@\s,;<>\"'()\[\]]+")
MAX_REMINDER_DAYS = 730
REMINDER_TO_LABEL = "Destinataires des rappels (séparés par des virgules)"


def _addresses(typed: str) -> str:
    """Addresses separated by commas (or semicolons), each checked; « » for nobody."""
    addresses = [part.strip() for part in re.split(r"[,;]", typed) if part.strip()]
    wrong = [a for a in addresses if not _ADDRESS.fullmatch(a)]
    if wrong:
        raise ValueError(f"{REMINDER_TO_LABEL} : adresse e-mail illisible « {wrong[0]} ».")
    return ", ".join(dict.fromkeys(a.lower() for a in addresses))


def _days(label: str) -> Callable[[str], str]:
    def check(typed: str) -> str:
        digits = typed.strip()
        if not digits.isdigit() or int(digits) > MAX_REMINDER_DAYS:
            raise ValueError(
                f"{label} : « {typed} » : un nombre de jours entre 0 et "
                f"{MAX_REMINDER_DAYS} attendu."
            )
        return str(int(digits))

    return check


def _reminder_days(name: str, label: str, default: str) -> Setting:
    return Setting(name, label, default, _days(label))


# The e-mail reminders' recipients and lead times (spend/exchange/reminders.py sends them).
declare(
    Setting("reminder_to", REMINDER_TO_LABEL, "", _addresses),
    _reminder_days("reminder_days_notice", "Rappel des préavis (jours avant)", "60"),
    _reminder_days("reminder_days_end", "Rappel des fins de convention (jours avant)", "90"),
    _reminder_days("reminder_days_payment", "Rappel des paiements (jours avant)", "15"),
)
REMINDER_SETTING_NAMES = (
    "reminder_to",
    "reminder_days_notice",
    "reminder_days_end",
    "reminder_days_payment",
)


def check_values(typed: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Settings typed by name (the stored keys), cleaned, or the French problems that prevent
    saving any of them; an unknown name is one."""
    cleaned, problems = {}, []
    for name, value in typed.items():
        setting = SETTINGS.get(name)
        if setting is None:
            problems.append(
                f"Paramètre inconnu « {name} » (connus : {', '.join(sorted(SETTINGS))})."
            )
            continue
        try:
            cleaned[name] = setting.check(value)
        except ValueError as error:
            problems.append(str(error))
    return ({}, problems) if problems else (cleaned, [])


def with_defaults(stored: dict[str, str]) -> dict[str, str]:
    """Every known setting's stored value, or its default, then any other stored key."""
    return {**{n: s.default for n, s in SETTINGS.items()}, **stored}


def check_settings(
    vat_rate: str, name: str, siret: str, keep: str = "20"
) -> tuple[dict[str, str], list[str]]:
    """The Administration page's four settings, cleaned, or the French problems."""
    return check_values(
        {
            "vat_rate": vat_rate,
            "collectivity_name": name,
            "collectivity_siret": siret,
            "backup_keep": keep,
        }
    )


def check_access_rules(rules: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """Access rules as an administrator typed them (kind, name, role), cleaned, or the French
    problems that prevent saving them."""
    cleaned = rules.select(
        pl.col("kind").cast(pl.String).str.strip_chars().str.to_lowercase(),
        pl.col("name").cast(pl.String).str.strip_chars(),
        pl.col("role").cast(pl.String).str.strip_chars().str.to_lowercase(),
    ).filter(pl.any_horizontal(pl.all().is_not_null() & (pl.all() != "")))
    problems = []
    roles = set(ROLE_LABELS.values())
    for number, (kind, name, role) in enumerate(cleaned.iter_rows(), start=1):
        if kind not in ("email", "groupe"):
            problems.append(f"ligne {number} : « par » vaut email ou groupe, pas « {kind} ».")
        if not name:
            problems.append(f"ligne {number} : adresse ou groupe manquant.")
        elif kind == "email" and not re.fullmatch(r"[^@\s]+@[^@\s]+", name):
            problems.append(f"ligne {number} : adresse e-mail illisible « {name} ».")
        if role not in roles:
            problems.append(
                f"ligne {number} : rôle inconnu « {role} » ({', '.join(sorted(roles))})."
            )
    cleaned = cleaned.with_columns(
        pl.when(pl.col("kind") == "email")
        .then(pl.col("name").str.to_lowercase())
        .otherwise(pl.col("name"))
    )
    doubles = cleaned.filter(pl.struct("kind", "name").is_duplicated())
    if not doubles.is_empty():
        problems.append(f"« {doubles['name'][0]} » a deux rôles : gardez-en un.")
    return cleaned, problems


def changed_settings(cleaned: dict[str, str], loaded: Mapping[str, str]) -> dict[str, str]:
    """The settings an administrator changed: those whose checked value differs from what the
    form showed when loaded (the stored value, or its default). Only those are saved, so that
    a save never writes back a value another administrator changed meanwhile."""
    shown = with_defaults(dict(loaded))
    return {key: value for key, value in cleaned.items() if shown.get(key) != value}
