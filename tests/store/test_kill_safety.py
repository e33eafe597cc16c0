"""An import killed at any moment leaves the database as it was before or as it is after,
never in between, and the file opens."""

import multiprocessing
import multiprocessing.process
import random
import shutil
import statistics
import sys
import time
import types
from pathlib import Path

import pytest

from spend.cli import main
from tests.conftest import run_cli

RUNS = 30
COMMITMENTS = 10_000


def _folder(tmp_path: Path) -> Path:
    """An import big enough to be killed in the middle: credits and many commitments."""
    folder = tmp_path / "in"
    folder.mkdir()
    lines = ["operation_code,imputation,label,year,credits"]
    lines += [f"OP{i:03d},6281/930202,Ligne {i},2024,{1000 + i}.00" for i in range(50)]
    (folder / "budget_lines.csv").write_text("\n".join(lines) + "\n")
    rows = ["commitment_id,operation_code,imputation,year,amount_incl_tax,label,date,status"]
    rows += [
        f"E{i:06d},OP{i % 50:03d},6281/930202,2024,{i % 997}.{i % 100:02d},Engagement {i},"
        f"2024-01-{1 + i % 28:02d},engagé"
        for i in range(COMMITMENTS)
    ]
    (folder / "commitments.csv").write_text("\n".join(rows) + "\n")
    return folder


def _state(db: Path) -> str:
    result = run_cli("balance", "--db", str(db))
    assert result.returncode == 0, result.stderr  # the file opens, whatever happened
    return result.stdout


# The command line's own entry, in processes forked from one that has already loaded the
# package: each kill falls within the import itself rather than in an interpreter's start, and
# the thirty-odd runs do not each pay that start.
FORKS = multiprocessing.get_context("forkserver")
FORKS.set_forkserver_preload(["spend.cli"])


def _start_import(folder: Path, db: Path) -> multiprocessing.process.BaseProcess:
    process = FORKS.Process(target=main, args=(["import", str(folder), "--db", str(db)],))
    _start(process)
    return process


def _start(process: multiprocessing.process.BaseProcess) -> None:
    """Start a forked process with a bare `__main__`: each child loads the `__main__` of the
    process that starts it, and in a test process where an AppTest ran a page, that is the
    dashboard's script, which fails outside Streamlit before the import begins."""
    running_main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        process.start()
    finally:
        sys.modules["__main__"] = running_main


@pytest.mark.slow
def test_imports_killed_at_random_moments_leave_before_or_after(tmp_path: Path) -> None:
    base = tmp_path / "base.duckdb"
    assert run_cli("init", "--db", str(base)).returncode == 0
    folder = _folder(tmp_path)
    before = _state(base)
    warm_up = FORKS.Process(target=time.sleep, args=(0,))  # the fork server starts, not timed
    _start(warm_up)
    warm_up.join()

    # Every sixth import runs to its end, timed: the kills spread over the import's length as
    # it is now, on this machine as loaded as it is now.
    plan = ["timed" if run % 6 == 0 else "killed" for run in range(RUNS + RUNS // 5)]
    rng = random.Random(2026)
    durations: list[float] = []
    after = ""
    seen = {"avant": 0, "après": 0}
    for run, kind in enumerate(plan):
        db = tmp_path / f"run{run}.duckdb"
        shutil.copyfile(base, db)
        started = time.monotonic()
        process = _start_import(folder, db)
        if kind == "timed":
            process.join()
            durations.append(time.monotonic() - started)
            after = _state(db)
            assert after != before
            continue
        # From the import's first step to past its end.
        time.sleep(rng.uniform(0, 1.25 * statistics.median(durations)))
        process.kill()
        process.join()
        state = _state(db)
        assert state in (before, after), f"essai {run} : ni avant ni après l'import"
        seen["avant" if state == before else "après"] += 1
    print(f"{RUNS} imports tués : {seen['avant']} avant, {seen['après']} après ; imports entiers "
          f"de {min(durations):.2f} à {max(durations):.2f} s")  # fmt: skip
    assert sum(seen.values()) == RUNS
    assert seen["avant"] and seen["après"], seen  # the kills did fall on both sides
