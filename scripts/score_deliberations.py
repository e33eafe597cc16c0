"""The deliberation reader's score on its corpus: fields read right / fields expected, per kind
of field, for every text of tests/fixtures/deliberations beside its expected reading.

    .venv/bin/python scripts/score_deliberations.py [FOLDER]

A list (budget rows, fee statements, fees kept, proposed centrals) counts one field per item
expected, right when the item read at the same place is the same; an item read beyond those
expected counts as one more field, wrong. Exit status 1 when any field is wrong.
"""

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spend.deliberations.reader import read_deliberation_file  # noqa: E402

KINDS: dict[str, tuple[str, ...]] = {
    "numéro": ("deliberation_id",),
    "date": ("date",),
    "collectivité": ("authority",),
    "assemblée": ("assembly",),
    "objet": ("title",),
    "voix": ("votes_for", "votes_against", "abstentions"),
    "mode de vote": ("vote_kind", "not_voting"),
    "résultat": ("outcome",),
    "matière ACTES": ("subject_code", "subject_name"),
    "lignes budgétaires": ("budget_rows",),
    "montants cités": ("fee_statements",),
    "cotisations retenues": ("fees",),
    "nouvelles centrales": ("proposed_centrals",),
    "avertissements": ("warnings",),
}


def score(folder: Path) -> dict[str, list[int]]:
    totals = {kind: [0, 0] for kind in KINDS}
    for path in sorted(folder.glob("*.txt")):
        expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
        reading = read_deliberation_file(path).to_json_dict()
        for kind, fields in KINDS.items():
            right, total = _compared(reading, expected["reading"], fields)
            totals[kind][0] += right
            totals[kind][1] += total
    return totals


def _compared(read: dict[str, Any], expected: dict[str, Any], fields: tuple[str, ...]):
    right = total = 0
    for field in fields:
        want, got = expected.get(field), read.get(field)
        if isinstance(want, list):
            got = got or []
            total += max(len(want), len(got))
            right += sum(1 for w, g in zip(want, got, strict=False) if w == g)
        else:
            total += 1
            right += want == got
    return right, total


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else ROOT / "tests" / "fixtures" / "deliberations"
    totals = score(folder)
    texts = len(list(folder.glob("*.txt")))
    print(f"Lecture des délibérations : {texts} textes ({folder})")
    for kind, (right, total) in totals.items():
        print(f"  {kind:<22} {right:>4} / {total:<4}")
    right = sum(r for r, _ in totals.values())
    total = sum(t for _, t in totals.values())
    print(f"  {'total':<22} {right:>4} / {total:<4}")
    return 0 if right == total else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
