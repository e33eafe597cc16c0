"""The dashboard on the PostgreSQL store: the pages read the authority of SPEND_AUTHORITY,
through the same calls as on the file."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from tests.pages.conftest import PAGE_SCRIPTS, assert_clean, open_page
from tests.store.postgres.conftest import spend


@pytest.fixture
def on_server(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("SPEND_DB", str(tmp_path / "no-file.duckdb"))  # never opened
    st.cache_data.clear()
    st.cache_resource.clear()
    yield pg_url
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.slow
def test_the_overview_shows_the_seed_of_the_chosen_authority(
    on_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert spend("init", "--authority", "arras").returncode == 0
    assert spend("init", "--empty", "--authority", "lens").returncode == 0
    monkeypatch.setenv("SPEND_AUTHORITY", "arras")
    at = open_page()
    assert_clean(at)
    shown = [m.value.replace("\u202f", " ").replace("\xa0", " ") for m in at.metric][:3]
    assert shown == ["3 000,00 €", "2 800,00 €", "200,00 €"]
    for page in [*PAGE_SCRIPTS, "pages/preparation.py"]:
        opened = open_page(page)
        assert_clean(opened)
        # Nor a query the server refused, which a page shows as its error rather than raising.
        refused = [e.value for e in opened.error if "PostgreSQL" in e.value]
        assert not refused, (page, refused)
    monkeypatch.setenv("SPEND_AUTHORITY", "lens")
    st.cache_data.clear()
    st.cache_resource.clear()
    at = open_page()
    assert_clean(at)
    shown = [m.value.replace("\u202f", " ").replace("\xa0", " ") for m in at.metric][:3]
    assert "3 000,00 €" not in shown and "2 800,00 €" not in shown
    assert not (tmp_path / "no-file.duckdb").exists()


@pytest.mark.slow
def test_an_arbitrage_saved_on_the_server_is_shown_at_once(
    on_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The page's cached proposal is keyed on the data's version: the write's new version shows
    # the amount without the page forgetting anything itself.
    assert spend("init", "--authority", "arras").returncode == 0
    monkeypatch.setenv("SPEND_AUTHORITY", "arras")
    at = open_page("pages/preparation.py")
    at.selectbox(key="preparation_year").set_value(2023).run()
    before = _arbitrated(at)
    at.text_input(key="preparation_amount").set_value("2 600,00")
    at.button[0].click().run()
    assert_clean(at)
    assert before != "2 600,00 €"
    assert _arbitrated(at) == "2 600,00 €"


def _arbitrated(at) -> str:  # type: ignore[no-untyped-def]
    shown = str(at.dataframe[0].value["Arbitré N"].iloc[0])
    return shown.replace("\u202f", " ").replace("\xa0", " ")
