"""Every page renders on the seed without an exception or an error message."""

from pathlib import Path

import pytest

from spend.exchange.seed import open_database
from tests.pages.conftest import assert_clean, open_page

PAGES = [
    "pages/overview.py",
    "pages/conventions.py",
    "pages/fees.py",
    "pages/budget.py",
    "pages/simulation.py",
    "pages/data.py",
    "pages/journal.py",
    "pages/admin.py",
]


@pytest.mark.parametrize("page", PAGES)
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


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_an_empty_database(app_db: Path, page: str) -> None:
    open_database(app_db, seed_if_new=False).close()
    at = open_page(page)
    assert_clean(at)
    assert at.title[0].value
