"""What a deliberation states, as the reader returns it: plain values, money exact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from spend.domain.money import CENT

Outcome = Literal["adopted", "rejected"]
TaxBasis = Literal["HT", "net"]


class DeliberationReadError(Exception):
    """A deliberation file cannot be read; the message is French and meant for the user."""


@dataclass(frozen=True)
class BudgetRow:
    """One row of the deliberation's budget table: the line charged, its credits, the expense."""

    operation_code: str
    imputation: str
    label: str | None
    credits: Decimal | None
    amount: Decimal | None


@dataclass(frozen=True)
class StatedFee:
    """An annual fee the document states for a purchasing central."""

    body: str
    amount: Decimal
    tax: TaxBasis


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
            "budget_rows": [
                {
                    "operation_code": row.operation_code,
                    "imputation": row.imputation,
                    "label": row.label,
                    "credits": money_json(row.credits),
                    "amount": money_json(row.amount),
                }
                for row in self.budget_rows
            ],
            "fees": [
                {"body": fee.body, "amount": money_json(fee.amount), "tax": fee.tax}
                for fee in self.fees
            ],
            "warnings": list(self.warnings),
        }


def money_json(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(CENT):f}"
