"""What a workbook's shared strings would expand to, measured before the workbook is parsed.

An .xlsx keeps each distinct text once (xl/sharedStrings.xml) and its cells point at it by
number (`<c t="s"><v>7</v></c>`): 20 000 cells pointing at one text of 200 000 characters make
a 52 KB file that a reader expands to gigabytes. The expansion is the sum, over the cells that
point at a shared string, of that string's length; it is computed from the parts' XML (the
strings' lengths, then the references of every sheet) and bounded like a CSV file's size.
"""

import re
from array import array

# A shared-string table's items, and the text runs inside one (rich text has several).
_ITEM = re.compile(rb"<(?:[\w.-]+:)?si(?:\s[^>]*)?(?:/>|>(.*?)</(?:[\w.-]+:)?si>)", re.S)
_TAG = re.compile(rb"<[^>]*>")
# A cell whose type is a shared string (`t="s"`), and the number its value gives; quotes are
# made double and spaces plain before the search (as `xlsx._SCANNED` does).
_REFERENCE = re.compile(rb'\st *= *"s"[^>]*>\s*<(?:[\w.-]+:)?v(?:\s[^>]*)?>\s*(\d{1,10})\s*<')


def is_shared_strings(xml: bytes) -> bool:
    """The part is a shared-string table (`<sst`), whatever it is named."""
    return re.search(rb"<(?:[\w.-]+:)?sst[\s>]", xml[:4096]) is not None


def shared_string_lengths(xml: bytes) -> array:
    """Each shared string's length in bytes of text (tags left out), in order."""
    lengths = array("q")
    for item in _ITEM.finditer(xml):
        body = item.group(1) or b""
        lengths.append(len(body) - sum(len(tag) for tag in _TAG.findall(body)))
    return lengths


def shared_string_references(xml: bytes) -> array:
    """The shared-string numbers a sheet's cells point at, one per cell (repeats kept)."""
    return array("q", (int(found.group(1)) for found in _REFERENCE.finditer(xml)))


def expansion(lengths: array, references: list[array]) -> int:
    """The bytes of text the sheets' shared-string cells expand to (a number past the table
    points at nothing: the reader says that sheet is unreadable)."""
    count = len(lengths)
    return sum(lengths[n] for refs in references for n in refs if n < count)
