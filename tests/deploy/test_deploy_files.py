"""The deployment files of README « Replicas »: nginx's configuration in front of two replicas
(sticky sessions, websockets) and the systemd template unit of a replica. Their structure is
checked here always; `nginx -t` and `systemd-analyze verify` read them where installed
(`.ci/run` installs nginx; without it that test is skipped locally, failed under CI=true)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from spend.paths import ROOT

NGINX_CONF = ROOT / "deploy" / "nginx" / "spend.conf"
UNIT = ROOT / "deploy" / "systemd" / "spend@.service"
IN_CI = os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _directives(text: str) -> list[str]:
    """Each directive of an nginx file, comments out, whitespace collapsed."""
    body = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    return [" ".join(part.split()) for part in re.split(r"[;{}]", body) if part.strip()]


def test_nginx_keeps_a_visitor_on_one_replica_and_passes_the_websocket() -> None:
    found = _directives(NGINX_CONF.read_text(encoding="utf-8"))
    assert "ip_hash" in found or any(d.startswith("hash $cookie_") for d in found)
    replicas = [d for d in found if d.startswith("server 127.0.0.1:")]
    assert [d.split()[1] for d in replicas] == ["127.0.0.1:8501", "127.0.0.1:8502"]
    assert "proxy_pass http://spend_replicas" in found
    assert "proxy_http_version 1.1" in found
    assert "proxy_set_header Upgrade $http_upgrade" in found
    assert "proxy_set_header Connection $spend_connection" in found
    assert "proxy_set_header Host $host" in found  # the app checks the Host
    timeout = next(d for d in found if d.startswith("proxy_read_timeout "))
    assert int(timeout.split()[1].rstrip("s")) >= 3600  # an open tab is not cut after 60 s


def test_the_unit_runs_one_replica_per_port_on_the_server_database() -> None:
    text = UNIT.read_text(encoding="utf-8")
    service = text.split("[Service]", 1)[1].split("[Install]", 1)[0]
    assert re.search(r"^Environment=SPEND_DATABASE_URL=postgresql://", service, re.M)
    assert re.search(r"^Restart=on-failure$", service, re.M)
    assert re.search(r"^MemoryMax=\d+[KMG]$", service, re.M)
    command = service.split("ExecStart=", 1)[1].split("\nRestart", 1)[0]
    assert "--server.port %i" in command and "--server.address 127.0.0.1" in command
    assert "--secrets.files /etc/spend/secrets.toml" in command
    assert "WantedBy=multi-user.target" in text


@pytest.mark.skipif(
    NGINX is None and not IN_CI, reason="nginx absent (apt-get install nginx-light)"
)
def test_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    assert NGINX is not None, "CI=true : nginx doit être installé (.ci/run)"
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log {tmp_path}/access.log;\n    include {NGINX_CONF};\n}}\n",
        encoding="utf-8",
    )
    checked = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(main)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr
    # And a broken copy is refused: the check reads the file.
    main.write_text(main.read_text().replace(str(NGINX_CONF), str(tmp_path / "bad.conf")))
    (tmp_path / "bad.conf").write_text(
        NGINX_CONF.read_text(encoding="utf-8").replace(
            "proxy_http_version 1.1;", "proxy_http_version;"
        )
    )
    assert subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(main)]).returncode != 0


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze absent")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    """`systemd-analyze verify` of an instance, the interpreter being this one (it checks that
    ExecStart's program exists); any warning counts as a refusal."""
    unit = tmp_path / "spend@.service"
    unit.write_text(
        UNIT.read_text(encoding="utf-8").replace("/opt/spend/.venv/bin/python", sys.executable)
    )
    checked = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / "spend@8501.service")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0 and checked.stderr.strip() == "", checked.stderr
    # A wrong value is reported: the check reads the unit.
    unit.write_text(unit.read_text().replace("Restart=on-failure", "Restart=souvent"))
    wrong = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / "spend@8501.service")],
        capture_output=True,
        text=True,
    )
    assert "souvent" in wrong.stderr


def test_the_readme_shows_what_the_files_hold() -> None:
    """README « Replicas » quotes the shipped files: nothing it shows is missing from them."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8").split("### Replicas", 1)[1]
    shown = _directives(readme.split("```nginx", 1)[1].split("```", 1)[0])
    shipped = _directives(NGINX_CONF.read_text(encoding="utf-8"))
    lacking = [d for d in shown if not any(f == d or f.startswith(f"{d} ") for f in shipped)]
    assert lacking == []
    unit = UNIT.read_text(encoding="utf-8").splitlines()
    ini = readme.split("```ini", 1)[1].split("```", 1)[0].splitlines()
    settings = [line.split("#", 1)[0].strip() for line in ini if "=" in line.split(" ", 1)[0]]
    assert [s for s in settings if not s.startswith("ExecStart") and s not in unit] == []
