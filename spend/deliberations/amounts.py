"""Amounts written the French way: « 3 000,00 € », « 1 500,00 € HT », « 1.250,5 euros »."""

import re
from decimal import Decimal

from spend.domain.money import CENT

# Thousands may be grouped by any kind of space (normal, no-break, narrow, thin) or a dot.
GROUP = "[ \u00a0\u202f\u2009.]"
# Possessive: a run of digits and groups is consumed once, never re-tried from inside.
_NUMBER = rf"(?:\d{{1,3}}(?:{GROUP}\d{{3}})++|\d++)(?:,\d{{1,2}})?+"
_AMOUNT_TEXT = re.compile(
    rf"\s*+(?P<sign>[-−])?\s*+(?P<number>{_NUMBER})\s*+(?:€|euros?|EUR)?"
    r"\s*+(?:HT|H\.T\.|TTC|T\.T\.C\.|hors\s+taxes?|nets?(?:\s+de\s+taxes?)?)?\s*+",
    re.IGNORECASE,
)
# No amount of a deliberation has more digits than this; longer runs are not amounts.
_MAX_DIGITS = 13
_GROUP_SPLIT = re.compile(GROUP)


def parse_french_amount(text: str) -> Decimal:
    """Exact amount in euros, to the cent, from French text ("3 000,00 €", "1 500,00 € HT")."""
    match = _AMOUNT_TEXT.fullmatch(text)
    if match is None or len(re.sub(r"\D", "", match["number"])) > _MAX_DIGITS:
        raise ValueError(f"Montant illisible : « {text} ».")
    value = Decimal(_GROUP_SPLIT.sub("", match["number"]).replace(",", ".")).quantize(CENT)
    return -value if match["sign"] else value


def grouped_amount(token: str) -> tuple[Decimal, int] | None:
    """The amount a run of digit groups ends with, and where it starts in the run.

    « 2023 1 000,00 € » is a year then 1 000,00 €: the amount is the last groups that make a
    valid French number (a first group of 1 to 3 digits, then groups of 3). None when the run
    has more than two decimals or too many digits to be an amount.
    """
    body = token.rstrip("€EUR \u00a0\u202f")
    integer, _, cents = body.partition(",")
    if len(cents) > 2:
        return None
    groups = _GROUP_SPLIT.split(integer)
    last = len(groups) - 1
    first = last
    while first >= 1 and len(groups[first]) == 3:
        first -= 1
    if first < last and len(groups[first]) > 3:
        first += 1
    digits = "".join(groups[first:])
    if not digits or len(digits) > _MAX_DIGITS:
        return None
    offset = sum(len(g) + 1 for g in groups[:first])
    return Decimal(f"{digits}.{cents or '0'}").quantize(CENT), offset
