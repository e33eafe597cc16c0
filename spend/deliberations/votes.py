"""The vote: counts for, against and abstaining, unanimity or majority, members not voting, and
the outcome.

Counts are read where the vote stands (from « Après en avoir délibéré » to the end of the
deliberation proper), else in the heading, where some authorities print them. Unanimity stated
without counts gives the outcome, never the counts.
"""

import re
from dataclasses import dataclass, replace

from spend.deliberations.messages import (
    MSG_EXPRESSED_MISMATCH,
    MSG_MAJORITY_NO_COUNT,
    MSG_MISSING_VOTES,
    MSG_NO_VOTES,
    MSG_OUTCOME_FROM_COUNTS,
    MSG_OUTCOME_VS_VOTES,
    MSG_UNANIMITY_AGAINST,
    MSG_UNANIMITY_NO_COUNT,
    MSG_VOTERS_MISMATCH,
    OUTCOME_WORDS,
    VOTE_WORDS,
)
from spend.deliberations.model import Confidence, Found, Outcome, Part, VoteKind
from spend.deliberations.structure import Structure
from spend.deliberations.text import Window

# « 44 voix pour » candidates looked at before giving up.
_CANDIDATES_MAX = 1_000

# The patterns read the lowercase text (`text.lowered`) and begin with a word, which the regex
# engine finds as fast as str.find; what must stand before the word is checked by a lookbehind
# after it. A count has at most 6 digits: a longer run is no count.
_COUNT = r"\s?: ?(?P<n>\d{1,6})(?!\d)"
# « Pour : 44 voix » (preferred wherever it stands), then « 44 voix pour », whose number is
# read just before the words.
_VOTE_PATTERNS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "for": (
        re.compile(r"pour(?<![\w'’]pour)" + _COUNT),
        re.compile(r"voix\spour\b(?<=\d\svoix\spour)"),
    ),
    "against": (
        re.compile(r"contre(?<![\w'’]contre)" + _COUNT),
        # Not « 10 voix\nContre : 20 », where 10 belongs to the line above.
        re.compile(r"contre\b(?:(?<=\d\scontre)|(?<=\d\svoix\scontre))(?!\s?:)"),
    ),
    "abstentions": (
        re.compile(r"abstention(?<![\w'’]abstention)s?(?: ?\(s\))?" + _COUNT),
        re.compile(r"abstention(?<=\d\sabstention)s?\b"),
    ),
}
_NUMBER_BEFORE_WORDS = re.compile(r"(?<!\d)(?P<n>\d{1,6})\s(?:voix\s)?\Z")
_VOTERS = re.compile(r"votants(?<![\w'’]votants)" + _COUNT)
_EXPRESSED = re.compile(r"suffrages\sexprim[ée]s" + _COUNT)
_UNANIMITY = re.compile(r"unanimit[ée]")
_MAJORITY = re.compile(r"la\smajorit[ée](?<=[àa]\sla\smajorit[ée])\b")
VOTE_SECTION = re.compile(r"conditions\sde\svote|vote\s?:")
# « Votants Pour Contre Abstentions » over « 75 30 41 4 », with or without bars.
_COLUMNS: tuple[tuple[str | None, str], ...] = (
    ("for", r"pour"),
    ("against", r"contre"),
    ("abstentions", r"abstentions?"),
    (None, r"(?:nombre\sde\s)?votants"),
    (None, r"ne\sprennent\spas\spart(?:\sau\svote)?"),
    (None, r"membres\sen\sexercice|pr[ée]sents|repr[ée]sent[ée]s|(?:suffrages\s)?exprim[ée]s"),
    (None, r"nuls|blancs"),
)
# Columns are apart by a space or a bar, never by a line break (the values are on the next line).
_SEPARATOR = r"(?: ?[|/;] ?| )?"
_ANY_COLUMN = "(?:" + "|".join(p for _, p in _COLUMNS) + ")"
# Matched at the start of the line of each « contre » (every such table has one).
_VOTE_TABLE = re.compile(
    rf"(?P<head>(?:{_ANY_COLUMN}\b{_SEPARATOR})++)\n(?P<values>(?:\d{{1,6}}+{_SEPARATOR})++)"
    r"(?=\n|\Z)"
)
_AGAINST_WORD = re.compile(r"contre\b")
_ONE_COLUMN = re.compile("|".join(f"(?P<c{i}>{p})" for i, (_, p) in enumerate(_COLUMNS)))
_NOT_VOTING = re.compile(
    r"ne\s(?:prend|prennent)\spas\spart\s(?:au\svote|[àa]\sla\sd[ée]lib[ée]ration|au\sd[ée]bat)"
    r"|n['’](?:a|ont)\spas\spris\spart\sau\svote"
    r"|ne\sparticipen?t?\spas\sau\svote"
)
_NUMBER_AFTER = re.compile(r"\s?: ?(?P<n>\d{1,3})(?!\d)")
_NUMBER_BEFORE = re.compile(r"(?<!\d)(?P<n>\d{1,3})\s(?:[^\W\d]+\s){0,2}$")
_HONORIFIC = re.compile(r"\b(?:M\.|Mme|Mlle|Monsieur|Madame)\s")

_OUTCOME_FORMS = r"(?:é|ée|és|ées)"
# « (Adopté) », « (Rejetée) », « (Adoptée à l'unanimité) »
_OUTCOME_IN_BRACKETS = re.compile(
    rf"\(\s?(?P<o>adopt|rejet){_OUTCOME_FORMS}?e?s?\b[^()\n]{{0,60}}\)"
)
# A line saying it: « Adopté à l'unanimité. », « La délibération est rejetée. »,
# « Le projet de délibération est rejeté. » (the words before are checked as the line's start).
_OUTCOME_LINE = re.compile(rf"(?P<o>adopt|rejet){_OUTCOME_FORMS}\b")
_OUTCOME_LINE_START = re.compile(
    r"[ •\-–]*(?:(?:la|le)\s)?(?:projet\sde\s)?"
    r"(?:(?:d[ée]lib[ée]ration|proposition|motion|rapport)\s(?:est\s)?)?"
)
# Unaccented capitals, on the text as written: « ADOPTE », « REJETEE » starting a line.
_OUTCOME_CAPITALS = re.compile(r"(?P<o>ADOPT|REJET)(?:E|EE|ES|EES)\b")
_BULLETS = re.compile(r"[ •\-–]*")
# Anywhere: « vote : adopté à l'unanimité », « rejetée par 15 voix ».
_OUTCOME_ANYWHERE = re.compile(
    r"(?P<o>adopt|rejet)[^\W\d]{0,4}\s(?:[àa]\sl['’]unanimit|[àa]\sla\smajorit|par\s\d)"
)


@dataclass(frozen=True)
class Votes:
    # Each count read, by kind ("for", "against", "abstentions"), where it was read.
    counted: dict[str, Found[int]]
    voters: int | None
    expressed: int | None
    unanimous: Found[str] | None
    majority: Found[str] | None
    not_voting: int | None
    not_voting_found: Found[str] | None
    outcome: Outcome | None
    outcome_found: Found[str] | None
    # The first position where the vote is written after the decision (the budget table ends
    # there), or None.
    vote_start: int | None
    kind: VoteKind | None
    consistent: bool = True

    @property
    def counts(self) -> dict[str, int | None]:
        """Every kind of count, None when the text does not give it."""
        return {kind: _value(self.counted.get(kind)) for kind in _VOTE_PATTERNS}


def _value(found: Found[int] | None) -> int | None:
    return found.value if found is not None else None


def read_votes(parts: Structure) -> Votes:
    """The vote, searched from the decision to the end of the deliberation proper (the whole
    text when it has no decision)."""
    part = parts.vote_part
    operative_start = parts.operative_start
    counted = _counts(part)
    if not counted:
        # Some authorities print the counts in the heading, before the decision.
        counted = _counts(parts.text.window(0, part.start))
    if not counted:
        counted = _table_counts(part)
    up_to_end = parts.text.window(0, part.end)
    voters = up_to_end.search(_VOTERS, low=True)
    expressed = up_to_end.search(_EXPRESSED, low=True)
    unanimity = part.search(_UNANIMITY, low=True)
    majority = None if unanimity else part.search(_MAJORITY, low=True)
    outcome, outcome_found = _outcome(part)
    not_voting, not_voting_found = _not_voting(part)
    # Where the vote is written after the articles: the budget table ends before it.
    section = part.since(operative_start).search(VOTE_SECTION, low=True)
    written = [found.start for found in counted.values()]
    written += [m.start() for m in (voters, expressed, unanimity, majority, section) if m]
    written += [f.start for f in (outcome_found, not_voting_found) if f]
    after = [p for p in written if p >= operative_start]
    return Votes(
        counted=counted,
        voters=int(voters["n"]) if voters else None,
        expressed=int(expressed["n"]) if expressed else None,
        unanimous=_found(unanimity, "à l'unanimité"),
        majority=_found(majority, "à la majorité"),
        not_voting=not_voting,
        not_voting_found=not_voting_found,
        outcome=outcome,
        outcome_found=outcome_found,
        vote_start=min(after, default=None),
        kind="unanimity" if unanimity else "majority" if majority else None,
    )


def _found(match: re.Match[str] | None, value: str) -> Found[str] | None:
    if match is None:
        return None
    return Found(value, match.start(), match.end(), Confidence.SURE)


def _counts(part: Window) -> dict[str, Found[int]]:
    """The counts written with their words (« Pour : 44 », « 44 voix pour »)."""
    low = part.text.low
    counted: dict[str, Found[int]] = {}
    for kind, (labelled, written) in _VOTE_PATTERNS.items():
        match = part.search(labelled, low=True)
        if match is not None:
            counted[kind] = Found(int(match["n"]), match.start(), match.end(), Confidence.SURE)
            continue
        # « 44 voix pour »: the first of these words with a number just before them.
        for count, words in enumerate(part.finditer(written, low=True)):
            number = _NUMBER_BEFORE_WORDS.search(low, max(0, words.start() - 14), words.start())
            if number is not None:
                n = int(number["n"])
                counted[kind] = Found(n, number.start(), words.end(), Confidence.SURE)
                break
            if count == _CANDIDATES_MAX:
                break
    return counted


def _table_counts(part: Window) -> dict[str, Found[int]]:
    """The counts of a vote table: a line of column titles over a line of numbers."""
    low, start, end = part.text.low, part.start, part.end
    counted: dict[str, Found[int]] = {}
    table = None
    for count, word in enumerate(part.finditer(_AGAINST_WORD, low=True)):
        line_start = low.rfind("\n", max(start, word.start() - 200), word.start()) + 1
        table = _VOTE_TABLE.match(low, max(line_start, start), end)
        if table is not None or count == _CANDIDATES_MAX:
            break
    if table is None:
        return counted
    columns = list(_ONE_COLUMN.finditer(table["head"]))
    values = re.findall(r"\d+", table["values"])
    if len(columns) != len(values):
        return counted
    for column, value in zip(columns, values, strict=True):
        kind = next(_COLUMNS[int(k[1:])][0] for k, v in column.groupdict().items() if v)
        if kind is not None:
            start, end = table.span("values")
            counted[kind] = Found(int(value), start, end, Confidence.SURE)
    return counted


# The decision's own words for a rejection: « REJETTE », « La délibération n'est pas adoptée »,
# « le Conseil refuse », « n'adopte pas ». A negation before « adopté » reverses it.
_REJECTED_WORDS = re.compile(
    r"(?:n['’](?:est|ont|a)\spas\s(?:[ée]t[ée]\s)?adopt|ne\ssont\spas\sadopt|n['’]adopte\spas"
    r"|d[ée]cide\sde\sne\spas\sadopter|refuse\sd['’]adopter"
    r"|rejette\s(?:la\sproposition|le\sprojet|la\sd[ée]lib[ée]ration|le\srapport))[^\W\d]{0,4}"
)
_REJECTS_CAPITALS = re.compile(r"(?:REJETTE|REFUSE)\b")


def _outcome(part: Window) -> tuple[Outcome | None, Found[str] | None]:
    rejected = _first_match(
        [
            part.first_at_line_start(_REJECTS_CAPITALS, _BULLETS),
            part.search(_REJECTED_WORDS, low=True),
        ]
    )
    if rejected is not None:
        return "rejected", Found(
            OUTCOME_WORDS["rejected"], rejected.start(), rejected.end(), Confidence.SURE
        )
    candidates = (
        part.search(_OUTCOME_IN_BRACKETS, low=True),
        part.first_at_line_start(_OUTCOME_LINE, _OUTCOME_LINE_START, low=True),
        part.first_at_line_start(_OUTCOME_CAPITALS, _BULLETS),
        part.search(_OUTCOME_ANYWHERE, low=True),
    )
    matches = [m for m in candidates if m is not None]
    if not matches:
        return None, None
    first = min(matches, key=lambda m: m.start())
    outcome: Outcome = "adopted" if first["o"].lower().startswith("adopt") else "rejected"
    return outcome, Found(OUTCOME_WORDS[outcome], first.start(), first.end(), Confidence.SURE)


def _first_match(matches: list[re.Match[str] | None]) -> re.Match[str] | None:
    found = [m for m in matches if m is not None]
    return min(found, key=lambda m: m.start()) if found else None


def _not_voting(part: Window) -> tuple[int | None, Found[str] | None]:
    """Members who do not take part in the vote: « M. X ne prend pas part au vote »,
    « Ne prennent pas part au vote : 2 ». Their number when the text gives it or names them."""
    match = part.search(_NOT_VOTING, low=True)
    if match is None:
        return None, None
    norm = part.text.norm
    line_start = max(norm.rfind("\n", max(0, match.start() - 300), match.start()) + 1, 0)
    sentence_end = norm.find("\n", match.end(), match.end() + 300)
    before = norm[line_start : match.start()]
    after = norm[match.end() : sentence_end if sentence_end >= 0 else match.end() + 300]
    number = _NUMBER_AFTER.match(after) or _NUMBER_BEFORE.search(before[-40:])
    if number is not None:
        count: int | None = int(number["n"])
    else:
        named = len(_HONORIFIC.findall(before)) + len(_HONORIFIC.findall(after))
        count = named or None
    confidence = Confidence.SURE if count is not None else Confidence.CHECK
    return count, Found(str(count) if count else "", match.start(), match.end(), confidence)


def check_votes(votes: Votes) -> Part[Votes]:
    """The checks on the counts, as French warnings; the outcome inferred when only the counts
    give it. Returns the votes with their consistency and outcome settled."""
    warnings: list[str] = []
    counts = votes.counts
    outcome, outcome_found = votes.outcome, votes.outcome_found
    consistent = True
    outcome_doubtful = False
    missing = [VOTE_WORDS[kind] for kind, n in counts.items() if n is None]
    for_, against, abstentions = counts["for"], counts["against"], counts["abstentions"]
    if len(missing) == len(counts):
        if votes.unanimous:
            warnings.append(MSG_UNANIMITY_NO_COUNT)
        elif votes.majority:
            warnings.append(MSG_MAJORITY_NO_COUNT)
        else:
            warnings.append(MSG_NO_VOTES)
    else:
        if missing:
            warnings.append(MSG_MISSING_VOTES.format(missing=", ".join(missing)))
        if votes.unanimous and against:
            warnings.append(MSG_UNANIMITY_AGAINST.format(against=against))
            consistent, outcome_doubtful = False, True
        if for_ is not None and against is not None and abstentions is not None:
            total = for_ + against + abstentions
            if votes.voters is not None and total != votes.voters:
                warnings.append(
                    MSG_VOTERS_MISMATCH.format(
                        for_=for_,
                        against=against,
                        abstentions=abstentions,
                        total=total,
                        voters=votes.voters,
                    )
                )
                consistent = False
        if for_ is not None and against is not None:
            if votes.expressed is not None and for_ + against != votes.expressed:
                warnings.append(
                    MSG_EXPRESSED_MISMATCH.format(
                        for_=for_, against=against, total=for_ + against, expressed=votes.expressed
                    )
                )
                consistent = False
            if (outcome == "adopted" and for_ <= against) or (
                outcome == "rejected" and for_ > against
            ):
                warnings.append(
                    MSG_OUTCOME_VS_VOTES.format(
                        outcome=OUTCOME_WORDS[outcome], for_=for_, against=against
                    )
                )
                consistent, outcome_doubtful = False, True
    if outcome is None:
        inferred = _outcome_from_votes(votes)
        (outcome, outcome_found), warnings = inferred.value, [*warnings, *inferred.warnings]
    elif outcome_doubtful and outcome_found is not None:
        outcome_found = outcome_found.to_check()
    settled = replace(votes, outcome=outcome, outcome_found=outcome_found, consistent=consistent)
    return Part(settled, tuple(warnings))


def _outcome_from_votes(votes: Votes) -> Part[tuple[Outcome | None, Found[str] | None]]:
    """Unanimity or a majority stated gives the adoption; otherwise counts that decide it
    arithmetically (more for than against, or than half the voters) give it, to be checked."""
    stated = votes.unanimous or votes.majority
    if stated is not None:
        adopted = Found(OUTCOME_WORDS["adopted"], stated.start, stated.end, Confidence.SURE)
        return Part(("adopted", adopted))
    for_, against = votes.counts["for"], votes.counts["against"]
    if for_ is None:
        return Part((None, None))
    outcome: Outcome | None = None
    if against is not None and for_ != against:
        # A tie decides nothing here: the chair's casting vote may settle it.
        outcome = "adopted" if for_ > against else "rejected"
    elif against is None and votes.voters is not None and 2 * for_ > votes.voters:
        outcome = "adopted"
    if outcome is None:
        return Part((None, None))
    start, end = votes.counted["for"].start, votes.counted["for"].end
    inferred = Found(OUTCOME_WORDS[outcome], start, end, Confidence.CHECK)
    return Part(
        (outcome, inferred), (MSG_OUTCOME_FROM_COUNTS.format(outcome=OUTCOME_WORDS[outcome]),)
    )
