"""The real Streamlit server the browser tests talk to: one process group per server."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from spend.paths import ROOT

STARTUP_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Server:
    url: str
    db: Path
    log: Path
    pid: int

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return "(pas de journal)"

    def log_text(self) -> str:
        with contextlib.suppress(OSError):
            return self.log.read_text(errors="replace")
        return ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the whole process group, then SIGKILL it if it lingers."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    # Children left in the group (none expected) go too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def running_server(
    db: Path, log: Path, *, port: int | None = None, options: tuple[str, ...] = ()
) -> Iterator[Server]:
    """`streamlit run app.py` on a free port (or `port`) with SPEND_DB=db and extra command-line
    `options`; stopped whatever happens."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    if not db.exists():  # what `make run` does on a first run: the dashboard creates no file
        subprocess.run(
            [sys.executable, "-m", "spend", "init", "--db", str(db)], cwd=ROOT, check=True
        )
    env = {**os.environ, "SPEND_DB": str(db), "PYTHONUNBUFFERED": "1"}
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        # Another engineer may edit the sources while the tests run: do not rerun on save.
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        *options,
    ]  # fmt: skip
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        server = Server(url=url, db=db, log=log, pid=process.pid)
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while not healthy(url):
                if process.poll() is not None:
                    raise RuntimeError(
                        f"Le serveur Streamlit s'est arrêté (code {process.returncode}) :\n"
                        + server.log_tail()
                    )
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"Le serveur Streamlit ne répond pas « ok » sur {url}/_stcore/health "
                        f"après {STARTUP_TIMEOUT_S:.0f} s :\n" + server.log_tail()
                    )
                time.sleep(0.1)
            yield server
        finally:
            stop(process)
