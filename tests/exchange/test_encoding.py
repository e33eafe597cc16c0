"""One rule for what a file's bytes mean: UTF-8, else Windows-1252, but a damaged UTF-8 file is
refused where it is damaged instead of being read with every accent garbled, and UTF-16 is
named, with or without its BOM."""

import pytest

from spend.exchange.encoding import decode_bytes, utf16_encoding

TEXT = "body_id;name\nB1;Société générale « Régie »\nB2;Été\n"


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        pytest.param(TEXT.encode(), "UTF-8", id="UTF-8"),
        pytest.param(("\ufeff" + TEXT).encode(), "UTF-8", id="UTF-8 with BOM"),
        pytest.param(TEXT.encode("cp1252"), "Windows-1252", id="Windows-1252"),
        pytest.param(b"plain ascii\n", "UTF-8", id="ASCII"),
    ],
)
def test_readable_files_give_their_text(content: bytes, encoding: str) -> None:
    decoded = decode_bytes(content)
    assert decoded.encoding == encoding
    assert decoded.text is not None
    assert decoded.text.removeprefix("\ufeff") in (TEXT, "plain ascii\n")


def test_a_stray_windows_1252_byte_in_utf8_is_located_not_garbled() -> None:
    content = TEXT.encode().replace("Été".encode(), b"\xc9t\xc3\xa9")
    decoded = decode_bytes(content)
    assert decoded.text is None
    assert (decoded.line, decoded.offset) == (3, content.index(b"\xc9"))
    assert decoded.problem is not None
    assert decoded.problem.startswith("octet 0xC9 invalide en UTF-8 (caractère 4 de la ligne)")


def test_one_valid_sequence_against_one_bad_byte_is_damaged_utf8() -> None:
    """A tie is refused: refusing can be fixed by saving again, garbling is silent."""
    decoded = decode_bytes("é".encode() + b" \xe9")
    assert decoded.text is None
    assert decoded.line == 1


def test_windows_1252_with_a_chance_valid_sequence_stays_windows_1252() -> None:
    # « adopté » + no-break space + « » » is E9 A0 BB: valid UTF-8 by chance.
    text = "adopté\u00a0» par la Régie, à l'unanimité"
    decoded = decode_bytes(text.encode("cp1252"))
    assert (decoded.encoding, decoded.text) == ("Windows-1252", text)


def test_bytes_windows_1252_leaves_undefined_are_neither() -> None:
    decoded = decode_bytes(b"abc \x81\x8d")
    assert decoded.text is None
    assert decoded.problem == "fichier illisible : ni UTF-8 ni Windows-1252 (fichier binaire ?)"


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("utf-16", "UTF-16 LE"),
        ("utf-16-le", "UTF-16 LE (sans BOM)"),
        ("utf-16-be", "UTF-16 BE (sans BOM)"),
    ],
)
def test_utf16_is_named_with_or_without_its_bom(encoding: str, name: str) -> None:
    content = TEXT.encode(encoding)
    assert utf16_encoding(content) == name
    decoded = decode_bytes(content)
    assert decoded.text is None
    assert decoded.problem is not None and name in decoded.problem


@pytest.mark.parametrize(
    "content",
    [TEXT.encode().replace(b"B2", b"B\x002"), bytes(1000), b"\x00\x01" * 10 + b"\x00" * 10],
    ids=["a stray NUL", "all NUL", "NULs on both sides"],
)
def test_nul_bytes_alone_do_not_make_utf16(content: bytes) -> None:
    assert utf16_encoding(content) is None
