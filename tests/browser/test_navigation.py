"""Flow 1: every page opens from the sidebar navigation, without an error."""

from playwright.sync_api import Page, expect

from tests.browser.dom import PAGES, assert_no_error, nav_link, open_page, wait_charts, wait_idle
from tests.browser.server import Server


def test_every_page_opens_from_the_sidebar(page: Page, seed_server: Server) -> None:
    open_page(page, seed_server, "/", title="Vue d'ensemble")
    # Round and back in one session: first visits, then pages seen before.
    for title in [*PAGES, *reversed(PAGES)]:
        nav_link(page, title).click()
        heading = page.locator("h1").first
        expect(heading, f"titre de la page {title}").to_have_text(title)
        expect(heading).to_be_visible()
        expect(nav_link(page, title)).to_have_attribute("aria-current", "page")
        wait_idle(page)
        wait_charts(page)
        assert_no_error(page, f"page {title}")
    assert "page error" not in seed_server.log_text(), seed_server.log_tail()


# Streamlit's own English that the pages must not show (translated or hidden).
ENGLISH = [
    "Drag and drop", "per file", "Skip to main content", "Select all", "Download as",
    "Copy Vega", "Choose an option", "Press Enter", "Browse files", "Clear all", "Upload",
    "Show/hide", "Choose date", "yyyy", "day, ",
]  # fmt: skip


def test_pages_declare_french_and_name_the_tab(page: Page, seed_server: Server) -> None:
    # RGAA 8.3 (language of the page) and 8.6 (a title that says which page it is).
    for title, path in PAGES.items():
        open_page(page, seed_server, path, title=title)
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page).to_have_title(title)
        page.wait_for_timeout(300)  # the translation follows each render
        words = page.evaluate(
            """() => document.body.innerText + " " + [...document.querySelectorAll(
                '[aria-label], [title], [placeholder]')].map(e => [e.getAttribute('aria-label'),
                e.getAttribute('title'), e.getAttribute('placeholder')].join(' ')).join(' ')"""
        )
        english = [w for w in ENGLISH if w in words]
        assert not english, f"{title} : mots anglais de Streamlit visibles {english}"
