"""scripts/score_deliberations.py: fields read right per kind, on the corpus and on a corpus
whose expected reading is wrong."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from spend.paths import ROOT
from tests.deliberations.conftest import CORPUS_DIR

SCRIPT = ROOT / "scripts" / "score_deliberations.py"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False
    )


def test_score_of_the_corpus_is_every_field_right() -> None:
    result = _run()

    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    total = next(line for line in lines if line.strip().startswith("total")).split()
    assert total[1] == total[3]
    assert any(line.strip().startswith("lignes budgétaires") for line in lines)


def test_a_wrong_expected_field_is_counted_wrong(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("sm_2022_38_comite_syndical.txt", "sm_2022_38_comite_syndical.expected.json"):
        shutil.copy(CORPUS_DIR / name, folder / name)
    expected_path = folder / "sm_2022_38_comite_syndical.expected.json"
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    expected["reading"]["date"] = "2022-12-06"
    expected_path.write_text(json.dumps(expected), encoding="utf-8")

    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(folder)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )

    assert result.returncode == 1
    date_line = next(line for line in result.stdout.splitlines() if line.strip().startswith("date"))
    assert date_line.split()[1:4] == ["0", "/", "1"]
