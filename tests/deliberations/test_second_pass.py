"""Each kind of miss of the reader's first pass, probed with a small text of its own: budget
tables as layouts print them, fees in other wordings, centrals the reader did not know,
letterheads, headings and outcomes, the ACTES subject."""

from decimal import Decimal

import pytest

from spend.deliberations.model import BudgetRow, Confidence
from spend.deliberations.reader import read_deliberation_text

HEAD = (
    "COMMUNE DE SAINT-YRIEIX\nConseil municipal du 3 mars 2022\nDélibération n° 2022-14\n"
    "Objet : Adhésion à une centrale d'achat\nVu le code général des collectivités "
    "territoriales ;\n"
    "Après en avoir délibéré,\nDÉCIDE :\n"
)
VOTE = "\nPour : 12\nContre : 0\nAbstentions : 1\nAdopté.\n"


def _read(body: str, head: str = HEAD, vote: str = VOTE):
    return read_deliberation_text(head + body + vote)


# --- Budget tables ------------------------------------------------------------------------------

SEED_ROW = BudgetRow(
    "C06-020M02", "6281/930202", "Informatique", Decimal("3000.00"), Decimal("2800.00")
)


@pytest.mark.parametrize(
    "table",
    [
        # aligned columns
        "Code opération   Imputation    Libellé        Crédits      Dépense\n"
        "C06-020M02       6281/930202   Informatique   3 000,00 €   2 800,00 €",
        # bars
        "| Code opération | Imputation | Libellé | Crédits | Dépense |\n"
        "| C06-020M02 | 6281/930202 | Informatique | 3 000,00 € | 2 800,00 € |",
        # tabs
        "Code opération\tImputation\tLibellé\tCrédits\tDépense\n"
        "C06-020M02\t6281/930202\tInformatique\t3 000,00 €\t2 800,00 €",
        # a header over two lines
        "Code | Imputation | Libellé | Crédits | Montant\nopération | | | ouverts | affecté\n"
        "C06-020M02 | 6281/930202 | Informatique | 3 000,00 € | 2 800,00 €",
        # one cell per line, as pdftotext gives a table
        "Code opération\nImputation\nLibellé\nCrédits\nDépense\nC06-020M02\n6281/930202\n"
        "Informatique\n3 000,00 €\n2 800,00 €",
    ],
    ids=["aligned", "bars", "tabs", "two-line-header", "cell-per-line"],
)
def test_the_seed_row_is_read_however_the_table_is_laid_out(table: str) -> None:
    reading = _read(table)

    assert reading.budget_rows == (SEED_ROW,)


def test_columns_by_their_headers_and_a_balance_that_disagrees() -> None:
    reading = _read(
        "Imputation | Libellé | Montant affecté | Crédits ouverts | Solde\n"
        "6281/020 | Cotisations | 1 200,00 € | 2 000,00 € | 700,00 €"
    )

    row = reading.budget_rows[0]
    assert (row.credits, row.amount) == (Decimal("2000.00"), Decimal("1200.00"))
    assert any("solde indiqué (700,00" in w for w in reading.warnings)


def test_chapter_and_article_in_columns_and_a_total_checked() -> None:
    reading = _read(
        "Chapitre | Article | Libellé | Crédits | Dépense\n"
        "011 | 6281 | Cotisations | 1 000,00 € | 800,00 €\n"
        "65 | 6558 | Contributions | 500,00 € | 500,00 €\n"
        "Total | | | 1 500,00 € | 1 400,00 €"
    )

    assert [r.imputation for r in reading.budget_rows] == ["011/6281", "65/6558"]
    assert any(
        "total indiqué pour la dépense (1" in w and "somme des lignes (1" in w
        for w in reading.warnings
    )
    assert not reading.fee_statements  # the total is no fee


def test_chapter_and_article_named_in_a_sentence() -> None:
    reading = _read(
        "Article 2 : la dépense de 640,00 € est imputée au chapitre 011, article 6281, fonction "
        "020, dont les crédits s'élèvent à 1 000,00 €."
    )

    assert reading.budget_rows == (
        BudgetRow(None, "011/6281/020", None, Decimal("1000.00"), Decimal("640.00")),
    )


# --- Fees ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "amount", "tax", "periodicity"),
    [
        ("la cotisation annuelle à l'UGAP est de 1 500,00\n€ HT ;", "1500.00", "HT", "annual"),
        ("la cotisation annuelle à l'UGAP est de cent cinquante euros HT ;", "150.00", "HT",
         "annual"),
        ("la contribution annuelle à l'UGAP s'élève à deux mille euros nette de taxes ;",
         "2000.00", "net", "annual"),
        ("des frais de première adhésion à l'UGAP de 300 € HT ;", "300.00", "HT", "one-off"),
        ("une redevance annuelle de 90 € HT due à l'UGAP ;", "90.00", "HT", "annual"),
        ("un abonnement annuel à l'UGAP de 45 € nets de taxes ;", "45.00", "net", "annual"),
        ("la participation annuelle à l'UGAP de 1 200 € TTC ;", "1200.00", "TTC", "annual"),
        ("les frais d'entrée à l'UGAP de 80 € HT ;", "80.00", "HT", "one-off"),
    ],
)  # fmt: skip
def test_fee_in_other_wordings(sentence: str, amount: str, tax: str, periodicity: str) -> None:
    reading = _read(f"Article 1 : {sentence}")

    fee = reading.fee_statements[0]
    assert (fee.body, fee.amount, fee.tax, fee.periodicity) == (
        "UGAP",
        Decimal(amount),
        tax,
        periodicity,
    )


def test_one_off_fee_beside_the_annual_one_and_a_ttc_fee_not_kept() -> None:
    reading = _read(
        "Article 1 : frais de première adhésion au Resah de 500 € HT, puis cotisation annuelle "
        "de 1 000 € HT ;\nArticle 2 : la contribution annuelle à la CAIH est de 600 € TTC."
    )

    assert [f.periodicity for f in reading.fee_statements] == ["one-off", "annual", "annual"]
    assert [(f.body, f.amount) for f in reading.fees] == [("Resah", Decimal("1000.00"))]
    assert any("TTC" in w and "CAIH" in w for w in reading.warnings)


def test_an_amendment_replaces_the_proposed_fee() -> None:
    reading = _read(
        "Article 1 : la cotisation annuelle à l'UGAP est fixée à 2 000 € HT ;\n"
        "Article 2 : l'amendement n° 2 remplace la cotisation annuelle de 2 000 € par 1 500 € HT."
    )

    assert [(f.body, f.amount, f.tax) for f in reading.fees] == [("UGAP", Decimal("1500.00"), "HT")]


def test_a_grid_is_kept_apart_and_only_the_authority_row_proposed() -> None:
    reading = _read(
        "Article 1 : la participation annuelle à l'UGAP suit la grille ci-dessous.\n"
        "Grille tarifaire\nDépartements : 3 000 € HT\nCommunes : 400 € HT\n"
        "Établissements publics : 800 € HT"
    )

    categories = [f.category for f in reading.fee_statements]
    assert categories == ["Départements", "Communes", "Établissements publics"]
    assert [(f.body, f.amount) for f in reading.fees] == [("UGAP", Decimal("400.00"))]
    assert reading.evidence_for("fees.0").confidence is Confidence.CHECK


# --- Centrals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("named", "central"),
    [
        ("la centrale d'achat du numérique et des télécoms", "CANUT"),
        ("la CANUT", "CANUT"),
        ("le GIP Territoires Numériques Bourgogne-Franche-Comté", "Territoires Numériques"),
        ("Approlys Centr'achats", "Approlys"),
        ("le Syndicat intercommunal de la périphérie de Paris pour les énergies et les réseaux de "
         "communication", "SIPPEREC"),
        ("le groupement d'intérêt public Maximilien", "Maximilien"),
    ],
)  # fmt: skip
def test_known_centrals_by_any_of_their_names(named: str, central: str) -> None:
    reading = _read(f"Article 1 : la cotisation annuelle versée à {named} est de 500 € HT.")

    assert reading.fee_statements[0].body == central
    assert reading.proposed_centrals == ()


@pytest.mark.parametrize(
    ("introduced", "proposed"),
    [
        ("la centrale d'achat ACHATS SOLIDAIRES", "ACHATS SOLIDAIRES"),
        ("le groupement d'intérêt public Achats Santé Ouest", "Achats Santé Ouest"),
        ("le SIEDA, syndicat d'énergies agissant en qualité de centrale d'achat", "Syndicat SIEDA"),
    ],
)
def test_new_centrals_are_proposed_for_review(introduced: str, proposed: str) -> None:
    reading = _read(
        f"Article 1 : d'adhérer à {introduced} ;\nla cotisation annuelle est de 500 € HT."
    )

    assert reading.proposed_centrals == (proposed,)
    assert reading.fees[0].body == proposed
    assert reading.evidence_for("proposed_centrals.0").confidence is Confidence.CHECK


# --- Letterheads, headings, outcomes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("letterhead", "authority"),
    [
        ("Département de l'Indre République Française\nCOMMISSION PERMANENTE",
         "Département de l'Indre"),
        ("COMMUNAUTÉ D'AGGLOMÉRATION Reçu en préfecture le 03/03/2022\nDU PAYS DE GEX "
         "ID : 001-240100883-20220303-2022_14-DE", "Communauté d'agglomération du Pays de Gex"),
        ("CENTRE HOSPITALIER Direction des finances\nDE LA CHÂTRE",
         "Centre hospitalier de la Châtre"),
        ("Département de la Creuse\nCOMMUNE DE BOUSSAC", "Commune de Boussac"),
        ("SYNDICAT MIXTE DE GESTION\nDES DÉCHETS DU BOISCHAUT",
         "Syndicat mixte de Gestion des Déchets du Boischaut"),
    ],
)  # fmt: skip
def test_letterheads_in_two_columns_and_names_over_two_lines(
    letterhead: str, authority: str
) -> None:
    heading = HEAD.removeprefix("COMMUNE DE SAINT-YRIEIX\n")
    reading = _read("Article 1 : d'adhérer.", head=f"{letterhead}\n{heading}")

    assert reading.authority == authority


@pytest.mark.parametrize(
    ("line", "assembly", "day"),
    [
        ("Commission permanente du 13 décembre 2022", "Commission Permanente", "2022-12-13"),
        ("Conseil municipal du 3 mars 2022", "Conseil municipal", "2022-03-03"),
        ("Bureau communautaire du 9 février 2023", "Bureau communautaire", "2023-02-09"),
    ],
)
def test_assembly_and_date_in_one_line(line: str, assembly: str, day: str) -> None:
    text = (
        f"VILLE DE NÉRONDES\n{line}\nN° 2022-7\nObjet : Adhésion\nVu le code ;\nDÉCIDE :\nAdopté."
    )

    reading = read_deliberation_text(text)

    assert (reading.assembly, reading.date.isoformat()) == (assembly, day)


def test_object_over_two_lines_with_a_hyphenated_word() -> None:
    head = HEAD.replace(
        "Objet : Adhésion à une centrale d'achat\n",
        "Objet : Adhésion à la centrale d'achat de la région pour les prestations de ser-\n"
        "vices informatiques et de télécommunications\n",
    )

    reading = _read("Article 1 : d'adhérer.", head=head)

    assert reading.title == (
        "Adhésion à la centrale d'achat de la région pour les prestations de services "
        "informatiques et de télécommunications"
    )


@pytest.mark.parametrize(
    ("decision", "outcome"),
    [
        ("REJETTE la proposition d'adhésion.\nPour : 10\nContre : 9", "rejected"),
        ("Article 1 : d'adhérer.\nPour : 10\nContre : 9\nLa délibération n'est pas adoptée.",
         "rejected"),
        ("Article 1 : d'adhérer.\nPour : 9\nContre : 10\nLa délibération est adoptée.",
         "adopted"),
    ],
)  # fmt: skip
def test_outcome_from_the_decision_words_first(decision: str, outcome: str) -> None:
    head = HEAD.removesuffix("DÉCIDE :\n")
    reading = read_deliberation_text(head + decision)

    assert reading.outcome == outcome
    assert reading.evidence_for("outcome").evidence is not None


def test_number_under_a_page_header() -> None:
    text = (
        "Département de la Charente-Littorale\nExtrait du registre des délibérations\n"
        "N° 2016.09.6\nCommission permanente du 19 septembre 2016\nObjet : Adhésion\n"
        "Vu le code ;\nDÉCIDE :\nAdopté."
    )

    assert read_deliberation_text(text).deliberation_id == "2016.09.6"


# --- ACTES subject ------------------------------------------------------------------------------


def test_subject_stated_is_sure_and_proposed_is_to_check() -> None:
    stated = _read("Article 1 : d'adhérer.", head="Nomenclature ACTES : 7.5\n" + HEAD)
    proposed = _read("Article 1 : d'adhérer.")

    assert (stated.subject_code, stated.subject_name) == ("7.5", "Finances locales/Subventions")
    assert stated.evidence_for("subject_code").confidence is Confidence.SURE
    assert (proposed.subject_code, proposed.subject_name) == (
        "1.4",
        "Commande publique/Autres types de contrats",
    )
    assert proposed.evidence_for("subject_code").confidence is Confidence.CHECK
