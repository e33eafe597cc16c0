"""The pages a manager reads first, on 10⁴ demonstration conventions (22 years, 14 centrals)
at 1366 pixels: no flood, one balance written per chart, the simulation's cards whole.
Screenshots under test-output/screenshots/demo-*.png, to look at."""

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect

from spend.paths import ROOT
from tests.browser.dom import (
    assert_no_error,
    wait_charts,
    wait_heading,
    wait_idle,
    whole_content_in_view,
)
from tests.browser.server import Server, running_server

SHOTS = ROOT / "test-output" / "screenshots"
CONVENTIONS = 10_000

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    subprocess.run(
        [sys.executable, "-m", "spend", "demo", "--db", str(db), "--conventions", str(CONVENTIONS)],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with running_server(db, ROOT / "test-output" / "browser" / "logs" / "demo.log") as server:
        yield server


SLOW_MS = 120_000  # 10⁴ conventions on a shared machine: the first run of a page takes a while


def open_demo(page: Page, server: Server, path: str, title: str) -> None:
    page.goto(server.url + path)
    wait_heading(page, title, timeout_ms=SLOW_MS)
    page.locator("[data-testid=stVegaLiteChart] svg").first.wait_for(timeout=SLOW_MS)
    wait_idle(page, SLOW_MS)
    wait_charts(page)


def shoot(page: Page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"demo-{name}-1366.png")
    with whole_content_in_view(page):
        wait_charts(page)
        path = SHOTS / f"demo-{name}-1366-pleine-page.png"
        page.screenshot(path=path)
    return path


def balance_labels(page: Page) -> list[str]:
    """The balances the charts write (their text marks)."""
    texts = page.locator("[data-testid=stVegaLiteChart] .mark-text text").all_text_contents()
    return [t for t in texts if "Solde" in t]


def test_overview_on_ten_thousand_conventions(reader_page: Page, demo_server: Server) -> None:
    page = reader_page
    open_demo(page, demo_server, "/?annee=2026", title="Vue d'ensemble")
    assert_no_error(page, "Vue d'ensemble (démo)")
    assert len(balance_labels(page)) == 1  # 2026's, not 22 of them
    # The cards may still be drawing after the charts (a busy machine): wait for them.
    expect(page.get_by_test_id("stMain")).to_contain_text("Conventions actives")
    # Alert boxes name a handful of conventions at most.
    for box in page.get_by_test_id("stAlertContainer").all_inner_texts():
        assert box.count("CV-") <= 5 or "autre(s)" in box, box
    shoot(page, "vue-d-ensemble")


def test_budget_on_ten_thousand_conventions(reader_page: Page, demo_server: Server) -> None:
    page = reader_page
    open_demo(page, demo_server, "/budget?annee=2026", title="Budget")
    assert_no_error(page, "Budget (démo)")
    assert len(balance_labels(page)) == 1
    shoot(page, "budget")


def test_simulation_plus_ten_percent(reader_page: Page, demo_server: Server) -> None:
    page = reader_page
    scenario = quote(json.dumps({"fee_pct": 10}))
    open_demo(page, demo_server, f"/simulation?annee=2026&scenario={scenario}", "Simulation")
    assert_no_error(page, "Simulation +10 % (démo)")
    assert len(balance_labels(page)) == 1  # 2026's, the scenario beside the recorded
    # Each card's amount is shown whole (not cut with an ellipsis) at 1366 pixels.
    values = page.get_by_test_id("stMetricValue")
    assert values.count() == 4
    for index in range(values.count()):
        cut = values.nth(index).evaluate(
            "(e) => [...e.querySelectorAll('*')].concat([e])"
            ".some((x) => x.scrollWidth > x.clientWidth + 1)"
        )
        assert not cut, values.nth(index).inner_text()
    shoot(page, "simulation-plus-10")
