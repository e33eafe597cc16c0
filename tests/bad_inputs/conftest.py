"""The hostile-input corpus: every case is refused in French with its file, line and column and
leaves the database as it was (a hash of every table before and after), or is accepted as inert
text stored exactly as written. The terminal summary says how many cases held."""

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from spend.domain.access import Actor, Role
from spend.exchange.importer import ImportResult, import_folder, import_raw_tables
from spend.exchange.problems import ImportRefused
from spend.exchange.reading import RawTable
from spend.exchange.seed import open_database
from tests import summary
from tests.conftest import store_snapshot


def database_hash(con: duckdb.DuckDBPyConnection) -> str:
    """One hash of every row of every table (import log and settings included)."""
    digest = hashlib.sha256()
    for name, frame in sorted(store_snapshot(con).items()):
        digest.update(name.encode())
        for row in sorted(repr(row) for row in frame.rows()):
            digest.update(row.encode())
    return digest.hexdigest()


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    """One seeded database for every refusal: each case proves it left it unchanged, so they
    can share it (an accepted case takes its own `seeded_db`)."""
    con = open_database(tmp_path_factory.mktemp("hostile") / "hostile.duckdb")
    yield con
    con.close()


class Corpus:
    """What a corpus case asserts, recorded for the terminal summary."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request

    def refused(self, con: duckdb.DuckDBPyConnection, attempt: Callable[[], Any]) -> list[str]:
        """The problems of an attempt that must be refused, after checking that the database
        hash did not change."""
        before = database_hash(con)
        with pytest.raises(ImportRefused) as refusal:
            attempt()
        assert database_hash(con) == before
        self.record("refused")
        return [str(problem) for problem in refusal.value.problems]

    def record(self, outcome: str) -> None:
        """ "refused" (nothing written) or "accepted", counted in the summary line of
        tests/summary.py when the test passes."""
        summary.record(self._request, "hostile", self._request.node.nodeid, outcome)


@pytest.fixture
def corpus(request: pytest.FixtureRequest) -> Corpus:
    return Corpus(request)


def folder_of(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


# Imports in the corpus are made by a manager, as from the Données page.
MANAGER = Actor("corpus", Role.MANAGER)


def import_tables(
    con: duckdb.DuckDBPyConnection, raw_tables: list[RawTable], **options: Any
) -> ImportResult:
    """`import_raw_tables` as the page calls it, by a manager."""
    return import_raw_tables(con, raw_tables, source="corpus", actor=MANAGER, **options)


def import_dir(con: duckdb.DuckDBPyConnection, folder: Path) -> ImportResult:
    """`import_folder` as the command line calls it, by a manager."""
    return import_folder(con, folder, source="corpus", actor=MANAGER)
