"""What an administrator types in the settings is checked before anything is saved."""

import pytest

from spend.exchange.settings import (
    MAX_NAME_CHARS,
    SETTINGS,
    Setting,
    check_settings,
    check_values,
    declare,
    siret_problem,
    with_defaults,
)

NAME = "Département du Pas-de-Calais"


def test_good_settings_are_cleaned() -> None:
    cleaned, problems = check_settings(" 5,5 % ", f" {NAME} ", "218 601 946 00013", "30")
    assert problems == []
    assert cleaned == {
        "vat_rate": "5.50",
        "collectivity_name": NAME,
        "collectivity_siret": "21860194600013",
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


@pytest.mark.parametrize(
    ("siret", "valid"),
    [
        ("21860194600013", True),  # the SCDL schema's example
        ("21860194600014", False),  # one digit off: the key no longer matches
        ("13000501000025", True),
        ("35600000049837", True),  # La Poste: the sum of the digits, 50, a multiple of 5
        ("35600000049838", False),
        ("35600000000048", True),  # La Poste's head office is a Luhn number
        ("00000000000000", True),
    ],
)
def test_the_siret_key_is_checked_as_the_validators_do(siret: str, valid: bool) -> None:
    assert (siret_problem(siret) is None) is valid
    _, problems = check_settings("20", NAME, siret)
    assert (problems == []) is valid
    if not valid:
        assert problems == [
            f"SIRET « {siret} » invalide : la clé de contrôle ne correspond pas (un chiffre mal "
            "recopié ?) ; l'avis de situation SIRENE de la collectivité donne le bon numéro."
        ]


def test_the_table_names_every_setting_with_label_default_and_check() -> None:
    assert {"vat_rate", "collectivity_name", "collectivity_siret", "backup_keep"} <= set(SETTINGS)
    assert SETTINGS["vat_rate"].default == "20.00"
    assert SETTINGS["collectivity_siret"].label.startswith("SIRET")
    assert with_defaults({"vat_rate": "5.50"})["backup_keep"] == "20"


def test_a_module_declares_its_own_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("spend.exchange.settings.SETTINGS", dict(SETTINGS))

    def days(typed: str) -> str:
        if not typed.strip().isdigit():
            raise ValueError(f"Préavis illisible « {typed} » : un nombre de jours.")
        return typed.strip()

    declare(Setting("reminder_days_notice", "Jours de préavis des rappels", "30", days))
    assert check_values({"reminder_days_notice": " 15 "}) == ({"reminder_days_notice": "15"}, [])
    assert check_values({"reminder_days_notice": "x", "vat_rate": "5"}) == (
        {},
        ["Préavis illisible « x » : un nombre de jours."],
    )


def test_an_unknown_name_is_refused_and_nothing_is_kept() -> None:
    cleaned, problems = check_values({"vat_rate": "5,5", "tva": "5"})
    assert cleaned == {}
    assert len(problems) == 1
    assert problems[0].startswith(
        "Paramètre inconnu « tva » (connus : backup_budget_mb, backup_keep, "
    )
    assert "vat_rate" in problems[0]
