"""Reading and driving the dashboard in a real page: waits, metrics, tables, sidebar filters."""

import contextlib
import re
from collections.abc import Iterator

from playwright.sync_api import Locator, Page, expect

from tests.browser.server import Server

# Title of each page (its h1 and its sidebar link) and the address a manager shares for it.
PAGES: dict[str, str] = {
    "Vue d'ensemble": "/",
    "Conventions": "/conventions",
    "Cotisations": "/fees",
    "Budget": "/budget",
    "Simulation": "/simulation",
    "Préparation": "/preparation",
    "Données": "/data",
    "Journal": "/journal",
    "Administration": "/admin",
}
UNEXPECTED_ERROR = "Une erreur inattendue"


def norm(text: str) -> str:
    """Collapse every kind of space (the app writes U+202F and U+00A0 in amounts) to one ' '."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def spaced(expected: str, *, whole: bool = True) -> re.Pattern[str]:
    """A pattern for `expected` where each ' ' matches any run of spaces (JavaScript's \\s
    covers U+00A0 and U+202F), for `expect(...).to_have_text` (whole text) or
    `to_contain_text` (whole=False)."""
    body = r"\s+".join(re.escape(part) for part in expected.split(" "))
    return re.compile(rf"^\s*{body}\s*$" if whole else body)


# Playwright's expect() retries at growing intervals (up to a second apart): a wait for the end
# of a render would often see it a second late. These waits poll at each animation frame.
RENDERED = """([title]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (app === null
        || app.getAttribute('data-test-connection-state') !== 'CONNECTED'
        || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    // french.js runs when Streamlit has fetched the chunk that draws `st.html`, which under load
    // can come after the run is over: until it sets the page's language, the frame still speaks
    // English (« Skip to main content »).
    if (document.documentElement.lang !== 'fr') return false;
    if (title === undefined) return true;
    const heading = document.querySelector('h1');
    if (heading === null) return false;
    return title === null || heading.textContent.replace(/\\s+/g, ' ').trim() === title;
}"""
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].every(
    (chart) => {
        const svg = chart.querySelector('svg');
        if (svg === null) return false;
        const box = svg.getBoundingClientRect();
        return box.width > 0 && box.height > 0;
    })"""


def wait_idle(page: Page, timeout_ms: float = 30_000) -> None:
    """Connected, and the script run that the last navigation or action started is finished."""
    page.wait_for_function(RENDERED, arg=[], timeout=timeout_ms)


def wait_heading(page: Page, title: str | None = None, timeout_ms: float = 30_000) -> None:
    """Idle, with a first heading (whose text is `title` when given)."""
    page.wait_for_function(RENDERED, arg=[title], timeout=timeout_ms)


def wait_charts(page: Page) -> None:
    """Every Vega-Lite chart on the page has drawn its SVG."""
    page.wait_for_function(CHARTS_DRAWN, timeout=20_000)


def open_page(page: Page, server: Server, path: str, title: str | None = None) -> None:
    """Load `path` in a new session and wait until it has rendered (h1, charts, idle)."""
    page.goto(server.url + path)
    wait_heading(page, title)
    wait_charts(page)


def open_from_sidebar(page: Page, server: Server, title: str, query: str = "") -> None:
    """Open the app at '/' + query (the query sets the filters), then the page `title` from the
    sidebar: the way a manager goes there, whatever the page's address."""
    open_page(page, server, "/" + query)
    if title == "Vue d'ensemble":
        expect(page.locator("h1").first).to_have_text(title)
        return
    nav_link(page, title).click()
    wait_heading(page, title)
    wait_charts(page)


def assert_no_error(page: Page, where: str) -> None:
    """No Streamlit exception block, no 'unexpected error' sentence from app.py."""
    exceptions = page.get_by_test_id("stException")
    assert exceptions.count() == 0, (
        f"{where} : exception affichée : {exceptions.first.inner_text()}"
    )
    main = norm(page.get_by_test_id("stMain").inner_text())
    assert UNEXPECTED_ERROR not in main, f"{where} : « {UNEXPECTED_ERROR} » affiché : {main[:500]}"


def alert(page: Page, text: str) -> Locator:
    """The message boxes of the main block that say `text`."""
    return page.get_by_test_id("stMain").get_by_test_id("stAlert").filter(has_text=text)


def metric(page: Page, label: str) -> Locator:
    """The value of the metric card whose label is exactly `label`."""
    card = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    return card.get_by_test_id("stMetricValue")


def expect_metric(page: Page, label: str, value: str) -> None:
    expect(metric(page, label), f"carte « {label} »").to_have_text(spaced(value))


def metric_delta(page: Page, label: str) -> tuple[str, str]:
    """A card's change as shown: its text, and whether it is drawn red or green."""
    card = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    delta = card.get_by_test_id("stMetricDelta")
    expect(delta).to_be_visible()
    red, green = delta.evaluate(
        """(element) => {
            const [r, g] = getComputedStyle(element).color.match(/\\d+/g).map(Number);
            return [r, g];
        }"""
    )
    return norm(delta.inner_text()), "rouge" if red > green else "vert"


def sidebar_choice(page: Page, label: str) -> Locator:
    """The text input of the sidebar select box labelled `label` (its value is the choice)."""
    return page.get_by_test_id("stSidebar").get_by_role("combobox", name=label)


def nav_link(page: Page, title: str) -> Locator:
    return page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True)


def table_rows(table: Locator) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of an st.dataframe, from the grid's accessible table.

    The grid draws on a canvas and mirrors the cells it has drawn into a hidden table: only
    the columns and rows in view are there (enough for the first columns of a small table)."""
    expect(table.locator("table")).to_have_count(1)
    data: tuple[list[str], list[list[str]]] = table.locator("table").evaluate(
        """t => [
            [...t.querySelectorAll('thead th')].map(c => c.textContent),
            [...t.querySelectorAll('tbody tr')].map(
                r => [...r.querySelectorAll('td')].map(c => c.textContent))
        ]"""
    )
    headers, rows = data
    return [norm(h) for h in headers], [[norm(c) for c in row] for row in rows]


def dataframe_after(page: Page, heading: str) -> Locator:
    """The first st.dataframe that follows the subheader `heading` in the main block."""
    return (
        page.get_by_test_id("stMain")
        .get_by_role("heading", name=heading, exact=True)
        .locator(
            "xpath=ancestor::*[@data-testid='stElementContainer'][1]"
            "/following-sibling::*[.//*[@data-testid='stDataFrame']][1]"
        )
        .get_by_test_id("stDataFrame")
        .first
    )


def download_buttons_after(page: Page, heading: str) -> Locator:
    """The download buttons of the table that follows the subheader `heading`."""
    return (
        page.get_by_test_id("stMain")
        .get_by_role("heading", name=heading, exact=True)
        .locator(
            "xpath=ancestor::*[@data-testid='stElementContainer'][1]"
            "/following-sibling::*[.//*[@data-testid='stDownloadButton']][1]"
        )
        .get_by_test_id("stDownloadButton")
    )


def content_height(page: Page) -> int:
    """Height of the taller of the main block and the sidebar, scrolled contents included."""
    height: int = page.evaluate(
        """() => Math.max(
            ...['stMain', 'stSidebarContent'].map(id => {
                const e = document.querySelector(`[data-testid="${id}"]`);
                return e === null ? 0 : e.scrollHeight;
            }),
            window.innerHeight)"""
    )
    return height


@contextlib.contextmanager
def whole_content_in_view(page: Page) -> Iterator[None]:
    """Make the viewport as tall as the content (up to 16 000 px), then put it back: nothing
    is scrolled out of its container, for a full screenshot or for axe, which leaves the
    contrast of text scrolled out of view unchecked."""
    before = page.viewport_size or {"width": 1366, "height": 768}
    page.set_viewport_size({"width": before["width"], "height": min(content_height(page), 16_000)})
    try:
        page.wait_for_timeout(300)  # the layout follows the new height
        wait_idle(page)
        yield
    finally:
        page.set_viewport_size(before)


def open_expanders(page: Page) -> None:
    """Open every collapsed expander in view in the main block (their content is then audited);
    those of the tabs not shown wait for their tab."""
    closed = page.get_by_test_id("stMain").locator(
        "[data-testid='stExpander'] details:not([open]) > summary:visible"
    )
    for _ in range(closed.count()):
        closed.first.click()
        wait_idle(page)


# --- st.data_editor ---------------------------------------------------------------------------
# The editor is a Glide data grid drawn on a canvas. Its accessible table (inside the canvas)
# numbers the columns from 1 (column 0 is the row marker) and the data rows from 0; the cell of
# column c, row r is `#glide-cell-c-r`, with aria-selected="true" when it is the current cell.
# Streamlit's rows and header are 35 px tall.
GRID_ROW_HEIGHT_PX = 35


def grid_cell_position(editor: Locator, column: str, key_column: str, key: str) -> tuple[int, int]:
    """(column, row) of the cell under the header `column` in the only row whose `key_column`
    cell reads `key`, in the numbering of the editor's accessible table."""
    # A rerun (another replica's write, a restore) draws the new grid before it drops the old
    # one: read only once a single grid is left.
    expect(editor).to_have_count(1)
    table = editor.get_by_test_id("data-grid-canvas").locator("table")
    expect(table.locator("tbody td").first).to_be_attached()
    found: dict[str, list[int]] = table.evaluate(
        """(t, [column, keyColumn, key]) => {
            const index = name => [...t.querySelectorAll('thead th')]
                .filter(h => h.textContent.trim() === name)
                .map(h => Number(h.getAttribute('aria-colindex')));
            const keyCols = index(keyColumn);
            const rows = [...t.querySelectorAll('tbody tr')]
                .filter(r => [...r.children].some(
                    c => keyCols.includes(Number(c.getAttribute('aria-colindex')))
                        && c.textContent.trim() === key))
                .map(r => Number(r.getAttribute('aria-rowindex')) - 2);
            return {cols: index(column), keyCols: keyCols, rows: rows};
        }""",
        [column, key_column, key],
    )
    assert len(found["cols"]) == 1, f"colonne « {column} » : {found}"
    assert len(found["keyCols"]) == 1, f"colonne « {key_column} » : {found}"
    assert len(found["rows"]) == 1, f"lignes où « {key_column} » vaut « {key} » : {found}"
    return found["cols"][0], found["rows"][0]


def grid_cell(editor: Locator, col: int, row: int) -> Locator:
    return editor.get_by_test_id("data-grid-canvas").locator(f"#glide-cell-{col}-{row}")


def edit_grid_cell(page: Page, editor: Locator, col: int, row: int, value: str) -> None:
    """Put `value` into a cell of an st.data_editor as a user does: click the first cell of
    the first row, arrow keys to the cell, Enter opens the cell's editor, its text is replaced,
    Enter commits. (Typing straight onto a chosen cell loses the first keys while the editor
    opens: Enter first, then wait for the editor's focus.)"""
    editor.get_by_test_id("stDataFrameResizable").click(
        position={"x": 60, "y": GRID_ROW_HEIGHT_PX * 1.5}
    )
    expect(grid_cell(editor, 1, 0), "première cellule choisie").to_have_attribute(
        "aria-selected", "true"
    )
    for _ in range(col - 1):
        page.keyboard.press("ArrowRight")
    for _ in range(row):
        page.keyboard.press("ArrowDown")
    cell = grid_cell(editor, col, row)
    expect(cell, f"cellule {col}-{row} choisie").to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    # The cell's editor is a textarea in an overlay drawn in Streamlit's portal.
    entry = page.get_by_test_id("portal").locator("textarea.gdg-input")
    expect(entry).to_be_focused()
    entry.fill(value)
    page.keyboard.press("Enter")
    expect(entry).to_have_count(0)
    expect(cell).to_have_text(value)
    wait_idle(page)
