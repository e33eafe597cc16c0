"""The SCDL « délibérations » export and the project's own checker, in French."""

from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from spend.exchange.scdl import (
    REQUIRED_FIELDS,
    SCDL_COLUMNS,
    row_problems,
    scdl_csv_bytes,
    scdl_export,
    scdl_frame,
    scdl_problems,
)

SIRET_TYPED = "218 601 946 00013"
SIRET = "21860194600013"  # the schema's own example: a valid key
COLL_NAME = "Département du Pas-de-Calais"
SEED_TITLE = "CONVENTION D'ADHÉSION AU DOMAINE D'ACHAT « SÉCURITÉ », CAIH ET RESAH"
SUBJECT = ("1.4", "Commande publique/Autres types de contrats")

STORE_SCHEMA = {
    "deliberation_id": pl.String,
    "date": pl.Date,
    "assembly": pl.String,
    "title": pl.String,
    "votes_for": pl.Int64,
    "votes_against": pl.Int64,
    "abstentions": pl.Int64,
    "outcome": pl.String,
    "subject_code": pl.String,
    "subject_name": pl.String,
    "members_in_office": pl.Int64,
    "prefecture_id": pl.String,
    "prefecture_date": pl.Date,
    "budget_year": pl.String,
    "budget_name": pl.String,
    "url": pl.String,
}


def _store() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "deliberation_id": ["2022-504", "2023-045", "2023-12", "2023-200"],
            "date": [date(2022, 12, 13), date(2023, 7, 1), date(2023, 3, 14), date(2023, 11, 6)],
            "assembly": ["Commission Permanente", "Conseil", "Conseil municipal", "CP"],
            "title": [SEED_TITLE, "ADHÉSION À L'UGAP", "adhésion à l'UGAP\npour le mobilier", "X"],
            "votes_for": [44, 20, None, 30],
            "votes_against": [0, 25, None, 12],
            "abstentions": [0, 1, None, 1],
            "outcome": ["adopted", "rejected", "adopted", None],
            "subject_code": ["1.4", "1.4", None, "7.10"],
            "subject_name": [SUBJECT[1], SUBJECT[1], None, "Finances locales/Divers"],
            "members_in_office": [54, None, None, None],
            "prefecture_id": ["PREF062", None, None, None],
            "prefecture_date": [date(2022, 12, 16), None, None, None],
            "budget_year": ["2023", None, None, None],
            "budget_name": ["Budget principal", None, None, None],
            "url": ["https://www.pasdecalais.fr/deliberations/2022-504.pdf", None, None, None],
        },
        schema=STORE_SCHEMA,
    )


def _scdl(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        [{c: row.get(c) for c in SCDL_COLUMNS} for row in rows],
        schema=dict.fromkeys(SCDL_COLUMNS, pl.String),
    )


VALID_ROW: dict[str, str | None] = {
    "COLL_NOM": COLL_NAME,
    "COLL_SIRET": SIRET,
    "DELIB_ID": "2022-504",
    "DELIB_DATE": "2022-12-13",
    "DELIB_MATIERE_CODE": "1.4",
    "DELIB_MATIERE_NOM": SUBJECT[1],
    "DELIB_OBJET": SEED_TITLE,
    "BUDGET_ANNEE": "2023",
    "BUDGET_NOM": "Budget principal",
    "PREF_ID": "PREF062",
    "PREF_DATE": "2022-12-16",
    "VOTE_EFFECTIF": "54",
    "VOTE_REEL": "44",
    "VOTE_POUR": "44",
    "VOTE_CONTRE": "0",
    "VOTE_ABSTENTION": "0",
    "DELIB_URL": "https://www.pasdecalais.fr/deliberations/2022-504.pdf",
}
WHO = "Délibération 2022-504 (ligne 2) : "


def _one_row(**changes: str | None) -> pl.DataFrame:
    return _scdl([{**VALID_ROW, **changes}])


# Each custom check of schema 2.1.5 (and the constraints of its fields), broken by one row, with
# what our checker says. tests/exchange/test_scdl_validators.py feeds the same rows to the
# official validators.
BROKEN: dict[str, tuple[dict[str, str | None], str]] = {
    "siret-key": (
        {"COLL_SIRET": "21860194600014"},
        "COLL_SIRET : SIRET « 21860194600014 » invalide : la clé de contrôle ne correspond pas",
    ),
    "siret-digits": ({"COLL_SIRET": "2186019460001"}, "14 chiffres attendus"),
    "effectif-below-reel": ({"VOTE_EFFECTIF": "40"}, "VOTE_REEL (44) dépasse VOTE_EFFECTIF (40)."),
    "count-above-reel": (
        {"VOTE_EFFECTIF": "60", "VOTE_POUR": "45", "VOTE_CONTRE": "0"},
        "VOTE_POUR (45) dépasse VOTE_REEL (44).",
    ),
    "sum": (
        {"VOTE_POUR": "40", "VOTE_CONTRE": "1", "VOTE_ABSTENTION": "1"},
        "VOTE_POUR + VOTE_CONTRE + VOTE_ABSTENTION = 42, différent de VOTE_REEL = 44.",
    ),
    "votes-all-or-none": (
        {"VOTE_EFFECTIF": None},
        "votes incomplets : VOTE_EFFECTIF, VOTE_REEL, VOTE_POUR, VOTE_CONTRE et VOTE_ABSTENTION "
        "se renseignent tous ou aucun (manquant : VOTE_EFFECTIF).",
    ),
    "pref-before-delib": (
        {"PREF_DATE": "2022-12-01"},
        "PREF_DATE (01/12/2022) antérieure à DELIB_DATE (13/12/2022)",
    ),
    "budget-year-without-name": (
        {"BUDGET_NOM": None},
        "BUDGET_ANNEE et BUDGET_NOM se renseignent ensemble ou pas du tout (manquant : "
        "BUDGET_NOM).",
    ),
    "budget-years-equal": (
        {"BUDGET_ANNEE": "2023/2023"},
        "année du budget (BUDGET_ANNEE) « 2023/2023 » : la seconde année suit la première.",
    ),
    "budget-year-pattern": ({"BUDGET_ANNEE": "23"}, "« 23 » illisible : AAAA ou AAAA/AAAA."),
    "subject-spaces": (
        {"DELIB_MATIERE_NOM": "Commande publique / Autres types de contrats"},
        "pas d'espace avant ni après la barre oblique.",
    ),
    "subject-first-level": (
        {"DELIB_MATIERE_NOM": "Achats/Centrales"},
        "le premier niveau « Achats » n'est pas de la nomenclature ACTES",
    ),
    "subject-no-slash": ({"DELIB_MATIERE_NOM": "Commande publique"}, "sans barre oblique"),
    "subject-code-pattern": ({"DELIB_MATIERE_CODE": "14"}, "« 14 » hors de la nomenclature"),
    "subject-missing": (
        {"DELIB_MATIERE_CODE": None, "DELIB_MATIERE_NOM": None},
        "champ obligatoire « code matière ACTES » (DELIB_MATIERE_CODE) non renseigné.",
    ),
    "siret-missing": (
        {"COLL_SIRET": None},
        "champ obligatoire « SIRET de la collectivité » (COLL_SIRET) non renseigné.",
    ),
    "delib-date": ({"DELIB_DATE": "13/12/2022"}, "« 13/12/2022 » (AAAA-MM-JJ attendu)."),
    "vote-not-integer": ({"VOTE_CONTRE": "zéro"}, "VOTE_CONTRE n'est pas un nombre entier"),
    "url": ({"DELIB_URL": "www.exemple.fr/d.pdf"}, "DELIB_URL : adresse « www.exemple.fr/d.pdf »"),
}


# --- the checker --------------------------------------------------------------------------------


def test_a_complete_row_has_no_problem() -> None:
    assert scdl_problems(_one_row()) == []
    assert scdl_problems(_one_row(**dict.fromkeys(("VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR",
                         "VOTE_CONTRE", "VOTE_ABSTENTION")))) == []  # fmt: skip


@pytest.mark.parametrize("case", BROKEN)
def test_each_rule_of_the_schema_is_said_in_french(case: str) -> None:
    changes, said = BROKEN[case]
    problems = scdl_problems(_one_row(**changes))
    assert problems and all(p.startswith(WHO) for p in problems), problems
    assert any(said in p for p in problems), problems


@pytest.mark.parametrize(("column", "label"), REQUIRED_FIELDS.items())
@pytest.mark.parametrize("blank", [None, "", "   "])
def test_each_required_field_is_checked(column: str, label: str, blank: str | None) -> None:
    problems = scdl_problems(_one_row(**{column: blank}))
    who = WHO if column != "DELIB_ID" else "Délibération sans numéro (ligne 2) : "
    assert f"{who}champ obligatoire « {label} » ({column}) non renseigné." in problems


def test_la_poste_establishments_are_keyed_by_the_sum_of_their_digits() -> None:
    # 356 000 000 49837: digits add up to 50; not a Luhn number.
    assert scdl_problems(_one_row(COLL_SIRET="35600000049837")) == []
    assert scdl_problems(_one_row(COLL_SIRET="35600000049838"))


def test_subject_code_and_name_must_agree() -> None:
    problems = scdl_problems(_one_row(DELIB_MATIERE_CODE="7.1"))
    assert problems == [
        WHO + f"code matière « 7.1 » et matière « {SUBJECT[1]} » ne concordent pas (le code "
        "1.x désigne « Commande publique »)."
    ]
    # Case and accents of the first level do not matter, as for the validators.
    assert scdl_problems(_one_row(DELIB_MATIERE_NOM="COMMANDE PUBLIQUE/autres")) == []


def test_missing_columns_are_reported() -> None:
    problems = scdl_problems(_one_row().drop("DELIB_URL", "PREF_ID"))
    assert problems[:2] == ["Colonne SCDL absente : PREF_ID.", "Colonne SCDL absente : DELIB_URL."]


def test_problems_name_each_line_in_row_order() -> None:
    frame = _scdl([VALID_ROW, {**VALID_ROW, "DELIB_ID": "B", "DELIB_DATE": None}, VALID_ROW])
    assert scdl_problems(frame) == [
        "Délibération B (ligne 3) : champ obligatoire « date de la délibération » (DELIB_DATE) "
        "non renseigné."
    ]
    assert row_problems({**VALID_ROW, "DELIB_ID": None}, 7)[0].startswith(
        "Délibération sans numéro (ligne 7) : "
    )


# --- the export ---------------------------------------------------------------------------------


def test_frame_publishes_the_stored_values() -> None:
    frame = scdl_frame(_store(), coll_name=COLL_NAME, coll_siret=SIRET_TYPED)

    # 2023-045 was rejected: the standard lists adopted deliberations only.
    assert frame["DELIB_ID"].to_list() == ["2022-504", "2023-12", "2023-200"]
    assert_frame_equal(frame.head(1), _one_row())
    # Line breaks of a title are kept: the file says what is stored.
    assert frame["DELIB_OBJET"][1] == "adhésion à l'UGAP\npour le mobilier"


def test_votes_are_published_together_or_not_at_all() -> None:
    export = scdl_export(_store(), {"collectivity_name": COLL_NAME, "collectivity_siret": SIRET})

    votes = export.frame.select("VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR").rows()
    assert votes == [("54", "44", "44"), (None, None, None), (None, None, None)]
    # 2023-12 has no vote recorded: nothing to say; 2023-200 lacks its members in office.
    assert export.notices == [
        "Délibération 2023-200 : votes non publiés, nombre de membres en exercice "
        "(VOTE_EFFECTIF) inconnu (le format SCDL publie les cinq champs de vote ensemble ou "
        "aucun)."
    ]


def test_more_voters_than_members_leaves_the_votes_out() -> None:
    store = _store().head(1).with_columns(members_in_office=pl.lit(40, dtype=pl.Int64))
    export = scdl_export(store, {"collectivity_name": COLL_NAME, "collectivity_siret": SIRET})
    assert export.published.height == 1
    assert export.published["VOTE_REEL"].to_list() == [None]
    assert "membres en exercice (40) moins nombreux que les votants (44)" in export.notices[0]


def test_rows_a_validator_would_refuse_are_left_out_and_said() -> None:
    export = scdl_export(_store(), {"collectivity_name": COLL_NAME, "collectivity_siret": SIRET})

    # 2023-12 has no ACTES subject.
    assert export.published["DELIB_ID"].to_list() == ["2022-504", "2023-200"]
    assert export.problems == [
        "Délibération 2023-12 (ligne 3) : champ obligatoire « code matière ACTES » "
        "(DELIB_MATIERE_CODE) non renseigné. Délibération non publiée.",
        "Délibération 2023-12 (ligne 3) : champ obligatoire « matière ACTES » "
        "(DELIB_MATIERE_NOM) non renseigné. Délibération non publiée.",
    ]


def test_a_wrong_siret_publishes_nothing() -> None:
    settings = {"collectivity_name": COLL_NAME, "collectivity_siret": "21860194600014"}
    export = scdl_export(_store(), settings)
    assert export.published.is_empty()
    assert len(export.problems) >= 3
    assert export.csv_bytes().decode().strip() == ",".join(SCDL_COLUMNS)


def test_a_title_a_spreadsheet_would_run_is_published_as_stored_and_said() -> None:
    store = _store().head(1).with_columns(title=pl.lit("- Adhésion à la CAIH"))
    export = scdl_export(store, {"collectivity_name": COLL_NAME, "collectivity_siret": SIRET})

    content = export.csv_bytes().decode()
    assert ",- Adhésion à la CAIH," in content and "'-" not in content
    assert export.notices == [
        "Délibération 2022-504 : l'objet commence par « - » ; il est publié tel quel (un "
        "tableur qui ouvrirait le fichier pourrait le lire comme une formule)."
    ]


def test_csv_is_the_standards_format() -> None:
    content = scdl_csv_bytes(_one_row(DELIB_OBJET='Titre "cité", avec virgule'))

    assert not content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8").splitlines()
    assert lines[0] == ",".join(SCDL_COLUMNS)
    assert '"Titre ""cité"", avec virgule"' in lines[1]
    with pytest.raises(ValueError, match="Colonnes SCDL absentes : DELIB_URL"):
        scdl_csv_bytes(_one_row().drop("DELIB_URL"))
