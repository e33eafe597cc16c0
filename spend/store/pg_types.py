"""PostgreSQL's column types as the frames DuckDB gives for the same columns: what a result's
type oids become, how `COPY … (format csv)` text is typed, a frame's columns as a temporary
table's, and Arrow results (numeric handed as text, exactly) as Decimal(18, 2)."""

from collections.abc import Callable
from typing import Any

import polars as pl
import pyarrow as pa

from spend.store.database import StoreError

MONEY = pl.Decimal(18, 2)  # every numeric column of the schema is numeric(18,2)

# PostgreSQL type oids → the frame types DuckDB gives for the same columns.
OID_TYPES: dict[int, Any] = {
    16: pl.Boolean,
    20: pl.Int64,
    21: pl.Int16,
    23: pl.Int32,
    25: pl.String,
    1043: pl.String,
    700: pl.Float32,
    701: pl.Float64,
    1082: pl.Date,
    1114: pl.Datetime("us"),
    1184: pl.Datetime("us", "UTC"),
    1700: MONEY,
    1009: pl.List(pl.String),
}
# How a column of `COPY … (format csv)` text becomes the frame type DuckDB gives (a CSV null is
# an unquoted empty field, an empty text a quoted one: Polars' reader tells them apart).
CSV_TYPES: dict[int, Callable[[pl.Series], pl.Series]] = {
    16: lambda s: s == "t",
    20: lambda s: s.cast(pl.Int64),
    21: lambda s: s.cast(pl.Int16),
    23: lambda s: s.cast(pl.Int32),
    25: lambda s: s,
    1043: lambda s: s,
    700: lambda s: s.cast(pl.Float32),
    701: lambda s: s.cast(pl.Float64),
    1082: lambda s: s.str.to_date("%Y-%m-%d"),
    1114: lambda s: s.str.to_datetime("%Y-%m-%d %H:%M:%S%.f", time_unit="us"),
    1700: lambda s: s.cast(MONEY),
}


def pg_type(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.Decimal):
        return f"numeric({dtype.precision or 38}, {dtype.scale})"
    if isinstance(dtype, pl.Datetime):
        return "timestamptz" if dtype.time_zone else "timestamp"
    names = {
        pl.String: "text",
        pl.Int8: "smallint",
        pl.Int16: "smallint",
        pl.Int32: "integer",
        pl.Int64: "bigint",
        pl.UInt32: "bigint",
        pl.Boolean: "boolean",
        pl.Date: "date",
        pl.Float64: "double precision",
        pl.Float32: "real",
        pl.Null: "text",
    }
    for kind, name in names.items():
        if dtype == kind:
            return name
    raise StoreError(f"Type de colonne non pris en charge par le stockage PostgreSQL : {dtype}")


def arrow_frame(table: pa.Table) -> pl.DataFrame:
    """An Arrow result as a frame typed as DuckDB types it: numeric (which the driver hands as
    text, exactly) as Decimal(18, 2)."""
    columns = []
    numeric = []
    for field, column in zip(table.schema, table.columns, strict=True):
        if isinstance(field.type, pa.ExtensionType) or str(field.type).startswith("extension"):
            column = pa.chunked_array([c.storage for c in column.chunks], field.type.storage_type)
            if (field.metadata or {}).get(b"POSTGRESQL:type") == b"numeric" or "numeric" in str(
                field.type
            ):
                numeric.append(field.name)
        columns.append(column)
    frame = pl.from_arrow(pa.table(columns, names=table.column_names))
    assert isinstance(frame, pl.DataFrame)
    return frame.with_columns(pl.col(c).cast(MONEY) for c in numeric) if numeric else frame
