"""An uploaded deliberation is read in a bounded worker process, once per content (the
worker's budgets: tests/bad_inputs/test_worker.py)."""

import pytest
import streamlit as st

from spend.deliberations.reader import DeliberationReadError, read_deliberation_bytes
from spend.deliberations.text import MAX_DELIBERATION_BYTES
from spend.ui import reading
from tests.conftest import SOURCE_DOCUMENT


@pytest.fixture(autouse=True)
def fresh_caches() -> None:
    st.cache_resource.clear()


def test_the_reading_runs_in_another_process_and_is_kept() -> None:
    data = SOURCE_DOCUMENT.read_bytes()
    first = reading.read_uploaded_deliberation(data, "deliberation.txt")
    assert first == read_deliberation_bytes(data, "deliberation.txt")
    assert first.deliberation_id == "2022-504"
    # A rerun of the page with the same file reads nothing again.
    assert reading.read_uploaded_deliberation(data, "deliberation.txt") is first


def test_a_refused_file_says_why_in_french() -> None:
    with pytest.raises(DeliberationReadError, match="vide"):
        reading.read_uploaded_deliberation(b"   ", "vide.txt")


def test_the_uploaders_limit_is_the_readers() -> None:
    assert reading.MAX_DELIBERATION_MB * 1_000_000 == MAX_DELIBERATION_BYTES == 25_000_000
