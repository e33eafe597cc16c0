"""`inert`, what every stored or address-given text goes through before a Markdown element: no
link (written, bare, www., e-mail), image, HTML or directive survives it, and the reader still
sees the text as written (tests/browser/test_local_only.py checks it in chromium)."""

import re

import pytest

from spend.views.formatting import WORD_JOINER, inert

# GitHub Markdown's bare-link patterns, as Streamlit's renderer applies them to the text once
# the escapes are undone (its StreamlitMarkdown bundle).
BARE_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE)
BARE_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")


def _as_read(text: str) -> str:
    """The text Markdown hands to its bare-link finder: escapes undone."""
    return re.sub(r"\\(.)", r"\1", text)


@pytest.mark.parametrize(
    "hostile",
    [
        "https://evil.example/x",
        "HTTP://EVIL.EXAMPLE",
        "voir www.evil.example/page",
        "WWW.EVIL.EXAMPLE",
        "agent@evil.example",
        "mailto:agent@evil.example",
        "ftp://evil.example",
        "![i](https://evil.example/t.png)",
        "<https://evil.example/a>",
    ],
)
def test_no_bare_link_survives(hostile: str) -> None:
    read = _as_read(inert(hostile))
    assert not BARE_URL.search(read), read
    assert not BARE_EMAIL.search(read), read
    # The reader sees the same characters, the invisible joiner aside.
    assert read.replace(WORD_JOINER, "") == hostile


@pytest.mark.parametrize(
    "hostile",
    [
        "[B](https://evil.example)",
        "![i](https://evil.example/t.png)",
        '<img src="https://evil.example/t.png">',
        "<a href=x>y</a>",
        "&lt;img src=x&gt;",
        ":red[rouge] :material/home: $x^2$ **gras** _it_ `code` ~~barré~~ # titre",
    ],
)
def test_every_markdown_character_is_escaped(hostile: str) -> None:
    shown = inert(hostile)
    # No Markdown or HTML character is left unescaped.
    assert not re.search(r"(?<!\\)[\[\]()<>!*_`~$:&#]", shown), shown


def test_line_breaks_do_not_start_a_block() -> None:
    assert "\n" not in inert("ligne\n# titre\r\n- puce")
