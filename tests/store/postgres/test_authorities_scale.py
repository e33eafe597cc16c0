"""Many authorities on one server: a person's run opens the schemas it needs, not every one
(their names and rules are read once, then cached)."""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from spend.store import pg_profiles, postgres
from tests.pages.conftest import APP, assert_clean
from tests.store.postgres.conftest import spend
from tests.ui.test_access import AUTH

MANY = 120


@pytest.fixture
def many(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("SPEND_DB", str(tmp_path / "no-file.duckdb"))
    assert spend("init", "--authority", "a000").returncode == 0
    for number in range(1, MANY):
        postgres.connect(pg_url, f"a{number:03d}", create=True).close()
    st.cache_data.clear()
    st.cache_resource.clear()
    yield pg_url
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.slow
def test_a_rerun_opens_no_schema_per_authority(many: str, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []  # the authorities opened as a session
    connect = postgres.connect

    def counted(url: str, authority: str, **options: object) -> postgres.PgConnection:
        opened.append(authority)
        return connect(url, authority, **options)  # type: ignore[arg-type]

    batches: list[list[str]] = []  # the authorities whose name and rules were read together
    read_profiles = pg_profiles.read_profiles

    def read(url: str, authorities: list[str]) -> Iterator[pg_profiles.Profile]:
        batches.append(list(authorities))
        started = time.perf_counter()
        found = list(read_profiles(url, authorities))
        took.append(time.perf_counter() - started)
        return iter(found)

    took: list[float] = []
    monkeypatch.setattr(postgres, "connect", counted)
    monkeypatch.setattr(pg_profiles, "read_profiles", read)
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = AUTH
    at.secrets["acces"] = {"collectivites": {"a000": {"lecteurs": ["agent@a000.fr"]}}}
    at.user = {"is_logged_in": True, "sub": "x", "email": "agent@a000.fr", "email_verified": True}
    started = time.perf_counter()
    at.run()
    first = time.perf_counter() - started
    assert_clean(at)
    assert at.metric, "a000's overview"
    # Every authority's saved rules read once, together; only the person's one opened.
    assert [len(batch) for batch in batches] == [MANY]
    assert set(opened) == {"a000"}, sorted(set(opened))
    opened.clear()
    started = time.perf_counter()
    at.run()
    again = time.perf_counter() - started
    assert_clean(at)
    assert set(opened) == {"a000"}, sorted(set(opened))
    assert len(batches) == 1, "read again within the delay"
    print(
        f"{MANY} collectivités : premier passage {first:.2f} s (dont noms et droits de toutes "
        f"{took[0]:.2f} s), suivant {again:.2f} s"
    )
