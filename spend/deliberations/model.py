"""What a deliberation states, as the reader returns it: plain values, money exact.

Every value comes with its evidence (the line of the text it was read from) and a confidence,
so that a manager sees at once what to check before saving.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, Literal, TypeVar

from spend.domain.money import CENT

Outcome = Literal["adopted", "rejected"]
TaxBasis = Literal["HT", "net"]
FeeTax = Literal["HT", "TTC", "net"]
Periodicity = Literal["annual", "one-off"]
VoteKind = Literal["unanimity", "majority"]


class Confidence(StrEnum):
    """How far a value read from the text can be trusted; the values are the words shown."""

    SURE = "sûr"
    CHECK = "à vérifier"
    MISSING = "introuvable"


T = TypeVar("T")


@dataclass(frozen=True)
class Found(Generic[T]):
    """A value read from the text, where it stands (start, end) and how sure the reading is:
    every part of the reader returns its values so (a number, a budget row, a fee)."""

    value: T
    start: int
    end: int
    confidence: Confidence

    def to_check(self) -> Found[T]:
        """The same value, to be checked."""
        return Found(self.value, self.start, self.end, Confidence.CHECK)


@dataclass(frozen=True)
class Part(Generic[T]):
    """What one part of the reader found, with its French warnings: each part returns its own,
    and the reading gathers them in the order of the parts."""

    value: T
    warnings: tuple[str, ...] = ()


class DeliberationReadError(Exception):
    """A deliberation file cannot be read; the message is French and meant for the user."""


@dataclass(frozen=True)
class Evidence:
    """Where a value was read: its line in the normalised text, and the words it came from."""

    line_number: int
    line: str
    source: str


@dataclass(frozen=True)
class FieldEvidence:
    """The evidence and confidence of one field of the reading.

    `field` names the reading's attribute ("date", "votes_for"), or one item of a list
    ("budget_rows.0", "fee_statements.2").
    """

    field: str
    evidence: Evidence | None
    confidence: Confidence


@dataclass(frozen=True)
class BudgetRow:
    """One row of the deliberation's budget table: the line charged, its credits, the expense.

    Tables in AE/CP give commitment authorisations beside the payment credits: `ae_credits`
    and `ae_amount` are then filled, and `credits` / `amount` stay the payment credits (CP).
    A table without operation codes gives rows whose `operation_code` is None.
    """

    operation_code: str | None
    imputation: str
    label: str | None
    credits: Decimal | None
    amount: Decimal | None
    ae_credits: Decimal | None = None
    ae_amount: Decimal | None = None


@dataclass(frozen=True)
class StatedFee:
    """The annual fee the document sets for a purchasing central (one per central)."""

    body: str
    amount: Decimal
    tax: TaxBasis


@dataclass(frozen=True)
class FeeStatement:
    """A fee set or changed in the text, with the sentence it came from.

    `body` is the purchasing central when the text names it; `changed` marks an amount that
    replaces an earlier one (an amendment, « portant la cotisation à … »).
    """

    body: str | None
    amount: Decimal
    tax: FeeTax | None
    periodicity: Periodicity | None
    changed: bool
    sentence: str
    # A row of a fee grid: the category it prices (« Communes de 1 000 à 5 000 habitants »).
    # The grid's rows are kept apart, not taken for this authority's fee.
    category: str | None = None


@dataclass(frozen=True)
class DeliberationReading:
    """What a deliberation text states, with French warnings for what is missing or odd."""

    deliberation_id: str | None
    date: date | None
    assembly: str | None
    title: str | None
    votes_for: int | None
    votes_against: int | None
    abstentions: int | None
    outcome: Outcome | None
    budget_rows: tuple[BudgetRow, ...]
    fees: tuple[StatedFee, ...]
    warnings: tuple[str, ...]
    authority: str | None = None
    vote_kind: VoteKind | None = None
    not_voting: int | None = None
    fee_statements: tuple[FeeStatement, ...] = ()
    evidence: tuple[FieldEvidence, ...] = ()
    # The ACTES « matière » (nomenclature code and name, « 1.4 », « Commande publique/Autres
    # types de contrats »): stated by the text, or proposed from its object, to be reviewed.
    subject_code: str | None = None
    subject_name: str | None = None
    # Bodies the text introduces as purchasing centrals that the known list lacks: proposed
    # as new centrals, for review.
    proposed_centrals: tuple[str, ...] = ()

    def evidence_for(self, field: str) -> FieldEvidence:
        """The evidence of one field; a field the reader did not report is missing."""
        return next(
            (e for e in self.evidence if e.field == field),
            FieldEvidence(field, None, Confidence.MISSING),
        )

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values; money as strings with 2 decimals, never floats."""
        return {
            "deliberation_id": self.deliberation_id,
            "date": None if self.date is None else self.date.isoformat(),
            "assembly": self.assembly,
            "title": self.title,
            "votes_for": self.votes_for,
            "votes_against": self.votes_against,
            "abstentions": self.abstentions,
            "outcome": self.outcome,
            "budget_rows": [_budget_row_json(row) for row in self.budget_rows],
            "fees": [
                {"body": fee.body, "amount": money_json(fee.amount), "tax": fee.tax}
                for fee in self.fees
            ],
            "warnings": list(self.warnings),
            "authority": self.authority,
            "vote_kind": self.vote_kind,
            "not_voting": self.not_voting,
            "fee_statements": [_statement_json(fee) for fee in self.fee_statements],
            "subject_code": self.subject_code,
            "subject_name": self.subject_name,
            "proposed_centrals": list(self.proposed_centrals),
            "evidence": [
                {
                    "field": item.field,
                    "confidence": item.confidence.value,
                    "line_number": item.evidence.line_number if item.evidence else None,
                    "line": item.evidence.line if item.evidence else None,
                    "source": item.evidence.source if item.evidence else None,
                }
                for item in self.evidence
            ],
        }


def _statement_json(fee: FeeStatement) -> dict[str, Any]:
    data: dict[str, Any] = {
        "body": fee.body,
        "amount": money_json(fee.amount),
        "tax": fee.tax,
        "periodicity": fee.periodicity,
        "changed": fee.changed,
        "sentence": fee.sentence,
    }
    # Only a grid's rows have a category.
    if fee.category is not None:
        data["category"] = fee.category
    return data


def _budget_row_json(row: BudgetRow) -> dict[str, Any]:
    data = {
        "operation_code": row.operation_code,
        "imputation": row.imputation,
        "label": row.label,
        "credits": money_json(row.credits),
        "amount": money_json(row.amount),
    }
    # Only tables in AE/CP state commitment authorisations.
    if row.ae_credits is not None or row.ae_amount is not None:
        data["ae_credits"] = money_json(row.ae_credits)
        data["ae_amount"] = money_json(row.ae_amount)
    return data


def money_json(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(CENT):f}"
