"""Every page at the two common screen sizes, after its first render, under
test-output/screenshots/ (to look at), and the columns that matter visible at 1366 pixels."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.dom import (
    PAGES,
    assert_no_error,
    open_page,
    wait_charts,
    wait_idle,
    whole_content_in_view,
)
from tests.browser.server import Server

SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
SIZES = [(1366, 768), (1920, 1080)]
# The columns a manager reads first in each page's first table: on a 1366-pixel screen they are
# shown whole, without scrolling sideways.
BUDGET_KEYS = ["Ligne budgétaire", "Exercice", "Crédits", "Engagé", "Solde", "Part consommée (%)"]
KEY_COLUMNS = {
    "Vue d'ensemble": BUDGET_KEYS,
    "Conventions": [
        "Convention", "Centrale", "Situation", "Début", "Fin", "Préavis au plus tard",
        "Cotisation", "Statut enregistré",
    ],
    "Cotisations": ["Identifiant centrale", "Exercice", "Montant HT", "TVA", "Montant TTC"],
    "Budget": BUDGET_KEYS,
    "Simulation": [
        "Ligne budgétaire", "Exercice", "Engagé (enregistré)", "Engagé (scénario)",
        "Solde (enregistré)", "Solde (scénario)", "Écart solde",
    ],
    # One line per operation: its rows (table, key) open beneath the chosen line.
    "Journal": ["N°", "Quand (heure de Paris)", "Opération", "Quoi", "Lignes", "Qui"],
}  # fmt: skip


def columns_in_view(page: Page) -> tuple[list[str], bool]:
    """The headers the first table draws, and whether more columns lie beyond its right edge.

    The grid lists in its accessible table only the columns it draws: the last of them may be
    cut when the table scrolls sideways.
    """
    table = page.locator("[data-testid=stDataFrame]:visible").first
    table.locator(".dvn-scroller").wait_for(state="attached")
    expect(table.locator("table th").first).to_be_attached()
    return table.evaluate(
        """(grid) => {
            const headers = [...grid.querySelectorAll('table th')].map(th => th.textContent);
            const scroller = grid.querySelector('.dvn-scroller');
            return [headers, scroller.scrollWidth > scroller.clientWidth + 1];
        }"""
    )


def slug(title: str) -> str:
    return re.sub(r"[^a-z]+", "-", title.lower().replace("é", "e")).strip("-")


@pytest.mark.parametrize("title", list(PAGES))
def test_screenshot(title: str, reader_page: Page, seed_server: Server) -> None:
    page = reader_page
    page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
    # Straight at its address (the sidebar's links are the navigation tests' concern).
    open_page(page, seed_server, PAGES[title] + "?annee=2022", title=title)
    if title in KEY_COLUMNS:
        headers, scrolls = columns_in_view(page)
        whole = headers[:-1] if scrolls else headers
        missing = [c for c in KEY_COLUMNS[title] if c not in whole]
        assert not missing, f"{title} à 1366 px : colonnes cachées {missing} (vues : {headers})"
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(500)  # charts and the grid redraw at the new width
        wait_idle(page)
        wait_charts(page)
        assert_no_error(page, f"{title} {width}×{height}")
        page.screenshot(path=SHOTS / f"{slug(title)}-{width}x{height}.png")
    # The whole page at the smaller width, everything below the fold included.
    page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
    page.wait_for_timeout(500)
    wait_charts(page)
    with whole_content_in_view(page):
        wait_charts(page)
        page.screenshot(path=SHOTS / f"{slug(title)}-{SIZES[0][0]}-pleine-page.png")
