"""Check what an administrator types before saving it: the settings (VAT rate, the authority's
name and SIRET, backups kept) and the access rules."""

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

import polars as pl

from spend.domain.access import ROLE_LABELS
from spend.domain.records import FREE_TEXT_REFUSED

# The name heads every page and every export: one line of text.
MAX_NAME_CHARS = 200
# What the settings form shows for a setting not stored yet.
FORM_DEFAULTS = {
    "vat_rate": "20.00",
    "collectivity_name": "",
    "collectivity_siret": "",
    "backup_keep": "20",
}


def changed_settings(cleaned: dict[str, str], loaded: Mapping[str, str]) -> dict[str, str]:
    """The settings an administrator changed: those whose checked value differs from what the
    form showed when loaded (the stored value, or its default). Only those are saved, so that
    a save never writes back a value another administrator changed meanwhile."""
    shown = FORM_DEFAULTS | dict(loaded)
    return {key: value for key, value in cleaned.items() if shown.get(key) != value}


def check_settings(
    vat_rate: str, name: str, siret: str, keep: str = "20"
) -> tuple[dict[str, str], list[str]]:
    """The cleaned settings, or the French problems that prevent saving them."""
    problems = []
    cleaned_vat = vat_rate.strip().replace(",", ".").replace("%", "").strip()
    try:
        rate = Decimal(cleaned_vat)
    except InvalidOperation:
        rate = None
    if rate is None or not Decimal(0) <= rate <= Decimal(100):
        problems.append(f"Taux de TVA illisible « {vat_rate} » : un pourcentage entre 0 et 100.")
    digits = re.sub(r"[\s.\-\u00a0\u202f]", "", siret)
    if digits and not re.fullmatch(r"\d{14}", digits):
        problems.append(f"SIRET « {siret} » invalide : 14 chiffres attendus.")
    if not keep.strip().isdigit() or not 1 <= int(keep.strip()) <= 1000:
        problems.append(f"Nombre de sauvegardes à garder illisible « {keep} » : entre 1 et 1000.")
    if not name.strip():
        problems.append(
            "Nom de la collectivité obligatoire (colonne COLL_NOM des données ouvertes)."
        )
    elif len(name.strip()) > MAX_NAME_CHARS:
        problems.append(
            f"Nom de la collectivité trop long ({len(name.strip())} caractères) : au plus "
            f"{MAX_NAME_CHARS}."
        )
    elif refused := [c for c in name if c in FREE_TEXT_REFUSED or c in "\t\n\r"]:
        problems.append(
            f"Nom de la collectivité : caractère U+{ord(refused[0]):04X} refusé (une seule ligne "
            "de texte)."
        )
    if problems:
        return {}, problems
    return {
        "vat_rate": f"{rate.quantize(Decimal('0.01'))}",  # type: ignore[union-attr]
        "collectivity_name": name.strip(),
        "collectivity_siret": digits,
        "backup_keep": str(int(keep.strip())),
    }, []


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
