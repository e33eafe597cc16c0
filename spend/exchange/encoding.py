"""Bytes to text as users' files come: UTF-8 (with or without BOM), else Windows-1252.

French Excel saves « CSV (séparateur point-virgule) » in Windows-1252 and « CSV UTF-8 » with a
BOM; both are read. Every file read from a user goes through here.
"""

ENCODINGS = ("utf-8-sig", "cp1252")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_text(content: bytes) -> str | None:
    """The text in the first encoding that reads every byte, or None."""
    for encoding in ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def is_utf16(content: bytes) -> bool:
    """Excel's « Texte Unicode » (UTF-16 with its BOM), which the readers do not take."""
    return content[:2] in UTF16_BOMS
