"""Every page renders on the seed without an exception or an error message."""

from pathlib import Path

import pytest

from spend.exchange.seed import open_database
from tests.conftest import run_cli
from tests.pages.conftest import PAGE_SCRIPTS, assert_clean, open_page


@pytest.mark.parametrize("page", PAGE_SCRIPTS)
def test_page_renders(app_db: Path, page: str) -> None:
    at = open_page(page)
    assert not at.exception, at.exception
    unexpected = [
        e.value
        for e in at.error
        if "sans crédits" not in e.value
        and "Solde négatif" not in e.value
        and "sans aucun crédit" not in e.value
    ]
    assert not unexpected, unexpected
    assert at.title[0].value


@pytest.mark.parametrize("page", PAGE_SCRIPTS)
def test_page_renders_on_an_empty_database(app_db: Path, page: str) -> None:
    app_db.unlink()
    open_database(app_db, seed_if_new=False).close()
    at = open_page(page)
    assert_clean(at)
    assert at.title[0].value


def test_the_first_run_seeds_a_new_database(app_db: Path) -> None:
    """`make run` on a machine without data/spend.duckdb: `init` creates and seeds it (the
    dashboard itself never creates a database)."""
    app_db.unlink()
    assert not open_page().exception
    assert not app_db.exists()
    assert run_cli("init", "--db", str(app_db)).returncode == 0
    at = open_page()
    assert_clean(at)
    shown = [m.value.replace("\u202f", " ").replace("\xa0", " ") for m in at.metric][:3]
    assert shown == ["3 000,00 €", "2 800,00 €", "200,00 €"]
