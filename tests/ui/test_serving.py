"""`make run` with no configuration serves this machine only: the dashboard listens on
127.0.0.1, not on every interface."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from spend.paths import ROOT
from tests.browser.server import free_port


def _listening(port: int) -> set[str]:
    """The local addresses with a socket listening on `port` (IPv4 and IPv6)."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.add(address[:width])
    return found


def test_the_dashboard_listens_on_loopback_only(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "SPEND_DB": str(tmp_path / "spend.duckdb")}
    # What `make run` runs: no --server.address; the project's .streamlit/config.toml decides.
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health") as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.2)
        assert _listening(port) == {"0100007F"}  # 127.0.0.1, nothing else
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
