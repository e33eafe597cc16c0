"""The caches of what the data holds are all forgotten at a write: every cache keyed on the
data's version is listed in `COMPUTED`, which `after_write` clears."""

import ast
import inspect
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import streamlit as st

from spend.domain.access import Actor, Role
from spend.store.arbitration import set_arbitration
from spend.ui import cache

MANAGER = Actor("g.martin@exemple.fr", Role.MANAGER, "tests")
LINE = ("C06-020M02", "6281/930202")


def _version_keyed_caches() -> set[str]:
    """The functions of spend/ui/cache.py under `st.cache_resource` whose first argument is
    the data's version."""
    tree = ast.parse(inspect.getsource(cache))
    found = set()
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or not node.args.args:
            continue
        decorators = [ast.unparse(d) for d in node.decorator_list]
        cached = any(d.startswith("st.cache_resource") for d in decorators)
        if cached and node.args.args[0].arg == "version":
            found.add(node.name)
    return found


def test_every_cache_keyed_on_the_version_is_forgotten_at_a_write() -> None:
    listed = {c.__name__ for c in cache.COMPUTED}
    keyed = _version_keyed_caches()
    assert {"cached_inputs", "cached_draft", "cached_preparation", "cached_bills_in"} <= keyed
    assert keyed - listed == set()  # a new cache not listed would serve old figures
    assert listed <= keyed  # and nothing else is listed


@pytest.fixture
def store_state(app_db: Path) -> Iterator[cache.StoreState]:
    st.session_state.pop("store_state", None)
    yield cache.store_state()
    st.session_state.pop("store_state", None)


def test_a_write_forgets_the_preparation_pages_frames(store_state: cache.StoreState) -> None:
    version = store_state.version
    inputs, figures = cache.cached_inputs(version), cache.cached_baseline(version)
    prepared = cache.cached_preparation(version, 2023, None)
    bills = cache.cached_bills_in(version, 2023)
    drafted = cache.cached_draft(version, 2022, inputs, figures, {})
    assert cache.cached_preparation(version, 2023, None) is prepared  # cached

    with cache.session() as con:
        set_arbitration(con, *LINE, 2023, Decimal("2600.00"), actor=MANAGER)
    cache.after_write()

    again = cache.cached_preparation(version, 2023, None)
    assert again is not prepared  # read again, with the amount just arbitrated
    line = again.filter(again["imputation"] == LINE[1]).row(0, named=True)
    assert line["arbitrated"] == Decimal("2600.00")
    assert cache.cached_draft(version, 2022, inputs, figures, {}) is not drafted
    assert cache.cached_bills_in(version, 2023) == bills
    assert cache.store_state().version != version
