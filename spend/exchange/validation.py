"""Type and check raw exchange-format rows, collecting every problem before anything is written.

Each check is a Polars filter over a whole column that yields (line, column, message) rows, so
that a file with a thousand bad cells gives a thousand precise lines, in one pass.
"""

import re
import unicodedata
from datetime import date
from decimal import Decimal

import polars as pl

from spend.domain.french import MINUS, euros, grouped_digits, thousands
from spend.domain.records import (
    BIDI_CONTROLS,
    BOOLEANS,
    CONTROLS,
    FREE_TEXT_REFUSED,
    IDENTIFIER_REFUSED,
    MAX_CELL_CHARS,
    NEVER_NEGATIVE_STAGES,
    Bound,
    Code,
    Column,
    Table,
)
from spend.exchange.exports import FORMULA_START
from spend.exchange.problems import MAX_LISTED, Problem, counted
from spend.exchange.reading import LINE, RawTable

SPACES = r"[\s\u00a0\u202f€]"
PROBLEM_SCHEMA = pl.Schema({"line": pl.Int64, "column": pl.String, "message": pl.String})
SHOWN_CHARS = 60  # a cell quoted in a message is cut after this many characters


def _character_class(characters: str) -> str:
    return "[" + "".join(f"\\x{{{ord(c):X}}}" for c in characters) + "]"


def _character_name(character: str) -> str:
    """« caractère de contrôle U+0000 »: what a refused character is, and its code point."""
    if character in CONTROLS:
        kind = "caractère de contrôle"
    elif character in BIDI_CONTROLS or character in "\u200e\u200f\u061c":
        kind = "caractère de direction d'écriture"
    elif character in "\u2028\u2029":
        kind = "séparateur de ligne"
    else:
        kind = "caractère invisible"
    return f"{kind} U+{ord(character):04X}"


IDENTIFIER_PATTERN = _character_class(IDENTIFIER_REFUSED)
FREE_TEXT_PATTERN = _character_class(FREE_TEXT_REFUSED)
CHARACTER_NAMES = {c: _character_name(c) for c in IDENTIFIER_REFUSED}


def french_number(value: Bound) -> str:
    """A bound as a French reader writes it: 2100, 10 000, 1 000 000 000 000,00 €; a date's year."""
    if isinstance(value, date):
        return str(value.year)
    if isinstance(value, Decimal):
        return euros(value)
    if abs(value) < 10_000:  # a year or a count of four digits is written as it is
        return f"{MINUS if value < 0 else ''}{abs(value)}"
    return thousands(value)


def range_in_words(column: Column) -> str:
    """« au plus 120 », « entre 1990 et 2100 »: the accepted range of a column, in French."""
    bounds = column.bounds
    assert bounds is not None
    low, high = bounds
    if column.non_negative and not low:
        return f"au plus {french_number(high)}"
    return f"entre {french_number(low)} et {french_number(high)}"


def _problem_rows(
    frame: pl.DataFrame, condition: pl.Expr | pl.Series, column: str, message: pl.Expr
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
    pattern = FREE_TEXT_PATTERN if column.free_text else IDENTIFIER_PATTERN
    refused = raw.str.contains(pattern)
    found = raw.str.extract(f"({pattern})")
    position = raw.str.replace(f"{pattern}(?s:.*)", "").str.len_chars() + 1
    character = pl.format(
        "{} refusé (caractère {} de la cellule)",
        found.replace_strict(CHARACTER_NAMES, default="caractère"),
        position,
    )
    checks = [(refused, character)]
    raw = pl.when(~refused).then(raw)  # a refused cell is left out of later checks
    if not column.codes:
        # Our exports neutralise formula-like text with an apostrophe; take it off on the way in.
        value = raw.str.replace("^'(" + FORMULA_START.removeprefix("^") + ")", "$1")
        return value, checks
    value = _coded(raw, column.codes)
    allowed = _allowed_in_words(column.codes)
    message = pl.format(f"valeur inconnue « {{}} » (valeurs admises : {allowed})", shown)
    return value, [*checks, (raw.is_not_null() & value.is_null(), message)]


def _allowed_in_words(codes: tuple[Code, ...]) -> str:
    """The accepted values named; a long series (DM1…DM20) by its ends."""
    labels = [code.label for code in codes]
    if len(labels) > 8:
        labels = [*labels[:3], "…", *labels[-2:]]
    return ", ".join(labels)


def _out_of_range(value: pl.Expr, column: Column) -> pl.Expr:
    """The value lies outside the column's bounds (a negative value of a non-negative column is
    said by its own message)."""
    bounds = column.bounds
    assert bounds is not None
    low, high = bounds
    above = value > bound_literal(high)
    if column.non_negative and not low:
        return value.is_not_null() & above
    return value.is_not_null() & (above | (value < bound_literal(low)))


def bound_literal(value: Bound) -> pl.Expr:
    """A bound as a literal; an amount as DECIMAL(38,2) made from its text (Polars builds a
    Decimal literal through numpy, whose import alone costs a small import most of its time)."""
    if isinstance(value, Decimal):
        return pl.lit(str(value)).cast(pl.Decimal(38, 2))
    return pl.lit(value)


def _out_of_range_message(column: Column) -> str:
    """« exercice « {} » hors limites : entre 1990 et 2100 », the cell to be formatted in."""
    if column.kind == "date":
        return f"date « {{}} » hors limites : année {range_in_words(column)}"
    what = {"money": "montant", "int": "exercice" if column.name == "year" else "valeur"}
    return f"{what[column.kind]} « {{}} » hors limites : {range_in_words(column)}"


def _money_cells(raw: pl.Expr, shown: pl.Expr, column: Column) -> tuple[pl.Expr, list[Check]]:
    if column.blank_means:  # « sur devis » is written where the amount is left empty
        raw = pl.when(word_key_expr(raw) == word_key(column.blank_means)).then(None).otherwise(raw)
    value, is_number, too_precise = _money(raw)
    present = raw.is_not_null()
    out = pl.format(_out_of_range_message(column), shown)
    checks = [
        (present & ~is_number, pl.format("montant illisible « {} » (exemple : 1 500,00)", shown)),
        (
            present & is_number & too_precise,
            pl.format("montant « {} » avec plus de deux décimales", shown),
        ),
        # Too large for DECIMAL(18,2): a null value (beyond the column's range: `_bounded`).
        (present & is_number & ~too_precise & value.is_null(), out),
    ]
    return value, checks


def _int_cells(raw: pl.Expr, shown: pl.Expr, column: Column) -> tuple[pl.Expr, list[Check]]:
    cleaned = raw.str.replace_all(SPACES, "")
    is_int = cleaned.str.contains(r"^[+-]?\d{1,18}$")
    value = pl.when(is_int).then(cleaned).cast(pl.Int64)
    return value, [
        (raw.is_not_null() & ~is_int, pl.format("nombre entier illisible « {} »", shown))
    ]


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


def _shown(name: str) -> pl.Expr:
    """A cell as a message quotes it: no refused character, cut when long."""
    text = pl.col(name).str.strip_chars().str.replace_all(IDENTIFIER_PATTERN, "\ufffd")
    long = text.str.len_chars() > SHOWN_CHARS
    return pl.when(long).then(text.str.slice(0, SHOWN_CHARS) + pl.lit("…")).otherwise(text)


def _typed_column(raw_rows: pl.DataFrame, column: Column) -> tuple[pl.Expr, list[Check]]:
    """The typed expression for one column and its checks."""
    name = column.name
    if name not in raw_rows.columns:  # an optional column absent from the file
        default = pl.lit(False) if column.kind == "bool" else pl.lit(column.default)
        return default.alias(name), []
    raw = _cell(name)
    shown = _shown(name)
    value, checks = CELL_READERS[column.kind](raw, shown, column)
    if column.default is not None:
        value = pl.when(raw.is_null()).then(pl.lit(column.default)).otherwise(value)
    length = pl.col(name).str.len_chars()
    too_long = (pl.col(name).str.len_bytes() > MAX_CELL_CHARS) & (length > MAX_CELL_CHARS)
    message = f"cellule de {{}} caractères : au plus {french_number(MAX_CELL_CHARS)}"
    checks.insert(0, (too_long, pl.format(message, grouped_digits(length.cast(pl.String)))))
    if column.required:
        checks.insert(0, (raw.is_null(), pl.lit("valeur obligatoire manquante")))
    return value.alias(name), checks


def type_rows(raw: RawTable) -> tuple[pl.DataFrame, list[Problem]]:
    """The file's rows with the exchange format's types, and the problems of its cells."""
    expressions: list[pl.Expr] = []
    problem_frames: list[pl.DataFrame] = []
    for column in raw.table.columns:
        expression, checks = _typed_column(raw.rows, column)
        expressions.append(expression)
        problem_frames.extend(
            _problem_rows(raw.rows, condition, column.name, message)
            for condition, message in checks
        )
    typed = raw.rows.select(pl.col(LINE), *expressions)
    typed = typed.with_columns(
        pl.col(c.name).cast(pl.Boolean) for c in raw.table.columns if c.kind == "bool"
    )
    typed, value_problems = _bounded(raw, typed)
    problem_frames.extend(value_problems)
    problem_frames.extend(_row_rules(raw.table, typed))
    problem_frames.extend(_negative_votes(raw, typed))
    return typed, _as_problems(raw.file, raw.table, problem_frames)


def _negative_votes(raw: RawTable, typed: pl.DataFrame) -> list[pl.DataFrame]:
    """A BP or a report of restes à réaliser is never negative: only a BS or a DM takes
    credits away. The cell quoted as written."""
    if raw.table.name != "budget_lines" or "credits" not in raw.rows.columns:
        return []
    refused = typed.select(
        (pl.col("stage").is_in(NEVER_NEGATIVE_STAGES) & (pl.col("credits") < 0)).fill_null(False)
    ).to_series()
    message = pl.format(
        "valeur négative « {} » refusée pour un budget primitif ou des restes à réaliser (seuls "
        "un budget supplémentaire ou une décision modificative retirent des crédits)",
        _shown("credits"),
    )
    return [_problem_rows(raw.rows, refused, "credits", message)]


def _bounded(raw: RawTable, typed: pl.DataFrame) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """Values below zero or beyond their column's range, said with the cell as written, and
    the typed rows with those values left out (null) of the checks that follow."""
    problems: list[pl.DataFrame] = []
    kept: list[pl.Expr] = []
    for column in raw.table.columns:
        if column.name not in raw.rows.columns:
            continue
        value = pl.col(column.name)
        checks: list[tuple[pl.Expr, str]] = []
        if column.non_negative:
            checks.append((value < 0, "valeur négative « {} » refusée"))
        if column.bounds is not None:
            checks.append((_out_of_range(value, column), _out_of_range_message(column)))
        if not checks:
            continue
        found = typed.select(c.fill_null(False).alias(str(i)) for i, (c, _) in enumerate(checks))
        for index, (_, message) in enumerate(checks):
            shown = pl.format(message, _shown(column.name))
            problems.append(_problem_rows(raw.rows, found[str(index)], column.name, shown))
        refused = found.select(pl.any_horizontal(pl.all())).to_series()
        kept.append(pl.when(~pl.lit(refused)).then(value).alias(column.name))
    return typed.with_columns(kept), problems


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
    listed = rows.head(MAX_LISTED)
    return [
        Problem(file, line, french_header(table, column), message)
        for line, column, message in zip(
            listed["line"].to_list(),
            listed["column"].to_list(),
            listed["message"].to_list(),
            strict=True,
        )
    ] + counted_rest(file, table, rows.slice(MAX_LISTED))


def counted_rest(file: str, table: Table, rows: pl.DataFrame) -> list[Problem]:
    """The problems past those listed, one count per column: a bad file of 500 000 rows
    would otherwise make millions of them."""
    counts = rows.group_by("column", maintain_order=True).len()
    return [counted(file, french_header(table, column), n) for column, n in counts.iter_rows()]


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
