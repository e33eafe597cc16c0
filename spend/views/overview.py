"""The overview's cards and alert boxes, named for what they count."""

import polars as pl

from spend.domain.figures import YearSummary
from spend.views.alerts import KINDS
from spend.views.formatting import euros, inert
from spend.views.metrics import BAD, Card


def overview_cards(summary: YearSummary, body_id: str | None) -> list[Card]:
    """Credits, committed and balance of whole budget lines; fees and conventions of the chosen
    central when one is chosen, each card saying which."""
    whole_lines = ", toutes centrales" if body_id else ""
    of_body = f" — {inert(body_id)}" if body_id else ""  # a card's label is Markdown
    negative = summary.balance < 0
    return [
        Card("Crédits disponibles", euros(summary.credits), "Crédits ouverts sur les lignes."),
        Card(
            f"Engagé (TTC){whole_lines}",
            euros(summary.committed),
            "Cotisations et autres engagements (engagés, liquidés, mandatés ou payés).",
        ),
        Card(
            "Solde",
            euros(summary.balance),
            "Crédits disponibles − engagé.",
            delta="négatif" if negative else None,
            delta_color=BAD,
            delta_arrow="down",
        ),
        Card(f"Cotisations de l'exercice (TTC){of_body}", euros(summary.fees_incl_tax)),
        Card(
            f"Conventions actives{of_body}",
            str(summary.active_conventions),
            "Conventions dont les dates couvrent au moins un jour de l'exercice.",
        ),
    ]


def filter_note(body_id: str) -> str:
    return (
        f"Le filtre « {inert(body_id)} » s'applique aux cotisations et aux conventions ; crédits, "
        "engagé et solde sont ceux des lignes budgétaires entières, toutes centrales."
    )


def alert_box_text(kind: dict) -> str:
    """One kind of alert in one box: its name, how many, and the most urgent one."""
    count = kind["count"]
    more = f" (et {count - 1} autre(s) : voir la liste)" if count > 1 else ""
    return f"**{kind['label']} ({count})** — {inert(kind['first'])}{more}"


def alert_table(alerts: pl.DataFrame) -> pl.DataFrame:
    """Every alert as a row a manager can sort, filter and download."""
    return alerts.select(
        pl.col("kind").replace_strict(KINDS, default=pl.col("kind")).alias("alert_kind"),
        "level",
        "year",
        pl.col("date").alias("deadline"),
        "message",
    )
