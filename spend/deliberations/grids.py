"""Fee grids: where a text prints one (a heading line, « Grille tarifaire », « Barème des
cotisations », and its rows, each a category and its amount), and the category a row prices.

A grid's rows are other categories' fees, kept apart from the authority's own (`fees`)."""

import re

from spend.deliberations.text import Text, Window, collapsed

_GRIDS_MAX = 200
_ROW_CHARS = 300

# A fee grid: a line that names one (« Grille tarifaire », « Barème des cotisations »,
# « Tarifs 2024 : ») and the rows under it, each a category and its amount.
_GRID_HEADING = re.compile(
    r"(?:grille\s(?:tarifaire|des\s(?:cotisations|tarifs))|bar[èe]me|tarifs?\b|tarification)"
)
_GRID_ROW_AMOUNT = re.compile(r"\d(?:[\d .]*\d)?(?:,\d{1,2})?\s?(?:€|euros?\b)|\d,\d\d\b")
_GRID_LINES_MAX = 40
GRID_HEADING_CHARS = 200
_GRID_GAP_LINES = 2
_GRID_LINE_CHARS = 160


def grid_spans(text: Text) -> tuple[tuple[int, int], ...]:
    """Where the fee grids stand: each grid's heading line and its rows. A row of a grid is
    a category's fee, not this authority's: it is kept apart."""
    low = text.low
    spans: list[tuple[int, int]] = []
    headings = text.window().at_line_starts(_GRID_HEADING, _GRID_PREFIX, low=True)
    for count, heading in enumerate(headings):
        if count == _GRIDS_MAX:
            break
        if spans and heading.start() < spans[-1][1]:
            continue
        line_end = low.find("\n", heading.start())
        if line_end < 0:
            break
        end, gap, position = line_end, 0, line_end + 1
        for _ in range(_GRID_LINES_MAX):
            next_end = low.find("\n", position)
            next_end = len(low) if next_end < 0 else next_end
            line = low[position:next_end]
            if len(line) > _GRID_LINE_CHARS or line.startswith(("article", "vu ", "décide")):
                break
            if _GRID_ROW_AMOUNT.search(line):
                end, gap = next_end, 0
            else:
                gap += 1
                if gap > _GRID_GAP_LINES:
                    break
            if next_end >= len(low):
                break
            position = next_end + 1
        if end > line_end:
            spans.append((heading.start(), end))
    return tuple(spans)


_GRID_PREFIX = re.compile(r"(?:[-–•|] ?|annexe\s?\d*\s?[:–-]\s?)?")


_AMOUNT_IN_ROW = re.compile(r"\d[\d .,\u00a0\u202f]*\s?(?:€|euros?\b)\s?(?:ht\b|ttc\b)?", re.I)


def grid_category(row: Window) -> str:
    """The category a grid's amount prices: the row's words before it (the window, from the
    row's start to the amount; other amounts of the row left out), else the line above (a
    category written over its amounts)."""
    norm, line_start, start = row.text.norm, row.start, row.end
    words = _AMOUNT_IN_ROW.sub(" ", norm[line_start:start].replace("|", " "))
    category = collapsed(words).strip(" :–-")
    if not category and line_start > 0:
        above_start = norm.rfind("\n", max(0, line_start - _ROW_CHARS), line_start - 1) + 1
        above = _AMOUNT_IN_ROW.sub(" ", norm[above_start : line_start - 1].replace("|", " "))
        category = collapsed(above).strip(" :–-")
    return category or "—"


# The words a grid's category uses for each kind of authority (its first word, lowercase).
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "commune": ("commune",),
    "ville": ("commune", "ville"),
    "département": ("département", "departement", "conseil départemental"),
    "région": ("région", "region"),
    "communauté": ("communauté", "epci", "intercommunalit"),
    "métropole": ("métropole", "epci"),
    "syndicat": ("syndicat",),
    "centre": ("centre hospitalier", "établissement", "hôpita", "hospital"),
    "ehpad": ("ehpad", "médico", "établissement"),
    "service": ("sdis", "service départemental", "établissement"),
}
