"""Files handed to users: CSV in the exchange format, CSV for French Excel, and XLSX workbooks.

Text cells that a spreadsheet would run as a formula (=, +, -, @ first) are neutralised with a
leading apostrophe in CSV and stored as quoted text in XLSX; numbers stay numbers.
"""

import io
import re
from collections.abc import Mapping
from typing import Literal

import polars as pl
import xlsxwriter

from spend.domain.records import Table

Dialect = Literal["standard", "excel_fr"]
# A spreadsheet runs a cell that begins with one of these as a formula (CSV injection).
FORMULA_CHARS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_START = "^[" + "".join(re.escape(c) for c in FORMULA_CHARS) + "]"


def starts_like_formula(text: str) -> bool:
    return text[:1] in FORMULA_CHARS


def neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix an apostrophe to text cells that begin like a formula."""
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(FORMULA_START))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c, dtype in frame.schema.items()
        if dtype == pl.String
    )


def in_words(frame: pl.DataFrame, table: Table) -> pl.DataFrame:
    """Coded cells as the French words the pages show (« signée », « net de taxes »): what a
    manager reads and types, and what the import reads back."""
    return frame.with_columns(
        pl.col(c.name).replace_strict(c.labels, default=pl.col(c.name)).alias(c.name)
        for c in table.columns
        if c.codes and c.name in frame.columns
    )


def text_frame(frame: pl.DataFrame, dialect: Dialect, table: Table | None = None) -> pl.DataFrame:
    """Every cell as the text a CSV file holds in that dialect; blank for unknown.

    In the Excel dialect, with the table described, codes are written as French words and an
    empty cell that means something says so (« sur devis »).
    """
    french = dialect == "excel_fr"
    if french and table is not None:
        frame = in_words(frame, table)
    columns = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.Decimal):
            text = column.cast(pl.String)
            columns.append(text.str.replace(".", ",", literal=True) if french else text)
        elif dtype == pl.Date:
            columns.append(column.dt.strftime("%d/%m/%Y" if french else "%Y-%m-%d"))
        elif dtype == pl.Boolean and french:
            columns.append(pl.when(column).then(pl.lit("oui")).when(~column).then(pl.lit("non")))
        else:
            columns.append(column.cast(pl.String))
    text = frame.select(c.alias(n) for c, n in zip(columns, frame.columns, strict=True))
    if french and table is not None:
        text = text.with_columns(
            pl.col(c.name).fill_null(c.blank_means).alias(c.name)
            for c in table.columns
            if c.blank_means and c.name in text.columns
        )
    return text


def csv_bytes(
    frame: pl.DataFrame,
    dialect: Dialect,
    headers: Mapping[str, str] | None = None,
    table: Table | None = None,
) -> bytes:
    """A CSV file's bytes: 'standard' is the re-importable exchange format (',', '.', UTF-8);
    'excel_fr' opens in French Excel as it is (';', decimal comma, UTF-8 BOM, French headers,
    French words for the codes of `table`)."""
    text = text_frame(neutralise(frame), dialect, table)
    if dialect == "excel_fr":
        if headers:
            text = text.rename({c: headers.get(c, c) for c in text.columns})
        return text.write_csv(separator=";", include_bom=True).encode("utf-8")
    return text.write_csv(separator=",").encode("utf-8")


def xlsx_bytes(
    sheets: Mapping[str, pl.DataFrame], headers: Mapping[str, str] | None = None
) -> bytes:
    """A workbook with one sheet per frame: numbers as numbers, dates as dates, French headers."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        bold = book.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1})
        money = book.add_format({"num_format": "#,##0.00"})
        day = book.add_format({"num_format": "dd/mm/yyyy"})
        quoted = book.add_format({"quote_prefix": True})
        for sheet_name, frame in sheets.items():
            sheet = book.add_worksheet(sheet_name[:31])
            labels = [headers.get(c, c) if headers else c for c in frame.columns]
            for col, label in enumerate(labels):
                sheet.write_string(0, col, label, bold)
                sheet.set_column(col, col, max(12, min(60, len(label) + 4)))
            for col, (name, dtype) in enumerate(frame.schema.items()):
                _write_column(sheet, col, frame[name], dtype, money, day, quoted)
            sheet.freeze_panes(1, 0)
            if frame.width:
                sheet.autofilter(0, 0, max(frame.height, 1), frame.width - 1)
    return buffer.getvalue()


def _write_column(sheet, col, series, dtype, money, day, quoted) -> None:
    # One call per cell is xlsxwriter's API; the data handed over is already computed.
    values = series.to_list()
    for row, value in enumerate(values, start=1):
        if value is None:
            continue
        if isinstance(dtype, pl.Decimal):
            sheet.write_number(row, col, float(value), money)
        elif dtype == pl.Date:
            sheet.write_datetime(row, col, value, day)
        elif dtype.is_numeric():
            sheet.write_number(row, col, value)
        elif dtype == pl.Boolean:
            sheet.write_string(row, col, "oui" if value else "non")
        else:
            text = str(value)
            if starts_like_formula(text):
                sheet.write_string(row, col, text, quoted)
            else:
                sheet.write_string(row, col, text)
