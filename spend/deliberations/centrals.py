"""Purchasing centrals named in a text: the known ones by their names or acronyms, any other by
« centrale d'achat » followed by its name in capitals (« la centrale d'achat CANOPÉE »)."""

import re
from collections.abc import Iterator

CENTRALS: tuple[tuple[str, str], ...] = (
    ("CAIH", r"caih|centrale\s+d['’]achats?\s+de\s+l['’]informatique\s+hospitali[èe]re"),
    ("Resah", r"resah|r[ée]seau\s+des\s+acheteurs\s+hospitaliers"),
    ("UGAP", r"ugap|union\s+des\s+groupements\s+d['’]achats?\s+publics"),
    ("UniHA", r"uniha"),
    ("SIPPEREC", r"sipperec"),
    ("SIGEIF", r"sigeif"),
    ("Approlys", r"approlys(?:\s+centr['’]achats)?"),
)
_KNOWN = "|".join(f"(?P<c{i}>{p})" for i, (_, p) in enumerate(CENTRALS))
# « centrale d'achat(s) [publique|territoriale] [du|de la|de l'|des] [«] NAME », NAME in capitals.
_GENERIC = (
    r"(?P<generic>centrale\s+d['’]achats?\s+(?:publique\s+|territoriale\s+)?"
    r"(?:du\s+|de\s+la\s+|de\s+l['’]|des\s+)?(?:«\s?)?"
    r"(?-i:(?P<name>[A-Z][A-Z0-9'’ÉÈÊÀÂÔÎÇ-]{2,}+(?:\s[A-Z][A-Z0-9'’ÉÈÊÀÂÔÎÇ-]{2,}+){0,4}+)))"
)
# Web and mail addresses (« portail.caih-sante.org », « @resah.fr ») are not mentions.
CENTRAL = re.compile(
    rf"(?<![\w@.\-])(?:{_KNOWN}|{_GENERIC})(?![\w\-@])",
    re.IGNORECASE,
)
_KNOWN_ONLY = re.compile(_KNOWN, re.IGNORECASE)


def central_name(match: re.Match[str]) -> str:
    """The central a match of CENTRAL names: a known one by its usual name, else as written."""
    if match["generic"] is None:
        return next(CENTRALS[int(k[1:])][0] for k, v in match.groupdict().items() if v)
    known = _KNOWN_ONLY.search(match["name"])
    if known is not None:
        return next(CENTRALS[int(k[1:])][0] for k, v in known.groupdict().items() if v)
    return match["name"]


class CentralsBefore:
    """The central named last before a position, within a distance; positions are best asked in
    increasing order.

    Mentions are read as the positions advance, from no further back than the distance: the
    work is one pass over the windows asked about, never the whole text per amount.
    """

    def __init__(self, text: str, within: int) -> None:
        self._text = text
        self._within = within
        self._mentions: Iterator[re.Match[str]] | None = None
        self._next: re.Match[str] | None = None
        self._last: re.Match[str] | None = None

    def at(self, position: int) -> str | None:
        window_start = max(0, position - self._within)
        far_behind = self._next is not None and self._next.start() < window_start
        gone_past = self._last is not None and self._last.start() >= position
        if self._mentions is None or far_behind or gone_past:
            # What lies before the window no longer matters; an earlier position is read again.
            self._mentions = CENTRAL.finditer(self._text, window_start)
            self._next, self._last = next(self._mentions, None), None
        while self._next is not None and self._next.start() < position:
            self._last, self._next = self._next, next(self._mentions, None)
        if self._last is None or self._last.start() < window_start:
            return None
        return central_name(self._last)


def first_central(text: str, start: int, end: int) -> str | None:
    """The central named first between start and end."""
    match = CENTRAL.search(text, start, end)
    return central_name(match) if match is not None else None
