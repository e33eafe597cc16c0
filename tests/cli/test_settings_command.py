"""`python -m spend settings`: the settings listed, or set through the Administration page's
checks, rights and journal."""

from pathlib import Path

import pytest

from spend import store
from spend.exchange.seed import open_database
from tests.conftest import run_cli


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "x.duckdb")
    assert run_cli("init", "--db", path).returncode == 0
    return path


def _journal(db: str) -> list[str]:
    return run_cli("journal", "--db", db, "--table", "settings").stdout.splitlines()[1:]


def test_settings_are_listed_as_name_and_value(db: str) -> None:
    result = run_cli("settings", "--db", db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:9] == [
        "vat_rate;20.00",
        "collectivity_name;Département du Pas-de-Calais",
        "collectivity_siret;",
        "backup_keep;20",
        "backup_budget_mb;4096",
        "reminder_to;",
        "reminder_days_notice;60",
        "reminder_days_end;90",
        "reminder_days_payment;15",
    ]
    # Then what the store keeps for itself: the database's identity, which backups record.
    assert [line.split(";")[0] for line in lines[9:]] == ["database_id"]


def test_a_wrong_siret_key_is_refused_and_nothing_changes(db: str) -> None:
    before = _journal(db)
    result = run_cli("settings", "--db", db, "vat_rate=5,5", "collectivity_siret=21860194600014")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "SIRET « 21860194600014 » invalide : la clé de contrôle ne correspond pas (un chiffre mal "
        "recopié ?) ; l'avis de situation SIRENE de la collectivité donne le bon numéro.",
        "Paramètres refusés : rien n'a été modifié.",
    ]
    with open_database(Path(db)) as con:
        settings = store.settings(con)
    assert settings["vat_rate"] == "20.00" and "collectivity_siret" not in settings
    assert _journal(db) == before


def test_a_good_siret_is_saved_and_journaled(db: str) -> None:
    result = run_cli(
        "settings", "--db", db, "--as", "m.dupont", "collectivity_siret=218 601 946 00013"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "collectivity_siret;21860194600013\n"
    assert "collectivity_siret;21860194600013" in run_cli("settings", "--db", db).stdout
    newest = _journal(db)[0].split(",")
    assert newest[2:7] == [
        "m.dupont",
        "ligne de commande",
        "paramètres",
        "settings",
        '"[""collectivity_siret""]"',
    ]
    assert '""value"":""21860194600013""' in _journal(db)[0]


@pytest.mark.parametrize(
    ("argument", "said"),
    [
        ("tva=5", "Paramètre inconnu « tva » (connus : backup_budget_mb, backup_keep,"),
        ("vat_rate", "« vat_rate » : NOM=VALEUR attendu"),
        ("backup_keep=0", "Nombre de sauvegardes à garder illisible « 0 »"),
    ],
)
def test_bad_arguments_are_said_in_french(db: str, argument: str, said: str) -> None:
    result = run_cli("settings", "--db", db, argument)
    assert result.returncode in (1, 2)
    assert said in result.stderr and "Traceback" not in result.stderr
