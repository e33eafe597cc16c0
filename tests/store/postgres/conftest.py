"""A real PostgreSQL server for the tests of this folder (see cluster.py): one cluster for the
session, a new database per test.

Without PostgreSQL on the machine these tests are skipped, one line saying why; with CI=true
they fail instead (`.ci/run` installs it).
"""

import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from spend.paths import ROOT
from tests.store.postgres import cluster

HERE = Path(__file__).resolve().parent
_names = itertools.count(1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    why = cluster.missing()
    if why is None or cluster.IN_CI:
        return
    skip = pytest.mark.skip(reason=why)
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[cluster.Cluster]:
    why = cluster.missing()
    if why is not None:
        pytest.fail(f"CI=true : {why} ; les tests PostgreSQL doivent tourner.")
    started = cluster.start()
    yield started
    started.stop()


@pytest.fixture
def pg_url(pg_cluster: cluster.Cluster, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new database of the session's cluster, named by SPEND_DATABASE_URL for this test."""
    url = pg_cluster.create_database(f"spend_{os.getpid()}_{next(_names)}")
    monkeypatch.setenv("SPEND_DATABASE_URL", url)
    monkeypatch.delenv("SPEND_AUTHORITY", raising=False)
    return url


def spend(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m spend …` in a real process, with this process's environment (and `env`)."""
    return subprocess.run(
        [sys.executable, "-m", "spend", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )
