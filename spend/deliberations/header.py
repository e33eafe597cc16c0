"""The header of a deliberation: its number, meeting date, assembly and title."""

import re
from datetime import date

from spend.deliberations.messages import MSG_BAD_DATE, MSG_NO_DATE
from spend.deliberations.text import collapsed, line_at

# The header (authority, assembly, meeting) ends where the legal recitals or the decision begin.
HEADER_END = re.compile(
    r"^(?:vu\b|consid[ée]rant\b|apr[èe]s\s+en\s+avoir\s+d[ée]lib[ée]r[ée]|d[ée]cide\b)",
    re.IGNORECASE | re.MULTILINE,
)
DECIDE = re.compile(
    r"^D[ÉE]CIDE\b\s*:?|\bd[ée]cide\s*:|\bd[ée]lib[èe]re\s*:", re.IGNORECASE | re.MULTILINE
)


_ID = r"(?P<id>[A-Z0-9][A-Z0-9/._-]*\d)"
# The deliberation's own number follows its title in parentheses: "(N°2022-504)". Numbers cited in
# "Vu la délibération n°2021-257" are other deliberations.
OWN_ID = re.compile(rf"\(\s*N\s*[°º]\s*{_ID}\s*\)", re.IGNORECASE)
_ID_LINE = re.compile(
    rf"^(?:extrait\s+de\s+la\s+)?d[ée]lib[ée]ration\s+n\s*[°º]\s*{_ID}\b",
    re.IGNORECASE | re.MULTILINE,
)


def deliberation_id(norm: str) -> str | None:
    match = OWN_ID.search(norm) or _ID_LINE.search(norm)
    return match["id"] if match else None


_MONTHS: dict[str, int] = {
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
}
_MEETING_DATE = re.compile(
    r"\b(?:r[ée]union|s[ée]ance)"
    r"(?:\s+(?:publique|pl[ée]ni[èe]re|ordinaire|extraordinaire))?\s+du\s+"
    r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
    r"(?P<date>(?P<day>\d{1,2})(?:er)?\s+(?P<month>[a-zéèêëàâäîïôöûüç]+)\s+(?P<year>\d{4})"
    r"|(?P<nday>\d{1,2})[/.](?P<nmonth>\d{1,2})[/.](?P<nyear>\d{4}))",
    re.IGNORECASE,
)


def meeting_date(norm: str, header: str, warnings: list[str]) -> date | None:
    """The date of "REUNION DU 13 DÉCEMBRE 2022", from the header first.

    Dates of other meetings appear in the recitals ("Vu ... réunion du 28/11/2022"): they are
    skipped. Signature or convention dates are never taken for the meeting's.
    """
    candidates = [m for m in _MEETING_DATE.finditer(header)]
    candidates += [
        m
        for m in _MEETING_DATE.finditer(norm, len(header))
        if not re.match(r"vu\b", line_at(norm, m.start()), re.IGNORECASE)
    ]
    for match in candidates:
        if match["month"] is not None:
            month = _MONTHS.get(match["month"].lower())
            if month is None:
                continue
            parts = (int(match["year"]), month, int(match["day"]))
        else:
            parts = (int(match["nyear"]), int(match["nmonth"]), int(match["nday"]))
        try:
            return date(*parts)
        except ValueError:
            warnings.append(MSG_BAD_DATE.format(text=match["date"]))
            return None
    warnings.append(MSG_NO_DATE)
    return None


_ASSEMBLIES: tuple[tuple[str, str], ...] = (
    ("Commission Permanente", r"commission\s+permanente"),
    ("Bureau", r"bureau(?:\s+(?:communautaire|syndical|m[ée]tropolitain))?"),
    ("Conseil départemental", r"conseil\s+(?:d[ée]partemental|g[ée]n[ée]ral)"),
    ("Conseil municipal", r"conseil\s+municipal"),
    ("Conseil communautaire", r"conseil\s+communautaire"),
    ("Conseil régional", r"conseil\s+r[ée]gional"),
    ("Conseil métropolitain", r"conseil\s+m[ée]tropolitain"),
    ("Comité syndical", r"comit[ée]\s+syndical"),
)
_ASSEMBLY = re.compile(
    r"\b(?:" + "|".join(f"(?P<a{i}>{p})" for i, (_, p) in enumerate(_ASSEMBLIES)) + r")\b",
    re.IGNORECASE,
)
# "DELIBERATION DE LA COMMISSION PERMANENTE DU CONSEIL DEPARTEMENTAL": the assembly is the one
# named right after "délibération", not the council it belongs to.
_ASSEMBLY_AFTER_DELIBERATION = re.compile(
    r"d[ée]lib[ée]rations?\s+(?:de\s+la|du|de\s+l['’])\s+(?=" + _ASSEMBLY.pattern + ")",
    re.IGNORECASE,
)


def assembly(header: str) -> str | None:
    named = _ASSEMBLY_AFTER_DELIBERATION.search(header)
    match = _ASSEMBLY.search(header, named.end()) if named else _ASSEMBLY.search(header)
    if match is None:
        return None
    index = next(int(name[1:]) for name, value in match.groupdict().items() if value)
    return _ASSEMBLIES[index][0]


# Uppercase header lines that sit above a title block and are not part of it.
_NOT_TITLE = re.compile(
    r"^(?:r[ée]union|s[ée]ance|pr[ée]sidence|d[ée]lib[ée]ration|extrait|d[ée]partement|commune|"
    r"ville|r[ée]gion|rapport|secr[ée]taire|commission\s+permanente|conseil)\b",
    re.IGNORECASE,
)
_OBJECT_LINE = re.compile(r"^objet\s*:\s*(?P<title>.+)$", re.IGNORECASE | re.MULTILINE)


def title(norm: str) -> str | None:
    own_id = OWN_ID.search(norm)
    if own_id is not None:
        *previous, last = norm[: own_id.start()].split("\n")
        # The id may close the title's last line: "ADHÉSION À L'UGAP (N°2023-12)".
        block = [last] if last.strip() else []
        for line in reversed(previous[-12:]):
            if not _is_title_line(line):
                break
            block.insert(0, line)
        title = collapsed(" ".join(block))
        if title:
            return title
    match = _OBJECT_LINE.search(norm)
    if match is None:
        return None
    block = [match["title"]]
    # An object running over several lines continues in lowercase: "... (UGAP)\npour la ...".
    for line in norm[match.end() + 1 :].split("\n"):
        if not line[:1].islower():
            break
        block.append(line)
    return collapsed(" ".join(block))


def _is_title_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    if not letters or _NOT_TITLE.match(line):
        return False
    return sum(c.islower() for c in letters) <= len(letters) // 10
