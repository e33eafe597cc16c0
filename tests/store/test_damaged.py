"""A database file that is not right: the command line and the app say what happened in French,
name the last good backup, and never show a traceback; a read-only file is read, not written."""

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from spend.paths import ROOT
from spend.store import StoreError
from tests.conftest import run_cli
from tests.pages.conftest import open_page

NEW_CREDITS = (
    "operation_code,imputation,label,year,credits\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2022,3100.00\n"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "spend.duckdb"
    assert run_cli("init", "--db", str(path)).returncode == 0
    assert run_cli("backup", "--db", str(path)).returncode == 0
    return path


def truncated(db: Path) -> None:
    db.write_bytes(db.read_bytes()[:5000])


def scrambled(db: Path) -> None:
    data = bytearray(db.read_bytes())
    rng = random.Random(3)
    for offset in range(len(data) // 10, len(data), 4096):
        data[offset : offset + 64] = bytes(rng.randrange(256) for _ in range(64))
    db.write_bytes(bytes(data))


def not_duckdb(db: Path) -> None:
    db.write_text("identifiant;montant\nCAIH;1500\n", encoding="utf-8")


def emptied(db: Path) -> None:
    db.write_bytes(b"")


DAMAGES: dict[str, Callable[[Path], None]] = {
    "tronquée": truncated,
    "brouillée": scrambled,
    "pas DuckDB": not_duckdb,
    "vide": emptied,
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_file_is_said_with_the_way_back(db: Path, damage: str) -> None:
    DAMAGES[damage](db)
    for command in ("balance", "fees", "totals"):
        result = run_cli(command, "--db", str(db))
        assert result.returncode == 1, (command, result.stdout)
        assert "Traceback" not in result.stderr
        assert "Dernière sauvegarde : spend-" in result.stderr, result.stderr
        assert f"python -m spend restore --db {db}" in result.stderr
    # And the way back works.
    assert run_cli("restore", "--db", str(db)).returncode == 0
    assert "2800.00" in run_cli("balance", "--db", str(db)).stdout


@pytest.mark.parametrize("damage", ["tronquée", "pas DuckDB"])
def test_the_app_says_it_too(db: Path, damage: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import streamlit as st

    DAMAGES[damage](db)
    monkeypatch.setenv("SPEND_DB", str(db))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = open_page()
    assert not at.exception
    said = " ".join(e.value for e in at.error)
    assert "endommagée ou n'est pas une base DuckDB" in said or "vide" in said, said
    assert "restore" in said


def test_the_app_never_makes_a_missing_database_again(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    from spend.store.backups import latest_backup
    from spend.ui import cache

    latest = latest_backup(db)
    assert latest is not None
    db.unlink()
    monkeypatch.setenv("SPEND_DB", str(db))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = open_page()
    assert not at.exception
    said = " ".join(e.value for e in at.error).replace("\\", "")  # shown as text, not Markdown
    assert f"Dernière sauvegarde : {latest.name}" in said, said
    assert f"python -m spend restore --db {db}" in said
    # The store's opening the pages use refuses as well, and nothing was created.
    with pytest.raises(StoreError, match="introuvable"), cache.session():
        pass
    assert not db.exists()


@pytest.fixture
def holder(db: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process that holds the database (a long import, say)."""
    process = subprocess.Popen(
        [sys.executable, "-c", (
            "import duckdb, sys, time\n"
            f"con = duckdb.connect({str(db)!r})\n"
            "print('held', flush=True)\n"
            "time.sleep(60)\n"
        )],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    yield process
    process.kill()
    process.wait()
    process.stdout.close()


def test_a_locked_file_is_waited_for_then_said(
    db: Path, holder: subprocess.Popen[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEND_LOCK_WAIT_S", "1")
    started = time.monotonic()
    result = run_cli("balance", "--db", str(db))
    assert time.monotonic() - started >= 1
    assert result.returncode == 1
    assert "occupée par un autre programme" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_freed_while_waiting_is_then_used(db: Path, holder: subprocess.Popen[str]) -> None:
    holder.kill()  # the other process ends while this one waits
    result = run_cli("balance", "--db", str(db))
    assert result.returncode == 0
    assert "2800.00" in result.stdout


NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="root et setpriv")
def test_a_read_only_file_is_read_and_not_written(db: Path) -> None:
    # Under /tmp, which any user may cross (pytest's own folders are private to root).
    place = Path(tempfile.mkdtemp(prefix="spend-lecture-seule-"))
    shutil.copyfile(db, place / db.name)
    db = place / db.name
    folder = place / "in"
    folder.mkdir()
    (folder / "budget_lines.csv").write_text(NEW_CREDITS)
    # The clone may sit in a folder only root can list: the other user runs a copy of the code.
    code = place / "code"
    for part in ("spend", "queries", "data/seed"):
        shutil.copytree(ROOT / part, code / part)
    for path in (place, folder, *folder.iterdir(), code, *code.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)
    libraries = subprocess.run([*NOBODY, sys.executable, "-c", "import duckdb, polars"],
                               cwd=code, capture_output=True)  # fmt: skip
    if libraries.returncode != 0:
        shutil.rmtree(place)
        pytest.skip("l'environnement Python n'est pas lisible par un autre utilisateur")
    db.chmod(0o444)
    place.chmod(0o555)  # nor a write-ahead log or a backup beside it
    try:
        command = [*NOBODY, sys.executable, "-m", "spend"]
        read = subprocess.run([*command, "balance", "--db", str(db)], cwd=code,
                              capture_output=True, text=True)  # fmt: skip
        assert read.returncode == 0, read.stderr
        assert "2800.00" in read.stdout
        write = subprocess.run([*command, "import", str(folder), "--db", str(db)], cwd=code,
                               capture_output=True, text=True)  # fmt: skip
        assert write.returncode == 1
        assert "lecture seule" in write.stderr and "rien n'a été enregistré" in write.stderr
        assert "Traceback" not in write.stderr
    finally:
        place.chmod(0o755)
        db.chmod(0o644)
    assert "3000.00" in run_cli("balance", "--db", str(db)).stdout
    shutil.rmtree(place)


def test_a_file_on_a_read_only_disk_is_read_and_not_written(db: Path, tmp_path: Path) -> None:
    """A share mounted read-only: even root may not write, the file is read all the same."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "budget_lines.csv").write_text(NEW_CREDITS)
    shelf = tmp_path / "partage"
    shelf.mkdir()
    shutil.copyfile(db, shelf / db.name)
    mounted = subprocess.run(["mount", "--bind", "-o", "ro", str(shelf), str(shelf)],
                             capture_output=True)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip("monter un dossier en lecture seule demande les droits de root")
    try:
        on_share = shelf / db.name
        read = run_cli("balance", "--db", str(on_share))
        assert read.returncode == 0, read.stderr
        assert "2800.00" in read.stdout
        write = run_cli("import", str(folder), "--db", str(on_share))
        assert write.returncode == 1
        assert "lecture seule" in write.stderr and "rien n'a été enregistré" in write.stderr
        assert "Traceback" not in write.stderr
        assert "2800.00" in run_cli("balance", "--db", str(on_share)).stdout
    finally:
        subprocess.run(["umount", str(shelf)], check=True)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 12 MB file system of its own, to fill up."""
    mount = tmp_path / "disque"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(mount)],
                          capture_output=True)  # fmt: skip
    if done.returncode != 0:
        pytest.skip("monter un système de fichiers de test demande les droits de root")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_is_said_and_nothing_is_written(db: Path, tiny_disk: Path) -> None:
    on_disk = tiny_disk / "spend.duckdb"
    shutil.copyfile(db, on_disk)
    filler = tiny_disk / "remplissage"
    free = shutil.disk_usage(tiny_disk).free
    filler.write_bytes(b"\0" * max(0, free - 64 * 1024))
    folder = tiny_disk.parent / "in"
    folder.mkdir()
    (folder / "budget_lines.csv").write_text(NEW_CREDITS)
    result = run_cli("import", str(folder), "--db", str(on_disk))
    assert result.returncode == 1
    assert "disque est plein" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    filler.unlink()
    assert "3000.00" in run_cli("balance", "--db", str(on_disk)).stdout
