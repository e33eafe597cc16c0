"""The budget lines as managers read them: which line, which year, credits against committed,
the balance and the share consumed first; what makes up the commitment after."""

from decimal import Decimal

import polars as pl

from spend.domain.records import COMMITTED_STATUSES
from spend.views.formatting import budget_line_label, euros, inert, percent
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


OTHER_BODIES = "Autres centrales"
OTHER_COMMITMENTS = "Autres engagements"
NAMED_BODIES = 9  # centrals a chart names one by one; the rest are grouped


def committed_parts(
    balance: pl.DataFrame,
    titles: pl.DataFrame,
    body_id: str | None = None,
    names: dict[str, str] | None = None,
    named: int = NAMED_BODIES,
) -> pl.DataFrame:
    """What makes up the committed amount of the budget lines in `balance`, per year: the fees
    of each central (the largest `named` ones by name, the others as one part; with a central
    chosen, it and the others), then the other commitments. Columns: year, part, amount, order
    (and series, when both frames have one: the same parts for a scenario and the recorded).
    """
    keys = ["series", "year"] if "series" in titles.columns else ["year"]
    lines = balance.select("operation_code", "imputation").unique()
    fees = (
        titles.join(lines, on=["operation_code", "imputation"], how="semi", nulls_equal=True)
        .group_by(*keys, "body_id")
        .agg(pl.col("amount_incl_tax").sum().alias("amount"))
    )
    if body_id is not None:
        kept = [body_id]
    else:
        ranked = fees.group_by("body_id").agg(pl.col("amount").sum()).sort("amount", "body_id")
        kept = ranked["body_id"].reverse().head(named).to_list()
        if ranked.height == named + 1:  # grouping a single central would name it less clearly
            kept = ranked["body_id"].reverse().to_list()
    rank = {b: i for i, b in enumerate(kept)}
    by_body = (
        fees.with_columns(
            pl.when(pl.col("body_id").is_in(kept))
            .then(pl.col("body_id").replace_strict(names or {}, default=pl.col("body_id")))
            .otherwise(pl.lit(OTHER_BODIES))
            .alias("part"),
            pl.col("body_id").replace_strict(rank, default=len(kept)).alias("order"),
        )
        .group_by(*keys, "part", "order")
        .agg(pl.col("amount").sum())
    )
    others = (
        balance.group_by(*keys)
        .agg(pl.col("committed_other").sum().alias("amount"))
        .filter(pl.col("amount") != 0)
        .with_columns(pl.lit(OTHER_COMMITMENTS).alias("part"), pl.lit(len(kept) + 1).alias("order"))
    )
    return (
        pl.concat(
            [
                frame.select(
                    *keys[:-1],
                    pl.col("year").cast(pl.Int32),
                    "part",
                    pl.col("amount").cast(pl.Decimal(18, 2)),
                    pl.col("order").cast(pl.Int64),
                )
                for frame in (by_body, others)
            ]
        )
        .filter(pl.col("amount") != 0)
        .sort(*keys, "order")
    )


def year_totals(balance: pl.DataFrame) -> pl.DataFrame:
    """Credits, committed and balance per year of the lines in `balance`, added up."""
    keys = ["series", "year"] if "series" in balance.columns else ["year"]
    return (
        balance.group_by(*keys)
        .agg(pl.col("credits", "committed", "balance").sum())
        .with_columns(
            pl.col(c).cast(pl.Decimal(18, 2)) for c in ("credits", "committed", "balance")
        )
        .sort(*keys)
    )


def body_share_text(parts: pl.DataFrame, year: int | None, body_id: str) -> str | None:
    """The chosen central's share of what the lines commit in the year, in one sentence."""
    if year is None:
        return None
    in_year = parts.filter(pl.col("year") == year)
    if in_year.is_empty():
        return None
    total = Decimal(in_year["amount"].sum())
    own = Decimal(in_year.filter(pl.col("order") == 0)["amount"].sum())
    share = percent(own * 100 / total) if total else "—"
    return (
        f"Part de {inert(body_id)} en {year} : {euros(own)} sur {euros(total)} engagés ({share}) ; "
        "en couleur sur le graphique, les autres centrales en gris."
    )
