"""A row's key as the journal stores it (a JSON array of the key's values) and as a person
reads it: « C06-020M02 / 6281/930202 / 2022 / BP »."""

import json

KEY_SEPARATOR = " / "  # between a key's values, as shown (never as stored)


def key_values(key: str | None) -> list[object] | None:
    """The values of a stored key, or None when it is not a JSON array (kept as written)."""
    if key is None:
        return []
    try:
        values = json.loads(key)
    except ValueError:
        return None
    return values if isinstance(values, list) else None


def readable_key(key: str | None) -> str:
    """A stored key as a person reads it; a key that is not an array, as it was stored."""
    values = key_values(key)
    if values is None:
        return key or ""
    return KEY_SEPARATOR.join("" if v is None else str(v) for v in values)
