"""The budget lines as managers read them: which line, which year, credits against committed,
the balance and the share consumed first; what makes up the commitment after."""

import polars as pl

from spend.domain.records import COMMITTED_STATUSES
from spend.views.formatting import budget_line_label
from spend.views.labels import COMMITMENT_STATUS_LABELS


def budget_table(view: pl.DataFrame) -> pl.DataFrame:
    """budget_view's frame with the line in one column and the key figures first."""
    return view.select(
        budget_line_label().alias("line"),
        "year",
        "credits",
        "committed",
        "balance",
        "share_consumed",
        "committed_fees",
        "committed_other",
        "planned",
        "unpriced",
        "label",
    )


def committed_statuses_note() -> str:
    """Which statuses of the other commitments count, said where the figures are."""
    counted = ", ".join(COMMITMENT_STATUS_LABELS[s] for s in COMMITTED_STATUSES)
    return (
        f"« Engagé » compte les cotisations (TTC) et les autres engagements {counted} ; "
        f"un montant {COMMITMENT_STATUS_LABELS['planned']} est montré à part (« Prévu »), un "
        f"montant {COMMITMENT_STATUS_LABELS['cancelled']} ne compte plus."
    )
