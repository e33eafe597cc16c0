"""Purchasing centrals named in a text: the known ones (`data/centrals.json`: their usual name,
every name and acronym a text may use, their identifiers) by any of their names, and any other
body the text introduces as one — « la centrale d'achat CANOPÉE », a GIP named by its title, a
syndicat acting as a central — proposed as a new central for review."""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import islice
from pathlib import Path

from spend.deliberations.model import Confidence, Found
from spend.deliberations.text import Text, Window

DATA_FILE = Path(__file__).parent / "data" / "centrals.json"


@dataclass(frozen=True)
class KnownCentral:
    name: str
    patterns: tuple[str, ...]
    siren: str | None
    siret: str | None


@cache
def known_centrals() -> tuple[KnownCentral, ...]:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return tuple(
        KnownCentral(c["name"], tuple(c["patterns"]), c.get("siren"), c.get("siret"))
        for c in data["centrals"]
    )


def _spaced(pattern: str) -> str:
    # Words of a name may stand apart by any run of spaces or a line break.
    return pattern.replace(" ", r"\s+")


CENTRALS: tuple[tuple[str, str], ...] = tuple(
    (c.name, "|".join(_spaced(p) for p in c.patterns)) for c in known_centrals()
)
_KNOWN = "|".join(f"(?P<c{i}>{p})" for i, (_, p) in enumerate(CENTRALS))
_NAME_WORD = r"[A-Z][A-Z0-9'’ÉÈÊÀÂÔÎÇ-]{2,}+"
# « centrale d'achat(s) [publique|territoriale] [du|de la|de l'|des] [«] NAME », NAME in capitals.
_GENERIC = (
    r"(?P<generic>centrale\s+d['’]achats?\s+(?:publique\s+|territoriale\s+)?"
    r"(?:du\s+|de\s+la\s+|de\s+l['’]|des\s+)?(?:«\s?)?"
    rf"(?-i:(?P<name>{_NAME_WORD}(?:\s{_NAME_WORD}){{0,4}}+)))"
)
# « le groupement d'intérêt public (GIP) Achats Santé Ouest », « le GIP ACHATS OUEST »: its name
# in capitals or capitalised words, with their particles.
_TITLE_WORD = r"[A-ZÉÈ][\w'’-]++"
_GIP = (
    r"(?P<gip>(?:groupement\s+d['’]int[ée]r[êe]t\s+public(?:\s\(gip\))?|(?-i:GIP))\s+(?:«\s?)?"
    rf"(?-i:(?P<gip_name>{_TITLE_WORD}(?:\s(?:{_TITLE_WORD}|de|du|des|la|et)){{0,5}}+)))"
)
# Web and mail addresses (« portail.caih-sante.org », « @resah.fr ») are not mentions.
CENTRAL = re.compile(
    rf"(?<![\w@.\-])(?:{_KNOWN}|{_GENERIC}|{_GIP})(?![\w\-@])",
    re.IGNORECASE,
)
_KNOWN_ONLY = re.compile(_KNOWN, re.IGNORECASE)
# « le Syndicat mixte X, agissant en qualité de centrale d'achat », « le syndicat X, centrale
# d'achat au sens du code de la commande publique »
_SYNDICAT_AS_CENTRAL = re.compile(
    r"(?P<syndicat>syndicat(?:\s+(?:mixte|intercommunal|d[ée]partemental))?\s+(?:«\s?)?"
    rf"(?-i:(?P<name>{_TITLE_WORD}(?:\s(?:{_TITLE_WORD}|de|du|des|la|et|l['’]\w+)){{0,6}}+)))"
    r"[^.;\n]{0,80}?(?:en\s+(?:qualit[ée]|tant)\s+(?:de|que)\s+)?centrale\s+d['’]achats?",
    re.IGNORECASE,
)
# « le SIEEEN, syndicat d'énergies agissant en qualité de centrale d'achat »
_NAMED_THEN_SYNDICAT = re.compile(
    r"(?<![\w-])(?-i:(?P<name>[A-Z][A-Z0-9-]{2,}+)),?\s(?:le\s)?syndicat\b[^.;\n]{0,60}?"
    r"(?:en\s(?:qualit[ée]|tant)\s(?:de|que)\s)centrale\sd['’]achats?",
    re.IGNORECASE,
)
_TRAILING_PARTICLES = re.compile(r"(?:\s(?:de|du|des|la|et|l['’]\w*))+$", re.IGNORECASE)
_PROPOSALS_MAX = 20
_BARE_KINDS = {"GIP", "SYNDICAT", "SPL", "SEM", "GCS"}


def central_name(match: re.Match[str]) -> str:
    """The central a match of CENTRAL names: a known one by its usual name, else as written."""
    if match["generic"] is None and match["gip"] is None:
        # The known central's group is the last one closed: no other group lies inside it.
        group = match.lastgroup
        if group is not None and group.startswith("c"):
            return CENTRALS[int(group[1:])][0]
        return next(CENTRALS[int(k[1:])][0] for k, v in match.groupdict().items() if v)
    name = match["name"] if match["generic"] is not None else match["gip_name"]
    if name.upper() in _BARE_KINDS:
        # « la centrale d'achat du GIP Resah »: the GIP's name follows.
        after = match.string[match.end() : match.end() + 60]
        known = _KNOWN_ONLY.match(after.lstrip())
        if known is not None:
            return next(CENTRALS[int(k[1:])][0] for k, v in known.groupdict().items() if v)
        words = after.split()
        return f"{name} {words[0]}".rstrip(",;.") if words else name
    known = _KNOWN_ONLY.search(name)
    if known is not None:
        return next(CENTRALS[int(k[1:])][0] for k, v in known.groupdict().items() if v)
    return _TRAILING_PARTICLES.sub("", name)


def proposed_centrals(text: Text) -> list[Found[str]]:
    """Each new central the text introduces, once, in the order of the text: a body not in
    the known list, proposed as a new central, to be checked."""
    whole = text.window()
    found: dict[str, Found[str]] = {}
    for match in islice(whole.finditer(CENTRAL), 2_000):
        if match["generic"] is None and match["gip"] is None:
            continue
        name = central_name(match)
        if name in {n for n, _ in CENTRALS}:
            continue
        found.setdefault(name, Found(name, match.start(), match.end(), Confidence.CHECK))
        if len(found) == _PROPOSALS_MAX:
            break
    for match in islice(whole.finditer(_SYNDICAT_AS_CENTRAL), 200):
        if _KNOWN_ONLY.search(match["name"]):
            continue
        name = "Syndicat " + _TRAILING_PARTICLES.sub("", match["name"])
        end = match.start("name") + 80
        found.setdefault(name, Found(name, match.start(), end, Confidence.CHECK))
        if len(found) == _PROPOSALS_MAX:
            break
    for match in islice(whole.finditer(_NAMED_THEN_SYNDICAT), 200):
        if _KNOWN_ONLY.fullmatch(match["name"]):
            continue
        name = "Syndicat " + match["name"]
        found.setdefault(name, Found(name, match.start(), match.end(), Confidence.CHECK))
        if len(found) == _PROPOSALS_MAX:
            break
    return sorted(found.values(), key=lambda p: p.start)


class CentralsBefore:
    """The central named last before a position, within a distance; positions are best asked in
    increasing order. `extra` are names the text introduced (a syndicat acting as a central).

    Mentions are read as the positions advance, from no further back than the distance: the
    work is one pass over the windows asked about, never the whole text per amount.
    """

    def __init__(self, text: Text, within: int, extra: tuple[str, ...] = ()) -> None:
        self._text = text.norm
        self._within = within
        self._pattern = _with_extra(extra)
        self._mentions: Iterator[re.Match[str]] | None = None
        self._next: re.Match[str] | None = None
        self._last: re.Match[str] | None = None

    def at(self, position: int) -> str | None:
        window_start = max(0, position - self._within)
        far_behind = self._next is not None and self._next.start() < window_start
        gone_past = self._last is not None and self._last.start() >= position
        if self._mentions is None or far_behind or gone_past:
            # What lies before the window no longer matters; an earlier position is read again.
            self._mentions = self._pattern.finditer(self._text, window_start)
            self._next, self._last = next(self._mentions, None), None
        while self._next is not None and self._next.start() < position:
            self._last, self._next = self._next, next(self._mentions, None)
        if self._last is None or self._last.start() < window_start:
            return None
        return _mention_name(self._last)

    def first(self, span: Window) -> str | None:
        """The central named first in a window of the text."""
        match = span.search(self._pattern)
        return _mention_name(match) if match is not None else None


@cache
def _with_extra(extra: tuple[str, ...]) -> re.Pattern[str]:
    if not extra:
        return CENTRAL
    names = "|".join(re.escape(n.removeprefix("Syndicat ")) for n in extra)
    return re.compile(rf"(?P<extra>{names})|{CENTRAL.pattern}", re.IGNORECASE)


def _mention_name(match: re.Match[str]) -> str:
    if "extra" in match.re.groupindex and match["extra"] is not None:
        return "Syndicat " + match["extra"]
    return central_name(match)
