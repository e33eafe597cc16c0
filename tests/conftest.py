"""Shared fixtures: throwaway databases built from the committed seed and schema."""

import contextlib
import io
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pytest

from spend import store
from spend.cli import main
from spend.domain.access import Actor, Role
from spend.exchange.seed import open_database
from spend.paths import ROOT
from tests import summary

# The source deliberation (n° 2022-504 of the Pas-de-Calais, 13/12/2022) as extracted text.
FIXTURES = ROOT / "tests" / "fixtures"
SOURCE_DOCUMENT = FIXTURES / "source_deliberation_2022_504.txt"


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database seeded from data/seed/ for the session, closed: tests take copies of it
    (seeding checks every row of the seed, a third of a second; a copy is a few milliseconds)."""
    path = tmp_path_factory.mktemp("seeded") / "seeded.duckdb"
    open_database(path).close()
    return path


def copy_of_seeded(seeded_file: Path, target: Path) -> Path:
    """A new database file at `target`, the same as one just seeded."""
    shutil.copyfile(seeded_file, target)
    return target


@pytest.fixture
def seeded_db(tmp_path: Path, seeded_file: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A new database file loaded with data/seed/."""
    con = open_database(copy_of_seeded(seeded_file, tmp_path / "seeded.duckdb"))
    yield con
    con.close()


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A new database with the schema and no rows."""
    con = open_database(tmp_path / "empty.duckdb", seed_if_new=False)
    yield con
    con.close()


def write_log(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every row of the write log, one per write (read directly: it is the store's own)."""
    cursor = con.cursor()
    try:
        return cursor.sql("select * from write_log order by all").pl()
    finally:
        cursor.close()


def store_snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    """Everything the store holds, to compare before and after an operation that must not write."""
    tables = store.read_all(con)
    tables["write_log"] = write_log(con)
    tables["settings"] = store.query(con, "read_settings")
    return tables


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> CliResult:
    """`python -m spend ARGS` in this process (a subprocess would prove nothing more).

    Output goes through real text streams over bytes, as the command line writes both text and
    bytes (`sys.stdout.buffer`); an argparse error's SystemExit becomes the return code.
    """
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    return CliResult(code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8"))


# The author of the writes tests make (an administrator: every right).
ADMIN = Actor("tests", Role.ADMIN, "tests")


# --- the summary lines (tests/summary.py) -------------------------------------------------------


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    summary.collect(report)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in summary.lines():
        terminalreporter.write_line(line)
