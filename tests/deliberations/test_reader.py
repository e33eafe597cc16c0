import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from fpdf import FPDF
from fpdf.enums import EncryptionMethod
from hypothesis import given, settings
from hypothesis import strategies as st

from spend.deliberations.reader import (
    BudgetRow,
    DeliberationReadError,
    DeliberationReading,
    StatedFee,
    parse_french_amount,
    read_deliberation_bytes,
    read_deliberation_file,
    read_deliberation_text,
)
from spend.paths import ROOT
from spend.views.formatting import euros
from tests.conftest import SOURCE_DOCUMENT
from tests.deliberations.pdfs import unicode_font, write_pdf

SEED = SOURCE_DOCUMENT
FIXTURES = ROOT / "tests" / "fixtures" / "deliberations"

SEED_TITLE = (
    "CONVENTION D'ADHÉSION AU DOMAINE D'ACHAT \"SERVICES EN LIGNE DE SÉCURITÉ OPÉRÉE À 360 "
    "DEGRÉS\" DE LA CENTRALE D'ACHAT DE L'INFORMATIQUE HOSPITALIÈRE (CAIH) ET CONVENTION DE "
    "SERVICE D'ACHAT CENTRALISÉ AU DOMAINE D'ACHAT \"HÉBERGEMENT CLOUD HYBRIDE AVEC SERVICES "
    "ET OFFRE DE CYBERSÉCURITÉ\" DE LA CENTRALE D'ACHAT DU RÉSEAU DES ACHETEURS HOSPITALIERS "
    "(RESAH)"
)
SEED_RESAH_WARNING = (
    "Resah : le rapport indique « 1 000 € HT/an » alors que la grille tarifaire annexée est "
    f"« nets de taxes » ; la grille est retenue : {euros(Decimal(1000))} nets de taxes."
)
SEED_BUDGET_ROW = BudgetRow(
    operation_code="C06-020M02",
    imputation="6281/930202",
    label="Informatique-Fonctionnement",
    credits=Decimal("3000.00"),
    amount=Decimal("2800.00"),
)
SEED_FEES = (
    StatedFee(body="CAIH", amount=Decimal("1500.00"), tax="HT"),
    StatedFee(body="Resah", amount=Decimal("1000.00"), tax="net"),
)


def _seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def _fixture(name: str) -> DeliberationReading:
    return read_deliberation_file(FIXTURES / name)


# --- The source deliberation ---------------------------------------------------------------------


def test_seed_reads_the_deliberations_own_fields() -> None:
    reading = read_deliberation_file(SEED)

    # Not n°2021-257 / 2021-282 cited in the recitals, nor 12/12/2022 from the CAIH convention.
    assert reading.deliberation_id == "2022-504"
    assert reading.date == date(2022, 12, 13)
    assert reading.assembly == "Commission Permanente"
    assert reading.title == SEED_TITLE
    assert (reading.votes_for, reading.votes_against, reading.abstentions) == (44, 0, 0)
    assert reading.outcome == "adopted"
    assert reading.budget_rows == (SEED_BUDGET_ROW,)


def test_seed_fees_keep_the_annexed_grids_tax_basis() -> None:
    reading = read_deliberation_file(SEED)

    # Only "nets de taxes" for Resah reconciles 1 500 € HT → 1 800 TTC + 1 000 = 2 800 €.
    assert reading.fees == SEED_FEES
    assert reading.warnings == (SEED_RESAH_WARNING,)


def test_seed_json_has_exact_keys_and_money_as_strings() -> None:
    data = read_deliberation_file(SEED).to_json_dict()
    # The keys the reading has always had keep their values; the keys added since (authority,
    # vote kind, members not voting, every fee stated, the evidence) come after them.
    added = [
        "authority",
        "vote_kind",
        "not_voting",
        "fee_statements",
        "subject_code",
        "subject_name",
        "proposed_centrals",
        "evidence",
    ]
    assert list(data)[-len(added) :] == added
    assert data["authority"] == "Département du Pas-de-Calais"
    # A membership of purchasing centrals: ACTES 1.4, proposed from the object, to be checked.
    assert (data["subject_code"], data["subject_name"]) == (
        "1.4",
        "Commande publique/Autres types de contrats",
    )
    assert data["proposed_centrals"] == []
    data = {key: value for key, value in data.items() if key not in added}

    assert data == {
        "deliberation_id": "2022-504",
        "date": "2022-12-13",
        "assembly": "Commission Permanente",
        "title": SEED_TITLE,
        "votes_for": 44,
        "votes_against": 0,
        "abstentions": 0,
        "outcome": "adopted",
        "budget_rows": [
            {
                "operation_code": "C06-020M02",
                "imputation": "6281/930202",
                "label": "Informatique-Fonctionnement",
                "credits": "3000.00",
                "amount": "2800.00",
            }
        ],
        "fees": [
            {"body": "CAIH", "amount": "1500.00", "tax": "HT"},
            {"body": "Resah", "amount": "1000.00", "tax": "net"},
        ],
        "warnings": [SEED_RESAH_WARNING],
    }
    assert json.loads(json.dumps(data)) == data


# --- PDF ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("font_kind", ["unicode", "latin-1"])
def test_seed_pdf_reads_like_its_text(tmp_path: Path, font_kind: str) -> None:
    font = unicode_font()
    if font_kind == "unicode" and font is None:
        pytest.skip("aucune police DejaVuSans.ttf sur cette machine")
    pdf_path = tmp_path / "deliberation_2022_504.pdf"
    written = write_pdf(_seed_text(), pdf_path, font=font if font_kind == "unicode" else None)

    reading = read_deliberation_file(pdf_path)

    assert reading == read_deliberation_text(written)
    assert reading.deliberation_id == "2022-504"
    assert reading.date == date(2022, 12, 13)
    assert (reading.votes_for, reading.votes_against, reading.abstentions) == (44, 0, 0)
    assert reading.outcome == "adopted"
    assert reading.budget_rows == (SEED_BUDGET_ROW,)
    assert reading.fees == SEED_FEES


def test_scanned_pdf_asks_for_manual_entry(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(200)
    pdf.rect(20, 20, 170, 250, style="F")
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))

    with pytest.raises(DeliberationReadError) as error:
        read_deliberation_file(path)

    assert str(error.value) == (
        "Le PDF « scan.pdf » ne contient pas de texte (document scanné ?) : saisissez les "
        "données à la main ou fournissez une version texte."
    )


@pytest.mark.parametrize("content", [b"%PDF-1.7\n\x00\x01 abime", b"pas un pdf du tout"])
def test_damaged_pdf_gives_a_french_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "abime.pdf"
    path.write_bytes(content)

    with pytest.raises(DeliberationReadError, match=r"« abime\.pdf » est illisible"):
        read_deliberation_file(path)


@pytest.mark.parametrize("user_password", ["secret", None])
def test_encrypted_pdf_opens_only_without_a_user_password(
    tmp_path: Path, user_password: str | None
) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    pdf.cell(0, 5, "SEANCE DU 5 MAI 2023")
    pdf.set_encryption(
        owner_password="proprietaire",
        user_password=user_password,
        encryption_method=EncryptionMethod.RC4,
    )
    path = tmp_path / "verrou.pdf"
    pdf.output(str(path))

    if user_password is None:
        assert read_deliberation_file(path).date == date(2023, 5, 5)
        return
    with pytest.raises(DeliberationReadError) as error:
        read_deliberation_file(path)
    assert str(error.value) == (
        "Le PDF « verrou.pdf » est protégé par un mot de passe : fournissez une version non "
        "protégée ou une version texte."
    )


def test_truncated_pdf_gives_a_french_error(tmp_path: Path) -> None:
    whole = tmp_path / "entier.pdf"
    write_pdf("REUNION DU 13 DÉCEMBRE 2022", whole, font=None)
    cut = tmp_path / "coupe.pdf"
    cut.write_bytes(whole.read_bytes()[:300])

    with pytest.raises(DeliberationReadError, match=r"« coupe\.pdf » est illisible"):
        read_deliberation_file(cut)


# --- Text files ----------------------------------------------------------------------------------


def test_windows_1252_text_reads_like_utf8(tmp_path: Path) -> None:
    source = FIXTURES / "cp_2023_118_plusieurs_lignes.txt"
    legacy = tmp_path / "cp_2023_118.txt"
    legacy.write_bytes(source.read_text(encoding="utf-8").encode("cp1252"))

    assert read_deliberation_file(legacy) == read_deliberation_file(source)


def test_uploaded_bytes_read_like_the_file() -> None:
    assert read_deliberation_bytes(SEED.read_bytes(), SEED.name) == read_deliberation_file(SEED)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vide.txt", b"  \n\n", "Le fichier « vide.txt » est vide."),
        (
            "deliberation.rtf",
            b"{\\rtf1 D\\'e9lib\\'e9ration}",
            "Format de fichier non pris en charge (« .rtf ») : fournissez un fichier .txt, .pdf, "
            ".docx ou .odt.",
        ),
        (
            "deliberation.docx",
            b"PK\x03\x04",
            "Le document « deliberation.docx » est illisible ou endommagé : enregistrez-le de "
            "nouveau depuis le traitement de texte, ou fournissez un PDF.",
        ),
        (
            "deliberation.odt",
            b"PK\x05\x06" + bytes(18),
            "Le document « deliberation.odt » est illisible ou endommagé : enregistrez-le de "
            "nouveau depuis le traitement de texte, ou fournissez un PDF.",
        ),
        (
            "image.txt",
            b"\x89PNG\x00\x00",
            "Le fichier « image.txt » n'est pas un fichier texte : fournissez un .txt ou un .pdf.",
        ),
    ],
)
def test_unusable_files_give_french_errors(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(DeliberationReadError) as error:
        read_deliberation_file(path)

    assert str(error.value) == message


def test_missing_file_gives_a_french_error(tmp_path: Path) -> None:
    with pytest.raises(DeliberationReadError) as error:
        read_deliberation_file(tmp_path / "absente.txt")

    assert str(error.value) == "Fichier introuvable : « absente.txt »."


# --- Other deliberations in the same style -------------------------------------------------------


def test_several_budget_rows_votes_against_and_abstentions() -> None:
    reading = _fixture("cp_2023_118_plusieurs_lignes.txt")

    assert reading.deliberation_id == "2023-118"
    assert reading.date == date(2023, 4, 3)
    assert reading.assembly == "Commission Permanente"
    assert reading.title == (
        "RENOUVELLEMENT DES ADHÉSIONS AUX CENTRALES D'ACHAT DU CAIH ET DU RESAH POUR LES "
        "LOGICIELS, LA FORMATION ET LES POSTES DE TRAVAIL"
    )
    assert (reading.votes_for, reading.votes_against, reading.abstentions) == (30, 12, 2)
    assert reading.outcome == "adopted"
    assert reading.budget_rows == (
        BudgetRow(
            "C06-020M02",
            "6281/930202",
            "Informatique-Fonctionnement",
            Decimal("5000.00"),
            Decimal("1230.00"),
        ),
        BudgetRow(
            "C06-021A01",
            "2051/93221",
            "Logiciels-Investissement",
            Decimal("12500.00"),
            Decimal("12750.50"),
        ),
        # A year in a label stays in the label.
        BudgetRow(
            "P04-110B03",
            "6184/93050",
            "Formation des agents 2023",
            Decimal("1000.00"),
            Decimal("980.00"),
        ),
    )
    assert reading.fees == (
        StatedFee("CAIH", Decimal("400.00"), "HT"),
        StatedFee("Resah", Decimal("750.00"), "net"),
    )
    # 30 + 12 + 2 = 44 votants: no vote warning; only the overspent line is flagged.
    assert reading.warnings == (
        f"Ligne budgétaire C06-021A01 (2051/93221) : la dépense de {euros(Decimal('12750.50'))} "
        f"dépasse les crédits de {euros(Decimal(12500))}.",
    )


def test_rejected_deliberation_with_votes_that_do_not_add_up() -> None:
    reading = _fixture("cd_2023_045_rejetee.txt")

    # n°2022-504 and 13/12/2022 are cited in the recitals: they are not this deliberation's.
    assert reading.deliberation_id == "2023-045"
    assert reading.date == date(2023, 7, 1)
    assert reading.assembly == "Conseil départemental"
    assert reading.title == (
        "ADHÉSION À L'UNION DES GROUPEMENTS D'ACHATS PUBLICS (UGAP) POUR L'ACQUISITION DE "
        "VÉHICULES ÉLECTRIQUES"
    )
    assert (reading.votes_for, reading.votes_against, reading.abstentions) == (20, 25, 1)
    assert reading.outcome == "rejected"
    assert reading.budget_rows == (
        BudgetRow(
            "C08-300F01", "6281/93821", "Flotte automobile", Decimal("5000.00"), Decimal("2400.00")
        ),
    )
    assert reading.fees == ()
    assert reading.warnings == (
        "Les votes ne s'additionnent pas : 20 pour + 25 contre + 1 abstention(s) = 46, alors "
        "que le texte indique 47 votants.",
        "UGAP : montant annuel exprimé TTC (« cotisation annuelle de 2 400 € TTC ») : non "
        "retenu, le montant HT ou net de taxes n'est pas indiqué.",
    )


def test_municipal_deliberation_without_budget_table_adopted_unanimously() -> None:
    reading = _fixture("cm_2023_12_sans_budget.txt")

    # Not n° 2020-45, cited in the recitals.
    assert reading.deliberation_id == "2023-12"
    assert reading.date == date(2023, 3, 14)
    assert reading.assembly == "Conseil municipal"
    assert reading.title == (
        "adhésion à la centrale d'achat de l'Union des groupements d'achats publics (UGAP) "
        "pour la fourniture de mobilier scolaire"
    )
    # Unanimity gives the outcome, not the counts.
    assert (reading.votes_for, reading.votes_against, reading.abstentions) == (None, None, None)
    assert reading.outcome == "adopted"
    assert reading.budget_rows == ()
    assert reading.fees == ()
    assert reading.warnings == (
        "Aucun tableau budgétaire trouvé.",
        "Vote à l'unanimité sans décompte des voix : nombres de voix pour, contre et "
        "d'abstentions non indiqués.",
        "Aucune cotisation annuelle trouvée.",
    )


def test_text_cut_short_after_the_vote_announcement() -> None:
    reading = _fixture("cp_2023_200_tronquee.txt")

    assert reading.deliberation_id == "2023-200"
    assert reading.date == date(2023, 11, 6)
    assert reading.budget_rows == (
        BudgetRow(
            "C06-020M02",
            "6281/930202",
            "Informatique-Fonctionnement",
            Decimal("3000.00"),
            Decimal("1250.00"),
        ),
    )
    assert (reading.votes_for, reading.votes_against, reading.abstentions) == (None, None, None)
    assert reading.outcome is None
    assert reading.warnings == (
        "Votes non trouvés.",
        "Résultat du vote (adopté ou rejeté) introuvable.",
        "Le texte semble tronqué : ni décompte des voix ni résultat du vote après « DECIDE ».",
        "Aucune cotisation annuelle trouvée.",
    )


# --- Single rules, on short texts ---------------------------------------------------------------


def test_nothing_is_guessed_from_cited_numbers_and_dates() -> None:
    reading = read_deliberation_text(
        "Vu la délibération n°2021-257 du Conseil départemental en date du 01/07/2021 ;\n"
        "Vu l'avis de la commission rendu lors de sa réunion du 28/11/2022 ;\n"
        "ARRAS, le 13 décembre 2022\n"
    )

    assert reading.deliberation_id is None
    assert reading.date is None
    assert reading.assembly is None
    assert reading.title is None
    assert reading.outcome is None
    assert reading.warnings[:4] == (
        "Numéro de la délibération introuvable.",
        "Date de la séance introuvable.",
        "Assemblée délibérante introuvable.",
        "Objet de la délibération introuvable.",
    )
    assert "Le texte semble tronqué : ni dispositif (« DECIDE »), ni décompte des voix, ni " in (
        " ".join(reading.warnings)
    )


def test_impossible_meeting_date_is_flagged() -> None:
    reading = read_deliberation_text("SÉANCE DU 31 FÉVRIER 2023\n")

    assert reading.date is None
    assert "Date de la séance invalide : « 31 FÉVRIER 2023 »." in reading.warnings


def _decision(body: str) -> str:
    return (
        "DELIBERATION DU CONSEIL MUNICIPAL\nSÉANCE DU 5 MAI 2023\n"
        "ACHAT DE MOBILIER\n(N°2023-77)\nDECIDE :\n" + body
    )


def test_budget_row_cut_short_and_wrapped_label() -> None:
    reading = read_deliberation_text(
        _decision(
            "Libellé Opération Dépense € CP €\n"
            # Columns in the other order, and a label wrapped after its hyphen.
            "C06-020M02 6281/930202 Informatique-\nFonctionnement 900,00 € 1 000,00 €\n"
            "C06-021A01 2051/93221 Logiciels-Inv"
        )
    )

    assert reading.budget_rows == (
        BudgetRow(
            "C06-020M02",
            "6281/930202",
            "Informatique-Fonctionnement",
            Decimal("1000.00"),
            Decimal("900.00"),
        ),
        BudgetRow("C06-021A01", "2051/93221", "Logiciels-Inv", None, None),
    )
    assert (
        "Ligne budgétaire C06-021A01 (2051/93221) : 0 montant(s) lu(s) au lieu de 2 (crédits et "
        "dépense) ; montants non retenus."
    ) in reading.warnings


def test_votes_written_out_and_expressed_votes_checked() -> None:
    reading = read_deliberation_text(
        _decision(
            "Article 1 : d'acheter.\n"
            "Adoptée par 30 voix pour, 12 voix contre et 2 abstentions.\n"
            "Suffrages exprimés : 41\n"
        )
    )

    assert (reading.votes_for, reading.votes_against, reading.abstentions) == (30, 12, 2)
    assert reading.outcome == "adopted"
    assert (
        "Les votes ne s'additionnent pas : 30 pour + 12 contre = 42, alors que le texte indique "
        "41 suffrages exprimés."
    ) in reading.warnings


@pytest.mark.parametrize(
    ("vote_text", "outcome"),
    [
        ("Pour : 10 voix\nContre : 20 voix\nAbstention : 0 voix\n(Adopté)", "adopted"),
        ("Pour : 20 voix\nContre : 10 voix\nAbstention : 0 voix\nRejeté", "rejected"),
    ],
)
def test_outcome_contradicting_the_votes_is_flagged(vote_text: str, outcome: str) -> None:
    reading = read_deliberation_text(_decision(vote_text))

    assert reading.outcome == outcome
    word = "adopté" if outcome == "adopted" else "rejeté"
    for_, against = (10, 20) if outcome == "adopted" else (20, 10)
    assert (
        f"Résultat « {word} » incohérent avec les voix : {for_} pour, {against} contre."
        in reading.warnings
    )


def test_unanimity_with_votes_against_and_a_missing_count() -> None:
    reading = read_deliberation_text(
        _decision("Pour : 28 voix\nContre : 1 voix\nAdopté à l'unanimité.")
    )

    assert (reading.votes_for, reading.votes_against, reading.abstentions) == (28, 1, None)
    assert reading.outcome == "adopted"
    assert reading.warnings == (
        "Aucun tableau budgétaire trouvé.",
        "Votes incomplets : abstentions introuvable(s).",
        "Vote annoncé à l'unanimité alors que le texte compte 1 voix contre.",
        "Aucune cotisation annuelle trouvée.",
    )


def test_fee_statements_that_cannot_be_kept_are_explained() -> None:
    reading = read_deliberation_text(
        _decision("(Adopté)\n")
        + "La CAIH facture une adhésion annuelle de 1 500,00 € HT.\n"
        + "RAPPORT\nSoit 1 200 € HT/an pour la centrale d'achat du CAIH.\n"
        + "L'UGAP demande une participation annuelle de 300 €.\n"
        + "Une cotisation annuelle de 80 € HT est due à l'association des maires.\n"
    )

    assert reading.fees == (StatedFee("CAIH", Decimal("1500.00"), "HT"),)
    assert reading.warnings[-3:] == (
        "Montant annuel « cotisation annuelle de 80 € HT » sans centrale d'achat "
        "identifiable : non retenu.",
        f"CAIH : montants annuels divergents ({euros(Decimal(1500))}, {euros(Decimal(1200))}) ; "
        f"le premier cité, {euros(Decimal(1500))}, est retenu.",
        "UGAP : montant annuel « participation annuelle de 300 € » sans mention HT ni « nets de "
        "taxes » : non retenu.",
    )


# --- Money ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 000,00 €", "3000.00"),
        ("3\u00a0000,00\u00a0€", "3000.00"),
        ("3\u202f000,00\u202f€", "3000.00"),
        ("1 500,00 € HT", "1500.00"),
        ("1 000 €", "1000.00"),
        ("1.250,5 euros", "1250.50"),
        ("708,33", "708.33"),
        ("-200,00 €", "-200.00"),
    ],
)
def test_french_amounts_parse_to_exact_decimals(text: str, expected: str) -> None:
    amount = parse_french_amount(text)

    assert isinstance(amount, Decimal)
    assert str(amount) == expected


@pytest.mark.parametrize("text", ["", "€", "3.50", "trois cents euros", "1 50,00 €"])
def test_unreadable_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="Montant illisible"):
        parse_french_amount(text)


@given(
    cents=st.integers(min_value=0, max_value=10**12),
    separator=st.sampled_from([" ", "\u00a0", "\u202f", "."]),
)
def test_any_french_amount_round_trips(cents: int, separator: str) -> None:
    units = f"{cents // 100:,}".replace(",", separator)

    assert parse_french_amount(f"{units},{cents % 100:02d} €") == Decimal(cents) / 100


@settings(max_examples=200)
@given(st.text())
def test_any_text_reads_without_raising(text: str) -> None:
    reading = read_deliberation_text(text)

    assert isinstance(reading, DeliberationReading)
    assert reading.warnings
