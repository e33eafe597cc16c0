"""Each value of a reading with the line it was read from and how sure the reading is."""

from collections.abc import Mapping, Sequence
from typing import Any

from spend.deliberations.model import Confidence, Evidence, FieldEvidence, Found
from spend.deliberations.text import LINE_WINDOW, Text


def field_evidence(
    text: Text, located: Mapping[str, Found[Any]], fields: Sequence[str]
) -> tuple[FieldEvidence, ...]:
    """The evidence of each field, in the order given; a field not located is missing."""
    lines = evidences(text, located)
    return tuple(
        FieldEvidence(field, lines[field], located[field].confidence)
        if field in located
        else FieldEvidence(field, None, Confidence.MISSING)
        for field in fields
    )


def evidences(text: Text, located: Mapping[str, Found[Any]]) -> dict[str, Evidence]:
    """The line (numbered from 1) and the words of each value found, in one pass over the text.

    Line numbers are counted between successive positions in order, so the text is walked
    once whatever the number of values.
    """
    norm = text.norm
    found: dict[str, Evidence] = {}
    position, line_number = 0, 1
    for key, value in sorted(located.items(), key=lambda item: (item[1].start, item[1].end)):
        start, end = value.start, value.end
        line_number += norm.count("\n", position, start)
        position = start
        line = text.line_at(start)
        found[key] = Evidence(
            line_number=line_number,
            line=line.raw,
            source=norm[start : min(end, start + LINE_WINDOW)],
        )
    return found
