"""A restore is one exclusive act: imports from other processes started around it either land
before it (then they are in the safety backup and in the journal carried over) or wait for it
(then they are in the restored data and its journal); none is lost, whatever the offset. And a
restore killed at any moment leaves a file that opens, with every journal entry."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from spend.paths import ROOT
from spend.store.backups import list_backups
from tests.conftest import run_cli

COMMITMENT = (
    "commitment_id,operation_code,imputation,year,amount_incl_tax,label,date,status\n"
    "{key},C06-020M02,6281/930202,2022,10.00,course,2022-05-01,engagé\n"
)


def _spend(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "spend", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _keys(path: Path, query: str) -> set[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {row[0] for row in con.sql(query).fetchall()}
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.parametrize("round_", [0, 1])
def test_imports_around_a_restore_are_never_lost(tmp_path: Path, round_: int) -> None:
    db = tmp_path / "spend.duckdb"
    assert run_cli("init", "--db", str(db)).returncode == 0
    (created,) = list_backups(db)
    offsets = [*[0.0, 0.05, 0.1, 0.2, 0.35, 0.6][round_::2], 0.8]
    folders = []
    for number, _ in enumerate(offsets):
        folder = tmp_path / f"in-{number}"
        folder.mkdir()
        (folder / "commitments.csv").write_text(
            COMMITMENT.format(key=f"RACE-{number}"), encoding="utf-8"
        )
        folders.append(folder)
    restoring = _spend("restore", str(created.path), "--db", str(db))
    started, imports = time.monotonic(), []
    for folder, offset in zip(folders, offsets, strict=True):
        time.sleep(max(0.0, started + offset - time.monotonic()))
        imports.append(_spend("import", str(folder), "--db", str(db)))
    _out, err = restoring.communicate(timeout=120)
    assert restoring.returncode == 0, err
    done = []
    for number, process in enumerate(imports):
        _out, err = process.communicate(timeout=120)
        if process.returncode == 0:
            done.append(f"RACE-{number}")
        else:  # refused, in French, after waiting: nothing written, and it says so
            assert "Traceback" not in err and err.strip(), err
    assert done, "no import went through"
    # Matched inside the key, whatever the journal's way of writing keys.
    journal_keys = _keys(db, "select row_key from journal where table_name = 'commitments'")
    in_data = _keys(db, "select commitment_id from commitments")
    safety = [b for b in list_backups(db) if "avant-restauration" in b.name]
    in_safety = _keys(safety[0].path, "select commitment_id from commitments") if safety else set()
    for key in done:
        assert any(key in written for written in journal_keys), key
        assert key in in_data or key in in_safety, key


@pytest.mark.slow
def test_a_restore_killed_at_any_moment_keeps_every_journal_entry(tmp_path: Path) -> None:
    db = tmp_path / "spend.duckdb"
    assert run_cli("init", "--db", str(db)).returncode == 0
    (created,) = list_backups(db)
    for number in range(3):
        folder = tmp_path / f"in-{number}"
        folder.mkdir()
        (folder / "commitments.csv").write_text(
            COMMITMENT.format(key=f"KEEP-{number}"), encoding="utf-8"
        )
        assert run_cli("import", str(folder), "--db", str(db)).returncode == 0
    wanted = _keys(db, "select row_key from journal where row_key is not null")
    assert len(wanted) >= 3
    for delay in (0.35, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2):
        process = _spend("restore", str(created.path), "--db", str(db))
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.communicate()
        # Whatever the moment, the file opens and holds every entry of the journal.
        result = run_cli("journal", "--db", str(db))
        assert result.returncode == 0, (delay, result.stderr)
        assert wanted <= _keys(db, "select row_key from journal where row_key is not null"), delay
    # And a restore run to its end still works after them.
    assert run_cli("restore", str(created.path), "--db", str(db)).returncode == 0
    assert wanted <= _keys(db, "select row_key from journal where row_key is not null")
