from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from spend.exchange.scdl import (
    REQUIRED_FIELDS,
    SCDL_COLUMNS,
    scdl_csv_bytes,
    scdl_frame,
    scdl_problems,
)

# A made-up SIRET: 14 digits, written the way people type it.
SIRET_TYPED = "226 200 016 00017"
SIRET = "22620001600017"
COLL_NAME = "Département du Pas-de-Calais"
SEED_TITLE = "CONVENTION D'ADHÉSION AU DOMAINE D'ACHAT « SÉCURITÉ », CAIH ET RESAH"

STORE_SCHEMA = {
    "deliberation_id": pl.String,
    "date": pl.Date,
    "assembly": pl.String,
    "title": pl.String,
    "votes_for": pl.Int64,
    "votes_against": pl.Int64,
    "abstentions": pl.Int64,
    "outcome": pl.String,
}


def _store() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "deliberation_id": ["2022-504", "2023-045", "2023-12", "2023-200"],
            "date": [date(2022, 12, 13), date(2023, 7, 1), date(2023, 3, 14), date(2023, 11, 6)],
            "assembly": [
                "Commission Permanente",
                "Conseil départemental",
                "Conseil municipal",
                "Commission Permanente",
            ],
            "title": [
                SEED_TITLE,
                "ADHÉSION À L'UGAP",
                "adhésion à l'UGAP\n  pour le mobilier",
                "X",
            ],
            "votes_for": [44, 20, None, 30],
            "votes_against": [0, 25, None, 12],
            "abstentions": [0, 1, None, None],
            "outcome": ["adopted", "rejected", "adopted", None],
        },
        schema=STORE_SCHEMA,
    )


def _scdl(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        [{c: row.get(c) for c in SCDL_COLUMNS} for row in rows],
        schema=dict.fromkeys(SCDL_COLUMNS, pl.String),
    )


GOLDEN = _scdl(
    [
        {
            "COLL_NOM": COLL_NAME,
            "COLL_SIRET": SIRET,
            "DELIB_ID": "2022-504",
            "DELIB_DATE": "2022-12-13",
            "DELIB_OBJET": SEED_TITLE,
            "VOTE_REEL": "44",
            "VOTE_POUR": "44",
            "VOTE_CONTRE": "0",
            "VOTE_ABSTENTION": "0",
        },
        {
            "COLL_NOM": COLL_NAME,
            "COLL_SIRET": SIRET,
            "DELIB_ID": "2023-12",
            "DELIB_DATE": "2023-03-14",
            "DELIB_OBJET": "adhésion à l'UGAP pour le mobilier",
        },
        {
            "COLL_NOM": COLL_NAME,
            "COLL_SIRET": SIRET,
            "DELIB_ID": "2023-200",
            "DELIB_DATE": "2023-11-06",
            "DELIB_OBJET": "X",
            "VOTE_POUR": "30",
            "VOTE_CONTRE": "12",
        },
    ]
)

VALID_ROW: dict[str, str | None] = {
    "COLL_NOM": COLL_NAME,
    "COLL_SIRET": SIRET,
    "DELIB_ID": "2022-504",
    "DELIB_DATE": "2022-12-13",
    "DELIB_OBJET": SEED_TITLE,
    "VOTE_EFFECTIF": "45",
    "VOTE_REEL": "44",
    "VOTE_POUR": "44",
    "VOTE_CONTRE": "0",
    "VOTE_ABSTENTION": "0",
}


def _one_row(**changes: str | None) -> pl.DataFrame:
    return _scdl([{**VALID_ROW, **changes}])


# --- scdl_frame ----------------------------------------------------------------------------------


def test_frame_matches_the_golden_rows() -> None:
    frame = scdl_frame(_store(), coll_name=COLL_NAME, coll_siret=SIRET_TYPED)

    # 2023-045 was rejected: the standard lists adopted deliberations only.
    assert_frame_equal(frame, GOLDEN)
    assert frame.columns == list(SCDL_COLUMNS)


def test_vote_reel_is_filled_only_when_the_three_counts_are_known() -> None:
    frame = scdl_frame(_store(), coll_name=COLL_NAME, coll_siret=SIRET)

    assert frame.get_column("VOTE_REEL").to_list() == ["44", None, None]


def test_unknown_siret_and_blank_name_stay_empty() -> None:
    frame = scdl_frame(_store(), coll_name="  ", coll_siret=None)

    assert frame.get_column("COLL_NOM").null_count() == frame.height
    assert frame.get_column("COLL_SIRET").null_count() == frame.height
    assert (
        "Délibération 2022-504 : champ obligatoire « SIRET de la collectivité » (COLL_SIRET) "
        "non renseigné." in scdl_problems(frame)
    )


def test_empty_store_gives_an_empty_frame_with_the_standards_columns() -> None:
    frame = scdl_frame(_store().clear(), coll_name=COLL_NAME, coll_siret=SIRET)

    assert_frame_equal(frame, GOLDEN.clear())
    assert scdl_problems(frame) == []


# --- scdl_problems -------------------------------------------------------------------------------


def test_golden_and_complete_rows_have_no_problem() -> None:
    assert scdl_problems(GOLDEN.slice(0, 2)) == []
    assert scdl_problems(_one_row()) == []


@pytest.mark.parametrize(("column", "label"), REQUIRED_FIELDS.items())
@pytest.mark.parametrize("blank", [None, "   "])
def test_each_required_field_is_checked(column: str, label: str, blank: str | None) -> None:
    problems = scdl_problems(_one_row(**{column: blank}))

    who = "Délibération 2022-504"
    if column == "DELIB_ID":
        who = "Délibération sans numéro (ligne 1 du tableau)"
    assert problems == [f"{who} : champ obligatoire « {label} » ({column}) non renseigné."]


@pytest.mark.parametrize("siret", ["2262000160001", "226200016000170", "2262000160001A"])
def test_siret_must_have_14_digits(siret: str) -> None:
    assert scdl_problems(_one_row(COLL_SIRET=siret)) == [
        f"Délibération 2022-504 : SIRET de la collectivité (COLL_SIRET) invalide : « {siret} » "
        "(14 chiffres attendus)."
    ]


@pytest.mark.parametrize("value", ["13/12/2022", "2022-02-30", "2022-1-5"])
def test_delib_date_must_be_iso(value: str) -> None:
    assert scdl_problems(_one_row(DELIB_DATE=value)) == [
        f"Délibération 2022-504 : date de la délibération (DELIB_DATE) invalide : « {value} » "
        "(format AAAA-MM-JJ attendu)."
    ]


def test_vote_columns_must_be_all_filled_or_none() -> None:
    assert (
        scdl_problems(
            _one_row(
                VOTE_EFFECTIF=None,
                VOTE_REEL=None,
                VOTE_POUR=None,
                VOTE_CONTRE=None,
                VOTE_ABSTENTION=None,
            )
        )
        == []
    )
    assert scdl_problems(_one_row(VOTE_REEL=None, VOTE_CONTRE="")) == [
        "Délibération 2022-504 : votes incomplets, renseigner VOTE_REEL, VOTE_POUR, VOTE_CONTRE "
        "et VOTE_ABSTENTION, ou aucun (manquant : VOTE_REEL, VOTE_CONTRE)."
    ]


def test_votes_must_add_up_to_vote_reel() -> None:
    assert scdl_problems(_one_row(VOTE_POUR="30", VOTE_CONTRE="12", VOTE_ABSTENTION="1")) == [
        "Délibération 2022-504 : VOTE_POUR + VOTE_CONTRE + VOTE_ABSTENTION = 43, différent de "
        "VOTE_REEL = 44."
    ]


def test_vote_reel_cannot_exceed_vote_effectif() -> None:
    assert scdl_problems(_one_row(VOTE_EFFECTIF="40")) == [
        "Délibération 2022-504 : VOTE_REEL (44) dépasse VOTE_EFFECTIF (40)."
    ]


@pytest.mark.parametrize("value", ["4,5", "-1", "quarante"])
def test_vote_counts_must_be_whole_numbers(value: str) -> None:
    problems = scdl_problems(_one_row(VOTE_CONTRE=value))

    assert problems[0] == (
        f"Délibération 2022-504 : VOTE_CONTRE n'est pas un nombre entier positif ou nul : "
        f"« {value} »."
    )


def test_problems_follow_row_order_and_name_each_deliberation() -> None:
    frame = pl.concat(
        [_one_row(DELIB_ID="A-1", VOTE_EFFECTIF="10"), _one_row(DELIB_ID="B-2", COLL_SIRET="1")]
    )

    assert scdl_problems(frame) == [
        "Délibération A-1 : VOTE_REEL (44) dépasse VOTE_EFFECTIF (10).",
        "Délibération B-2 : SIRET de la collectivité (COLL_SIRET) invalide : « 1 » (14 chiffres "
        "attendus).",
    ]


def test_missing_columns_are_reported() -> None:
    problems = scdl_problems(_one_row().drop("DELIB_URL", "DELIB_OBJET"))

    assert problems == [
        "Colonne SCDL absente : DELIB_OBJET.",
        "Colonne SCDL absente : DELIB_URL.",
        "Délibération 2022-504 : champ obligatoire « objet de la délibération » (DELIB_OBJET) "
        "non renseigné.",
    ]


# --- scdl_csv_bytes ------------------------------------------------------------------------------


def test_csv_is_the_standards_format() -> None:
    data = scdl_csv_bytes(GOLDEN.slice(0, 2))

    assert (
        data
        == (
            "COLL_NOM,COLL_SIRET,DELIB_ID,DELIB_DATE,DELIB_MATIERE_CODE,DELIB_MATIERE_NOM,"
            "DELIB_OBJET,BUDGET_ANNEE,BUDGET_NOM,PREF_ID,PREF_DATE,VOTE_EFFECTIF,VOTE_REEL,"
            "VOTE_POUR,VOTE_CONTRE,VOTE_ABSTENTION,DELIB_URL\n"
            f'{COLL_NAME},{SIRET},2022-504,2022-12-13,,,"{SEED_TITLE}",,,,,,44,44,0,0,\n'
            f"{COLL_NAME},{SIRET},2023-12,2023-03-14,,,adhésion à l'UGAP pour le mobilier,"
            ",,,,,,,,,\n"
        ).encode()
    )


def test_csv_reads_back_to_the_same_frame() -> None:
    data = scdl_csv_bytes(GOLDEN)

    assert not data.startswith(b"\xef\xbb\xbf")
    assert_frame_equal(pl.read_csv(data, infer_schema=False), GOLDEN)


def test_csv_refuses_a_frame_without_the_standards_columns() -> None:
    with pytest.raises(ValueError, match=r"Colonnes SCDL absentes : DELIB_URL\."):
        scdl_csv_bytes(GOLDEN.drop("DELIB_URL"))
