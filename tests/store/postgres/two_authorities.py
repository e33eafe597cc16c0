"""Two authorities on one server, seeded differently, for the tests of the authority chosen from
the signed-in person's rules (AppTest here, a browser in tests/browser/test_authorities.py).

- `arras` « Commune d'Arras »: the seed (3 000,00 / 2 800,00 / 200,00 for 2022);
- `lens` « Ville de Lens »: the seed's tables with every « Convention » called « Marché
  LENSOIS » and 7 500,00 of credits (7 500,00 / 2 800,00 / 4 700,00), imported from a folder
  named `lens-donnees`, and one rule saved on its Administration page (LENS_STORED_MANAGER).

Each has a pg_dump backup. Nothing of one may be seen from the other: LENS_MARKS and
ARRAS_MARKS are what would betray it.
"""

import shutil
from pathlib import Path

import polars as pl

from spend import store
from spend.domain.access import Actor, Role
from spend.paths import ROOT
from spend.store import backend
from tests.store.postgres.conftest import spend

ARRAS, LENS = "arras", "lens"
NAMES = {ARRAS: "Commune d'Arras", LENS: "Ville de Lens"}
FIGURES = {
    ARRAS: ["3 000,00 €", "2 800,00 €", "200,00 €"],
    LENS: ["7 500,00 €", "2 800,00 €", "4 700,00 €"],
}
LENS_STORED_MANAGER = "agent.stocke@lens.fr"  # a rule of lens's Administration page only
# What would betray the other authority on a page (titles, journal, backups, rules, names).
LENS_MARKS = ("LENSOIS", "lens-donnees", "Ville de Lens", LENS_STORED_MANAGER, "lens-2")
ARRAS_MARKS = ("Convention d'adhésion", "Commune d'Arras", "arras-2")


def lens_folder(tmp_path: Path) -> Path:
    """The seed's exchange files, made lens's own."""
    folder = tmp_path / "lens-donnees"
    shutil.copytree(ROOT / "data" / "seed", folder)
    for csv in folder.glob("*.csv"):
        text = csv.read_text(encoding="utf-8").replace("Convention", "Marché LENSOIS")
        if csv.name == "budget_lines.csv":
            text = text.replace(",2022,3000.00", ",2022,7500.00")
        csv.write_text(text, encoding="utf-8")
    return folder


def create_two_authorities(tmp_path: Path) -> None:
    """On the server of SPEND_DATABASE_URL (backups under SPEND_PG_BACKUP_DIR)."""
    for args in (
        ("init", "--authority", ARRAS),
        ("init", "--empty", "--authority", LENS),
        ("import", str(lens_folder(tmp_path)), "--authority", LENS),
        ("settings", f"collectivity_name={NAMES[ARRAS]}", "--authority", ARRAS),
        ("settings", f"collectivity_name={NAMES[LENS]}", "--authority", LENS),
        ("backup", "--authority", ARRAS),
        ("backup", "--authority", LENS),
    ):
        done = spend(*args)
        assert done.returncode == 0, (args, done.stderr)
    rule = pl.DataFrame(
        {"kind": ["email"], "name": [LENS_STORED_MANAGER], "role": ["gestionnaire"]}
    )
    with backend.scope(LENS, {LENS}), store.session(Path("unused.duckdb")) as con:
        store.replace_access_rules(con, rule, actor=Actor("tests", Role.ADMIN, "tests"))
