"""Files handed to users: CSV in the exchange format, CSV for French Excel, and XLSX workbooks.

Text cells that a spreadsheet would run as a formula (=, +, -, @ first) are neutralised with a
leading apostrophe in CSV and stored as quoted text in XLSX; numbers stay numbers, dates stay
dates (real Excel dates in XLSX). Times are stored in UTC and handed out in Paris time, said so:
the header says « (heure de Paris) » and the standard CSV writes the offset (+01:00).
"""

import io
import re
from collections.abc import Mapping
from typing import Literal

import polars as pl
import xlsxwriter

from spend.domain.records import Table

Dialect = Literal["standard", "excel_fr"]
LOCAL_ZONE = "Europe/Paris"
LOCAL_TIME = "heure de Paris"
DATE_FORMAT = "dd/mm/yyyy"  # a real Excel date, shown the French way
TIME_FORMAT = "dd/mm/yyyy hh:mm:ss"
MONEY_FORMAT = "#,##0.00"  # French Excel shows it as 1 500,00
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


def local_times(frame: pl.DataFrame) -> pl.DataFrame:
    """Every time column in Paris time, without its zone (as a spreadsheet holds a time): the
    store keeps UTC, a time with no zone is taken as UTC."""
    zoned = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.Datetime):
            column = pl.col(name)
            if dtype.time_zone is None:
                column = column.dt.replace_time_zone("UTC")
            local = column.dt.convert_time_zone(LOCAL_ZONE).dt.truncate("1s")
            zoned.append(local.dt.replace_time_zone(None).alias(name))
    return frame.with_columns(zoned)


def local_time_header(header: str) -> str:
    """« Quand (UTC) » → « Quand (heure de Paris) »: a time column's header says its zone."""
    base = re.sub(r"\s*\((UTC|heure de Paris)\)$", "", header)
    return f"{base} ({LOCAL_TIME})"


def _headers(frame: pl.DataFrame, headers: Mapping[str, str] | None) -> dict[str, str]:
    """Each column's header: the given one (or its name), its zone said for a time."""
    names = {c: (headers or {}).get(c, c) for c in frame.columns}
    return {
        c: local_time_header(h) if isinstance(frame.schema[c], pl.Datetime) else h
        for c, h in names.items()
    }


def text_frame(frame: pl.DataFrame, dialect: Dialect, table: Table | None = None) -> pl.DataFrame:
    """Every cell as the text a CSV file holds in that dialect; blank for unknown.

    In the Excel dialect, with the table described, codes are written as French words and an
    empty cell that means something says so (« sur devis »).
    """
    french = dialect == "excel_fr"
    if french and table is not None:
        frame = in_words(frame, table)
    columns: list[pl.Expr] = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.Decimal):
            digits = column.cast(pl.String)
            columns.append(digits.str.replace(".", ",", literal=True) if french else digits)
        elif dtype == pl.Date:
            columns.append(column.dt.strftime("%d/%m/%Y" if french else "%Y-%m-%d"))
        elif isinstance(dtype, pl.Datetime):
            zoned = column if dtype.time_zone else column.dt.replace_time_zone("UTC")
            local = zoned.dt.convert_time_zone(LOCAL_ZONE)
            columns.append(
                local.dt.strftime("%d/%m/%Y %H:%M:%S" if french else "%Y-%m-%dT%H:%M:%S%:z")
            )
        elif dtype == pl.Boolean and french:
            columns.append(pl.when(column).then(pl.lit("oui")).when(~column).then(pl.lit("non")))
        else:
            columns.append(column.cast(pl.String))
    text = frame.select(e.alias(n) for e, n in zip(columns, frame.columns, strict=True))
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
        text = text.rename(_headers(frame, headers))
        return text.write_csv(separator=";", include_bom=True).encode("utf-8")
    if headers:
        text = text.rename(_headers(frame, headers))
    return text.write_csv(separator=",").encode("utf-8")


def xlsx_bytes(
    sheets: Mapping[str, pl.DataFrame],
    headers: Mapping[str, str] | None = None,
    blanks: Mapping[str, str] | None = None,
) -> bytes:
    """A workbook with one sheet per frame: numbers as numbers, dates as dates (times in Paris
    time), French headers (`headers` for every sheet, or each frame's own column names); an
    empty cell of a column named in `blanks` says what it means (« sur devis »)."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        bold = book.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1})
        formats = {
            "money": book.add_format({"num_format": MONEY_FORMAT}),
            "date": book.add_format({"num_format": DATE_FORMAT}),
            "time": book.add_format({"num_format": TIME_FORMAT}),
            "quoted": book.add_format({"quote_prefix": True}),
        }
        for sheet_name, frame in sheets.items():
            sheet = book.add_worksheet(sheet_name[:31])
            labels = list(_headers(frame, headers).values())
            local = local_times(frame)
            for col, (label, dtype) in enumerate(zip(labels, frame.dtypes, strict=True)):
                sheet.write_string(0, col, label, bold)
                kind = _cell_kind(dtype)
                width = max(20 if kind == "time" else 12, min(60, len(label) + 4))
                sheet.set_column(
                    col, col, width, formats[kind] if kind else None
                )  # a typed cell added too
            for col, (name, dtype) in enumerate(frame.schema.items()):
                _write_column(sheet, col, local[name], dtype, formats)
                if blanks and name in blanks:
                    for row in (local[name].is_null().arg_true() + 1).to_list():
                        sheet.write_string(row, col, blanks[name])
            sheet.freeze_panes(1, 0)
            if frame.width:
                sheet.autofilter(0, 0, max(frame.height, 1), frame.width - 1)
    return buffer.getvalue()


def _cell_kind(dtype: pl.DataType) -> str | None:
    if isinstance(dtype, pl.Decimal):
        return "money"
    if isinstance(dtype, pl.Datetime):
        return "time"
    return "date" if dtype == pl.Date else None


def _write_column(sheet, col, series, dtype, formats) -> None:
    # One call per cell is xlsxwriter's API; the data handed over is already computed.
    values = series.to_list()
    money, quoted = formats["money"], formats["quoted"]
    for row, value in enumerate(values, start=1):
        if value is None:
            continue
        if isinstance(dtype, pl.Decimal):
            sheet.write_number(row, col, float(value), money)
        elif dtype == pl.Date:
            sheet.write_datetime(row, col, value, formats["date"])
        elif isinstance(dtype, pl.Datetime):
            sheet.write_datetime(row, col, value, formats["time"])
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
