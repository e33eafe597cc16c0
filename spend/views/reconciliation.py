"""A budget line's sum written out per central: HT → TTC, plus the rest, against the credits."""

from decimal import Decimal

import polars as pl

from spend.domain.budget import on_budget_line
from spend.views.formatting import euros, percent
from spend.views.labels import TAX_LABELS


def reconciliation_lines(
    titles: pl.DataFrame,
    balance_row: dict,
    vat_rate: Decimal,
    operation_code: str | None,
    imputation: str | None,
    year: int,
) -> list[str]:
    """The line's sum in words: HT → TTC per central, plus the rest, against the credits."""
    per_body = (
        titles.filter(on_budget_line(operation_code, imputation) & (pl.col("year") == year))
        .group_by("body_id", "tax")
        .agg(
            pl.col("amount_excl_tax").sum(),
            pl.col("vat").sum(),
            pl.col("amount_incl_tax").sum(),
            (~pl.col("priced")).sum().alias("unpriced"),
        )
        .sort("body_id")
    )
    lines = []
    for row in per_body.iter_rows(named=True):
        if row["tax"] == "HT":
            lines.append(
                f"{row['body_id']} : {euros(row['amount_excl_tax'])} HT + TVA "
                f"{percent(vat_rate)} ({euros(row['vat'])}) = {euros(row['amount_incl_tax'])} TTC"
            )
        else:
            lines.append(
                f"{row['body_id']} : {euros(row['amount_excl_tax'])} {TAX_LABELS['net']}"
                f" = {euros(row['amount_incl_tax'])}"
            )
        if row["unpriced"]:
            lines[-1] += f" (+ {row['unpriced']} titre(s) sur devis non chiffré(s))"
    if balance_row["committed_other"]:
        lines.append(f"Autres engagements : {euros(balance_row['committed_other'])} TTC")
    verdict = "solde négatif" if balance_row["balance"] < 0 else "solde"
    lines.append(
        f"Total engagé : {euros(balance_row['committed'])} sur {euros(balance_row['credits'])} "
        f"de crédits ; {verdict} {euros(balance_row['balance'])}"
    )
    return lines
