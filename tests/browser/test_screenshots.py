"""Every page at the two common screen sizes, after its first render, under
test-output/screenshots/ (to look at; nothing is compared)."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from tests.browser.dom import (
    PAGES,
    assert_no_error,
    open_from_sidebar,
    wait_charts,
    wait_idle,
    whole_content_in_view,
)
from tests.browser.server import Server

SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
SIZES = [(1366, 768), (1920, 1080)]


def slug(title: str) -> str:
    return re.sub(r"[^a-z]+", "-", title.lower().replace("é", "e")).strip("-")


@pytest.mark.parametrize("title", list(PAGES))
def test_screenshot(
    title: str, new_context: Callable[..., BrowserContext], seed_server: Server
) -> None:
    width, height = SIZES[0]
    page = new_context(viewport={"width": width, "height": height}).new_page()
    open_from_sidebar(page, seed_server, title, "?annee=2022")
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
