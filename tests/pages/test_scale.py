"""At a few thousand conventions, every page draws about as many elements as on the seed: no
widget, message or chart per convention (a page whose elements grow with the rows is broken at
the sizes large authorities have)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from spend.exchange.demo import write_demo
from spend.exchange.seed import open_database
from spend.views.alerts import KINDS
from tests.pages.conftest import PAGE_SCRIPTS, assert_clean, open_page, widget_counts

CONVENTIONS = 3_000
# What a page may add at scale: one box per kind of alert, one page picker per long table.
SLACK = {"error": len(KINDS), "warning": len(KINDS), "info": 2, "number_input": 4}


@pytest.fixture
def large_db(app_db: Path) -> Path:
    app_db.unlink()  # the demo data alone
    with open_database(app_db, seed_if_new=False) as con:
        write_demo(con, CONVENTIONS, seed=7)
    return app_db


def elements(page: str, **query: str) -> dict[str, int]:
    at: AppTest = open_page(page, **query)
    assert_clean(at)
    return widget_counts(at)


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGE_SCRIPTS)
def test_a_page_draws_a_bounded_number_of_elements(page: str, large_db: Path) -> None:
    counts = elements(page)
    bounds = {kind: 12 + SLACK.get(kind, 0) for kind in counts}
    assert {k: v for k, v in counts.items() if v > bounds[k]} == {}, counts
