"""Two dashboard replicas (two `streamlit run app.py` processes on ports of their own) and the
command line on one PostgreSQL database, one authority: they behave as one dashboard. An import
in one is shown by the other at its next interaction; two managers editing one table in two
replicas never lose a save; a restore from the command line while a replica writes keeps every
write its author was told was saved in the journal."""

import contextlib
import csv
import io
import itertools
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from spend.paths import ROOT
from tests.browser.conftest import OUTPUT
from tests.browser.dom import (
    alert,
    assert_no_error,
    edit_grid_cell,
    grid_cell_position,
    nav_link,
    norm,
    open_page,
    spaced,
    wait_idle,
)
from tests.browser.server import STARTUP_TIMEOUT_S, Server, free_port, healthy, stop
from tests.browser.test_data_edit import SAVE, expect_overview_2022, open_table_editor
from tests.browser.test_data_upload import CREDITS_2023, expect_credits_2023, upload, validate
from tests.browser.tools import IN_CI
from tests.store.postgres import cluster

AUTHORITY = "arras"
SHOTS = OUTPUT / "browser" / "replicas"
_databases = itertools.count(1)
OUTCOME = re.compile("Modifications enregistrées|rien n'a été enregistré")


def french(amount: Decimal) -> str:
    """3100.00 → « 3 100,00 » (the cards' grouping, any space)."""
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",")


@pytest.fixture(scope="module")
def pg_server() -> Iterator[cluster.Cluster]:
    why = cluster.missing()
    if why is not None:
        if IN_CI:
            pytest.fail(f"CI=true : {why} ; les tests des répliques doivent tourner.")
        pytest.skip(why)
    started = cluster.start()
    yield started
    started.stop()


class Deployment:
    """One database of the cluster, authority `arras` seeded on it; the environment its
    replicas and command line share."""

    def __init__(self, url: str, folder: Path) -> None:
        self.env = {
            **os.environ,
            "SPEND_DATABASE_URL": url,
            "SPEND_AUTHORITY": AUTHORITY,
            "SPEND_DB": str(folder / "aucun-fichier.duckdb"),  # never opened on the server
            "SPEND_PG_BACKUP_DIR": str(folder / "sauvegardes"),
            "PYTHONUNBUFFERED": "1",
        }
        self.folder = folder

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "spend", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    @contextlib.contextmanager
    def replica(self, name: str) -> Iterator[Server]:
        """`streamlit run app.py` on a port of its own, on this deployment's database."""
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = OUTPUT / "browser" / "logs" / f"replicas-{name}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.headless", "true", "--server.address", "127.0.0.1",
            "--server.port", str(port), "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        with log.open("wb") as out:
            process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
            server = Server(url=url, db=Path(self.env["SPEND_DB"]), log=log, pid=process.pid)
            try:
                _wait_healthy(server, process)
                yield server
            finally:
                stop(process)


def _wait_healthy(server: Server, process: subprocess.Popen[bytes]) -> None:
    for _ in range(int(STARTUP_TIMEOUT_S * 10)):
        if healthy(server.url):
            return
        if process.poll() is not None:
            raise RuntimeError(f"Réplique arrêtée ({process.returncode}) :\n{server.log_tail()}")
        threading.Event().wait(0.1)
    raise RuntimeError(f"Réplique muette sur {server.url} :\n{server.log_tail()}")


@pytest.fixture
def deployment(pg_server: cluster.Cluster, tmp_path: Path) -> Deployment:
    url = pg_server.create_database(f"replicas_{os.getpid()}_{next(_databases)}")
    made = Deployment(url, tmp_path)
    created = made.cli("init", "--authority", AUTHORITY)
    assert created.returncode == 0, created.stderr
    return made


@pytest.fixture
def replicas(deployment: Deployment) -> Iterator[tuple[Server, Server]]:
    with deployment.replica("1") as first, deployment.replica("2") as second:
        assert first.url != second.url
        yield first, second
    for server in (first, second):
        assert "Traceback" not in server.log_text(), server.log_tail()


def shoot(page: Page, name: str) -> None:
    wait_idle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def next_interaction(page: Page) -> None:
    """What a manager does: another page, then back."""
    nav_link(page, "Budget").click()
    wait_idle(page)
    nav_link(page, "Vue d'ensemble").click()
    wait_idle(page)


def test_an_import_in_one_replica_is_shown_by_the_other(
    new_context: Callable[..., BrowserContext], replicas: tuple[Server, Server]
) -> None:
    first, second = replicas
    reader = new_context().new_page()
    open_page(reader, second, "/?annee=2023", "Vue d'ensemble")
    expect_credits_2023(reader, "0,00 €", "−2 508,33 €")

    importer = new_context().new_page()
    open_page(importer, first, "/data", "Données")
    upload(importer, CREDITS_2023)
    validate(importer)
    expect(alert(importer, "Import réussi")).to_be_visible()
    assert_no_error(importer, "import dans la réplique 1")
    shoot(importer, "1-import-replique-1")

    # Replica 2 computed its figures before: its next interaction reads the server's.
    next_interaction(reader)
    expect_credits_2023(reader, "2 600,00 €", "91,67 €")
    assert_no_error(reader, "vue d'ensemble de la réplique 2 après l'import")
    shoot(reader, "1-vue-replique-2")


def _edit_2022(page: Page, editor: Locator, value: str) -> None:
    col, row = grid_cell_position(editor, "Crédits", "Exercice", "2022")
    edit_grid_cell(page, editor, col, row, value)
    page.get_by_role("button", name=SAVE).click()


def _balance_2022(deployment: Deployment) -> str:
    shown = deployment.cli("balance", "--authority", AUTHORITY)
    assert shown.returncode == 0, shown.stderr
    return next(line for line in shown.stdout.splitlines() if ",2022," in line)


def test_two_managers_in_two_replicas_never_lose_a_save(
    new_context: Callable[..., BrowserContext],
    replicas: tuple[Server, Server],
    deployment: Deployment,
) -> None:
    first, second = replicas
    one, two = new_context().new_page(), new_context().new_page()
    editor_one = open_table_editor(one, first)
    editor_two = open_table_editor(two, second)  # both loaded before either saves
    _edit_2022(one, editor_one, "3100")
    expect(alert(one, "Modifications enregistrées")).to_be_visible()
    _edit_2022(two, editor_two, "3200")
    refusal = alert(two, "depuis que vous l'avez ouverte")
    expect(refusal).to_contain_text(spaced("« Lignes budgétaires » a été modifiée", whole=False))
    expect(refusal).to_contain_text("rien n'a été enregistré")
    assert_no_error(two, "sauvegarde refusée dans la réplique 2")
    shoot(two, "2-refus-replique-2")
    # The first save stands, on the server and in both replicas.
    assert _balance_2022(deployment).endswith(",2022,3100.00,2800.00,300.00")
    expect_overview_2022(two, second, "3 100,00 €", "300,00 €")

    # A line imported from the command line between a load and its save: the save is refused.
    editor_one = open_table_editor(one, first)
    (deployment.folder / "nuit").mkdir()
    (deployment.folder / "nuit" / "budget_lines.csv").write_bytes(CREDITS_2023)
    imported = deployment.cli("import", str(deployment.folder / "nuit"), "--as", "nuit")
    assert imported.returncode == 0, imported.stderr
    _edit_2022(one, editor_one, "3300")
    refused = alert(one, "rien n'a été enregistré")
    expect(refused).to_be_visible()
    assert_no_error(one, "sauvegarde refusée après l'import de la ligne de commande")
    shoot(one, "2-refus-apres-import-replique-1")
    assert _balance_2022(deployment).endswith(",2022,3100.00,2800.00,300.00")


def _wait_for_lock_waiters(pg: psycopg.Connection, count: int) -> None:
    for _ in range(1200):
        waiting = pg.execute(
            "select count(*) from pg_locks where locktype = 'advisory' and not granted"
        ).fetchall()[0][0]
        if waiting >= count:
            return
        threading.Event().wait(0.05)
    raise AssertionError(f"{count} attente(s) du verrou d'écriture attendue(s)")


def test_a_save_queued_before_a_restore_lands_and_stays_in_the_journal(
    new_context: Callable[..., BrowserContext],
    replicas: tuple[Server, Server],
    deployment: Deployment,
) -> None:
    """The order made certain: the authority's write lock held here, a save in replica 2 waits
    for it, then a restore from the command line; released, the save lands first (its author
    is told it is saved), then the restore, which keeps it in the journal."""
    first, second = replicas
    made = deployment.cli("backup", "--authority", AUTHORITY)
    assert made.returncode == 0, made.stderr
    writer = new_context().new_page()
    editor = open_table_editor(writer, second)
    restored: list[subprocess.CompletedProcess[str]] = []
    restorer = threading.Thread(
        target=lambda: restored.append(deployment.cli("restore", "--authority", AUTHORITY))
    )
    with psycopg.connect(deployment.env["SPEND_DATABASE_URL"], autocommit=True) as holder:
        holder.execute("begin")
        holder.execute("select pg_advisory_xact_lock(hashtext(%s))", [f"spend-write:{AUTHORITY}"])
        _edit_2022(writer, editor, "3150")
        _wait_for_lock_waiters(holder, 1)  # the replica's save
        restorer.start()
        _wait_for_lock_waiters(holder, 2)  # then the restore
        holder.execute("rollback")
    expect(alert(writer, "Modifications enregistrées")).to_be_visible()
    restorer.join(300)
    assert restored and restored[0].returncode == 0, restored and restored[0].stderr
    journal = _journal(deployment)
    assert journal[0][4] == "restauration", journal[:2]  # the newest entry: the restore
    assert journal[1][4] == "modification" and "3150.00" in journal[1][8], journal[:2]
    # The backup's figures are back, in the other replica as on the command line.
    assert _balance_2022(deployment).endswith(",2022,3000.00,2800.00,200.00")
    reader = new_context().new_page()
    expect_overview_2022(reader, first, "3 000,00 €", "200,00 €")
    assert_no_error(reader, "vue d'ensemble de la réplique 1 après la restauration")
    shoot(reader, "3-vue-replique-1-apres-restauration")


def _journal(deployment: Deployment) -> list[list[str]]:
    """The journal as the command line gives it (id, at, actor, source, action, table, key,
    before, after), the newest first."""
    shown = deployment.cli("journal", "--authority", AUTHORITY)
    assert shown.returncode == 0, shown.stderr
    return list(csv.reader(io.StringIO(shown.stdout)))[1:]


def test_a_restore_while_a_replica_writes_keeps_every_reported_write(
    new_context: Callable[..., BrowserContext],
    replicas: tuple[Server, Server],
    deployment: Deployment,
) -> None:
    first, second = replicas
    made = deployment.cli("backup", "--authority", AUTHORITY)
    assert made.returncode == 0, made.stderr
    writer = new_context().new_page()
    restored: list[subprocess.CompletedProcess[str]] = []
    restorer = threading.Thread(
        target=lambda: restored.append(deployment.cli("restore", "--authority", AUTHORITY))
    )
    saved: list[int] = []
    refused: list[str] = []
    for value in range(3101, 3106):
        editor = open_table_editor(writer, second)
        if value == 3102:
            restorer.start()  # races this save; the next ones are made while it runs or after
        _edit_2022(writer, editor, str(value))
        outcome = writer.get_by_test_id("stAlert").filter(has_text=OUTCOME)
        expect(outcome.first).to_be_visible()
        text = norm(outcome.first.inner_text())
        if "Modifications enregistrées" in text:
            saved.append(value)
        else:
            refused.append(text)
    restorer.join(300)
    assert restored and restored[0].returncode == 0, restored and restored[0].stderr
    shoot(writer, "3-ecritures-replique-2")

    # Every save reported to its author is in the journal, once; the restore too.
    journal = _journal(deployment)
    edits = {row[0]: row[8] for row in journal if row[4] == "modification"}
    for value in saved:
        assert sum(f'"credits":"{value}.00"' in after for after in edits.values()) == 1, value
    assert len(edits) == len(saved), (edits, saved)
    restore_id = next(int(row[0]) for row in journal if row[4] == "restauration")
    # A refused save was loaded before the restore and is refused for it, in French.
    for text in refused:
        assert "rien n'a été enregistré" in text and "restaurée" in text, text
    # The figures: the last save after the restore, else the backup's.
    after_restore = [int(i) for i in edits if int(i) > restore_id]
    expected = (
        Decimal(next(str(v) for v in saved if f'"{v}.00"' in edits[str(max(after_restore))]))
        if after_restore
        else Decimal("3000")
    )

    # The figures are consistent: the other replica shows what the command line computes.
    line = _balance_2022(deployment).split(",")
    credits, balance = Decimal(line[3]), Decimal(line[5])
    assert credits == expected and balance == credits - Decimal("2800.00"), (journal[:3], saved)
    reader = new_context().new_page()
    expect_overview_2022(reader, first, f"{french(credits)} €", f"{french(balance)} €")
    assert_no_error(reader, "vue d'ensemble de la réplique 1 après la restauration")
    shoot(reader, "3-vue-replique-1")


NGINX_CONF = ROOT / "deploy" / "nginx" / "spend.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@contextlib.contextmanager
def nginx_in_front(replicas: tuple[Server, Server], folder: Path) -> Iterator[str]:
    """deploy/nginx/spend.conf as shipped, its two upstream ports and its listening address
    swapped for the test's; its address. Each request's replica goes to `upstream.log`."""
    port = free_port()
    conf = NGINX_CONF.read_text(encoding="utf-8")
    for shipped, replica in zip(("127.0.0.1:8501", "127.0.0.1:8502"), replicas, strict=True):
        assert shipped in conf
        conf = conf.replace(shipped, replica.url.removeprefix("http://"))
    assert "listen 80;" in conf
    (folder / "spend.conf").write_text(conf.replace("listen 80;", f"listen 127.0.0.1:{port};"))
    temp = " ".join(
        f"{kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    (folder / "nginx.conf").write_text(
        f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\nhttp {{\n"
        f"    log_format upstream '$upstream_addr $status $request';\n"
        f"    access_log {folder}/upstream.log upstream;\n    {temp}\n"
        f"    uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;\n"
        f"    include {folder}/spend.conf;\n}}\n"
    )
    assert NGINX is not None
    errors = folder / "nginx.err"
    with errors.open("wb") as err:
        process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
            start_new_session=True, stderr=err,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            if healthy(url) or process.poll() is not None:
                break
            threading.Event().wait(0.05)
        assert healthy(url), errors.read_text()
        yield url
    finally:
        stop(process)  # its process group, like a replica's


@pytest.mark.skipif(
    NGINX is None and not IN_CI, reason="nginx absent (apt-get install nginx-light)"
)
def test_the_replicas_served_through_the_shipped_nginx_configuration(
    new_context: Callable[..., BrowserContext],
    replicas: tuple[Server, Server],
    tmp_path: Path,
) -> None:
    """The dashboard opens through nginx (its websocket upgraded, else no page renders), a
    visitor stays on one replica, and both replicas answer behind it."""
    with nginx_in_front(replicas, tmp_path) as url:
        proxied = Server(url=url, db=replicas[0].db, log=replicas[0].log, pid=0)
        page = new_context().new_page()
        expect_overview_2022(page, proxied, "3 000,00 €", "200,00 €")
        next_interaction(page)
        expect_overview_2022(page, proxied, "3 000,00 €", "200,00 €")
        assert_no_error(page, "vue d'ensemble à travers nginx")
        shoot(page, "4-a-travers-nginx")
    lines = (tmp_path / "upstream.log").read_text().splitlines()
    stream = [line for line in lines if "/_stcore/stream" in line]
    assert stream and all(line.split()[1] == "101" for line in stream), stream  # upgraded
    assert len({line.split()[0] for line in lines}) == 1, lines  # one replica: sticky
