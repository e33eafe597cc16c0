"""Fixtures of the browser tests: the real server, Debian's chromium driven by Playwright,
axe-core for accessibility. No pytest-playwright plugin (its deprecation warning would fail
the warnings-as-errors setup): the fixtures are written here.

Locally, a missing /usr/bin/chromium skips these tests (one line says so); with CI=true it
fails them. Same for node_modules/axe-core (installed by `make test` with npm).
"""

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from spend.paths import ROOT
from tests.browser.axe import Audit
from tests.browser.server import Server, running_server

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
OUTPUT = ROOT / "test-output"
BROWSER_TESTS = Path(__file__).resolve().parent
IN_CI = os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}
VIEWPORT = {"width": 1366, "height": 768}
DEFAULT_TIMEOUT_MS = 30_000
# A cold server takes a few seconds for its first page: more than expect()'s default 5 s.
expect.set_options(timeout=20_000)

NO_CHROMIUM = (
    f"tests navigateur ignorés : {CHROMIUM} introuvable (apt-get install chromium ; "
    "avec CI=true ils échouent)"
)
NO_AXE = (
    f"tests d'accessibilité ignorés : {AXE_JS.relative_to(ROOT)} absent (npm ci, fait par "
    "`make test` ; avec CI=true ils échouent)"
)

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


_timing = {"tests": 0, "seconds": 0.0}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if BROWSER_TESTS.name in report.nodeid.split("::")[0].split("/"):
        _timing["seconds"] += report.duration
        _timing["tests"] += report.when == "call"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line: why browser tests did not run, or how long they took (shown even with -q)."""
    if not IN_CI and not CHROMIUM.exists():
        terminalreporter.write_line(NO_CHROMIUM, yellow=True)
        return
    if not IN_CI and not AXE_JS.exists():
        terminalreporter.write_line(NO_AXE, yellow=True)
    if _timing["tests"]:
        terminalreporter.write_line(
            f"tests navigateur : {_timing['tests']} en {_timing['seconds']:.0f} s "
            "(captures : test-output/screenshots/, accessibilité : test-output/accessibility/)"
        )


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
        settings: dict[str, object] = {
            "viewport": VIEWPORT,
            "locale": "fr-FR",
            "timezone_id": "Europe/Paris",
            "accept_downloads": True,
        }
        settings.update(options)
        context = browser.new_context(**settings)  # type: ignore[arg-type]
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    failed = _failed(request)
    for number, context in enumerate(made):
        if failed:
            for index, page in enumerate(context.pages):
                shot = (
                    OUTPUT / "browser" / "failures"
                    / f"{_slug(request.node.name)}-{number}-{index}.png"
                )  # fmt: skip
                shot.parent.mkdir(parents=True, exist_ok=True)
                try:
                    page.screenshot(path=shot, full_page=True)
                except Exception as error:
                    print(f"capture impossible ({shot.name}) : {error}")
        context.close()


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
