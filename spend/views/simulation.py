"""The simulation's verdict on negative balances, in one sentence however many there are."""

from dataclasses import dataclass

import polars as pl

from spend.views.formatting import budget_line_label, budget_line_text, euros


@dataclass(frozen=True)
class NegativeSummary:
    text: str
    new: bool  # the scenario makes a balance negative that the recorded data does not


def negative_summary(comparison: pl.DataFrame) -> NegativeSummary | None:
    """Lines and years whose balance the scenario leaves negative, the worst one named."""
    negative = comparison.filter(pl.col("negative_scenario")).sort("balance_scenario")
    if negative.is_empty():
        return None
    new = negative.filter(pl.col("balance_baseline") >= 0)
    worst = (new if not new.is_empty() else negative).row(0, named=True)
    where = budget_line_text(worst["operation_code"], worst["imputation"])
    text = (
        f"Solde négatif en {worst['year']} sur {where} : {euros(worst['balance_scenario'])} "
        f"avec ce scénario (enregistré : {euros(worst['balance_baseline'])})."
    )
    if negative.height > 1:
        text += (
            f" {negative.height} solde(s) négatif(s) en tout, dont {new.height} dû(s) au "
            "scénario : voir le tableau."
        )
    elif new.is_empty():
        text += " Déjà négatif dans les données enregistrées."
    return NegativeSummary(text, not new.is_empty())


def comparison_table(comparison: pl.DataFrame) -> pl.DataFrame:
    """The comparison as shown: the line in one column, committed and balance side by side."""
    return comparison.select(
        budget_line_label().alias("line"),
        "year",
        "committed_baseline",
        "committed_scenario",
        "balance_baseline",
        "balance_scenario",
        "delta_balance",
        "credits_baseline",
        "credits_scenario",
        "label",
    )
