"""A stored table edited on screen, a page at a time: what the editor shows, and what a save
sends: only the rows the manager added, changed or took out, compared with the page as it was
loaded. A row another manager changed meanwhile is then left alone (or, when the manager
changed it too, the save is refused by the store)."""

from dataclasses import dataclass

import polars as pl

from spend.domain.records import Table
from spend.exchange.exports import text_frame
from spend.exchange.reading import LINE, RawTable, raw_table_from_frame

EDIT_ROWS = 500  # rows of one page of the editor


@dataclass(frozen=True)
class EditPage:
    rows: pl.DataFrame  # the page's rows as text, in the words and formats a manager types
    keys: pl.DataFrame  # the keys of the stored rows the page holds, row for row
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
    keys = stored.select(table.key)[shown["_row"]]
    return EditPage(shown.drop("_row"), keys, matches.height, pages)


@dataclass(frozen=True)
class PageChanges:
    raw: RawTable  # the rows added or changed, numbered as the editor shows them (from 1)
    removed: pl.DataFrame  # keys of the loaded rows taken out or changed (typed as stored)

    @property
    def empty(self) -> bool:
        return self.raw.rows.is_empty() and self.removed.is_empty()


def page_changes(page: EditPage, table: Table, edited: pl.DataFrame, file: str) -> PageChanges:
    """What a save of the edited page sends: the rows whose text differs from every loaded
    row's, and the keys of the loaded rows no longer on the page as they were."""
    raw = raw_table_from_frame(file, table, edited)  # lines as the editor counts its rows
    columns = [c for c in table.column_names if c in raw.rows.columns]
    loaded = _texts(page.rows, columns)
    now = _texts(raw.rows, columns)
    changed = raw.rows.filter(~_found_in(now, loaded))
    removed = page.keys.filter(~_found_in(loaded, now))
    return PageChanges(RawTable(table, file, changed.select(*columns, LINE)), removed)


def _texts(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    return frame.select(pl.col(c).cast(pl.String).fill_null("") for c in columns)


def _found_in(rows: pl.DataFrame, others: pl.DataFrame) -> pl.Series:
    """For each row, whether a row of `others` holds the same texts."""
    known = others.unique().with_columns(pl.lit(True).alias("_found"))
    return rows.join(known, on=rows.columns, how="left", maintain_order="left")[
        "_found"
    ].is_not_null()
