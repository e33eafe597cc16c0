"""Type and check raw exchange-format rows, collecting every problem before anything is written.

Each check is a Polars filter over a whole column that yields (line, column, message) rows, so
that a file with a thousand bad cells gives a thousand precise lines, in one pass.
"""

import re
import unicodedata
from collections.abc import Mapping

import polars as pl

from spend.domain.records import BOOLEANS, TABLES, Code, Column, Table
from spend.exchange.exports import FORMULA_START
from spend.exchange.problems import Problem
from spend.exchange.reading import LINE, RawTable

SPACES = r"[\s\u00a0\u202f€]"
PROBLEM_SCHEMA = {"line": pl.Int64, "column": pl.String, "message": pl.String}


def _problem_rows(
    frame: pl.DataFrame, condition: pl.Expr, column: str, message: pl.Expr
) -> pl.DataFrame:
    return frame.filter(condition).select(
        pl.col(LINE).alias("line"),
        pl.lit(column).alias("column"),
        message.alias("message"),
    )


def _cell(column: str) -> pl.Expr:
    """The cell's text with outer spaces removed, null when blank."""
    text = pl.col(column).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text)


def _money(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(value, is the text a number, has it more than 2 decimals) for '1 234,56 €' and kin.

    A number too large for DECIMAL(18,2) gives a null value (not an exception), said by the caller.
    """
    cleaned = raw.str.replace_all(SPACES, "")
    is_number = cleaned.str.contains(r"^[+-]?\d+([.,]\d+)?$")
    too_precise = cleaned.str.contains(r"[.,]\d{3,}$")
    value = (
        pl.when(is_number & ~too_precise)
        .then(cleaned.str.replace(",", "."))
        .cast(pl.Decimal(18, 2), strict=False)
    )
    return value, is_number, too_precise


def _date(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(value, is the text shaped as a date) for ISO or dd/mm/yyyy; a bad day gives null."""
    iso = raw.str.replace(r"[ T]00:00:00(\.0+)?$", "")
    iso_shape = iso.str.contains(r"^\d{4}-\d{2}-\d{2}$")
    fr_shape = raw.str.contains(r"^\d{2}/\d{2}/\d{4}$")
    fr_dash_shape = raw.str.contains(r"^\d{2}-\d{2}-\d{4}$")  # 13-12-2022, as some exports write
    value = (
        pl.when(iso_shape)
        .then(iso.str.to_date("%Y-%m-%d", strict=False))
        .when(fr_shape)
        .then(raw.str.to_date("%d/%m/%Y", strict=False))
        .when(fr_dash_shape)
        .then(raw.str.to_date("%d-%m-%Y", strict=False))
    )
    return value, iso_shape | fr_shape | fr_dash_shape


def word_key(text: str) -> str:
    """A word as compared with the accepted ones: no case, accent, space or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text).lower()
    return re.sub(r"[^a-z0-9]", "", decomposed)


def word_key_expr(raw: pl.Expr) -> pl.Expr:
    """`word_key` over a column of cells."""
    return raw.str.normalize("NFKD").str.to_lowercase().str.replace_all(r"[^a-z0-9]", "")


def _coded(raw: pl.Expr, codes: tuple[Code, ...]) -> pl.Expr:
    """The code a cell's word stands for (code, French label or synonym), else null."""
    words = {word_key(word): code.code for code in codes for word in code.words}
    return word_key_expr(raw).replace_strict(words, default=None, return_dtype=pl.String)


# A check: the rows where a condition holds get the message (an expression over the row).
Check = tuple[pl.Expr, pl.Expr]


def _text_cells(raw: pl.Expr, shown: pl.Expr, column: Column) -> tuple[pl.Expr, list[Check]]:
    if not column.codes:
        # Our exports neutralise formula-like text with an apostrophe; take it off on the way in.
        return raw.str.replace("^'(" + FORMULA_START.removeprefix("^") + ")", "$1"), []
    value = _coded(raw, column.codes)
    allowed = ", ".join(code.label for code in column.codes)
    message = pl.format(f"valeur inconnue « {{}} » (valeurs admises : {allowed})", shown)
    return value, [(raw.is_not_null() & value.is_null(), message)]


def _money_cells(raw: pl.Expr, shown: pl.Expr, column: Column) -> tuple[pl.Expr, list[Check]]:
    if column.blank_means:  # « sur devis » is written where the amount is left empty
        raw = pl.when(word_key_expr(raw) == word_key(column.blank_means)).then(None).otherwise(raw)
    value, is_number, too_precise = _money(raw)
    present = raw.is_not_null()
    return value, [
        (present & ~is_number, pl.format("montant illisible « {} » (exemple : 1 500,00)", shown)),
        (
            present & is_number & too_precise,
            pl.format("montant « {} » avec plus de deux décimales", shown),
        ),
        (
            present & is_number & ~too_precise & value.is_null(),
            pl.format("montant « {} » trop grand", shown),
        ),
    ]


def _int_cells(raw: pl.Expr, shown: pl.Expr, column: Column) -> tuple[pl.Expr, list[Check]]:
    cleaned = raw.str.replace_all(SPACES, "")
    is_int = cleaned.str.contains(r"^[+-]?\d{1,9}$")
    value = pl.when(is_int).then(cleaned).cast(pl.Int64)
    checks = [(raw.is_not_null() & ~is_int, pl.format("nombre entier illisible « {} »", shown))]
    if column.name == "year":
        checks.append(
            (
                value.is_not_null() & ~value.is_between(1900, 2200),
                pl.format("exercice invraisemblable « {} »", shown),
            )
        )
    return value, checks


def _date_cells(raw: pl.Expr, shown: pl.Expr, column: Column) -> tuple[pl.Expr, list[Check]]:
    value, shaped = _date(raw)
    present = raw.is_not_null()
    return value, [
        (
            present & ~shaped,
            pl.format("date illisible « {} » (attendu AAAA-MM-JJ ou JJ/MM/AAAA)", shown),
        ),
        (present & shaped & value.is_null(), pl.format("date impossible « {} »", shown)),
    ]


def _bool_cells(raw: pl.Expr, shown: pl.Expr, column: Column) -> tuple[pl.Expr, list[Check]]:
    code = _coded(raw, BOOLEANS)
    value = pl.when(code == "true").then(True).when((code == "false") | raw.is_null()).then(False)
    message = pl.format("valeur « {} » ni oui ni non (attendu oui ou non)", shown)
    return value, [(raw.is_not_null() & value.is_null(), message)]


CELL_READERS = {
    "text": _text_cells,
    "money": _money_cells,
    "int": _int_cells,
    "date": _date_cells,
    "bool": _bool_cells,
}


def _typed_column(raw_rows: pl.DataFrame, column: Column) -> tuple[pl.Expr, list[pl.DataFrame]]:
    """The typed expression for one column and the frames of its problems."""
    name = column.name
    if name not in raw_rows.columns:  # an optional column absent from the file
        default = pl.lit(False) if column.kind == "bool" else pl.lit(None)
        return default.alias(name), []
    raw = _cell(name)
    shown = pl.col(name).str.strip_chars()
    value, checks = CELL_READERS[column.kind](raw, shown, column)
    if column.required:
        checks.insert(0, (raw.is_null(), pl.lit("valeur obligatoire manquante")))
    if column.non_negative:
        checks.append(
            (value.is_not_null() & (value < 0), pl.format("valeur négative « {} » refusée", shown))
        )
    problems = [_problem_rows(raw_rows, condition, name, message) for condition, message in checks]
    return value.alias(name), problems


def type_rows(raw: RawTable) -> tuple[pl.DataFrame, list[Problem]]:
    """The file's rows with the exchange format's types, and the problems of its cells."""
    expressions: list[pl.Expr] = []
    problem_frames: list[pl.DataFrame] = []
    for column in raw.table.columns:
        expression, problems = _typed_column(raw.rows, column)
        expressions.append(expression)
        problem_frames.extend(problems)
    typed = raw.rows.select(pl.col(LINE), *expressions)
    typed = typed.with_columns(
        pl.col(c.name).cast(pl.Boolean) for c in raw.table.columns if c.kind == "bool"
    )
    problem_frames.extend(_row_rules(raw.table, typed))
    return typed, _as_problems(raw.file, raw.table, problem_frames)


def _as_problems(file: str, table: Table, frames: list[pl.DataFrame]) -> list[Problem]:
    """Problems in the file's order: by line, then by column as the table lists them."""
    if not frames:
        return []
    order = {name: index for index, name in enumerate(table.column_names)}
    rows = (
        pl.concat([f.cast(PROBLEM_SCHEMA) for f in frames])
        .with_columns(pl.col("column").replace_strict(order, default=None).alias("order"))
        .sort("line", "order")
    )
    return [
        Problem(file, line, french_header(table, column), message)
        for line, column, message in zip(
            rows["line"].to_list(), rows["column"].to_list(), rows["message"].to_list(), strict=True
        )
    ]


def french_header(table: Table, column: str | None) -> str | None:
    """A column named as users read it: its French header (« Date de début »)."""
    if column is None:
        return None
    return next((c.french for c in table.columns if c.name == column), column)


def _row_rules(table: Table, typed: pl.DataFrame) -> list[pl.DataFrame]:
    """Rules across a row's cells, and keys that appear twice in one file."""
    frames: list[pl.DataFrame] = []
    key = list(table.key)
    complete_key = pl.all_horizontal(pl.col(k).is_not_null() for k in key)
    # Computed before the filter: the message must name the first line of the whole file.
    first_line = "_first_line"
    keyed = typed.with_columns(pl.col(LINE).min().over(key).alias(first_line))
    frames.append(
        _problem_rows(
            keyed,
            complete_key & pl.struct(key).is_duplicated() & (pl.col(LINE) != pl.col(first_line)),
            key[0],
            pl.format("clé en double : déjà à la ligne {}", pl.col(first_line)),
        )
    )
    if table.name == "conventions":
        frames.append(
            _problem_rows(
                typed,
                pl.col("end_date") < pl.col("start_date"),
                "end_date",
                pl.format(
                    "la date de fin ({}) précède la date de début ({})",
                    pl.col("end_date").dt.strftime("%d/%m/%Y"),
                    pl.col("start_date").dt.strftime("%d/%m/%Y"),
                ),
            )
        )
        frames.append(
            _problem_rows(
                typed,
                pl.col("formula").is_null() != pl.col("category").is_null(),
                "category" if "category" in typed.columns else "formula",
                pl.lit("formule et catégorie se renseignent ensemble (ou toutes deux vides)"),
            )
        )
        frames.append(
            _problem_rows(
                typed,
                pl.col("operation_code").is_null() != pl.col("imputation").is_null(),
                "imputation",
                pl.lit("code opération et imputation se renseignent ensemble"),
            )
        )
    return frames


# (child table, child columns, parent table, parent columns, message about the missing parent).
# A convention may cite a deliberation that is not recorded (few authorities record every past
# one): the overview lists it among the incomplete data instead.
REFERENCES: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...], str], ...] = (
    ("agreements", ("body_id",), "bodies", ("body_id",), "centrale d'achat inconnue « {} »"),
    ("fee_grid", ("agreement_id",), "agreements", ("agreement_id",), "accord-cadre inconnu « {} »"),
    (
        "conventions",
        ("agreement_id",),
        "agreements",
        ("agreement_id",),
        "accord-cadre inconnu « {} »",
    ),
    (
        "conventions",
        ("agreement_id", "formula", "category"),
        "fee_grid",
        ("agreement_id", "formula", "category"),
        "grille tarifaire sans ligne pour accord-cadre « {} », formule « {} », catégorie « {} »",
    ),
)


def check_references(merged: Mapping[str, pl.DataFrame], files: Mapping[str, str]) -> list[Problem]:
    """Every row of the merged state must point at rows that exist in it.

    `merged` holds each table as it would be after the write, with LINE set on the rows that come
    from a file and null on stored rows; `files` names the file each table came from.
    """
    problems: list[Problem] = []
    for child, child_cols, parent, parent_cols, message in REFERENCES:
        rows = merged[child].filter(pl.all_horizontal(pl.col(c).is_not_null() for c in child_cols))
        parent_keys = merged[parent].select(
            pl.col(p).alias(c) for p, c in zip(parent_cols, child_cols, strict=True)
        )
        orphans = rows.join(parent_keys, on=list(child_cols), how="anti", nulls_equal=True)
        column = child_cols[-1] if len(child_cols) > 1 else child_cols[0]
        frame = orphans.select(
            pl.col(LINE).alias("line"),
            pl.lit(column).alias("column"),
            pl.format(message, *child_cols).alias("message"),
            _row_key(child),
        )
        problems.extend(_stored_or_file(child, frame, files))
    problems.extend(_conventions_within_agreements(merged, files))
    return problems


def _conventions_within_agreements(
    merged: Mapping[str, pl.DataFrame], files: Mapping[str, str]
) -> list[Problem]:
    """A convention that takes its end from the agreement must not start after that end."""
    rows = (
        merged["conventions"]
        .filter(pl.col("end_date").is_null())
        .join(
            merged["agreements"].select("agreement_id", pl.col("end_date").alias("agreement_end")),
            on="agreement_id",
        )
        .filter(pl.col("start_date") > pl.col("agreement_end"))
    )
    frame = rows.select(
        pl.col(LINE).alias("line"),
        pl.lit("start_date").alias("column"),
        pl.format(
            "la convention commence ({}) après la fin de son accord-cadre ({})",
            pl.col("start_date").dt.strftime("%d/%m/%Y"),
            pl.col("agreement_end").dt.strftime("%d/%m/%Y"),
        ).alias("message"),
        _row_key("conventions"),
    )
    return _stored_or_file("conventions", frame, files)


def _row_key(table: str) -> pl.Expr:
    """The row's key as a user reads it (a stored row has no line number to name it by)."""
    return pl.concat_str(
        [pl.col(k).cast(pl.String) for k in TABLES[table].key], separator=" / "
    ).alias("row_key")


def _stored_or_file(table: str, frame: pl.DataFrame, files: Mapping[str, str]) -> list[Problem]:
    """Problems on rows from a file name the file and line; on stored rows, the stored table."""
    stored_name = f"{TABLES[table].file_name} (données enregistrées)"
    problems = []
    for line, code, message, row_key in frame.iter_rows():
        column = french_header(TABLES[table], code)
        if line is None:
            problems.append(Problem(stored_name, None, None, f"{row_key}, {column} : {message}"))
        else:
            problems.append(
                Problem(files.get(table, TABLES[table].file_name), line, column, message)
            )
    return problems
