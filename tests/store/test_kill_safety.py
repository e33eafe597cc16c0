"""An import killed at any moment leaves the database as it was before or as it is after,
never in between, and the file opens."""

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from spend.paths import ROOT
from tests.conftest import run_cli

RUNS = 30
COMMITMENTS = 20_000


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


@pytest.mark.slow
def test_imports_killed_at_random_moments_leave_before_or_after(tmp_path: Path) -> None:
    base = tmp_path / "base.duckdb"
    assert run_cli("init", "--db", str(base)).returncode == 0
    folder = _folder(tmp_path)
    before = _state(base)
    done = tmp_path / "done.duckdb"
    shutil.copyfile(base, done)
    started = time.monotonic()
    assert run_cli("import", str(folder), "--db", str(done)).returncode == 0
    duration = time.monotonic() - started
    after = _state(done)
    assert after != before

    rng = random.Random(2026)
    seen = {"avant": 0, "après": 0}
    for run in range(RUNS):
        db = tmp_path / f"run{run}.duckdb"
        shutil.copyfile(base, db)
        process = subprocess.Popen(
            [sys.executable, "-m", "spend", "import", str(folder), "--db", str(db)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        # From the process's start (the interpreter loads first) to just past its end.
        time.sleep(rng.uniform(0.2, 0.4 + 1.6 * duration))
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = _state(db)
        assert state in (before, after), f"essai {run} : ni avant ni après l'import"
        seen["avant" if state == before else "après"] += 1
    print(f"{RUNS} imports tués : {seen['avant']} avant, {seen['après']} après")
    assert seen["avant"] and seen["après"], seen  # the kills did fall on both sides
