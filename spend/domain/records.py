"""The exchange format: each table's columns, types, keys, accepted values and French headers.

One description serves the store, the import checks, the exports and the UI labels, so that a
column added here is known everywhere at once.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

import polars as pl

Kind = Literal["text", "date", "money", "int", "bool"]
# Each kind's Polars type, as the store holds it (DECIMAL(18,2), INTEGER, DATE…).
KIND_DTYPES: dict[str, pl.DataType] = {
    "text": pl.String(),
    "date": pl.Date(),
    "money": pl.Decimal(18, 2),
    "int": pl.Int32(),
    "bool": pl.Boolean(),
}
Bound = int | Decimal | date

# Plausible ranges, beyond which a value is refused at import (with the range in the message):
# they keep every computation exact (DECIMAL(18,2), Int64 cents) and every page fast.
FIRST_YEAR = 1990  # every date and every `year` (exercice) from 1990…
LAST_YEAR = 2100  # …to 2100
MAX_AMOUNT = Decimal("1000000000000.00")  # |fee|, credits, |commitment| ≤ 10¹² €
# The sum of the credits of one year, of the commitments of one year (in absolute value) and
# of the conventions' annual fees (each convention once): whatever an overview or a balance
# adds up, even over the 111 years with VAT and two titles a year, stays below DECIMAL(18,2)'s
# 10¹⁶ € (and Int64 cents).
MAX_TOTAL = Decimal("10000000000000.00")  # 10¹³ €
MAX_CONVENTION_YEARS = 50  # from a convention's start to its end (its own or its agreement's)
MAX_NOTICE_MONTHS = 120
MAX_PAYMENT_DAYS = 365
MAX_VOTES = 10_000  # each of for, against, abstentions
MAX_CELL_CHARS = 10_000  # characters in one cell, whatever its column

# Characters no cell may hold: C0 and C1 controls (NUL, escape…) and the bidirectional
# embeddings, overrides and isolates, which show a text other than the one stored (U+202E).
# A free-text cell may keep tabs and line breaks; an identifier, code or key holds neither, nor
# direction marks, line separators or zero-width characters, which make two equal-looking keys
# differ.
CONTROLS = "".join(chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)))
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
FREE_TEXT_REFUSED = "".join(c for c in CONTROLS if c not in "\t\n\r") + BIDI_CONTROLS
IDENTIFIER_REFUSED = (
    CONTROLS
    + BIDI_CONTROLS
    + "\u200e\u200f\u061c"
    + "\u2028\u2029"
    + "\u200b\u200c\u200d\u2060\ufeff"
)


@dataclass(frozen=True)
class Code:
    """One value of an enumerated column: stored as `code`, read and written as `label`.

    Imports accept the code, the label and the synonyms, ignoring case, accents, spaces and
    punctuation (« Mandaté », « mandate », « MANDATÉE » are one word).
    """

    code: str
    label: str
    synonyms: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        return (self.code, self.label, *self.synonyms)


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    french: str
    required: bool = False  # the cell may not be blank
    optional_column: bool = False  # the column may be missing from a file
    codes: tuple[Code, ...] = ()  # the accepted values, when the column is an enumeration
    non_negative: bool = False
    blank_means: str | None = None  # what an empty cell means, said in words (« sur devis »)
    # Plausible range of an int column (dates and amounts take theirs from `bounds`).
    low: Bound | None = None
    high: Bound | None = None
    # A text that people write sentences in (name, title, label): it may hold line breaks and
    # tabs. Any other text column is an identifier, a code or a key, and holds neither.
    free_text: bool = False
    # The value of a blank cell, or of the whole column when a file lacks it (a code).
    default: str | None = None

    @property
    def dtype(self) -> pl.DataType:
        """The column's Polars type, from its kind."""
        return KIND_DTYPES[self.kind]

    @property
    def bounds(self) -> tuple[Bound, Bound] | None:
        """The smallest and largest accepted value, or None for a column without a range."""
        if self.kind == "date":
            return date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
        if self.kind == "money":
            return (Decimal(0) if self.non_negative else -MAX_AMOUNT), MAX_AMOUNT
        if self.low is not None and self.high is not None:
            return self.low, self.high
        return None

    @property
    def accepted(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.codes)

    @property
    def labels(self) -> dict[str, str]:
        """code → French label."""
        return {c.code: c.label for c in self.codes}


@dataclass(frozen=True)
class Reference:
    """A foreign key, on the table whose columns it constrains: each row's `columns` name a row
    of `parent` (by `parent_columns`), else `message` (its « {} » filled with the values)."""

    columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Table:
    name: str
    french: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # A convention may cite a deliberation that is not recorded (few authorities record every
    # past one): no reference there; the overview lists it among the incomplete data instead.
    references: tuple[Reference, ...] = ()

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def schema(self) -> pl.Schema:
        """The table's columns with their Polars types, generated from their kinds."""
        return pl.Schema({c.name: c.dtype for c in self.columns})


AGREEMENT_REFERENCE = Reference(
    ("agreement_id",), "agreements", ("agreement_id",), "accord-cadre inconnu « {} »"
)

TAX_CODES = (
    Code("HT", "HT", ("hors taxes", "hors taxe", "HT (TVA en sus)", "TVA en sus")),
    Code("net", "net de taxes", ("nets de taxes", "net de taxe", "non soumis à TVA", "exonéré")),
)
BILLING_RULES = (
    Code("calendar_year", "année civile", ("année civile, sans prorata", "civile", "par année")),
    Code(
        "anniversary_prorated",
        "date anniversaire",
        ("12 mois à date anniversaire, dernier titre proratisé", "anniversaire", "prorata"),
    ),
)
CONVENTION_STATUSES = (
    Code("active", "signée", ("signé", "en vigueur", "active", "actif", "adhérent")),
    Code("planned", "en projet", ("projet", "prévue", "prévu", "à signer")),
    Code("ended", "résiliée", ("résilié", "terminée", "terminé", "échue", "dénoncée", "fin")),
    Code("incomplete", "incomplète", ("incomplet", "à compléter")),
)
# M57: an engaged, liquidated, mandated or paid amount consumes the year's credits; a planned
# one is a forecast shown beside them; a cancelled one no longer counts.
COMMITMENT_STATUSES = (
    Code("committed", "engagé", ("engagée", "engagement", "EJ")),
    Code("liquidated", "liquidé", ("liquidée", "liquidation", "service fait")),
    Code("mandated", "mandaté", ("mandatée", "mandatement", "mandat")),
    Code("paid", "payé", ("payée", "paiement", "réglé", "réglée", "soldé")),
    Code("planned", "prévu", ("prévue", "prévision", "prévisionnel", "projet")),
    Code("cancelled", "annulé", ("annulée", "annulation", "supprimé")),
)
COMMITTED_STATUSES = ("committed", "liquidated", "mandated", "paid")
# M57: the votes that open a year's credits on a line. Crédits ouverts = BP + BS + DMs + the
# restes à réaliser reported from the year before. DMs are numbered in the year (DM1, DM2…).
MAX_DECISIONS = 20  # décisions modificatives in one year, at most
CREDIT_STAGES = (
    Code("BP", "budget primitif", ("primitif", "BP voté")),
    Code("BS", "budget supplémentaire", ("supplémentaire",)),
    *(
        Code(
            f"DM{n}",
            f"décision modificative n° {n}",
            (f"décision modificative {n}", f"DM n° {n}"),
        )
        for n in range(1, MAX_DECISIONS + 1)
    ),
    Code(
        "RAR",
        "restes à réaliser",
        ("reports", "report des restes à réaliser", "reste à réaliser", "RAR reportés"),
    ),
)
NEVER_NEGATIVE_STAGES = ("BP", "RAR")
OUTCOMES = (
    Code("adopted", "adoptée", ("adopté", "adoptés", "approuvée", "approuvé")),
    Code("rejected", "rejetée", ("rejeté", "refusée", "refusé", "non adoptée")),
)
BOOLEANS = (
    Code("true", "oui", ("vrai", "1", "x", "o", "yes")),
    Code("false", "non", ("faux", "0", "n", "no")),
)

# The ACTES subject (code « 1.4 » and name « Commande publique/Autres types de contrats »), the
# members in office, the prefecture's receipt, the budget and the published address: what the
# SCDL « délibérations » file needs beside the vote. Older files lack them.
DELIBERATION_OPEN_DATA_COLUMNS = (
    Column("subject_code", "text", "Code matière", optional_column=True),
    Column("subject_name", "text", "Matière", optional_column=True),
    Column(
        "members_in_office",
        "int",
        "Membres en exercice",
        optional_column=True,
        non_negative=True,
        low=0,
        high=MAX_VOTES,
    ),
    Column("prefecture_id", "text", "Identifiant préfecture", optional_column=True),
    Column("prefecture_date", "date", "Date de réception en préfecture", optional_column=True),
    Column("budget_year", "text", "Année du budget", optional_column=True),
    Column("budget_name", "text", "Nom du budget", optional_column=True, free_text=True),
    Column("url", "text", "Adresse de publication", optional_column=True),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "bodies",
            "Centrales d'achat",
            (
                Column("body_id", "text", "Identifiant centrale", required=True),
                Column("name", "text", "Nom", required=True, free_text=True),
                Column("siret", "text", "SIRET"),
                Column("address", "text", "Adresse", free_text=True),
            ),
            ("body_id",),
        ),
        Table(
            "agreements",
            "Accords-cadres",
            (
                Column("agreement_id", "text", "Identifiant accord-cadre", required=True),
                Column("body_id", "text", "Identifiant centrale", required=True),
                Column("reference", "text", "Référence"),
                Column("title", "text", "Intitulé", required=True, free_text=True),
                Column("end_date", "date", "Date de fin"),
            ),
            ("agreement_id",),
            (Reference(("body_id",), "bodies", ("body_id",), "centrale d'achat inconnue « {} »"),),
        ),
        Table(
            "fee_grid",
            "Grilles tarifaires",
            (
                Column("agreement_id", "text", "Identifiant accord-cadre", required=True),
                Column("formula", "text", "Formule", required=True),
                Column("category", "text", "Catégorie", required=True),
                Column(
                    "annual_fee",
                    "money",
                    "Cotisation annuelle",
                    non_negative=True,
                    blank_means="sur devis",
                ),
                Column("tax", "text", "Base fiscale", required=True, codes=TAX_CODES),
                Column(
                    "billing_rule",
                    "text",
                    "Règle de facturation",
                    required=True,
                    codes=BILLING_RULES,
                ),
                Column(
                    "payment_days",
                    "int",
                    "Délai de paiement (jours)",
                    non_negative=True,
                    low=0,
                    high=MAX_PAYMENT_DAYS,
                ),
            ),
            ("agreement_id", "formula", "category"),
            (AGREEMENT_REFERENCE,),
        ),
        Table(
            "conventions",
            "Conventions",
            (
                Column("convention_id", "text", "Identifiant convention", required=True),
                Column("agreement_id", "text", "Identifiant accord-cadre", required=True),
                Column("title", "text", "Intitulé", free_text=True),
                Column("formula", "text", "Formule"),
                Column("category", "text", "Catégorie"),
                Column("start_date", "date", "Date de début"),
                Column("end_date", "date", "Date de fin"),
                Column(
                    "notice_months",
                    "int",
                    "Préavis (mois)",
                    non_negative=True,
                    low=0,
                    high=MAX_NOTICE_MONTHS,
                ),
                Column("operation_code", "text", "Code opération"),
                Column("imputation", "text", "Imputation"),
                Column("deliberation_id", "text", "Délibération"),
                Column("status", "text", "Statut", required=True, codes=CONVENTION_STATUSES),
                Column(
                    "start_date_assumed", "bool", "Date de début supposée", optional_column=True
                ),
            ),
            ("convention_id",),
            (
                AGREEMENT_REFERENCE,
                Reference(
                    ("agreement_id", "formula", "category"),
                    "fee_grid",
                    ("agreement_id", "formula", "category"),
                    "grille tarifaire sans ligne pour accord-cadre « {} », formule « {} », "
                    "catégorie « {} »",
                ),
            ),
        ),
        Table(
            "budget_lines",
            "Lignes budgétaires",
            (
                Column("operation_code", "text", "Code opération", required=True),
                Column("imputation", "text", "Imputation", required=True),
                Column("label", "text", "Libellé", free_text=True),
                Column("year", "int", "Exercice", required=True, low=FIRST_YEAR, high=LAST_YEAR),
                # A vote's credits: a DM or a BS may take credits away (negative), a BP or a
                # report of restes à réaliser may not (checked across the row).
                Column("credits", "money", "Crédits", required=True),
                Column(
                    "stage",
                    "text",
                    "Étape",
                    optional_column=True,
                    codes=CREDIT_STAGES,
                    default="BP",
                    blank_means="budget primitif",
                ),
                Column("deliberation_id", "text", "Délibération", optional_column=True),
            ),
            ("operation_code", "imputation", "year", "stage"),
        ),
        Table(
            "commitments",
            "Autres engagements",
            (
                Column("commitment_id", "text", "Identifiant engagement", required=True),
                Column("operation_code", "text", "Code opération", required=True),
                Column("imputation", "text", "Imputation", required=True),
                Column("year", "int", "Exercice", required=True, low=FIRST_YEAR, high=LAST_YEAR),
                Column("amount_incl_tax", "money", "Montant TTC", required=True),
                Column("label", "text", "Libellé", free_text=True),
                Column("date", "date", "Date"),
                Column("status", "text", "Statut", required=True, codes=COMMITMENT_STATUSES),
            ),
            ("commitment_id",),
        ),
        Table(
            "deliberations",
            "Délibérations",
            (
                Column("deliberation_id", "text", "Numéro", required=True),
                Column("date", "date", "Date", required=True),
                Column("assembly", "text", "Assemblée", free_text=True),
                Column("title", "text", "Objet", free_text=True),
                Column("votes_for", "int", "Pour", non_negative=True, low=0, high=MAX_VOTES),
                Column("votes_against", "int", "Contre", non_negative=True, low=0, high=MAX_VOTES),
                Column(
                    "abstentions", "int", "Abstentions", non_negative=True, low=0, high=MAX_VOTES
                ),
                Column("outcome", "text", "Résultat", codes=OUTCOMES),
                # What the open-data file (SCDL) publishes beside: optional in a file.
                *DELIBERATION_OPEN_DATA_COLUMNS,
            ),
            ("deliberation_id",),
        ),
    )
}

# Import order: a table comes after the tables its rows refer to.
TABLE_ORDER = (
    "bodies",
    "deliberations",
    "agreements",
    "fee_grid",
    "conventions",
    "budget_lines",
    "commitments",
)


def table_for_file(file_name: str) -> Table | None:
    """The table a file of the exchange format fills, by its name (case-insensitive)."""
    stem = file_name.rsplit("/", 1)[-1].lower()
    for suffix in (".csv", ".xlsx"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    return TABLES.get(stem)
