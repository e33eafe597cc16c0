"""Single rules of the reader on short texts: the forms a number, a date, a vote, a fee or a
budget table takes in the layouts of French authorities."""

from datetime import date
from decimal import Decimal

import pytest

from spend.deliberations.model import BudgetRow, Confidence, FeeStatement, StatedFee
from spend.deliberations.reader import read_deliberation_text


def _deliberation(heading: str = "", body: str = "", vote: str = "Adopté à l'unanimité.") -> str:
    return (
        "COMMUNE DE SAINT-ÉLOI-LES-PRÉS\nCONSEIL MUNICIPAL\nSÉANCE DU 5 MAI 2023\n"
        f"{heading}\nObjet : adhésion à une centrale d'achat\n"
        "Vu le Code général des collectivités territoriales ;\n"
        "Vu la délibération n° 2020-45 du 10 juillet 2020 ;\n"
        f"Après en avoir délibéré,\nDÉCIDE :\n{body}\n{vote}\n"
    )


# --- The number ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("Délibération n° 2022-504", "2022-504"),
        ("(N°2022-504)", "2022-504"),
        ("N° 2016.09.6", "2016.09.6"),
        ("Délibération n° DCM 2021_02_01", "DCM 2021_02_01"),
        ("Délibération n° CP 23-07-112", "CP 23-07-112"),
        ("DÉLIBÉRATION N° 2024/117 DU CONSEIL D'ADMINISTRATION", "2024/117"),
        ("Numéro : CR-2023-45", "CR-2023-45"),
        ("N° B2024-012", "B2024-012"),
        ("EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS N° 2023-12", "2023-12"),
    ],
)
def test_number_in_its_many_forms(line: str, number: str) -> None:
    reading = read_deliberation_text(_deliberation(heading=line))

    assert reading.deliberation_id == number
    assert reading.evidence_for("deliberation_id").confidence is Confidence.SURE


@pytest.mark.parametrize(
    "heading",
    [
        "",  # only the recitals cite numbers
        "Le Conseil, saisi par délégation (délibération\nn° 2020-088 du 16 juillet 2020),",
        "N° SIRET : 130 005 010 00025",
    ],
)
def test_cited_numbers_are_not_the_deliberations(heading: str) -> None:
    assert read_deliberation_text(_deliberation(heading=heading)).deliberation_id is None


def test_commission_permanente_extract_of_another_departement() -> None:
    # The layout of issue 13: the council first, then the commission, then a dotted number.
    reading = read_deliberation_text(
        "CONSEIL DEPARTEMENTAL DE LA CHARENTE-LITTORALE\nCOMMISSION PERMANENTE\n"
        "Séance du lundi 19 septembre 2016\nN° 2016.09.6\nObjet : Centrale d'achat UniHA\n"
        "Vu le Code général des collectivités territoriales ;\nDÉCIDE :\n"
        "Article 1er : d'approuver l'avenant n°1.\nAdopté à l'unanimité.\n"
    )

    assert reading.deliberation_id == "2016.09.6"
    assert reading.assembly == "Commission Permanente"
    assert reading.authority == "Département de la Charente-Littorale"
    assert reading.date == date(2016, 9, 19)


# --- The date ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "meeting", "confidence"),
    [
        ("REUNION DU 13 DÉCEMBRE 2022", date(2022, 12, 13), Confidence.SURE),
        ("Séance publique du 1er juillet 2023", date(2023, 7, 1), Confidence.SURE),
        ("Date de la séance : 14/03/2023", date(2023, 3, 14), Confidence.SURE),
        (
            "L'an deux mille vingt et un, le premier février, le Conseil s'est réuni",
            date(2021, 2, 1),
            Confidence.SURE,
        ),
        ("L'an deux mille vingt-quatre, le quatorze mars", date(2024, 3, 14), Confidence.SURE),
        ("Séance plénière des 14 et 15 décembre 2023", date(2023, 12, 14), Confidence.CHECK),
        (
            "Le 9 avril 2024 à 18 h 30, le Conseil municipal s'est réuni en mairie",
            date(2024, 4, 9),
            Confidence.SURE,
        ),
    ],
)
def test_meeting_date_in_its_many_forms(heading: str, meeting: date, confidence: str) -> None:
    reading = read_deliberation_text(f"COMMUNE DE X\n{heading}\nVu le code ;\nDÉCIDE :\n")

    assert reading.date == meeting
    assert reading.evidence_for("date").confidence is confidence


@pytest.mark.parametrize(
    "heading",
    [
        "Conseil municipal dûment convoqué le 26 janvier 2021",
        "Date d'affichage : 3 février 2021",
        "Prise de possession du 3 février 2021",
    ],
)
def test_notice_posting_and_other_dates_are_not_the_meetings(heading: str) -> None:
    assert read_deliberation_text(f"COMMUNE DE X\n{heading}\nVu le code ;\n").date is None


# --- The assembly and the authority --------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "assembly", "authority"),
    [
        ("RÉGION NORMANDE\nCOMMISSION PERMANENTE DU CONSEIL RÉGIONAL", "Commission Permanente",
         "Région Normande"),
        ("COMMUNAUTÉ DE COMMUNES DES TROIS VALLONS\nBUREAU COMMUNAUTAIRE\nLe Bureau, par "
         "délégation du Conseil communautaire,", "Bureau communautaire",
         "Communauté de communes des Trois Vallons"),
        ("SYNDICAT MIXTE HAUT-PAYS NUMÉRIQUE\nCOMITÉ SYNDICAL", "Comité syndical",
         "Syndicat mixte Haut-Pays Numérique"),
        ("CENTRE HOSPITALIER DE BEAUVAL\nCONSEIL DE SURVEILLANCE", "Conseil de surveillance",
         "Centre hospitalier de Beauval"),
        ("EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS DU CONSEIL MUNICIPAL\nLe Conseil municipal de la "
         "commune de Villers-en-Plaine, dûment convoqué,", "Conseil municipal",
         "Commune de Villers-en-Plaine"),
    ],
)  # fmt: skip
def test_assembly_and_authority_from_the_heading(
    heading: str, assembly: str, authority: str
) -> None:
    reading = read_deliberation_text(f"{heading}\nSÉANCE DU 5 MAI 2023\nVu le code ;\n")

    assert reading.assembly == assembly
    assert reading.authority == authority


# --- The vote ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vote", "counts", "outcome", "kind"),
    [
        ("Pour : 28 voix\nContre : 2 voix\nAbstention : 1 voix\n(Adopté)", (28, 2, 1),
         "adopted", None),
        ("Adoptée par 25 voix pour, 2 voix contre et 1 abstention.", (25, 2, 1), "adopted", None),
        ("POUR : 7\nCONTRE : 11\nABSTENTION : 1\nLa délibération est rejetée.", (7, 11, 1),
         "rejected", None),
        ("Votants | Pour | Contre | Abstentions\n75 | 30 | 41 | 4\nLe projet de délibération est "
         "rejeté.", (30, 41, 4), "rejected", None),
        ("Adopté à l'unanimité.", (None, None, None), "adopted", "unanimity"),
        ("Vote : unanimité", (None, None, None), "adopted", "unanimity"),
        ("Le Conseil, à la majorité (3 voix contre), approuve.", (None, 3, None), "adopted",
         "majority"),
        ("REJETEE", (None, None, None), "rejected", None),
    ],
)  # fmt: skip
def test_vote_in_its_many_forms(
    vote: str, counts: tuple[int | None, ...], outcome: str, kind: str | None
) -> None:
    reading = read_deliberation_text(_deliberation(vote=vote))

    assert (reading.votes_for, reading.votes_against, reading.abstentions) == counts
    assert reading.outcome == outcome
    assert reading.vote_kind == kind


def test_unanimity_gives_the_outcome_never_the_counts() -> None:
    reading = read_deliberation_text(_deliberation(vote="Adopté à l'unanimité des présents."))

    assert (reading.votes_for, reading.votes_against, reading.abstentions) == (None, None, None)
    assert reading.outcome == "adopted"
    assert reading.evidence_for("votes_for").confidence is Confidence.MISSING
    assert reading.evidence_for("outcome").confidence is Confidence.SURE


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        ("M. Jacques FERRAND ne prend pas part au vote.", 1),
        ("Mme Anne LEROUX et M. Paul MARTIN ne prennent pas part au vote.", 2),
        ("Ne prennent pas part au vote : 3", 3),
    ],
)
def test_members_not_voting(sentence: str, count: int) -> None:
    reading = read_deliberation_text(_deliberation(vote=f"{sentence}\nAdopté à l'unanimité."))

    assert reading.not_voting == count


def test_outcome_read_from_the_counts_is_to_be_checked() -> None:
    reading = read_deliberation_text(_deliberation(vote="Pour : 20\nContre : 5\nAbstention : 0"))

    assert reading.outcome == "adopted"
    assert reading.evidence_for("outcome").confidence is Confidence.CHECK
    assert (
        "Résultat du vote non écrit : « adopté » déduit du décompte des voix, à vérifier."
        in reading.warnings
    )


# --- Fees ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "amount", "tax", "periodicity"),
    [
        ("de verser à l'UGAP une redevance annuelle de 2 400,00 € HT ;", "2400.00", "HT",
         "annual"),
        ("de verser à l'UGAP une contribution de 500 € TTC par an ;", "500.00", "TTC", "annual"),
        ("de régler à l'UGAP une participation financière annuelle de 750 € nets de taxes ;",
         "750.00", "net", "annual"),
        ("de régler à l'UGAP des frais d'adhésion de 300 € HT, versés une seule fois ;", "300.00",
         "HT", "one-off"),
        ("de régler à l'UGAP une cotisation de 1 200 euros HT au titre de l'année 2024 ;",
         "1200.00", "HT", "annual"),
        ("soit 1 500 € HT/an pour la centrale d'achat de l'UGAP ;", "1500.00", "HT", "annual"),
        ("de verser 1.250,50 EUR hors taxes au titre de la cotisation à l'UGAP ;", "1250.50",
         "HT", None),
    ],
)  # fmt: skip
def test_fee_in_its_many_forms(sentence: str, amount: str, tax: str, periodicity: str) -> None:
    reading = read_deliberation_text(_deliberation(body=f"Article 1 : {sentence}"))

    assert [(f.body, f.amount, f.tax, f.periodicity) for f in reading.fee_statements] == [
        ("UGAP", Decimal(amount), tax, periodicity)
    ]
    assert reading.fee_statements[0].sentence == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "des crédits de 3 000 € sont inscrits au budget ;",
        "le montant total des achats est estimé à 50 000 € HT par an ;",
        "d'accorder une subvention de 2 000 € à l'association ;",
        "les dépenses, soit 2 800,00 € TTC, sont imputées au chapitre 011 ;",
    ],
)
def test_other_amounts_are_no_fees(sentence: str) -> None:
    reading = read_deliberation_text(_deliberation(body=f"Article 1 : {sentence}"))

    assert reading.fee_statements == ()


def test_fee_changed_by_amendment_prevails_over_the_earlier_one() -> None:
    reading = read_deliberation_text(
        _deliberation(
            heading="Considérant que la convention fixe la cotisation annuelle due à UniHA à "
            "1 500,00 € HT ;",
            body="Article 1 : d'approuver l'avenant n°1 à la convention d'adhésion à la centrale "
            "d'achat UniHA portant la cotisation annuelle à 1 650,00 € HT ;",
        )
    )

    assert [(f.amount, f.changed) for f in reading.fee_statements] == [
        (Decimal("1500.00"), False),
        (Decimal("1650.00"), True),
    ]
    assert reading.fees == (StatedFee("UniHA", Decimal("1650.00"), "HT"),)
    assert (
        "UniHA : montant annuel modifié par le texte (1\u202f500,00\u00a0€, 1\u202f650,00\u00a0€)"
        " ; le nouveau montant, 1\u202f650,00\u00a0€, est retenu." in reading.warnings
    )


def test_fee_passing_from_one_amount_to_another_keeps_the_new_one() -> None:
    reading = read_deliberation_text(
        _deliberation(
            body="Article 1 : la participation annuelle versée au SIPPEREC passe de 1 200 € HT "
            "à 1 350 € HT à compter du 1er janvier 2023 ;"
        )
    )

    assert reading.fee_statements == (
        FeeStatement(
            body="SIPPEREC",
            amount=Decimal("1350.00"),
            tax="HT",
            periodicity="annual",
            changed=True,
            sentence="la participation annuelle versée au SIPPEREC passe de 1 200 € HT à "
            "1 350 € HT à compter du 1er janvier 2023 ;",
        ),
    )


def test_fee_cited_in_a_recital_is_an_earlier_decisions() -> None:
    reading = read_deliberation_text(
        _deliberation(
            heading="Vu la délibération n° 2019-12 fixant la cotisation annuelle à l'UGAP à "
            "900 € HT ;"
        )
    )

    assert reading.fee_statements == ()


def test_fee_of_a_body_that_is_no_central_is_listed_without_body() -> None:
    reading = read_deliberation_text(
        _deliberation(
            body="Article 1 : d'approuver la participation annuelle au groupement de "
            "coopération sanitaire, d'un montant de 12 500 € nets de taxes."
        )
    )

    assert [(f.body, f.amount) for f in reading.fee_statements] == [(None, Decimal("12500.00"))]
    assert reading.fees == ()
    assert reading.evidence_for("fee_statements.0").confidence is Confidence.CHECK


# --- The budget table ----------------------------------------------------------------------------


def test_budget_table_without_operation_codes() -> None:
    reading = read_deliberation_text(
        _deliberation(
            body="Article 2 : la dépense est imputée comme suit :\n"
            "Imputation Libellé Crédits ouverts € Dépense €\n"
            "011/6281 Concours divers - cotisations 4 000,00 € 750,00 €"
        )
    )

    assert reading.budget_rows == (
        BudgetRow(
            None, "011/6281", "Concours divers - cotisations", Decimal("4000.00"), Decimal("750.00")
        ),
    )
    assert reading.evidence_for("budget_rows.0").confidence is Confidence.CHECK
    assert (
        "Tableau budgétaire sans code opération : à compléter avant l'enregistrement des crédits."
        in reading.warnings
    )


def test_budget_table_in_ae_and_cp() -> None:
    reading = read_deliberation_text(
        _deliberation(
            body="Article 2 : d'affecter les crédits suivants :\n"
            "Programme Imputation Libellé AE disponibles € CP disponibles € Affectation AE € "
            "Dépense CP €\n"
            "P312-A07 2183/222 Équipements 120 000,00 € 60 000,00 € 45 000,00 € 15 000,00 €"
        )
    )

    assert reading.budget_rows == (
        BudgetRow(
            "P312-A07",
            "2183/222",
            "Équipements",
            credits=Decimal("60000.00"),
            amount=Decimal("15000.00"),
            ae_credits=Decimal("120000.00"),
            ae_amount=Decimal("45000.00"),
        ),
    )
    row = reading.to_json_dict()["budget_rows"][0]
    assert (row["ae_credits"], row["ae_amount"]) == ("120000.00", "45000.00")


def test_dates_in_a_decision_are_no_budget_rows() -> None:
    reading = read_deliberation_text(
        _deliberation(body="Article 1 : la convention prend effet le\n01/02/2024 1 500,00 € HT")
    )

    assert reading.budget_rows == ()
