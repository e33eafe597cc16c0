"""French display of figures: 1 234,56 €, 13/12/2022, 8,50 mois. Only at the edge, never before
a computation: the values formatted here are already exact decimals."""

import re
from decimal import Decimal

import polars as pl

# The scalar forms live in the domain, shared with validation and reading; the views' names stay.
from spend.domain.french import NBSP as NBSP
from spend.domain.french import THIN as THIN
from spend.domain.french import UNKNOWN as UNKNOWN
from spend.domain.french import euros as euros
from spend.domain.french import french_date as french_date
from spend.domain.french import grouped_digits
from spend.domain.french import thousands as thousands
from spend.domain.french import thousands_expr as thousands_expr
from spend.domain.records import Table

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=&])")
WORD_JOINER = "\u2060"  # invisible, zero width, no line break
# Where GitHub Markdown makes a link of bare text (http://…, www.…, name@domain), even from
# escaped characters: Streamlit's renderer finds them in the text after escapes are undone.
_AUTOLINK_STARTS = re.compile(r"(?<=:)(?=//)|(?i:(?<=www)(?=\.))|(?<=@)")


def inert(text: object) -> str:
    """Text shown exactly as written where Streamlit reads Markdown: no link (written, bare URL,
    www. address or e-mail address), image, HTML, emphasis, colour directive or formula can come
    from stored data, a file name or an address.

    Markdown's characters are escaped; a bare link is broken by an invisible word joiner after
    `:` of `://`, after `www` and after `@` (copied text keeps that joiner)."""
    flat = re.sub(r"[\r\n\t\v\f\u2028\u2029]+", " ", str(text))  # a new line is a new block
    unlinked = _AUTOLINK_STARTS.sub(WORD_JOINER, flat)
    return _MARKDOWN_SPECIALS.sub(r"\\\1", unlinked)


def percent(value: Decimal | float | None) -> str:
    if value is None:
        return "—"
    return f"{Decimal(str(value)):.1f}".replace(".", ",") + f"{NBSP}%"


def grouped_text_expr(column: str) -> pl.Expr:
    """An amount written as text (« 3000,00 », « -1234,5 ») with its thousands grouped
    (« 3 000,00 »): what a table editor shows and the import reads back."""
    text = pl.col(column)
    parts = text.str.extract_groups(r"^(-?)(\d+)([.,]\d*)?$")
    units = parts.struct.field("2")
    grouped = (
        units.str.reverse().str.replace_all(r"(\d{3})", f"$1{THIN}").str.strip_chars(THIN)
    ).str.reverse()
    rebuilt = pl.concat_str(
        parts.struct.field("1"), grouped, parts.struct.field("3").fill_null(""), ignore_nulls=False
    )
    return pl.when(units.is_not_null()).then(rebuilt).otherwise(text).alias(column)


def with_grouped_amounts(text: pl.DataFrame, table: Table) -> pl.DataFrame:
    """A table's rows as text (an editor's) with the amounts' thousands grouped."""
    money = [c.name for c in table.columns if c.kind == "money" and c.name in text.columns]
    return text.with_columns(grouped_text_expr(name) for name in money)


def euros_expr(column: str | pl.Expr) -> pl.Expr:
    """The same as `euros`, as a Polars expression over a DECIMAL column."""
    amount = pl.col(column) if isinstance(column, str) else column
    text = amount.abs().cast(pl.Decimal(18, 2)).cast(pl.String)
    units = text.str.split(".").list.first()
    cents = text.str.split(".").list.last()
    grouped = grouped_digits(units)
    sign = pl.when(amount < 0).then(pl.lit("−")).otherwise(pl.lit(""))
    formatted = pl.concat_str(sign, grouped, pl.lit(","), cents, pl.lit(f"{NBSP}€"))
    shown = pl.when(amount.is_null()).then(pl.lit(UNKNOWN)).otherwise(formatted)
    return shown.alias(column) if isinstance(column, str) else shown


def date_expr(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime("%d/%m/%Y").fill_null("—")


def decimal_expr(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.String).str.replace(".", ",", literal=True).fill_null("—")


def display_frame(frame: pl.DataFrame, labels: dict[str, str]) -> pl.DataFrame:
    """A frame for the screen: money and dates in French, French headers, nothing else changed.

    Columns whose name starts with 'amount', or that hold money in the known list, are euros.
    """
    expressions = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.Decimal) and name in NON_MONEY_DECIMALS:
            expressions.append(decimal_expr(name).alias(name))
        elif isinstance(dtype, pl.Decimal):
            expressions.append(euros_expr(name).alias(name))
        elif dtype == pl.Date:
            expressions.append(date_expr(name).alias(name))
        elif isinstance(dtype, pl.Datetime):
            expressions.append(
                pl.col(name).dt.strftime("%d/%m/%Y %H:%M:%S").fill_null("—").alias(name)
            )
        elif dtype == pl.Boolean:
            expressions.append(
                pl.when(pl.col(name)).then(pl.lit("oui")).otherwise(pl.lit("non")).alias(name)
            )
        elif dtype == pl.String:
            expressions.append(pl.col(name).fill_null("—"))
        else:
            expressions.append(pl.col(name))
    shown = frame.select(expressions)
    return shown.rename({c: labels.get(c, c) for c in shown.columns})


NON_MONEY_DECIMALS = {"months", "vat_rate", "share_consumed"}


UNASSIGNED = "non imputé"  # fees of conventions that name no budget line


def budget_line_label() -> pl.Expr:
    """'C06-020M02 / 6281/930202', or 'non imputé' for fees that name no budget line."""
    return (
        pl.when(pl.col("operation_code").is_null())
        .then(pl.lit(UNASSIGNED))
        .otherwise(pl.concat_str(pl.col("operation_code"), pl.lit(" / "), pl.col("imputation")))
    )


def budget_line_text(operation_code: str | None, imputation: str | None) -> str:
    return UNASSIGNED if operation_code is None else f"{operation_code} / {imputation}"
