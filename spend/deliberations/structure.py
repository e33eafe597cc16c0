"""The parts French deliberations share, located in the normalised text.

Whatever the authority, a deliberation runs: heading (authority, assembly, meeting, number,
object) → recitals (« Vu », « Considérant ») → « Après en avoir délibéré » → operative part
(« DÉCIDE », « APPROUVE », « AUTORISE », articles) → vote and outcome → signature; annexes and
the report to the assembly may follow. Each reader of a field looks in its part only.

Every pattern here is searched once over the text (or a bounded window of it): locating the
parts is linear in the text's length.
"""

import bisect
import re
from dataclasses import dataclass

from spend.deliberations.text import Text, Window

# Patterns on the lowercase text (`text.lowered`) are case-sensitive and begin with a word
# where they can: the regex engine then skips to that word as fast as str.find.

# The heading ends where the recitals or the decision begin. It is never longer than this:
# a text without recitals is not read as one long heading.
HEADING_END = re.compile(
    r"^(?:vu\b|consid[ée]rant\b|attendu\b|apr[èe]s\sen\savoir\sd[ée]lib[ée]r[ée]|d[ée]cide\b)",
    re.MULTILINE,
)
HEADING_MAX_CHARS = 15_000
_DELIBERATED = re.compile(r"apr[èe]s\sen\savoir\sd[ée]lib[ée]r[ée]")
# Patterns said to stand at the start of a line are searched with `text.at_line_starts`.
# The operative verb: « DÉCIDE : », « DECIDE », « APPROUVE » in capitals at the start of a line
# (on the text as written), « décide » at the start of a line or « décide : » / « délibère : »
# anywhere (on the lowercase text).
_DECIDE_CAPITALS = re.compile(
    r"(?:D[ÉE]CIDE|APPROUVE|AUTORISE|ADOPTE|ARR[ÊE]TE|D[ÉE]LIB[ÈE]RE|REJETTE)\b(?: ?:)?"
)
_BULLET = re.compile(r"[-–•]? ?")
_DECIDE_LINE = re.compile(r"d[ée]cide\b(?: ?:)?")
_DECIDE_COLON = re.compile(r"(?:d[ée]cide|d[ée]lib[èe]re|approuve|autorise) ?:")
# Where the deliberation proper ends: the first annex or report after the decision, at the
# start of a line.
_ANNEX = re.compile(r"(?:RAPPORT|ANNEXE|CONVENTION|EXPOS[ÉE] DES MOTIFS|NOTE DE SYNTH[ÈE]SE)\b")
_REPORT = re.compile(r"RAPPORT\b")
# « Vu … ; », « Considérant que … ; » at the start of a line: cited texts, earlier decisions,
# other meetings.
_RECITAL = re.compile(r"(?:(?P<citation>vu)|consid[ée]rant|attendu)\b")
_RECITAL_END = re.compile(
    r"[;.](?=\n|$)|\n(?=(?:vu|consid[ée]rant|attendu|apr[èe]s|d[ée]cide|article)\b)"
)
_RECITAL_MAX_CHARS = 800
# Recitals beyond this number (a text made of nothing else) are not located one by one.
_RECITALS_MAX = 2_000


@dataclass(frozen=True)
class Structure:
    """Positions of the parts in the normalised text."""

    text: Text
    heading_end: int
    # Start of the line « Après en avoir délibéré » or of the operative verb, if any.
    decision_start: int | None
    # Just after the operative verb: where the articles begin (0 without a decision).
    operative_start: int
    # End of the deliberation proper: the first annex or report after the decision.
    body_end: int
    report_start: int
    recitals: tuple[tuple[int, int], ...]
    # The « Vu » recitals only: texts and decisions cited, none of them this one.
    citations: tuple[tuple[int, int], ...]
    decide_found: bool

    def in_recital(self, position: int) -> bool:
        index = bisect.bisect_right(self.recitals, position, key=lambda span: span[0]) - 1
        return index >= 0 and position < self.recitals[index][1]

    @property
    def heading(self) -> Window:
        return self.text.window(0, self.heading_end)

    @property
    def decision(self) -> Window | None:
        """The operative part, up to the end of the deliberation proper; None without one."""
        if self.decision_start is None:
            return None
        return self.text.window(self.operative_start, self.body_end)

    @property
    def vote_part(self) -> Window:
        """Where the vote is written: from the decision to the end of the deliberation proper,
        or the whole text when it has no decision."""
        if self.decision_start is None:
            return self.text.window()
        return self.text.window(self.decision_start, self.body_end)


def structure(text: Text) -> Structure:
    """The parts of a normalised text."""
    whole = text.window()
    heading_match = text.window(0, HEADING_MAX_CHARS).search(HEADING_END, low=True)
    heading_end = heading_match.start() if heading_match else min(len(text), HEADING_MAX_CHARS)
    deliberated = whole.search(_DELIBERATED, low=True)
    decide = _first(
        [
            whole.first_at_line_start(_DECIDE_CAPITALS, _BULLET),
            whole.first_at_line_start(_DECIDE_LINE, low=True),
            whole.search(_DECIDE_COLON, low=True),
        ]
    )
    if deliberated is not None and decide is not None and deliberated.start() > decide.start():
        deliberated = None
    starts = [m.start() for m in (deliberated, decide) if m is not None]
    decision_start = text.line_start(min(starts)) if starts else None
    if decide is not None:
        operative_start = decide.end()
    elif deliberated is not None:
        operative_start = deliberated.end()
    else:
        operative_start = 0
    annex = None
    if decision_start is not None:
        annex = text.window(operative_start).first_at_line_start(_ANNEX)
    report = whole.first_at_line_start(_REPORT)
    recitals = _recitals(whole)
    return Structure(
        text=text,
        heading_end=heading_end,
        decision_start=decision_start,
        operative_start=operative_start,
        body_end=annex.start() if annex else len(text),
        report_start=report.start() if report else len(text),
        recitals=tuple(span for span, _ in recitals),
        citations=tuple(span for span, citation in recitals if citation),
        decide_found=decide is not None,
    )


def _first(matches: list[re.Match[str] | None]) -> re.Match[str] | None:
    found = [m for m in matches if m is not None]
    return min(found, key=lambda m: m.start()) if found else None


def _recitals(whole: Window) -> list[tuple[tuple[int, int], bool]]:
    """Each recital's span, and whether it is a « Vu »."""
    spans: list[tuple[tuple[int, int], bool]] = []
    for match in whole.at_line_starts(_RECITAL, low=True):
        if len(spans) == _RECITALS_MAX:
            break
        recital = whole.text.window(match.end(), match.start() + _RECITAL_MAX_CHARS)
        window_end = recital.end
        end = recital.search(_RECITAL_END, low=True)
        spans.append(((match.start(), end.end() if end else window_end), bool(match["citation"])))
    return spans
