"""Amounts written the French way: « 3 000,00 € », « 1 500,00 € HT »."""

import re
from decimal import Decimal, InvalidOperation

from spend.domain.money import CENT

# Thousands may be grouped by any kind of space (normal, no-break, narrow, thin) or a dot.
GROUP = "[ \u00a0\u202f\u2009.]"
NUMBER = rf"(?:\d{{1,3}}(?:{GROUP}\d{{3}})+|\d+)(?:,\d{{1,2}})?"
_AMOUNT_TEXT = re.compile(
    rf"\s*(?P<sign>[-−])?\s*(?P<number>{NUMBER})\s*(?:€|euros?|EUR)?"
    r"\s*(?:HT|H\.T\.|TTC|T\.T\.C\.|hors\s+taxes?|nets?(?:\s+de\s+taxes?)?)?\s*",
    re.IGNORECASE,
)


def parse_french_amount(text: str) -> Decimal:
    """Exact amount in euros, to the cent, from French text ("3 000,00 €", "1 500,00 € HT")."""
    match = _AMOUNT_TEXT.fullmatch(text)
    if match is None:
        raise ValueError(f"Montant illisible : « {text} ».")
    value = number(match["number"])
    return -value if match["sign"] else value


def number(number: str) -> Decimal:
    digits = re.sub(GROUP, "", number).replace(",", ".")
    try:
        return Decimal(digits).quantize(CENT)
    except InvalidOperation as exc:  # pragma: no cover - the patterns only let digits through
        raise ValueError(f"Montant illisible : « {number} ».") from exc
