"""The heading of a deliberation: its number, the authority, the assembly and the object.

Each reader returns the value with the span of text it was read from and a confidence; the
meeting date has its own module (`dates`).
"""

import re
from collections.abc import Iterable

from spend.deliberations.model import Confidence, Found
from spend.deliberations.structure import Structure
from spend.deliberations.text import Window, collapsed

# --- The number ----------------------------------------------------------------------------------

# « 2022-504 », « 2016.09.6 », « DCM 2021_02_01 », « CP 23-07-112 », « 2024/117 », « B2024-012 »:
# an optional prefix in capitals, then groups of capitals and digits joined by - _ . or /.
# Possessive quantifiers: a long run of digits is consumed once, never re-tried.
_ID = (
    r"(?-i:(?P<id>\d{2}\s[A-Z]{1,2}\s\d{3,5}(?!\w)|(?:[A-Z]{1,6}[ -])?+[A-Z0-9]++"
    r"(?:[-_./][A-Z0-9]++)*+))"
)
# The deliberation's own number follows its title in parentheses: « (N°2022-504) ». Numbers cited
# in « Vu la délibération n°2021-257 » are other deliberations.
OWN_ID = re.compile(rf"\( ?N ?[°º] ?{_ID} ?\)", re.IGNORECASE)
# A heading line giving it: « Délibération n° 2023-12 », « N° 2016.09.6 »,
# « Numéro : CP 23-07-112 », « EXTRAIT DU REGISTRE … DÉLIBÉRATION N° DCM 2021_02_01 ».
_ID_LINE = re.compile(
    r"^(?:extrait\b[^\n]{0,80}?\s)?(?:(?:d[ée]lib[ée]ration|d[ée]cision|affaire|arr[êe]t[ée])"
    r"\s(?:n ?[°º]|num[ée]ro)?|n ?[°º]|num[ée]ro)"
    rf" ?:? ?{_ID}",
    re.IGNORECASE | re.MULTILINE,
)
# Candidates looked at before giving up (a heading full of « N° » without digits).
_CANDIDATES_MAX = 50


def deliberation_id(parts: Structure) -> Found[str] | None:
    """The number in the heading; else a « (N° …) » further on, to be checked."""
    for pattern in (OWN_ID, _ID_LINE):
        found = _first_id(parts.heading.finditer(pattern))
        if found is not None:
            return Found(found["id"], found.start("id"), found.end("id"), Confidence.SURE)
    after = parts.text.window(parts.heading_end).finditer(OWN_ID)
    later = _first_id(m for m in after if not parts.in_recital(m.start()))
    if later is not None:
        return Found(later["id"], later.start("id"), later.end("id"), Confidence.CHECK)
    return None


def _first_id(matches: Iterable[re.Match[str]]) -> re.Match[str] | None:
    for count, match in enumerate(matches):
        if count == _CANDIDATES_MAX:
            return None
        if any(c.isdigit() for c in match["id"]) and not _continues_a_sentence(match):
            return match
    return None


def _continues_a_sentence(match: re.Match[str]) -> bool:
    """« … (délibération\nn° 2020-088 du 16 juillet 2020) »: a line beginning with « n° » that
    goes on from a sentence cites a number; it does not give this deliberation's."""
    text, start = match.string, match.start()
    if start == 0 or text[start - 1] != "\n" or not text[start : start + 2].lower().startswith("n"):
        return False
    previous = text[max(0, start - 2)]
    if previous == ",":
        return True
    # A page header or a title above the number (« Extrait du registre des délibérations »)
    # ends with a word too: only the words that call for a number go on into it.
    words = text[max(0, start - 40) : start - 1].split()
    return bool(words) and words[-1].lower().strip("(«\"’'") in _CALLS_FOR_NUMBER


_CALLS_FOR_NUMBER = {
    "délibération",
    "deliberation",
    "décision",
    "arrêté",
    "la",
    "le",
    "du",
    "de",
    "par",
    "sous",
    "avenant",
    "convention",
}


# --- The assembly --------------------------------------------------------------------------------

_ASSEMBLIES: tuple[tuple[str, str], ...] = (
    ("Commission Permanente", r"commission\s+permanente"),
    # Not « fournitures de bureau », « matériel du bureau ».
    ("Bureau communautaire", r"(?<!de\s)(?<!du\s)bureau\s+communautaire"),
    ("Bureau syndical", r"(?<!de\s)(?<!du\s)bureau\s+syndical"),
    ("Bureau métropolitain", r"(?<!de\s)(?<!du\s)bureau\s+m[ée]tropolitain"),
    ("Bureau", r"(?<!de\s)(?<!du\s)bureau"),
    (
        "Conseil départemental",
        r"conseil\s+(?:d[ée]partemental|g[ée]n[ée]ral)|assembl[ée]e\s+d[ée]partementale",
    ),
    ("Conseil municipal", r"conseil\s+municipal"),
    ("Conseil communautaire", r"conseil\s+(?:communautaire|de\s+communaut[ée])"),
    ("Conseil régional", r"conseil\s+r[ée]gional"),
    ("Conseil métropolitain", r"conseil\s+m[ée]tropolitain"),
    ("Comité syndical", r"comit[ée]\s+syndical"),
    ("Comité d'administration", r"comit[ée]\s+d['’]administration"),
    ("Conseil syndical", r"conseil\s+syndical"),
    ("Conseil d'administration", r"conseil\s+d['’]administration"),
    ("Conseil de surveillance", r"conseil\s+de\s+surveillance"),
    ("Directoire", r"directoire"),
)
# Bodies that deliberate by delegation of a council: named with it, they are the assembly.
_DELEGATED = {
    "Commission Permanente",
    "Bureau",
    "Bureau communautaire",
    "Bureau syndical",
    "Bureau métropolitain",
}
_ASSEMBLY = re.compile(
    r"\b(?:" + "|".join(f"(?P<a{i}>{p})" for i, (_, p) in enumerate(_ASSEMBLIES)) + r")\b",
    re.IGNORECASE,
)
# « DELIBERATION DE LA COMMISSION PERMANENTE DU CONSEIL DEPARTEMENTAL »: the assembly is the one
# named right after « délibération », not the council it belongs to.
_ASSEMBLY_AFTER_DELIBERATION = re.compile(
    r"d[ée]lib[ée]rations?\s+(?:de\s+la|du|de\s+l['’])\s+(?=" + _ASSEMBLY.pattern + ")",
    re.IGNORECASE,
)
_ASSEMBLIES_MAX = 50


def _assembly_name(match: re.Match[str]) -> str:
    return next(_ASSEMBLIES[int(k[1:])][0] for k, v in match.groupdict().items() if v)


def _family(name: str) -> str:
    # « Bureau » and « Bureau communautaire » in one heading name one assembly.
    return "Bureau" if name.startswith("Bureau") else name


def assembly(heading: Window) -> Found[str] | None:
    """The assembly that deliberated, from the heading.

    « Délibération de la X » names it. Otherwise a delegated body (Commission Permanente,
    Bureau) named beside its council is the assembly; a single assembly named is sure; among
    several others, the first is taken, to be checked.
    """
    named = heading.search(_ASSEMBLY_AFTER_DELIBERATION)
    if named is not None:
        match = heading.since(named.end()).match(_ASSEMBLY)
        if match is not None:
            return Found(_assembly_name(match), match.start(), match.end(), Confidence.SURE)
    matches = []
    for match in heading.finditer(_ASSEMBLY):
        matches.append(match)
        if len(matches) == _ASSEMBLIES_MAX:
            break
    if not matches:
        return None
    names = list(dict.fromkeys(_family(_assembly_name(m)) for m in matches))
    delegated_matches = [m for m in matches if _assembly_name(m) in _DELEGATED]
    # The named one (« Bureau communautaire ») before the bare word (« le Bureau »).
    delegated = next(
        (m for m in delegated_matches if _assembly_name(m) != "Bureau"),
        delegated_matches[0] if delegated_matches else None,
    )
    if delegated is not None:
        sure = len([n for n in names if n in _DELEGATED]) == 1
        return Found(
            _assembly_name(delegated),
            delegated.start(),
            delegated.end(),
            Confidence.SURE if sure else Confidence.CHECK,
        )
    first = matches[0]
    confidence = Confidence.SURE if len(names) == 1 else Confidence.CHECK
    return Found(_assembly_name(first), first.start(), first.end(), confidence)


# --- The authority -------------------------------------------------------------------------------

# The kinds of authority a heading line begins with, and how the reading names them. A council
# stands for its authority: « CONSEIL DÉPARTEMENTAL DE LA X » is the Département de la X.
_AUTHORITY_KINDS: tuple[tuple[str, str], ...] = (
    ("Département", r"d[ée]partement|conseil\s+d[ée]partemental(?=\s+d)"),
    ("Région", r"r[ée]gion|conseil\s+r[ée]gional(?=\s+d)"),
    ("Commune", r"commune|conseil\s+municipal(?=\s+d)"),
    ("Ville", r"ville"),
    ("Métropole", r"m[ée]tropole"),
    ("Communauté de communes", r"communaut[ée]\s+de\s+communes"),
    ("Communauté d'agglomération", r"communaut[ée]\s+d['’]agglom[ée]ration"),
    ("Communauté urbaine", r"communaut[ée]\s+urbaine"),
    ("Syndicat mixte", r"syndicat\s+mixte"),
    ("Syndicat intercommunal", r"syndicat\s+intercommunal"),
    ("Centre hospitalier universitaire", r"centre\s+hospitalier\s+universitaire"),
    ("Centre hospitalier intercommunal", r"centre\s+hospitalier\s+intercommunal"),
    ("Centre hospitalier", r"centre\s+hospitalier"),
    (
        "Service départemental d'incendie et de secours",
        r"service\s+d[ée]partemental\s+d['’]incendie\s+et\s+de\s+secours",
    ),
    ("Centre communal d'action sociale", r"centre\s+communal\s+d['’]action\s+sociale"),
    ("EHPAD", r"ehpad"),
    ("Office public de l'habitat", r"office\s+public\s+de\s+l['’]habitat"),
)
# A letterhead's other column, printed on the authority's line by a two-column layout or a PDF's
# text, and what an ACTES stamp or a page header adds: none of it belongs to the name.
_OTHER_COLUMN = (
    r"\|\s|r[ée]publique\s+fran[çc]aise|libert[ée]\s*[-–,]?\s*[ée]galit[ée]"
    r"|re[çc]u\s+(?:en|[àa]\s+la)\s+pr[ée]fecture|accus[ée]\s+de\s+r[ée]ception"
    r"|envoy[ée]\s+en\s+pr[ée]fecture|publi[ée]\s+le|affich[ée]\s+le|id\s?:\s?\d"
    r"|direction\b|service\b|p[ôo]le\b|secr[ée]tariat|cabinet\b|extrait\s+du\s+registre"
    r"|d[ée]lib[ée]ration\b|s[ée]ance\b|r[ée]union\b|commission\s+permanente|bureau\b"
    r"|comit[ée]\s+syndical|directoire\b|arrondissement\b|canton\b|page\s+\d|t[ée]l\.?\s?:"
    r"|conseil\s+(?:municipal|communautaire|d[ée]partemental|r[ée]gional|syndical|de\s+surveillance"
    r"|d['’]administration)\b"
)
_NOT_NAME = re.compile(rf"(?:^|\s)(?:{_OTHER_COLUMN})", re.IGNORECASE)
_AUTHORITY_LINE = re.compile(
    r"^(?:r[ée]publique\s+fran[çc]aise\s+)?(?:"
    + "|".join(f"(?P<k{i}>{p})" for i, (_, p) in enumerate(_AUTHORITY_KINDS))
    + r")(?:[ \t](?P<name>[^\n]{0,160}))?$",
    re.IGNORECASE | re.MULTILINE,
)
# A name over two lines: the second begins with a particle, or the first ends with one.
_NAME_GOES_ON = re.compile(
    r"^(?:«|(?:de|du|des|d['’]|et|en|sur|sous|l['’]|la|le|les|aux?)\b)", re.I
)
_NAME_ENDS_OPEN = re.compile(r"\b(?:de|du|des|d['’]|et|en|sur|sous|l['’]|la|le|les|aux?)$", re.I)
# Lowest first: a Département or a Région printed above a commune's name is where it lies.
_CONTEXT_KINDS = {"Département", "Région"}
_MEETING_AFTER = re.compile(r"(?:du|des|le)\s+(?:\d|1er|premier)", re.IGNORECASE)
_AUTHORITY_LINES_MAX = 20
# « Le Conseil municipal de la commune de Saint-X, dûment convoqué … »
_AUTHORITY_IN_SENTENCE = re.compile(
    r"\bconseil\s+municipal\s+de\s+la\s+(?P<kind>commune|ville)\s+(?P<name>d(?:e\s|['’])[^\n,;.]{2,80})",
    re.IGNORECASE,
)
_PARTICLES = {
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "l",
    "d",
    "et",
    "en",
    "sur",
    "sous",
    "aux",
    "au",
}
_LINE_END_PUNCTUATION = " ,;:.–-"


def authority(heading: Window) -> Found[str] | None:
    """The authority from its letterhead line, the other column and stamps set apart, its name
    read on over a second line; a Département or Région above another authority's name is only
    where that one lies."""
    found: list[tuple[str, Found[str]]] = []
    for count, line in enumerate(heading.finditer(_AUTHORITY_LINE)):
        if count == _AUTHORITY_LINES_MAX:
            break
        kind = next(
            _AUTHORITY_KINDS[int(k[1:])][0]
            for k, v in line.groupdict().items()
            if v and k != "name"
        )
        name, end = _authority_name(heading, line)
        # « Conseil municipal du 3 mars 2022 » names a meeting, not the commune.
        if name and not _MEETING_AFTER.match(name):
            found.append(
                (kind, Found(f"{kind} {name_case(name)}", line.start(), end, Confidence.SURE))
            )
    if found:
        return next((f for kind, f in found if kind not in _CONTEXT_KINDS), found[0][1])
    sentence = heading.search(_AUTHORITY_IN_SENTENCE)
    if sentence is not None:
        kind = "Ville" if sentence["kind"].lower() == "ville" else "Commune"
        name = sentence["name"].rstrip(_LINE_END_PUNCTUATION)
        return Found(
            f"{kind} {name_case(name)}", sentence.start(), sentence.end(), Confidence.CHECK
        )
    return None


def _authority_name(heading: Window, line: re.Match[str]) -> tuple[str, int]:
    """The name after the kind, without the other column, continued on the next line when it
    is cut (« COMMUNAUTÉ D'AGGLOMÉRATION » / « DU GRAND BESANÇON »)."""
    norm, heading_end = heading.text.norm, heading.end
    name = _without_other_column(line["name"] or "")
    end = line.end()
    for _ in range(2):
        next_end = norm.find("\n", end + 1, heading_end)
        following = norm[end + 1 : next_end if next_end >= 0 else heading_end]
        following = _without_other_column(following)
        if not following or len(following) > 80:
            break
        if not (not name or _NAME_ENDS_OPEN.search(name) or _NAME_GOES_ON.match(following)):
            break
        name = f"{name_case(name)} {name_case(following)}".strip()
        end = end + 1 + len(norm[end + 1 : next_end if next_end >= 0 else heading_end])
    return name.rstrip(_LINE_END_PUNCTUATION), end


def _without_other_column(text: str) -> str:
    cut = _NOT_NAME.search(text)
    return (text[: cut.start()] if cut else text).strip(_LINE_END_PUNCTUATION + "|")


def name_case(text: str) -> str:
    """A place name written in capitals, in the usual case: « DU PAS-DE-CALAIS » → « du
    Pas-de-Calais »; a name already in mixed case is kept as written."""
    if any(c.islower() for c in text):
        return text
    parts = re.split(r"([ \-'’])", text.lower())
    return "".join(
        part if part in _PARTICLES or not part[:1].isalpha() else part[:1].upper() + part[1:]
        for part in parts
    )


# --- The object ----------------------------------------------------------------------------------

# Uppercase heading lines that sit above a title block and are not part of it.
_NOT_TITLE = re.compile(
    r"^(?:r[ée]union|s[ée]ance|session|pr[ée]sidence|d[ée]lib[ée]ration|extrait|d[ée]partement|"
    r"commune|ville|r[ée]gion|rapport|secr[ée]taire|commission\s+permanente|conseil|bureau|"
    r"comit[ée]|n ?[°º]|num[ée]ro)\b",
    re.IGNORECASE,
)
# « Objet : … » at the start of a line, on the lowercase text.
_OBJECT = re.compile(r"objet(?:\sde\sla\sd[ée]lib[ée]ration)?\s?:\s?(?=\S)")
_TITLE_LINES_MAX = 12


def title(parts: Structure, own_id: Found[str] | None) -> Found[str] | None:
    """The object: the capitals block the « (N° …) » closes, or the « Objet : » line, or the
    capitals block under the number line (to be checked)."""
    text = parts.text
    parenthesised = _first_id(text.window().finditer(OWN_ID))
    if parenthesised is not None:
        found = _block_before(text.window(0, parenthesised.start()))
        if found is not None:
            return found
    after_heading = text.window(parts.heading_end)
    match = parts.heading.first_at_line_start(
        _OBJECT, low=True
    ) or after_heading.first_at_line_start(_OBJECT, low=True)
    if match is not None:
        line_end = text.norm.find("\n", match.end())
        return _object_block(text.window(match.end(), len(text) if line_end < 0 else line_end))
    if own_id is not None:
        return _block_after(text.window(own_id.end))
    return None


def _block_before(before: Window) -> Found[str] | None:
    """The capitals block that ends where the window ends."""
    norm, position = before.text.norm, before.end
    lines = norm[max(0, position - 3_000) : position].split("\n")
    *previous, last = lines
    # The id may close the title's last line: « ADHÉSION À L'UGAP (N°2023-12) ».
    block = [last] if last.strip() else []
    for line in reversed(previous[-_TITLE_LINES_MAX:]):
        if not _is_title_line(line):
            break
        block.insert(0, line)
    text = collapsed(" ".join(block))
    if not text:
        return None
    start = position - len("\n".join(block)) - (0 if last else 1)
    return Found(text, start, position, Confidence.SURE)


# Words after which an object line goes on, whatever the case of the next line.
_JOINING_WORDS = {"de", "du", "des", "la", "le", "les", "à", "au", "aux", "et", "pour", "en", "«"}


def _object_block(line: Window) -> Found[str]:
    """The « Objet : » line's words, continued on the lines the object runs over."""
    norm, start, end = line.text.norm, line.start, line.end
    block = [norm[start:end]]
    upper = not any(c.islower() for c in block[0])
    # An object running over several lines continues in lowercase (« … (UGAP)\npour la … »),
    # in capitals when it is written in capitals, or after an open « or a joining word.
    for following in norm[end + 1 : end + 3_000].split("\n")[:_TITLE_LINES_MAX]:
        text = " ".join(block)
        words = text.split()
        open_quote = text.count("«") > text.count("»") or text.count("(") > text.count(")")
        joined = open_quote or (words[-1].lower() in _JOINING_WORDS if words else False)
        wrapped = _wraps_on(block[-1], following)
        if not (
            following[:1].islower() or (upper and _is_title_line(following)) or joined or wrapped
        ):
            break
        block.append(following)
        end += 1 + len(following)
    return Found(collapsed(" ".join(block)), start, end, Confidence.SURE)


# Words that begin what follows an object, never its second line.
_AFTER_OBJECT = re.compile(
    r"(?:vu|consid[ée]rant|attendu|le|la|les|l['’]|rapporteur|rapport|expos[ée]|monsieur|madame|m\.|"
    r"mme|nombre|pr[ée]sents?|[ée]taient|sont|secr[ée]taire|date|s[ée]ance|r[ée]union|"
    r"d[ée]lib[ée]ration|n ?[°º]|num[ée]ro|apr[èe]s|d[ée]cide|article|vote|membres|commission|"
    r"conseil|bureau|comit[ée]|nomenclature|acte|code|annexe|pi[èe]ces?|affich|publi|transmis)\b",
    re.IGNORECASE,
)
_WRAPPED_MIN_CHARS = 45


def _wraps_on(previous: str, line: str) -> bool:
    """A long object line without final punctuation goes on to the next line, unless that one
    begins something else (« Vu », « Le Conseil », « Rapporteur »)."""
    return (
        len(previous) >= _WRAPPED_MIN_CHARS
        and not previous.rstrip().endswith((".", ":", ";", ")"))
        and len(line) <= 160
        and not _AFTER_OBJECT.match(line)
    )


def _block_after(after: Window) -> Found[str] | None:
    """The capitals block under the line the window starts on (to be checked)."""
    norm, position = after.text.norm, after.start
    line_end = norm.find("\n", position, position + 3_000)
    if line_end < 0:
        return None
    block: list[str] = []
    for line in norm[line_end + 1 : line_end + 3_000].split("\n")[:_TITLE_LINES_MAX]:
        if not _is_title_line(line):
            break
        block.append(line)
    if not block:
        return None
    end = line_end + 1 + len("\n".join(block))
    return Found(collapsed(" ".join(block)), line_end + 1, end, Confidence.CHECK)


def _is_title_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    if not letters or _NOT_TITLE.match(line):
        return False
    return sum(c.islower() for c in letters) <= len(letters) // 10
