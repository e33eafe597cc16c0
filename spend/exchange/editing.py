"""A stored table edited on screen, a page at a time: what the editor shows, and which stored
rows a save replaces (those the page held), so that a large table is never sent whole."""

from dataclasses import dataclass

import polars as pl

from spend.domain.records import Table
from spend.exchange.exports import text_frame

EDIT_ROWS = 500  # rows of one page of the editor


@dataclass(frozen=True)
class EditPage:
    rows: pl.DataFrame  # the page's rows as text, in the words and formats a manager types
    keys: pl.DataFrame  # the keys of the stored rows the page holds: a save replaces them
    matching: int  # rows that match the search, over every page
    pages: int


def edit_page(stored: pl.DataFrame, table: Table, search: str, page: int) -> EditPage:
    """Page `page` (from 1) of the stored rows whose text contains `search` (any case)."""
    text = text_frame(stored, "excel_fr", table).fill_null("")
    if search.strip():
        haystack = pl.concat_str(pl.all(), separator=" ").str.to_lowercase()
        keep = haystack.str.contains(search.strip().lower(), literal=True)
        matches = text.with_row_index("_row").filter(keep)
    else:
        matches = text.with_row_index("_row")
    pages = max(1, -(-matches.height // EDIT_ROWS))
    page = min(max(page, 1), pages)
    shown = matches.slice((page - 1) * EDIT_ROWS, EDIT_ROWS)
    keys = stored.with_row_index("_row").join(shown.select("_row"), on="_row").select(table.key)
    return EditPage(shown.drop("_row"), keys, matches.height, pages)
