"""The dashboard's caches on a server of several authorities: keyed by the authority, so two
authorities never share an entry; a write forgets its own authority's entries only."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from spend.store import backend
from spend.ui import cache
from tests.store.postgres.conftest import spend

BOTH = {"arras", "lens"}


@pytest.fixture
def two_seeded(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SPEND_DB", str(tmp_path / "no-file.duckdb"))
    for name in sorted(BOTH):  # the same seed: the same write counters
        assert spend("init", "--authority", name).returncode == 0
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def state_of(name: str) -> cache.StoreState:
    with backend.scope(name, BOTH):
        st.session_state.pop("store_state", None)
        return cache.store_state()


def test_same_counters_two_entries_and_a_write_forgets_only_its_own(two_seeded: None) -> None:
    arras, lens = state_of("arras"), state_of("lens")
    assert arras.version.split("@")[1].split(":")[0] == lens.version.split("@")[1].split(":")[0]
    assert arras.version != lens.version
    assert arras.scenarios_version != lens.scenarios_version
    with backend.scope("lens", BOTH):
        lens_inputs = cache.cached_inputs(lens.version)
    with backend.scope("arras", BOTH):
        arras_inputs = cache.cached_inputs(arras.version)
        assert arras_inputs is not lens_inputs
        st.session_state["store_state"] = arras
        assert spend("settings", "vat_rate=20.0", "--authority", "arras").returncode == 0
        cache.after_write()  # as a page does after its write
        assert cache.cached_inputs(arras.version) is not arras_inputs  # forgotten, read again
        assert cache.store_state().version != arras.version
    with backend.scope("lens", BOTH):
        assert cache.cached_inputs(lens.version) is lens_inputs  # kept


def test_another_processs_write_forgets_that_authoritys_older_frames(two_seeded: None) -> None:
    lens, arras = state_of("lens"), state_of("arras")
    with backend.scope("lens", BOTH):
        lens_inputs = cache.cached_inputs(lens.version)
    with backend.scope("arras", BOTH):
        arras_inputs = cache.cached_inputs(arras.version)
    assert spend("settings", "vat_rate=20.0", "--authority", "lens").returncode == 0
    assert state_of("lens").version != lens.version  # seen at the next run
    with backend.scope("lens", BOTH):
        assert cache.cached_inputs(lens.version) is not lens_inputs
    with backend.scope("arras", BOTH):
        assert cache.cached_inputs(arras.version) is arras_inputs
