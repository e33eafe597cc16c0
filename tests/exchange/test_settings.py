"""What an administrator types in the settings is checked before anything is saved."""

import pytest

from spend.exchange.settings import MAX_NAME_CHARS, check_settings

NAME = "Département du Pas-de-Calais"


def test_good_settings_are_cleaned() -> None:
    cleaned, problems = check_settings(" 5,5 % ", f" {NAME} ", "229 000 016 00011", "30")
    assert problems == []
    assert cleaned == {
        "vat_rate": "5.50",
        "collectivity_name": NAME,
        "collectivity_siret": "22900001600011",
        "backup_keep": "30",
    }


@pytest.mark.parametrize(
    ("vat", "name", "siret", "keep", "problem"),
    [
        ("120", NAME, "", "20", "Taux de TVA illisible « 120 » : un pourcentage entre 0 et 100."),
        ("-1", NAME, "", "20", "Taux de TVA illisible « -1 »"),
        ("vingt", NAME, "", "20", "Taux de TVA illisible « vingt »"),
        ("20", NAME, "1234", "20", "SIRET « 1234 » invalide : 14 chiffres attendus."),
        ("20", NAME, "", "0", "Nombre de sauvegardes à garder illisible « 0 » : entre 1 et 1000."),
        ("20", "  ", "", "20", "Nom de la collectivité obligatoire"),
        ("20", "x" * (MAX_NAME_CHARS + 1), "", "20", "trop long (201 caractères) : au plus 200"),
        ("20", "Dépt\n<b>", "", "20", "caractère U+000A refusé"),
        ("20", "Dépt \u202e", "", "20", "caractère U+202E refusé"),
    ],
)
def test_bad_settings_are_refused_in_french(
    vat: str, name: str, siret: str, keep: str, problem: str
) -> None:
    cleaned, problems = check_settings(vat, name, siret, keep)
    assert cleaned == {}
    assert len(problems) == 1 and problem in problems[0], problems
