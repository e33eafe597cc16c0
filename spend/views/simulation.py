"""The simulation's cards, its verdict on negative balances in one sentence however many there
are, and the comparison table with the meaning of each change."""

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from spend.views.formatting import budget_line_label, budget_line_text, euros, thousands
from spend.views.metrics import BAD, GOOD, Card, change_card


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
            f" {thousands(negative.height)} solde(s) négatif(s) en tout, dont "
            f"{thousands(new.height)} dû(s) au scénario : voir le tableau."
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
        "delta_committed",
        "credits_baseline",
        "credits_scenario",
        "label",
    )


def simulation_cards(comparison: pl.DataFrame, year: int) -> list[list[Card]]:
    """The year's committed and balance, recorded beside the scenario, in two rows of two: a
    card holds a twelve-digit amount whole on a laptop's screen."""
    in_year = comparison.filter(pl.col("year") == year)
    committed = Decimal(in_year["committed_baseline"].sum())
    balance = Decimal(in_year["balance_baseline"].sum())
    scenario_committed = Decimal(in_year["committed_scenario"].sum())
    scenario_balance = Decimal(in_year["balance_scenario"].sum())
    return [
        [
            change_card("Engagé enregistré", committed, committed, higher_is_better=False),
            change_card("Engagé scénario", scenario_committed, committed, higher_is_better=False),
        ],
        [
            change_card("Solde enregistré", balance, balance, higher_is_better=True),
            change_card("Solde scénario", scenario_balance, balance, higher_is_better=True),
        ],
    ]


# Which way is better for each coloured column of the comparison table: the same meaning as
# the cards (a balance that falls, a commitment that rises, a negative balance: bad).
HIGHER_IS_BETTER = {"delta_balance": True, "delta_committed": False}


def change_meanings(table: pl.DataFrame) -> pl.DataFrame:
    """Per row of `comparison_table`'s frame, GOOD, BAD or null for each coloured column."""
    meanings = [
        pl.when(pl.col(column) == 0)
        .then(None)
        .when((pl.col(column) > 0) == better)
        .then(pl.lit(GOOD))
        .otherwise(pl.lit(BAD))
        .alias(column)
        for column, better in HIGHER_IS_BETTER.items()
    ]
    negative = pl.when(pl.col("balance_scenario") < 0).then(pl.lit(BAD)).alias("balance_scenario")
    return table.select(*meanings, negative)
