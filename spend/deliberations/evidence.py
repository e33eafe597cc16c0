"""Each value of a reading with the line it was read from and how sure the reading is."""

from collections.abc import Sequence

from spend.deliberations.model import Confidence, Evidence, FieldEvidence
from spend.deliberations.text import LINE_WINDOW, line_bounds

Span = tuple[int, int]


def field_evidence(
    norm: str, located: dict[str, tuple[Span, Confidence]], fields: Sequence[str]
) -> tuple[FieldEvidence, ...]:
    """The evidence of each field, in the order given; a field not located is missing."""
    lines = evidences(norm, {field: span for field, (span, _) in located.items()})
    return tuple(
        FieldEvidence(field, lines[field], located[field][1])
        if field in located
        else FieldEvidence(field, None, Confidence.MISSING)
        for field in fields
    )


def evidences(text: str, spans: dict[str, Span]) -> dict[str, Evidence]:
    """The line (numbered from 1) and the words of each span, in one pass over the text.

    Line numbers are counted between successive positions in order, so the text is walked
    once whatever the number of spans.
    """
    found: dict[str, Evidence] = {}
    position, line_number = 0, 1
    for key, (start, end) in sorted(spans.items(), key=lambda item: item[1]):
        line_number += text.count("\n", position, start)
        position = start
        line_start, line_end = line_bounds(text, start)
        found[key] = Evidence(
            line_number=line_number,
            line=text[line_start:line_end],
            source=text[start : min(end, start + LINE_WINDOW)],
        )
    return found
