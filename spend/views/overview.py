"""The overview's cards and alert boxes, named for what they count."""

from dataclasses import dataclass

import polars as pl

from spend.domain.figures import YearSummary
from spend.views.alerts import KINDS, LEVEL_ORDER
from spend.views.formatting import euros, inert, thousands
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
            thousands(summary.active_conventions),
            "Conventions dont les dates couvrent au moins un jour de l'exercice.",
        ),
    ]


def filter_note(body_id: str) -> str:
    return (
        f"Le filtre « {inert(body_id)} » s'applique aux cotisations et aux conventions ; crédits, "
        "engagé et solde sont ceux des lignes budgétaires entières, toutes centrales."
    )


def alert_box_text(kind: dict) -> str:
    """One kind of alert in one box: its name, how many, and the most urgent one (which names
    a handful of conventions at most: `alerts.NAMED_IN_ALERT`)."""
    count = kind["count"]
    more = f" (et {thousands(count - 1)} autre(s) : voir la liste)" if count > 1 else ""
    return f"**{kind['label']} ({thousands(count)})** — {inert(kind['first'])}{more}"


@dataclass(frozen=True)
class AlertFilter:
    """What the alert list shows: some kinds (all when empty), one year, central or line."""

    kinds: tuple[str, ...] = ()
    year: int | None = None
    body_id: str | None = None
    line: str | None = None


@dataclass(frozen=True)
class AlertOptions:
    """What the alert list's filters offer: the values the alerts hold, a handful each."""

    kinds: dict[str, str]  # kind → French name, in the order a manager reads them
    years: list[int]
    bodies: list[str]
    lines: list[str]


def alert_options(alerts: pl.DataFrame) -> AlertOptions:
    present = set(alerts["kind"].unique().to_list())
    return AlertOptions(
        kinds={k: label for k, label in KINDS.items() if k in present},
        years=alerts["year"].drop_nulls().unique().sort(descending=True).to_list(),
        bodies=alerts["body_id"].drop_nulls().unique().sort().to_list(),
        lines=alerts["line"].drop_nulls().unique().sort().to_list(),
    )


def filter_alerts(alerts: pl.DataFrame, chosen: AlertFilter) -> pl.DataFrame:
    kept = pl.lit(True)
    if chosen.kinds:
        kept &= pl.col("kind").is_in(list(chosen.kinds))
    if chosen.year is not None:
        kept &= pl.col("year") == chosen.year
    if chosen.body_id is not None:
        kept &= pl.col("body_id") == chosen.body_id
    if chosen.line is not None:
        kept &= pl.col("line") == chosen.line
    return alerts.filter(kept)


def alert_table(alerts: pl.DataFrame, year: int | None = None) -> pl.DataFrame:
    """Every alert as a row a manager can sort, filter and download: those of the chosen year
    first, then the nearest deadlines, the most serious and the most recent years."""
    ordered = alerts.with_columns(
        pl.col("year").eq_missing(year).not_().alias("other_year"),
        pl.col("level").replace_strict(LEVEL_ORDER, default=len(LEVEL_ORDER)).alias("rank"),
    ).sort(
        ["other_year", "date", "rank", "year", "message"],
        descending=[False, False, False, True, False],
        nulls_last=True,
    )
    return ordered.select(
        pl.col("kind").replace_strict(KINDS, default=pl.col("kind")).alias("alert_kind"),
        "level",
        "year",
        pl.col("date").alias("deadline"),
        "message",
        pl.col("body_id").alias("body"),
        "line",
    )
