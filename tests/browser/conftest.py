"""Fixtures of the browser tests: the real server, Debian's chromium driven by Playwright,
axe-core for accessibility. No pytest-playwright plugin (its deprecation warning would fail
the warnings-as-errors setup): the fixtures are written here.

Locally, a missing /usr/bin/chromium skips these tests (one line says so); with CI=true it
fails them. Same for node_modules/axe-core (installed by `make test` with npm).
"""

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from spend.paths import ROOT
from tests.browser.axe import Audit
from tests.browser.server import Server, running_server
from tests.browser.tools import AXE_JS, CHROMIUM, CHROMIUM_ARGS, IN_CI, NO_AXE, NO_CHROMIUM

OUTPUT = ROOT / "test-output"
BROWSER_TESTS = Path(__file__).resolve().parent
VIEWPORT = {"width": 1366, "height": 768}
DEFAULT_TIMEOUT_MS = 30_000
CONTEXT_SETTINGS: dict[str, object] = {
    "viewport": VIEWPORT,
    "locale": "fr-FR",
    "timezone_id": "Europe/Paris",
    "accept_downloads": True,
}
# A cold server takes a few seconds for its first page: more than expect()'s default 5 s.
expect.set_options(timeout=20_000)

REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


def _is_browser_test(item: pytest.Item) -> bool:
    return BROWSER_TESTS in Path(item.path).resolve().parents


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _is_browser_test(item):
            item.add_marker(pytest.mark.browser)
    if IN_CI or CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=NO_CHROMIUM)
    for item in items:
        if _is_browser_test(item):
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Iterator[pytest.TestReport]:
    report: pytest.TestReport = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


def _failed(request: pytest.FixtureRequest) -> bool:
    reports = request.node.stash.get(REPORTS, {})
    return any(r.failed for r in reports.values())


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_")[:120]


# --- browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One chromium for the session."""
    if not CHROMIUM.exists():
        pytest.fail(f"CI=true : {CHROMIUM} introuvable, les tests navigateur doivent tourner.")
    shutil.rmtree(OUTPUT / "browser" / "failures", ignore_errors=True)  # last run's captures
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_context(
    browser: Browser, request: pytest.FixtureRequest
) -> Iterator[Callable[..., BrowserContext]]:
    """Make browser contexts (each one a separate user); all closed after the test, with a
    screenshot of each of their pages under test-output/browser/failures/ if it failed."""
    made: list[BrowserContext] = []

    def make(**options: object) -> BrowserContext:
        context = browser.new_context(**{**CONTEXT_SETTINGS, **options})  # type: ignore[arg-type]
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    failed = _failed(request)
    for number, context in enumerate(made):
        if failed:
            _capture(request, context.pages, str(number))
        context.close()


def _capture(request: pytest.FixtureRequest, pages: list[Page], prefix: str) -> None:
    """A full screenshot of each page of a failed test, under test-output/browser/failures/."""
    for index, page in enumerate(pages):
        shot = OUTPUT / "browser" / "failures" / f"{_slug(request.node.name)}-{prefix}-{index}.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=shot, full_page=True)
        except Exception as error:
            print(f"capture impossible ({shot.name}) : {error}")


@pytest.fixture(scope="module")
def reader_context(browser: Browser) -> Iterator[BrowserContext]:
    """One context for a module's read-only visits: its HTTP cache spares each new page the
    download and compilation of Streamlit's scripts, half the time of a page's opening."""
    context = browser.new_context(**CONTEXT_SETTINGS)  # type: ignore[arg-type]
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def reader_page(reader_context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A new tab (a new Streamlit session) in the module's shared context."""
    page = reader_context.new_page()
    yield page
    if _failed(request):
        _capture(request, [page], "lecteur")
    page.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    """A page in a fresh context (fresh cookies, fresh Streamlit session)."""
    return new_context().new_page()


# --- servers ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def seed_server(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Server]:
    """The server that read-only flows share: a fresh database seeded from data/seed/."""
    db = tmp_path_factory.mktemp("seed_server") / "spend.duckdb"
    with running_server(db, OUTPUT / "browser" / "logs" / "seed_server.log") as server:
        yield server


@pytest.fixture
def fresh_server(
    tmp_path: Path, request: pytest.FixtureRequest, browser: Browser
) -> Iterator[Server]:
    """A server of its own, on its own seeded database, for a test that writes data."""
    log = OUTPUT / "browser" / "logs" / f"{_slug(request.node.name)}.log"
    with running_server(tmp_path / "spend.duckdb", log) as server:
        yield server


# --- accessibility ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def axe_js() -> Path:
    if not AXE_JS.exists():
        if IN_CI:
            pytest.fail(f"CI=true : {AXE_JS} absent (npm ci).")
        pytest.skip(NO_AXE)
    return AXE_JS


@pytest.fixture(scope="session")
def audit() -> Iterator[Audit]:
    """All axe findings of the session, written to test-output/accessibility/ at the end."""
    collected = Audit()
    yield collected
    collected.write(OUTPUT / "accessibility")
