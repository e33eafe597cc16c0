"""The local mode stays local, and stored text is never Markdown, in a real browser.

- Hostile identifiers in the data (a central named by a Markdown image, a link, HTML, bare
  URLs, an e-mail address) and in the address: every page renders them as text, with no <a> or
  <img> made of them, and no request of a page load leaves 127.0.0.1.
- DNS rebinding: a page of another site whose name points at 127.0.0.1 (chromium's host
  resolver rules stand in for the attacker's DNS) gets no session, and with Streamlit's host
  list opened on purpose the app itself refuses it.
"""

import csv
import io
import json
import re
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from spend.paths import ROOT
from tests.browser.conftest import OUTPUT
from tests.browser.dom import PAGES, assert_no_error, wait_heading
from tests.browser.server import Server, running_server
from tests.browser.tools import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import run_cli

EVIL = "evil.example"
# Each seed value, and what it becomes in the hostile data (the same everywhere it appears, so
# that references still hold).
HOSTILE = {
    "CAIH": f"![i](https://{EVIL}/caih.png)",
    "RESAH": f"[B](https://{EVIL}/resah)",
    "C06-020M02": f"<img src=https://{EVIL}/op.png>",
    "Informatique-Fonctionnement": (
        f"https://{EVIL}/ligne www.{EVIL} agent@{EVIL} :red[rouge] $x^2$ <https://{EVIL}/a>"
    ),
    "2022-504": f"<a href=https://{EVIL}/d>d</a>",
    "Hébergement": f"**Hébergement** [lien](https://{EVIL}/titre)",
}
# Cited by two conventions, recorded nowhere: the overview's incomplete data names it.
UNRECORDED = ("2021-282", f"www.{EVIL}/deliberation")
CENTRAL = HOSTILE["CAIH"]
# A shared simulation link whose search and per-convention change name hostile text.
SCENARIO = json.dumps(
    {
        "scope_kind": "search",
        "scope_value": f"![s](https://{EVIL}/s.png)",
        "fee_pct": 10,
        "overrides": {f"[c](https://{EVIL}/c) www.{EVIL}": {"fee_pct": 5}},
    }
)


def hostile_seed(folder: Path) -> Path:
    """data/seed/ with every value of HOSTILE replaced, written as CSV (quoted where needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in sorted((ROOT / "data" / "seed").glob("*.csv")):
        rows = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8"))))
        changed = []
        for row in rows:
            cells = []
            for cell in row:
                for seed, hostile in HOSTILE.items():
                    cell = cell.replace(seed, hostile)
                if source.name == "conventions.csv" and cell == UNRECORDED[0]:
                    cell = UNRECORDED[1]
                cells.append(cell)
            changed.append(cells)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(changed)
        (folder / source.name).write_text(out.getvalue(), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Server]:
    """A server on a database holding only the hostile data."""
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "spend.duckdb"
    assert run_cli("init", "--db", str(db), "--empty").returncode == 0
    result = run_cli("import", str(hostile_seed(folder / "seed")), "--db", str(db))
    assert result.returncode == 0, result.stderr
    with running_server(db, OUTPUT / "browser" / "logs" / "hostile_server.log") as server:
        yield server


# Every link and image of the page, and the text of Streamlit's Markdown blocks.
LINKS_AND_IMAGES = """() => [...document.querySelectorAll('a[href], img, image, iframe, object')]
    .map((e) => ({tag: e.tagName.toLowerCase(),
                  url: e.getAttribute('href') || e.getAttribute('src')
                       || e.getAttribute('data') || '',
                  inMarkdown: e.closest('[data-testid="stMarkdownContainer"]') !== null,
                  text: (e.textContent || '').trim().slice(0, 80)}))"""


def _recorded(page: Page) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


def _off_machine(url: str) -> bool:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme in ("data", "blob", "about"):
        return False
    return parsed.hostname not in ("127.0.0.1",)


@pytest.mark.parametrize("title", list(PAGES))
def test_hostile_identifiers_stay_text_and_nothing_leaves_the_machine(
    new_context: Callable[..., BrowserContext], hostile_server: Server, title: str
) -> None:
    page = new_context().new_page()
    requests = _recorded(page)
    asked = {"centrale": CENTRAL, "annee": "²"}
    if title == "Simulation":
        asked["scenario"] = SCENARIO
    query = urllib.parse.urlencode(asked)
    page.goto(f"{hostile_server.url}{PAGES[title]}?{query}")
    wait_heading(page, title)
    page.wait_for_timeout(1500)  # late requests (fonts, icons, images) of the page load
    assert_no_error(page, title)
    found = page.evaluate(LINKS_AND_IMAGES)
    # Headings' own anchors (#exercice-2022) are Streamlit's; nothing else may be made.
    made_of_data = [
        f
        for f in found
        if not f["url"].startswith("#") and (f["inMarkdown"] or EVIL in f["url"] or f["tag"] != "a")
    ]
    assert not made_of_data, "\n".join(map(str, made_of_data))
    leaving = [url for url in requests if _off_machine(url)]
    assert not leaving, leaving
    # The address's year is ignored and said; the central it names is chosen.
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text("l'exercice « ² » n'existe pas")
    expect(sidebar.get_by_role("combobox", name="Centrale d'achat")).to_have_value(
        re.compile(re.escape(CENTRAL))
    )
    # Shown as written (an invisible word joiner breaks the bare links: ignored here).
    shown = (page.get_by_test_id("stMain").text_content() or "").replace("\u2060", "")
    expected = {
        "Vue d'ensemble": (CENTRAL, HOSTILE["C06-020M02"], UNRECORDED[1]),
        "Budget": (HOSTILE["C06-020M02"], HOSTILE["Informatique-Fonctionnement"]),
        "Simulation": (f"![s](https://{EVIL}/s.png)", f"[c](https://{EVIL}/c) www.{EVIL}"),
    }
    for hostile in expected.get(title, ()):
        assert hostile in shown, hostile


# --- DNS rebinding ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rebound_browser(browser: Browser) -> Iterator[Browser]:
    """A chromium for which evil.example resolves to 127.0.0.1, as an attacker's DNS makes it."""
    rebound = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {EVIL} 127.0.0.1"],
        headless=True,
    )
    yield rebound
    rebound.close()


def _rebound_page(rebound_browser: Browser, server: Server, path: str) -> Page:
    context = rebound_browser.new_context(locale="fr-FR")
    page = context.new_page()
    port = urllib.parse.urlsplit(server.url).port
    page.goto(f"http://{EVIL}:{port}{path}")
    return page


def test_a_rebound_name_gets_no_session(rebound_browser: Browser, hostile_server: Server) -> None:
    page = _rebound_page(rebound_browser, hostile_server, "/admin")
    try:
        # The page's script loads (plain files), but its websocket is refused: no app runs.
        page.wait_for_timeout(6000)
        assert page.get_by_test_id("stApp").get_attribute("data-test-connection-state") != (
            "CONNECTED"
        )
        assert page.locator("h1").count() == 0
        assert page.get_by_role("button", name="Restaurer").count() == 0
        log = hostile_server.log_text()
        assert "Rejecting WebSocket connection" in log and f"host={EVIL}" in log
    finally:
        page.context.close()


def test_with_every_host_allowed_the_app_itself_refuses_a_foreign_name(
    rebound_browser: Browser, tmp_path: Path
) -> None:
    log = OUTPUT / "browser" / "logs" / "every_host_server.log"
    options = ("--server.allowedHosts", "*")  # an operator who opened the list on purpose
    with running_server(tmp_path / "spend.duckdb", log, options=options) as server:
        page = _rebound_page(rebound_browser, server, "/admin")
        try:
            expect(page.get_by_test_id("stAlert")).to_contain_text(
                "ne s'ouvre qu'à l'adresse de cette machine"
            )
            assert page.locator("h1").count() == 0
            expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
            assert page.get_by_role("button", name="Restaurer").count() == 0
        finally:
            page.context.close()
        assert "Host refusé en mode local" in server.log_text()
