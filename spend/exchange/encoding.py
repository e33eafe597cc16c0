"""Bytes to text as users' files come: UTF-8 (with or without BOM), else Windows-1252.

French Excel saves « CSV (séparateur point-virgule) » in Windows-1252 and « CSV UTF-8 » with a
BOM; both are read. Every file read from a user goes through here (the exchange files and the
deliberations' text), so that one rule decides what a file's bytes mean:

- UTF-16, with a BOM or recognised by its NUL bytes (every other byte of a Latin text), is named
  and refused: Excel's « Texte Unicode » is neither of the formats the readers take.
- Bytes that are all valid UTF-8 are UTF-8.
- Bytes that are mostly valid UTF-8 (a BOM, or at least as many valid multi-byte sequences as
  invalid ones) are a damaged UTF-8 file: a stray Windows-1252 « é » pasted into a UTF-8 file.
  Reading it as Windows-1252 would garble every other accent without a word, so it is refused
  with the line and character of its first bad byte.
- Anything else with bytes above 0x7F is Windows-1252, unless a byte is one that Windows-1252
  leaves undefined (a binary file).
"""

import re
from dataclasses import dataclass

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = {b"\xff\xfe": "UTF-16 LE", b"\xfe\xff": "UTF-16 BE"}
# A valid UTF-8 sequence of two to four bytes (RFC 3629: no overlong form, no surrogate).
UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
UTF16_SAMPLE = 4096  # bytes looked at to recognise UTF-16 without a BOM

# What the readers say, in French, completed by the caller with the file's name or place.
UTF16_REFUSED = (
    "fichier en {encoding} (« Texte Unicode » d'Excel) : enregistrez-le en CSV UTF-8 "
    "ou CSV (séparateur point-virgule)"
)
NEITHER = "fichier illisible : ni UTF-8 ni Windows-1252 (fichier binaire ?)"
DAMAGED_UTF8 = (
    "octet 0x{byte:02X} invalide en UTF-8 (caractère {character} de la ligne{others}) : "
    "le fichier mêle UTF-8 et un autre encodage (Windows-1252 ?) ; enregistrez le fichier "
    "en UTF-8"
)


@dataclass(frozen=True)
class Decoded:
    """A file's text, or why it has none: a French explanation and, for a damaged UTF-8 file,
    where its first bad byte is (0-based offset, 1-based line as an editor counts them)."""

    text: str | None
    encoding: str | None = None  # "UTF-8", "Windows-1252", "UTF-16 LE", "UTF-16 BE"
    problem: str | None = None
    offset: int | None = None
    line: int | None = None


def utf16_encoding(content: bytes) -> str | None:
    """« UTF-16 LE » or « UTF-16 BE » when the bytes are UTF-16, with or without a BOM."""
    for bom, name in UTF16_BOMS.items():
        if content.startswith(bom):
            return name
    sample = content[: UTF16_SAMPLE - UTF16_SAMPLE % 2]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    # Latin text in UTF-16 has a NUL in nearly every pair, always on the same side; a text
    # file with a stray NUL, or a binary file with NULs everywhere, does not.
    if odd >= pairs * 0.3 and even <= pairs * 0.02:
        return "UTF-16 LE (sans BOM)"
    if even >= pairs * 0.3 and odd <= pairs * 0.02:
        return "UTF-16 BE (sans BOM)"
    return None


def decode_bytes(content: bytes) -> Decoded:
    """The text of a user's file by the rule of this module's docstring."""
    utf16 = utf16_encoding(content)
    if utf16 is not None:
        return Decoded(None, utf16, UTF16_REFUSED.format(encoding=utf16))
    start = len(UTF8_BOM) if content.startswith(UTF8_BOM) else 0
    try:
        return Decoded(content[start:].decode("utf-8"), "UTF-8")
    except UnicodeDecodeError as error:
        first_bad = start + error.start
    replaced = content[start:].decode("utf-8", errors="replace")
    invalid = replaced.count("\ufffd") - content.count("\ufffd".encode())
    valid = len(UTF8_MULTIBYTE.findall(content))
    if start or valid >= invalid:
        return _damaged_utf8(content, first_bad, invalid)
    try:
        return Decoded(content.decode("cp1252"), "Windows-1252")
    except UnicodeDecodeError:
        return Decoded(None, None, NEITHER)


def _damaged_utf8(content: bytes, offset: int, invalid: int) -> Decoded:
    line_start = content.rfind(b"\n", 0, offset) + 1
    if line_start == 0 and content.startswith(UTF8_BOM):
        line_start = len(UTF8_BOM)
    character = len(content[line_start:offset].decode("utf-8", errors="replace")) + 1
    others = f", {invalid - 1} autre(s) plus loin" if invalid > 1 else ""
    message = DAMAGED_UTF8.format(byte=content[offset], character=character, others=others)
    line = content.count(b"\n", 0, offset) + 1
    return Decoded(None, "UTF-8", message, offset, line)
