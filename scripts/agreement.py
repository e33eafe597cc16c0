"""Do two implementations give the same figures, to the cent? Titles, totals and balances."""

from typing import Protocol

import polars as pl

MONEY = pl.Decimal(18, 2)

# result → (key, compared columns with their type): every column the engine gives, so that a
# due date or a period that drifts fails as surely as an amount.
COMPARED: dict[str, tuple[list[str], dict[str, pl.DataType]]] = {
    "titles": (
        ["convention_id", "title_no"],
        {
            "body_id": pl.String(), "agreement_id": pl.String(), "operation_code": pl.String(),
            "imputation": pl.String(), "year": pl.Int32(), "period_start": pl.Date(),
            "period_end": pl.Date(), "months": pl.Decimal(5, 2), "tax": pl.String(),
            "billing_rule": pl.String(), "amount_excl_tax": MONEY, "vat": MONEY,
            "amount_incl_tax": MONEY, "issue_date": pl.Date(), "due_date": pl.Date(),
            "priced": pl.Boolean(),
        },
    ),
    "totals": (
        ["body_id", "year"],
        {"amount_excl_tax": MONEY, "vat": MONEY, "amount_incl_tax": MONEY,
         "unpriced": pl.Int64()},
    ),
    "balance": (
        ["operation_code", "imputation", "year"],
        {
            "label": pl.String(), "credits": MONEY, "committed_fees": MONEY,
            "committed_other": MONEY, "committed": MONEY, "balance": MONEY, "planned": MONEY,
            "unpriced": pl.Int64(), "has_credits": pl.Boolean(),
        },
    ),
}  # fmt: skip
KEY_TYPES = {
    "convention_id": pl.String(),
    "title_no": pl.Int32(),
    "body_id": pl.String(),
    "year": pl.Int32(),
    "operation_code": pl.String(),
    "imputation": pl.String(),
}


class Results(Protocol):
    titles: pl.DataFrame
    totals: pl.DataFrame
    balance: pl.DataFrame


def canonical(frame: pl.DataFrame, result: str, columns: list[str]) -> pl.DataFrame:
    key, compared = COMPARED[result]
    return frame.select(
        *(pl.col(k).cast(KEY_TYPES[k]) for k in key),
        *(pl.col(c).cast(compared[c]) for c in columns),
    ).sort(key, nulls_last=True)


def differences(reference: Results, other: Results, name: str) -> list[str]:
    """What `other` (named `name`) gets wrong against the engine's `reference`, in words; empty
    when the three results agree to the cent, row for row."""
    found = []
    for result, (key, compared) in COMPARED.items():
        expected_frame, got_frame = getattr(reference, result), getattr(other, result)
        # A column the engine does not give (yet) is not asked of the others.
        columns = [c for c in compared if c in expected_frame.columns]
        missing = [c for c in [*key, *columns] if c not in got_frame.columns]
        if missing:
            found.append(f"{name} {result}: colonnes absentes {missing}")
            continue
        expected = canonical(expected_frame, result, columns)
        got = canonical(got_frame, result, columns)
        if expected.equals(got):
            continue
        only_expected = expected.join(got, on=expected.columns, how="anti", nulls_equal=True)
        only_got = got.join(expected, on=got.columns, how="anti", nulls_equal=True)
        found.append(
            f"{name} {result}: {expected.height} lignes attendues, {got.height} obtenues ; "
            f"moteur seul :\n{only_expected.head(3)}\n{name} seul :\n{only_got.head(3)}"
        )
    return found
