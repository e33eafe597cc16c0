"""Checks across rows and tables, on the state the store would hold after a write: every row
points at rows that exist, conventions stay within their agreements and MAX_CONVENTION_YEARS,
the titles they imply within MAX_TITLES, totals within MAX_TOTAL. A problem on a row from a
file names its file and line; on a stored row, the stored table and the row's key.
"""

from collections.abc import Callable, Mapping, Set

import polars as pl

from spend.domain.records import MAX_CONVENTION_YEARS, MAX_TOTAL, TABLES
from spend.exchange.problems import MAX_LISTED, Problem
from spend.exchange.reading import LINE
from spend.exchange.validation import bound_literal, counted_rest, french_header, french_number

# The titles a data set implies, all conventions together: at 4 million, `balance` peaks at 1,2 GB
# (80 000 conventions of 50 years); 500 000 conventions of 50 years (25 million) took 6,5 GB.
MAX_TITLES = 4_000_000


# (child table, child columns, parent table, parent columns, message about the missing parent),
# from the references declared on the tables' columns (`domain.records`).
REFERENCES: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...], str], ...] = tuple(
    (table.name, r.columns, r.parent, r.parent_columns, r.message)
    for table in TABLES.values()
    for r in table.references
)


def needed_tables(touched: Set[str], cleared: Set[str]) -> set[str]:
    """The stored tables the checks of a write need, when it adds or changes rows of `touched`
    and removes rows of `cleared` (a table replaced, or rows deleted): a write of one budget
    line reads the budget lines, not the 100 000 conventions it cannot affect."""
    needed: set[str] = set()
    for child, _, parent, _, _ in REFERENCES:
        if child in touched or parent in cleared:
            needed |= {child, parent}
    if touched & {"conventions", "agreements"}:
        needed |= {"conventions", "agreements"}  # within their agreements; titles implied
    if touched & {"conventions", "fee_grid"}:
        needed |= {"conventions", "fee_grid"}  # the annual fees' total
    needed |= {table for table, *_ in TOTALS if table in touched}
    return needed


def check_references(
    merged: Mapping[str, pl.DataFrame],
    files: Mapping[str, str],
    touched: Set[str] | None = None,
    cleared: Set[str] = frozenset(),
) -> list[Problem]:
    """Every row of the merged state must point at rows that exist in it; conventions stay
    within their agreements and MAX_CONVENTION_YEARS, the titles they imply within MAX_TITLES,
    and totals within MAX_TOTAL.

    `merged` holds each table as it would be after the write, with LINE set on the rows that come
    from a file and null on stored rows; `files` names the file each table came from. With
    `touched` (and `cleared`), only the checks a write of those tables can break are run, and
    `merged` need only hold `needed_tables`; without, every check runs on every table.
    """

    def runs(*tables: str) -> bool:
        return touched is None or bool(set(tables) & set(touched))

    problems: list[Problem] = []
    for child, child_cols, parent, parent_cols, message in REFERENCES:
        if touched is not None and child not in touched and parent not in cleared:
            continue
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
    if runs("conventions", "agreements"):
        problems.extend(_conventions_within_agreements(merged, files))
        problems.extend(_titles_within_bound(merged, files))
    problems.extend(_totals_within_bounds(merged, files, runs))
    return problems


def _titles_within_bound(
    merged: Mapping[str, pl.DataFrame], files: Mapping[str, str]
) -> list[Problem]:
    """The titles the conventions imply (each convention's years, or 12-month periods, from its
    start to its end or its agreement's) stay within MAX_TITLES: the engine computes each of
    them, and every page and `balance` hold them. The row that passes the bound is named
    (stored rows count first, then the file's in its order)."""
    rows = merged["conventions"].join(
        merged["agreements"].select("agreement_id", pl.col("end_date").alias("agreement_end")),
        on="agreement_id",
        how="left",
    )
    end = pl.coalesce("end_date", "agreement_end")
    count = (
        (end.dt.year().cast(pl.Int64) - pl.col("start_date").dt.year().cast(pl.Int64) + 1)
        .clip(lower_bound=0)
        .fill_null(0)
    )
    running = count.cum_sum()
    bound = french_number(MAX_TITLES)
    frame = (
        rows.sort(LINE, nulls_last=False, maintain_order=True)
        .with_columns(count.alias("_titles"), running.alias("_running"))
        .filter(
            (pl.col("_running") > MAX_TITLES)
            & (pl.col("_running") - pl.col("_titles") <= MAX_TITLES)
        )
        .select(
            pl.col(LINE).alias("line"),
            pl.when(pl.col("end_date").is_not_null())
            .then(pl.lit("end_date"))
            .otherwise(pl.lit("start_date"))
            .alias("column"),
            pl.lit(
                f"avec cette ligne, les conventions impliquent plus de {bound} titres de "
                "cotisation (une année, ou une période de 12 mois, de chaque convention, de son "
                f"début à sa fin) : au plus {bound} en tout"
            ).alias("message"),
            _row_key("conventions"),
        )
    )
    return _stored_or_file("conventions", frame, files)


def _conventions_within_agreements(
    merged: Mapping[str, pl.DataFrame], files: Mapping[str, str]
) -> list[Problem]:
    """A convention that takes its end from the agreement must not start after that end, and
    no convention lasts more than MAX_CONVENTION_YEARS from its start to its end (its own or
    its agreement's): each year of it is a title to compute."""
    rows = merged["conventions"].join(
        merged["agreements"].select("agreement_id", pl.col("end_date").alias("agreement_end")),
        on="agreement_id",
        how="left",
    )
    own_end = pl.col("end_date").is_not_null()
    end = pl.coalesce("end_date", "agreement_end")
    after_end = ~own_end & (pl.col("start_date") > pl.col("agreement_end"))
    too_long = end > pl.col("start_date").dt.offset_by(f"{MAX_CONVENTION_YEARS}y")
    start_text = pl.col("start_date").dt.strftime("%d/%m/%Y")
    end_text = end.dt.strftime("%d/%m/%Y")
    span = f"{MAX_CONVENTION_YEARS} ans"
    frame = rows.filter(after_end.fill_null(False) | too_long.fill_null(False)).select(
        pl.col(LINE).alias("line"),
        pl.when(own_end).then(pl.lit("end_date")).otherwise(pl.lit("start_date")).alias("column"),
        pl.when(after_end)
        .then(
            pl.format(
                "la convention commence ({}) après la fin de son accord-cadre ({})",
                start_text,
                end_text,
            )
        )
        .when(own_end)
        .then(
            pl.format(
                f"la convention dure plus de {span} (du {{}} au {{}}) : au plus {span}",
                start_text,
                end_text,
            )
        )
        .otherwise(
            pl.format(
                f"la convention dure plus de {span} (du {{}} à la fin de son accord-cadre, "
                f"le {{}}) : au plus {span}",
                start_text,
                end_text,
            )
        )
        .alias("message"),
        _row_key("conventions"),
    )
    return _stored_or_file("conventions", frame, files)


# (table, amount column, what its total is called, the columns its total is taken over): the
# sums the overview and the balance add up, bounded so that they stay exact (MAX_TOTAL).
TOTALS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("budget_lines", "credits", "des crédits de l'exercice {}", ("year",)),
    ("commitments", "amount_incl_tax", "des engagements de l'exercice {}", ("year",)),
    ("conventions", "annual_fee", "des cotisations annuelles des conventions", ()),
)


def _totals_within_bounds(
    merged: Mapping[str, pl.DataFrame], files: Mapping[str, str], runs: Callable[..., bool]
) -> list[Problem]:
    """Each total stays within MAX_TOTAL; the row that passes it is named (stored rows count
    first, then the file's in its order). Only the totals of the tables that `runs`."""
    frames = dict(merged)
    if runs("conventions", "fee_grid"):
        frames["conventions"] = merged["conventions"].join(
            merged["fee_grid"].select("agreement_id", "formula", "category", "annual_fee"),
            on=["agreement_id", "formula", "category"],
            how="left",
        )
    limit = bound_literal(MAX_TOTAL)
    problems: list[Problem] = []
    for table, amount, what, over in TOTALS:
        if not runs(*(("conventions", "fee_grid") if table == "conventions" else (table,))):
            continue
        running = pl.col(amount).abs().cast(pl.Decimal(38, 2)).fill_null(0).cum_sum()
        if over:
            running = running.over(over)
        passing = (running > limit) & ((running - pl.col(amount).abs().fill_null(0)) <= limit)
        described = pl.format(what, *over) if over else pl.lit(what)
        column = "category" if table == "conventions" else amount
        frame = (
            frames[table]
            .sort(LINE, nulls_last=False, maintain_order=True)
            .filter(passing)
            .select(
                pl.col(LINE).alias("line"),
                pl.lit(column).alias("column"),
                pl.format(
                    f"avec cette ligne, le total {{}} passe la limite : au plus "
                    f"{french_number(MAX_TOTAL)}",
                    described,
                ).alias("message"),
                _row_key(table),
            )
        )
        problems.extend(_stored_or_file(table, frame, files))
    return problems


def _row_key(table: str) -> pl.Expr:
    """The row's key as a user reads it (a stored row has no line number to name it by)."""
    return pl.concat_str(
        [pl.col(k).cast(pl.String) for k in TABLES[table].key], separator=" / "
    ).alias("row_key")


def _stored_or_file(table: str, frame: pl.DataFrame, files: Mapping[str, str]) -> list[Problem]:
    """Problems on rows from a file name the file and line; on stored rows, the stored table."""
    stored_name = f"{TABLES[table].file_name} (données enregistrées)"
    problems = counted_rest(
        files.get(table, TABLES[table].file_name), TABLES[table], frame.slice(MAX_LISTED)
    )
    for line, code, message, row_key in frame.head(MAX_LISTED).iter_rows():
        column = french_header(TABLES[table], code)
        if line is None:
            problems.append(Problem.of_file(stored_name, f"{row_key}, {column} : {message}"))
        else:
            problems.append(
                Problem(files.get(table, TABLES[table].file_name), line, column, message)
            )
    return problems
