"""The vote: counts for, against and abstaining, and the outcome."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spend.deliberations.messages import (
    MSG_EXPRESSED_MISMATCH,
    MSG_MISSING_VOTES,
    MSG_NO_VOTES,
    MSG_OUTCOME_VS_VOTES,
    MSG_UNANIMITY_AGAINST,
    MSG_UNANIMITY_NO_COUNT,
    MSG_VOTERS_MISMATCH,
    OUTCOME_WORDS,
    VOTE_WORDS,
)
from spend.deliberations.model import Outcome

_COUNT = r"\s*:\s*(?P<n>\d+)"
_VOTE_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    "for": (
        re.compile(r"(?<![\w'’])pour" + _COUNT, re.IGNORECASE),
        re.compile(r"(?P<n>\d+)\s+voix\s+pour\b", re.IGNORECASE),
    ),
    "against": (
        re.compile(r"(?<![\w'’])contre" + _COUNT, re.IGNORECASE),
        # Not "10 voix\nContre : 20", where 10 belongs to the line above.
        re.compile(r"(?P<n>\d+)\s+(?:voix\s+)?contre\b(?!\s*:)", re.IGNORECASE),
    ),
    "abstentions": (
        re.compile(r"(?<![\w'’])abstentions?(?:\s*\(s\))?" + _COUNT, re.IGNORECASE),
        re.compile(r"(?P<n>\d+)\s+abstentions?\b", re.IGNORECASE),
    ),
}
_VOTERS = re.compile(r"(?<![\w'’])(?:nombre\s+de\s+)?votants" + _COUNT, re.IGNORECASE)
_EXPRESSED = re.compile(r"suffrages\s+exprim[ée]s" + _COUNT, re.IGNORECASE)
_UNANIMITY = re.compile(r"\bunanimit[ée]", re.IGNORECASE)
VOTE_SECTION = re.compile(r"conditions\s+de\s+vote|\bvote\s*:", re.IGNORECASE)
_OUTCOME_FORMS = r"(?:é|ée|és|ées)"
OUTCOMES: tuple[re.Pattern[str], ...] = (
    # "(Adopté)", "(Rejetée)", "(Adoptée à l'unanimité)"
    re.compile(rf"\(\s*(?P<o>adopt|rejet){_OUTCOME_FORMS}?e?s?\b[^()\n]{{0,60}}\)", re.IGNORECASE),
    # A line saying it: "Adopté à l'unanimité.", "La délibération est rejetée."
    re.compile(
        r"^[\s•\-–]*(?:(?:la\s+)?(?:d[ée]lib[ée]ration|proposition|motion)\s+(?:est\s+)?)?"
        rf"(?P<o>adopt|rejet){_OUTCOME_FORMS}\b",
        re.IGNORECASE | re.MULTILINE,
    ),
    # Unaccented capitals: "ADOPTE", "REJETEE" alone at the start of a line.
    re.compile(r"^[\s•\-–]*(?P<o>ADOPT|REJET)(?:E|EE|ES|EES)\b", re.MULTILINE),
    # Anywhere: "vote : adopté à l'unanimité".
    re.compile(r"\b(?P<o>adopt|rejet)\w*\s+(?:à|a)\s+l['’]unanimit", re.IGNORECASE),
)


def first_match(
    patterns: Iterable[re.Pattern[str]], text: str, start: int
) -> tuple[int, str] | None:
    matches = [m for p in patterns if (m := p.search(text, start))]
    if not matches:
        return None
    first = min(matches, key=lambda m: m.start())
    return first.start(), first["o"]


@dataclass(frozen=True)
class Votes:
    counts: dict[str, int | None]
    positions: tuple[int, ...]
    voters: int | None
    expressed: int | None
    unanimous: bool


def votes(norm: str, after_decide: int) -> Votes:
    """The first vote count of each kind after the decision.

    Some authorities print the counts in the header instead: when none follows the decision,
    the whole text is searched.
    """
    counts: dict[str, int | None] = {}
    positions: list[int] = []
    start = after_decide
    if not any(p.search(norm, after_decide) for ps in _VOTE_PATTERNS.values() for p in ps):
        start = 0
    for kind, patterns in _VOTE_PATTERNS.items():
        # "Contre : 12" is preferred to "12 voix contre" wherever each stands.
        first = next((m for p in patterns if (m := p.search(norm, start))), None)
        counts[kind] = int(first["n"]) if first else None
        if first:
            positions.append(first.start())
    voters = _VOTERS.search(norm)
    expressed = _EXPRESSED.search(norm)
    positions += [m.start() for m in (voters, expressed) if m and m.start() >= after_decide]
    return Votes(
        counts=counts,
        positions=tuple(positions),
        voters=int(voters["n"]) if voters else None,
        expressed=int(expressed["n"]) if expressed else None,
        unanimous=bool(_UNANIMITY.search(norm, after_decide)),
    )


def check_votes(votes: Votes, outcome: Outcome | None, warnings: list[str]) -> None:
    counts = votes.counts
    missing = [VOTE_WORDS[kind] for kind, n in counts.items() if n is None]
    if len(missing) == len(counts):
        warnings.append(MSG_UNANIMITY_NO_COUNT if votes.unanimous else MSG_NO_VOTES)
        return
    if missing:
        warnings.append(MSG_MISSING_VOTES.format(missing=", ".join(missing)))
    for_, against, abstentions = counts["for"], counts["against"], counts["abstentions"]
    if votes.unanimous and against:
        warnings.append(MSG_UNANIMITY_AGAINST.format(against=against))
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
    if for_ is not None and against is not None:
        if votes.expressed is not None and for_ + against != votes.expressed:
            warnings.append(
                MSG_EXPRESSED_MISMATCH.format(
                    for_=for_, against=against, total=for_ + against, expressed=votes.expressed
                )
            )
        if (outcome == "adopted" and for_ <= against) or (outcome == "rejected" and for_ > against):
            warnings.append(
                MSG_OUTCOME_VS_VOTES.format(
                    outcome=OUTCOME_WORDS[outcome], for_=for_, against=against
                )
            )
