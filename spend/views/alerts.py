"""What a manager must not miss: over-commitment, missing credits, deadlines, unknowns, guesses."""

import datetime as dt

import polars as pl

from spend.domain.dates import add_months
from spend.views.formatting import budget_line_label, euros_expr

CRITICAL, WARNING, INFO = "critique", "attention", "information"
LEVEL_ORDER = {CRITICAL: 0, WARNING: 1, INFO: 2}
ALERT_SCHEMA = {"level": pl.String, "year": pl.Int32, "message": pl.String}


def _euros_text(column: str) -> pl.Expr:
    """The amount's size in French for a sentence that says its sign in words (2 508,33 €)."""
    return euros_expr(pl.col(column).abs())


def budget_alerts(balance: pl.DataFrame) -> pl.DataFrame:
    """Lines whose commitments exceed their credits, or that have commitments and no credits."""
    unpriced = pl.when(pl.col("unpriced") > 0).then(
        pl.format(" (et {} titre(s) sur devis non chiffré(s))", pl.col("unpriced"))
    )
    no_credits = balance.filter(
        ~pl.col("has_credits") & ((pl.col("committed") > 0) | (pl.col("unpriced") > 0))
    ).select(
        pl.lit(CRITICAL).alias("level"),
        pl.col("year"),
        pl.format(
            "{} : {} engagés en {}{} sans aucun crédit saisi pour cet exercice.",
            budget_line_label(),
            _euros_text("committed"),
            pl.col("year"),
            unpriced.fill_null(""),
        ).alias("message"),
    )
    over = balance.filter(pl.col("has_credits") & (pl.col("balance") < 0)).select(
        pl.lit(CRITICAL).alias("level"),
        pl.col("year"),
        pl.format(
            "{} : engagements supérieurs aux crédits en {} (dépassement de {}).",
            budget_line_label(),
            pl.col("year"),
            _euros_text("balance"),
        ).alias("message"),
    )
    return pl.concat([no_credits, over]).cast(ALERT_SCHEMA)


def deadline_alerts(conventions: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    """Agreements and conventions ending within 6 months; notice deadlines within 3 months."""
    in_six_months = add_months(pl.lit(today), pl.lit(6))
    in_three_months = add_months(pl.lit(today), pl.lit(3))
    end = pl.col("effective_end_date")
    agreement_end = pl.col("agreement_end")
    agreements = (
        conventions.filter((agreement_end >= today) & (agreement_end <= in_six_months))
        .group_by("agreement_id", "agreement_title", "body_id", "agreement_end")
        .agg(pl.col("convention_id").sort().str.join(", ").alias("conventions"))
        .select(
            pl.lit(WARNING).alias("level"),
            agreement_end.dt.year().cast(pl.Int32).alias("year"),
            pl.format(
                "L'accord-cadre « {} » ({}) prend fin le {} (convention : {}) : renouveler ou "
                "remplacer.",
                pl.col("agreement_title"),
                pl.col("body_id"),
                agreement_end.dt.strftime("%d/%m/%Y"),
                pl.col("conventions"),
            ).alias("message"),
        )
    )
    # A convention that ends with its agreement is said above; one with its own end, here.
    ending = conventions.filter(
        (end >= today) & (end <= in_six_months) & end.ne_missing(agreement_end)
    ).select(
        pl.lit(WARNING).alias("level"),
        end.dt.year().cast(pl.Int32).alias("year"),
        pl.format(
            "La convention {} ({}) prend fin le {}, avant son accord-cadre.",
            pl.col("convention_id"),
            pl.col("body_id"),
            end.dt.strftime("%d/%m/%Y"),
        ).alias("message"),
    )
    notice = pl.col("notice_deadline")
    notices = conventions.filter((notice >= today) & (notice <= in_three_months)).select(
        pl.lit(WARNING).alias("level"),
        notice.dt.year().cast(pl.Int32).alias("year"),
        pl.format(
            "Préavis : pour sortir de la convention {} à sa fin ({}), "
            "la dénoncer au plus tard le {}.",
            pl.col("convention_id"),
            end.dt.strftime("%d/%m/%Y"),
            notice.dt.strftime("%d/%m/%Y"),
        ).alias("message"),
    )
    return pl.concat([agreements.cast(ALERT_SCHEMA), ending, notices]).cast(ALERT_SCHEMA)


def payment_alerts(titles: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    """Titles to pay within 30 days (CAIH: 50 days after each invoice)."""
    due = pl.col("due_date")
    return (
        titles.filter((due >= today) & (due <= today + dt.timedelta(days=30)))
        .select(
            pl.lit(WARNING).alias("level"),
            pl.col("year"),
            pl.format(
                "Paiement : titre {} {} de {} TTC à régler au plus tard le {}.",
                pl.col("convention_id"),
                pl.col("year"),
                pl.when(pl.col("priced"))
                .then(_euros_text("amount_incl_tax"))
                .otherwise(pl.lit("montant inconnu")),
                due.dt.strftime("%d/%m/%Y"),
            ).alias("message"),
        )
        .cast(ALERT_SCHEMA)
    )


def unknown_alerts(conventions: pl.DataFrame, titles: pl.DataFrame) -> pl.DataFrame:
    """Fees 'on quote' or not stated, dates not known, and start dates that are assumptions."""
    on_quote = (
        titles.filter(~pl.col("priced"))
        .group_by("convention_id")
        .agg(pl.col("year").min().alias("year"))
        .select(
            pl.lit(WARNING).alias("level"),
            pl.col("year"),
            pl.format(
                "Convention {} : cotisation « sur devis », montant inconnu "
                "(non compté dans les totaux).",
                pl.col("convention_id"),
            ).alias("message"),
        )
    )
    missing = pl.concat_list(
        pl.when(~pl.col("has_grid_row")).then(pl.lit("cotisation (formule ou catégorie)")),
        pl.when(pl.col("start_date").is_null()).then(pl.lit("date de début")),
        pl.when(pl.col("effective_end_date").is_null()).then(pl.lit("date de fin")),
    ).list.drop_nulls()
    incomplete = (
        conventions.with_columns(missing.alias("missing"))
        .filter(pl.col("missing").list.len() > 0)
        .select(
            pl.lit(INFO).alias("level"),
            pl.lit(None, dtype=pl.Int32).alias("year"),
            pl.format(
                "Convention {} incomplète, non chiffrée : {} à renseigner.",
                pl.col("convention_id"),
                pl.col("missing").list.join(", "),
            ).alias("message"),
        )
    )
    assumed = conventions.filter(pl.col("start_date_assumed")).select(
        pl.lit(INFO).alias("level"),
        pl.col("start_date").dt.year().cast(pl.Int32).alias("year"),
        pl.format(
            "Hypothèse : la convention {} est supposée commencer le {} (date de la délibération, "
            "faute de date de signature).",
            pl.col("convention_id"),
            pl.col("start_date").dt.strftime("%d/%m/%Y"),
        ).alias("message"),
    )
    return pl.concat([on_quote, incomplete, assumed]).cast(ALERT_SCHEMA)


def all_alerts(
    balance: pl.DataFrame, conventions: pl.DataFrame, titles: pl.DataFrame, today: dt.date
) -> pl.DataFrame:
    """Every alert, the most serious first."""
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
        .sort("rank", "year", "message", nulls_last=True)
        .drop("rank")
    )
