"""The text every reader shares: normalised the same way whatever its source, lowercase position
for position."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from spend.deliberations.text import at_line_starts, lowered, normalised

_SPACES_AND_BREAKS = list(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029\u00a0\u202f\u2009\u3000")


def _line_by_line(text: str) -> str:
    """The definition: invisible characters dropped, each line's spaces collapsed and trimmed,
    blank lines dropped."""
    text = re.sub("[\u00ad\u200b\u200c\u200d\u2060\ufeff]", "", text)
    lines = (re.sub(r"\s+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


@settings(max_examples=500)
@given(
    st.one_of(
        st.text(),
        st.text(alphabet=st.sampled_from([*_SPACES_AND_BREAKS, "a", "é", "\u200b", "\ufeff"])),
    )
)
def test_normalised_text_is_the_line_by_line_definition(text: str) -> None:
    assert normalised(text) == _line_by_line(text)


@given(st.text())
def test_lowercase_text_keeps_every_position(text: str) -> None:
    low = lowered(text)

    assert len(low) == len(text)
    assert low == text.replace("\u0130", "i").lower()


def test_line_start_search_takes_prefixes_and_skips_the_middle_of_lines() -> None:
    text = "Adopté.\nLe texte est adopté.\n- ADOPTE\nLa délibération est adoptée."
    words = re.compile(r"adopt", re.IGNORECASE)
    bullets = re.compile(r"[- ]*")

    assert [m.start() for m in at_line_starts(words, text)] == [0]
    assert [m.start() for m in at_line_starts(words, text, prefix=bullets)] == [0, 31]
