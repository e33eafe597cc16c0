"""What a manager must not miss: over-commitment, missing credits, deadlines, unknowns, guesses.

Each alert is a row: its level, its kind (to group them, with counts), the year and the date
it concerns (to put the nearest deadline first) and a French sentence.
"""

import datetime as dt

import polars as pl

from spend.domain.dates import add_months
from spend.domain.imputation import imputation_parts
from spend.views.formatting import budget_line_label, date_expr, euros_expr, thousands_expr

CRITICAL, WARNING, INFO = "critique", "attention", "information"
LEVEL_ORDER = {CRITICAL: 0, WARNING: 1, INFO: 2}
ALERT_SCHEMA = pl.Schema(
    {
        "level": pl.String,
        "kind": pl.String,
        "year": pl.Int32,
        "date": pl.Date,
        "message": pl.String,
        "body_id": pl.String,  # the central concerned, to filter by (none for a budget line's)
        "line": pl.String,  # the budget line concerned, as the pages write it
    }
)
# Identifiers an alert names in its sentence: a handful, then how many others.
NAMED_IN_ALERT = 5
# Each kind of alert in the order a manager reads them, with its French name.
KINDS = {
    "over_committed": "Engagements supérieurs aux crédits",
    "no_credits": "Engagements sans crédits saisis",
    "notice": "Préavis à donner",
    "payment": "Paiements à venir",
    "agreement_end": "Accords-cadres qui prennent fin",
    "convention_end": "Conventions qui prennent fin avant leur accord",
    "on_quote": "Cotisations « sur devis »",
    "incomplete": "Conventions incomplètes",
    "deliberation": "Délibérations citées non enregistrées",
    "assumed_start": "Dates de début supposées",
    "imputation": "Imputations à vérifier",
}


def _euros_text(column: str) -> pl.Expr:
    """The amount's size in French for a sentence that says its sign in words (2 508,33 €)."""
    return euros_expr(pl.col(column).abs())


def _alert(
    level: str,
    kind: str,
    year: pl.Expr,
    date: pl.Expr | None,
    message: pl.Expr,
    *,
    body: pl.Expr | None = None,
    line: pl.Expr | None = None,
) -> list[pl.Expr]:
    """The columns of one alert row, in ALERT_SCHEMA's order."""
    return [
        pl.lit(level).alias("level"),
        pl.lit(kind).alias("kind"),
        year.cast(pl.Int32).alias("year"),
        (date if date is not None else pl.lit(None, dtype=pl.Date)).alias("date"),
        message.alias("message"),
        (body if body is not None else pl.lit(None, dtype=pl.String)).alias("body_id"),
        (line if line is not None else pl.lit(None, dtype=pl.String)).alias("line"),
    ]


def _convention_line() -> pl.Expr:
    """The budget line a convention (or a title) is charged to, as the pages write it."""
    return pl.when(pl.col("operation_code").is_not_null()).then(budget_line_label())


def named_few(ids: pl.Expr, count: pl.Expr, limit: int = NAMED_IN_ALERT) -> pl.Expr:
    """In an aggregation: the first identifiers, then « et N autre(s) »; never a flood."""
    others = count.cast(pl.Int64) - limit
    return pl.concat_str(
        ids.sort().head(limit).str.join(", "),
        pl.when(others > 0)
        .then(pl.format(" et {} autre(s)", thousands_expr(others)))
        .otherwise(pl.lit("")),
    )


def budget_alerts(balance: pl.DataFrame) -> pl.DataFrame:
    """Lines whose commitments exceed their credits, or that have commitments and no credits."""
    unpriced = pl.when(pl.col("unpriced") > 0).then(
        pl.format(" (et {} titre(s) sur devis non chiffré(s))", pl.col("unpriced"))
    )
    no_credits = balance.filter(
        ~pl.col("has_credits") & ((pl.col("committed") > 0) | (pl.col("unpriced") > 0))
    ).select(
        _alert(
            CRITICAL,
            "no_credits",
            pl.col("year"),
            None,
            pl.format(
                "{} : {} engagés en {}{} sans aucun crédit saisi pour cet exercice.",
                budget_line_label(),
                _euros_text("committed"),
                pl.col("year"),
                unpriced.fill_null(""),
            ),
            line=budget_line_label(),
        )
    )
    over = balance.filter(pl.col("has_credits") & (pl.col("balance") < 0)).select(
        _alert(
            CRITICAL,
            "over_committed",
            pl.col("year"),
            None,
            pl.format(
                "{} : engagements supérieurs aux crédits en {} (dépassement de {}).",
                budget_line_label(),
                pl.col("year"),
                _euros_text("balance"),
            ),
            line=budget_line_label(),
        )
    )
    return pl.concat(
        [no_credits.cast(ALERT_SCHEMA), over.cast(ALERT_SCHEMA), imputation_alerts(balance)]
    )


def imputation_alerts(balance: pl.DataFrame) -> pl.DataFrame:
    """Lines whose imputation is in no known form, or contradicts the M57 chart: kept as
    written, said once per line."""
    lines = balance.select("operation_code", "imputation").unique().drop_nulls()
    parts = imputation_parts(lines["imputation"]).filter(pl.col("warning").is_not_null())
    return (
        lines.join(parts, on="imputation")
        .sort("operation_code", "imputation")
        .select(
            _alert(
                WARNING,
                "imputation",
                pl.lit(None, dtype=pl.Int32),
                None,
                pl.format("{} : {}.", pl.col("operation_code"), pl.col("warning")),
                line=budget_line_label(),
            )
        )
        .cast(ALERT_SCHEMA)
    )


def deadline_alerts(conventions: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    """Agreements and conventions ending within 6 months; notice deadlines within 3 months."""
    in_six_months = add_months(pl.lit(today), pl.lit(6))
    in_three_months = add_months(pl.lit(today), pl.lit(3))
    return pl.concat(
        [
            frame.cast(ALERT_SCHEMA)
            for frame in (
                _agreement_end_alerts(conventions, today, in_six_months),
                _convention_end_alerts(conventions, today, in_six_months),
                _notice_alerts(conventions, today, in_three_months),
            )
        ]
    )


def _agreement_end_alerts(
    conventions: pl.DataFrame, today: dt.date, until: pl.Expr
) -> pl.DataFrame:
    """One alert per agreement ending by `until`, naming a few of its conventions."""
    agreement_end = pl.col("agreement_end")
    return (
        conventions.filter((agreement_end >= today) & (agreement_end <= until))
        .group_by("agreement_id", "agreement_title", "body_id", "agreement_end")
        .agg(
            named_few(pl.col("convention_id"), pl.len()).alias("conventions"),
            pl.len().alias("count"),
        )
        .select(
            _alert(
                WARNING,
                "agreement_end",
                agreement_end.dt.year(),
                agreement_end,
                pl.format(
                    "L'accord-cadre « {} » ({}) prend fin le {} ({}) : renouveler ou remplacer.",
                    pl.col("agreement_title"),
                    pl.col("body_id"),
                    date_expr("agreement_end"),
                    pl.when(pl.col("count") == 1)
                    .then(pl.format("convention : {}", pl.col("conventions")))
                    .otherwise(
                        pl.format(
                            "{} conventions : {}", thousands_expr(pl.col("count")), "conventions"
                        )
                    ),
                ),
                body=pl.col("body_id"),
            )
        )
    )


def _convention_end_alerts(
    conventions: pl.DataFrame, today: dt.date, until: pl.Expr
) -> pl.DataFrame:
    """A convention that ends with its agreement is said there; one with its own end, here."""
    end = pl.col("effective_end_date")
    return conventions.filter(
        (end >= today) & (end <= until) & end.ne_missing(pl.col("agreement_end"))
    ).select(
        _alert(
            WARNING,
            "convention_end",
            end.dt.year(),
            end,
            pl.format(
                "La convention {} ({}) prend fin le {}, avant son accord-cadre.",
                pl.col("convention_id"),
                pl.col("body_id"),
                date_expr("effective_end_date"),
            ),
            body=pl.col("body_id"),
            line=_convention_line(),
        )
    )


def _notice_alerts(conventions: pl.DataFrame, today: dt.date, until: pl.Expr) -> pl.DataFrame:
    """Conventions to give notice of by `until` to leave them at their end."""
    notice = pl.col("notice_deadline")
    return conventions.filter((notice >= today) & (notice <= until)).select(
        _alert(
            WARNING,
            "notice",
            notice.dt.year(),
            notice,
            pl.format(
                "Préavis : pour sortir de la convention {} à sa fin ({}), "
                "la dénoncer au plus tard le {}.",
                pl.col("convention_id"),
                date_expr("effective_end_date"),
                date_expr("notice_deadline"),
            ),
            body=pl.col("body_id"),
            line=_convention_line(),
        )
    )


def payment_alerts(titles: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    """Titles to pay within 30 days (CAIH: 50 days after each invoice)."""
    due = pl.col("due_date")
    return (
        titles.filter((due >= today) & (due <= today + dt.timedelta(days=30)))
        .select(
            _alert(
                WARNING,
                "payment",
                pl.col("year"),
                due,
                pl.format(
                    "Paiement : titre {} {} de {} TTC à régler au plus tard le {}.",
                    pl.col("convention_id"),
                    pl.col("year"),
                    pl.when(pl.col("priced"))
                    .then(_euros_text("amount_incl_tax"))
                    .otherwise(pl.lit("montant inconnu")),
                    date_expr("due_date"),
                ),
                body=pl.col("body_id"),
                line=_convention_line(),
            )
        )
        .cast(ALERT_SCHEMA)
    )


def unknown_alerts(conventions: pl.DataFrame, titles: pl.DataFrame) -> pl.DataFrame:
    """Fees 'on quote' or not stated, dates not known, deliberations cited but not recorded,
    and start dates that are assumptions."""
    return pl.concat(
        [
            frame.cast(ALERT_SCHEMA)
            for frame in (
                _on_quote_alerts(titles),
                _incomplete_alerts(conventions),
                _unrecorded_deliberation_alerts(conventions),
                _assumed_start_alerts(conventions),
            )
        ]
    )


def _on_quote_alerts(titles: pl.DataFrame) -> pl.DataFrame:
    """Conventions whose fee is « sur devis »: not counted in the totals."""
    return (
        titles.filter(~pl.col("priced"))
        .group_by("convention_id")
        .agg(
            pl.col("year").min().alias("year"),
            pl.col("body_id", "operation_code", "imputation").first(),
        )
        .select(
            _alert(
                WARNING,
                "on_quote",
                pl.col("year"),
                None,
                pl.format(
                    "Convention {} : cotisation « sur devis », montant inconnu "
                    "(non compté dans les totaux).",
                    pl.col("convention_id"),
                ),
                body=pl.col("body_id"),
                line=_convention_line(),
            )
        )
    )


def _incomplete_alerts(conventions: pl.DataFrame) -> pl.DataFrame:
    """Conventions without a fee or a date: not computed."""
    missing = pl.concat_list(
        pl.when(~pl.col("has_grid_row")).then(pl.lit("cotisation (formule ou catégorie)")),
        pl.when(pl.col("start_date").is_null()).then(pl.lit("date de début")),
        pl.when(pl.col("effective_end_date").is_null()).then(pl.lit("date de fin")),
    ).list.drop_nulls()
    return (
        conventions.with_columns(missing.alias("missing"))
        .filter(pl.col("missing").list.len() > 0)
        .select(
            _alert(
                INFO,
                "incomplete",
                pl.lit(None),
                None,
                pl.format(
                    "Convention {} incomplète, non chiffrée : {} à renseigner.",
                    pl.col("convention_id"),
                    pl.col("missing").list.join(", "),
                ),
                body=pl.col("body_id"),
                line=_convention_line(),
            )
        )
    )


def _unrecorded_deliberation_alerts(conventions: pl.DataFrame) -> pl.DataFrame:
    """Conventions citing a deliberation that is not recorded."""
    return conventions.filter(~pl.col("deliberation_recorded")).select(
        _alert(
            INFO,
            "deliberation",
            pl.col("start_date").dt.year(),
            None,
            pl.format(
                "Convention {} : la délibération n° {} qu'elle cite n'est pas enregistrée "
                "(à importer ou saisir pour l'historique).",
                pl.col("convention_id"),
                pl.col("deliberation_id"),
            ),
            body=pl.col("body_id"),
            line=_convention_line(),
        )
    )


def _assumed_start_alerts(conventions: pl.DataFrame) -> pl.DataFrame:
    """Conventions whose start date is the deliberation's, for want of a signature date."""
    return conventions.filter(pl.col("start_date_assumed")).select(
        _alert(
            INFO,
            "assumed_start",
            pl.col("start_date").dt.year(),
            None,
            pl.format(
                "Hypothèse : la convention {} est supposée commencer le {} (date de la "
                "délibération, faute de date de signature).",
                pl.col("convention_id"),
                date_expr("start_date"),
            ),
            body=pl.col("body_id"),
            line=_convention_line(),
        )
    )


def all_alerts(
    balance: pl.DataFrame, conventions: pl.DataFrame, titles: pl.DataFrame, today: dt.date
) -> pl.DataFrame:
    """Every alert, the most serious first, then the nearest date."""
    return (
        pl.concat(
            [
                budget_alerts(balance),
                deadline_alerts(conventions, today),
                payment_alerts(titles, today),
                unknown_alerts(conventions, titles),
            ]
        )
        .with_columns(pl.col("level").replace_strict(LEVEL_ORDER).alias("rank"))
        .sort("rank", "date", "year", "message", nulls_last=True)
        .drop("rank")
    )


def alert_summary(alerts: pl.DataFrame, year: int | None = None) -> pl.DataFrame:
    """One row per kind: its level, how many, the most urgent sentence (of the chosen year when
    the kind has one); the most serious first."""
    kind_order = {kind: index for index, kind in enumerate(KINDS)}
    return (
        alerts.with_row_index("order")
        .sort(pl.col("year").eq_missing(year).not_(), "order", maintain_order=True)
        .drop("order")
        .with_row_index("order")
        .group_by("kind")
        .agg(
            pl.col("level").first(),
            pl.len().alias("count"),
            pl.col("message").sort_by("order").first().alias("first"),
            pl.col("order").min(),
        )
        .with_columns(
            pl.col("kind").replace_strict(KINDS, default=pl.col("kind")).alias("label"),
            pl.col("level").replace_strict(LEVEL_ORDER).alias("rank"),
            pl.col("kind").replace_strict(kind_order, default=len(kind_order)).alias("kind_rank"),
        )
        .sort("rank", "kind_rank")
        .select("kind", "label", "level", "count", "first")
    )
