"""Cold start: `streamlit run app.py` until a real browser shows the first page's title.

Debian's chromium driven by Playwright (never `playwright install`), as in tests/browser/. The
browser is started first and is not counted; the clock runs from the server's launch to the
first page's `h1` on screen.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

from spend.paths import ROOT
from tests.browser.server import free_port, healthy, stop
from tests.browser.tools import CHROMIUM, CHROMIUM_ARGS

TIMEOUT_S = 300.0


def cold_start(db: Path, log: Path) -> dict[str, float]:
    """Seconds from the server's launch to /_stcore/health « ok », and to the first title."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} not found")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true", "--server.address", "127.0.0.1",
        "--server.port", str(port), "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    env = {**os.environ, "SPEND_DB": str(db), "PYTHONUNBUFFERED": "1"}
    log.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright, log.open("wb") as out:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        page = browser.new_page()
        began = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            while not healthy(url):
                if process.poll() is not None:
                    raise RuntimeError(f"the server stopped (code {process.returncode})")
                if time.perf_counter() - began > TIMEOUT_S:
                    raise RuntimeError("the server does not answer")
                time.sleep(0.05)
            answered = time.perf_counter() - began
            page.goto(url, timeout=TIMEOUT_S * 1000)
            page.locator("h1").first.wait_for(state="visible", timeout=TIMEOUT_S * 1000)
            titled = time.perf_counter() - began
        finally:
            stop(process)
            browser.close()
    return {"health_s": answered, "first_title_s": titled}
