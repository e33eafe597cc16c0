"""`make run` with no configuration serves this machine only: the dashboard listens on
127.0.0.1, not on every interface, and answers only to this machine's names (a page of another
site whose name points at 127.0.0.1, DNS rebinding, gets no session)."""

import base64
import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from spend.paths import ROOT
from spend.ui.access import loopback_host
from tests.browser.server import Server, free_port, running_server


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


def test_the_configuration_allows_only_the_loopback_names() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert sorted(config["server"]["allowedHosts"]) == ["127.0.0.1", "::1", "localhost"]


def handshake(server: Server, host: str) -> int:
    """The HTTP status of a websocket opening on `server` (what a page's script does first),
    with this Host header and a same-origin Origin, as a rebound page sends them."""
    port = int(server.url.rsplit(":", 1)[1])
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        "GET /_stcore/stream HTTP/1.1\r\n"
        f"Host: {host}\r\nOrigin: http://{host}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(request.encode("ascii"))
        answer = sock.recv(4096)
    return int(answer.split(b" ", 2)[1])


@pytest.fixture(scope="module")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("local_server")
    with running_server(folder / "spend.duckdb", folder / "server.log") as server:
        yield server


@pytest.mark.slow
@pytest.mark.parametrize(
    "host", ["evil.example", "127.0.0.1.evil.example", "localhost.evil.example", "192.168.1.20"]
)
def test_a_foreign_host_gets_no_websocket(local_server: Server, host: str) -> None:
    port = local_server.url.rsplit(":", 1)[1]
    assert handshake(local_server, f"{host}:{port}") == 403
    assert "Rejecting WebSocket connection" in local_server.log_text()


@pytest.mark.slow
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_this_machines_names_get_their_websocket(local_server: Server, host: str) -> None:
    port = local_server.url.rsplit(":", 1)[1]
    assert handshake(local_server, f"{host}:{port}") == 101


@pytest.mark.parametrize(
    ("host", "local"),
    [
        (None, True),
        ("127.0.0.1:8501", True),
        ("localhost", True),
        ("[::1]:8501", True),
        ("LOCALHOST.:8501", True),
        ("evil.example:8501", False),
        ("127.0.0.1.evil.example", False),
        ("127.0.0.1@evil.example", False),
        ("127.0.0.1:notaport", False),
        ("", False),
    ],
)
def test_the_apps_own_check_of_the_host(host: str | None, local: bool) -> None:
    assert loopback_host(host) is local
