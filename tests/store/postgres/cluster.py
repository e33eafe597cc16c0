"""A throw-away PostgreSQL cluster for the tests: Debian's PostgreSQL 15 binaries, a data folder
and a socket folder in a temporary folder owned by the `postgres` user (PostgreSQL refuses to
run as root), listening on 127.0.0.1 on a free port, stopped and deleted at the end.

The tests connect as the dashboard's role of a deployment, never as a superuser: `spend`, made
by `createuser` (LOGIN, NOSUPERUSER, NOCREATEDB, NOCREATEROLE, NOREPLICATION, NOBYPASSRLS),
owner of each test's database (`createdb -O spend`), as the README tells a server to do. What
the product does must work with that role's rights alone; `superuser_url` is for a test's own
set-up that needs more (none today).

Without the binaries the tests that need a server are skipped with one line saying why; with
CI=true they fail instead (`.ci/run` installs Debian's `postgresql` package).
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BIN = Path(os.environ.get("SPEND_PG_BIN", "/usr/lib/postgresql/15/bin"))
IN_CI = os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}
OWNER = "postgres"  # the user Debian's package creates, the cluster's superuser
ROLE = "spend"  # the dashboard's role: an ordinary one, owner of the tests' databases


def missing() -> str | None:
    """Why no cluster can be started here (None: one can)."""
    if not (BIN / "initdb").exists() or not (BIN / "pg_ctl").exists():
        return f"PostgreSQL absent ({BIN}/initdb introuvable : apt-get install postgresql)"
    try:
        pwd.getpwnam(OWNER)
    except KeyError:
        return f"l'utilisateur système « {OWNER} » n'existe pas (paquet postgresql)"
    if os.geteuid() != 0 and pwd.getpwuid(os.geteuid()).pw_name != OWNER:
        return "les tests PostgreSQL lancent le serveur en tant que « postgres » : root requis"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_owner(*command: str) -> list[str]:
    if pwd.getpwuid(os.geteuid()).pw_name == OWNER:
        return list(command)
    return ["runuser", "-u", OWNER, "--", *command]


@dataclass
class Cluster:
    folder: Path
    port: int

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str) -> str:
        """The database as the dashboard's role (ROLE) reaches it."""
        return f"postgresql://{ROLE}@127.0.0.1:{self.port}/{database}"

    def superuser_url(self, database: str = "postgres") -> str:
        """The database as the cluster's superuser: for a test's own set-up, never the
        product's."""
        return f"postgresql://{OWNER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database of the cluster owned by ROLE (`createdb -O`); its URL as ROLE."""
        self._tool("createdb", "-O", ROLE, name)
        return self.url(name)

    def create_role(self) -> None:
        """The dashboard's role, with createuser's defaults said out loud (README, « Serving
        several authorities »)."""
        flags = ("--login", "--no-superuser", "--no-createdb", "--no-createrole")
        self._tool("createuser", *flags, "--no-replication", ROLE)

    def _tool(self, name: str, *args: str) -> None:
        """One of PostgreSQL's client programs, as the cluster's superuser."""
        subprocess.run(
            _as_owner(str(BIN / name), "-h", "127.0.0.1", "-p", str(self.port), *args),
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        subprocess.run(
            _as_owner(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"),
            capture_output=True,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> Cluster:
    """initdb, then pg_ctl start on 127.0.0.1 only, trusting local connections (a test cluster
    reachable from this machine only, deleted at the end)."""
    owner = pwd.getpwnam(OWNER)
    folder = Path(tempfile.mkdtemp(prefix="spend-pg-"))
    os.chown(folder, owner.pw_uid, owner.pw_gid)
    (folder / "socket").mkdir()
    os.chown(folder / "socket", owner.pw_uid, owner.pw_gid)
    cluster = Cluster(folder, _free_port())
    try:
        subprocess.run(
            _as_owner(
                str(BIN / "initdb"),
                "-D",
                str(cluster.data),
                "-U",
                OWNER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale",
                "C.UTF-8",
                "--no-sync",
            ),
            check=True,
            capture_output=True,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={cluster.port} "
            f"-c unix_socket_directories={folder / 'socket'} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            _as_owner(
                str(BIN / "pg_ctl"),
                "-D",
                str(cluster.data),
                "-o",
                options,
                "-l",
                str(folder / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ),
            check=True,
            capture_output=True,
        )
        _wait(cluster)
        cluster.create_role()
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _wait(cluster: Cluster, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with socket.create_connection(("127.0.0.1", cluster.port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
