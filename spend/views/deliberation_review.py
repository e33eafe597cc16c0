"""A deliberation's reading as the reviewer reads it: amounts, dates and codes in French words
(« Crédits : « — » → « 5 000,00 € » », « net de taxes »), never as stored."""

import polars as pl

from spend.domain.records import Table
from spend.views.formatting import NON_MONEY_DECIMALS, date_expr, decimal_expr, euros_expr
from spend.views.labels import TAX_LABELS


def in_french(frame: pl.DataFrame, table: Table) -> pl.DataFrame:
    """Every non-key cell as the text the pages show; keys stay as they are, so that a row is
    still found by its key. Two values differ in French exactly when they differ as stored."""
    coded = {c.name: c.labels for c in table.columns if c.codes}
    columns = []
    for name, dtype in frame.schema.items():
        if name in table.key:
            columns.append(pl.col(name))
        elif name in coded:
            columns.append(pl.col(name).replace_strict(coded[name], default=pl.col(name)))
        elif isinstance(dtype, pl.Decimal):
            columns.append(decimal_expr(name) if name in NON_MONEY_DECIMALS else euros_expr(name))
        elif dtype == pl.Date:
            columns.append(date_expr(name))
        elif dtype == pl.Boolean:
            columns.append(pl.when(pl.col(name)).then(pl.lit("oui")).otherwise(pl.lit("non")))
        else:
            columns.append(pl.col(name).cast(pl.String))
    # An unknown value stays unknown (the comparison says « — »), whatever its type.
    return frame.select(
        column.alias(name)
        if name in table.key
        else pl.when(pl.col(name).is_null())
        .then(pl.lit(None, pl.String))
        .otherwise(column)
        .alias(name)
        for column, name in zip(columns, frame.columns, strict=True)
    )


def fee_checks_in_words(fees: pl.DataFrame) -> pl.DataFrame:
    """The fee checks with each tax base in words (« HT », « net de taxes »), not as a code."""
    return fees.with_columns(
        pl.col(c).replace_strict(TAX_LABELS, default=pl.col(c)).alias(c)
        for c in ("stated_tax", "recorded_tax")
        if c in fees.columns
    )
