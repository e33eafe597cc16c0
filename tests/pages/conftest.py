"""AppTest fixtures: each test gets its own seeded database and empty Streamlit caches."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from spend.paths import ROOT
from tests.conftest import copy_of_seeded

APP = str(ROOT / "app.py")
PAGE_SCRIPTS = [
    "pages/overview.py",
    "pages/conventions.py",
    "pages/fees.py",
    "pages/budget.py",
    "pages/simulation.py",
    "pages/data.py",
    "pages/journal.py",
    "pages/admin.py",
]


@pytest.fixture
def app_db(tmp_path: Path, seeded_file: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The dashboard's database: a copy of a seeded one (tests/pages/test_smoke.py lets the app
    seed a new file itself)."""
    db = copy_of_seeded(seeded_file, tmp_path / "app.duckdb")
    monkeypatch.setenv("SPEND_DB", str(db))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield db
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(page: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    return at


UNEXPECTED = "Une erreur inattendue"


def assert_clean(at: AppTest) -> None:
    """No exception, and no error caught by app.py's last resort (which would hide one)."""
    assert not at.exception, at.exception
    assert not [e.value for e in at.error if UNEXPECTED in e.value]


def widget_counts(at: AppTest) -> dict[str, int]:
    """How many of each element the page draws: must not grow with the number of rows."""
    kinds = (
        "selectbox", "select_slider", "slider", "number_input", "text_input", "multiselect",
        "button", "error", "warning", "info", "success", "metric", "expander", "dataframe",
    )  # fmt: skip
    counts = {kind: len(at.get(kind)) for kind in kinds}
    counts["charts"] = len(at.get("vega_lite_chart")) + len(at.get("arrow_vega_lite_chart"))
    return counts


def markdown_text(at: AppTest) -> str:
    """The page's Markdown as the reader sees it: escapes (stored text is made inert) removed."""
    return re.sub(r"\\(.)", r"\1", " ".join(m.value for m in at.markdown))
