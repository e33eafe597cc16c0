"""Check the settings a user types (VAT rate, the authority's name and SIRET) before saving."""

import re
from decimal import Decimal, InvalidOperation


def check_settings(vat_rate: str, name: str, siret: str) -> tuple[dict[str, str], list[str]]:
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
    if not name.strip():
        problems.append(
            "Nom de la collectivité obligatoire (colonne COLL_NOM des données ouvertes)."
        )
    if problems:
        return {}, problems
    return {
        "vat_rate": f"{rate.quantize(Decimal('0.01'))}",  # type: ignore[union-attr]
        "collectivity_name": name.strip(),
        "collectivity_siret": digits,
    }, []
