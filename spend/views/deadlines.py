"""Deadlines in French: a calendar event's summary and description, a reminder's line, the
tables of the Overview and the Administration page."""

import polars as pl

from spend.views.formatting import euros_expr

KIND_LABELS = {
    "notice": "Préavis",
    "convention_end": "Fin de convention",
    "agreement_end": "Fin d'accord-cadre",
    "payment": "Paiement",
}
# A reminder's subject, by how many deadlines it lists.
SUBJECT = "Échéances des conventions de centrales d'achat : {count} à surveiller"
LEAD_LABELS = {"notice": "préavis", "end": "fins", "payment": "paiements"}


def _date(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime("%d/%m/%Y")


def _amount() -> pl.Expr:
    return (
        pl.when(pl.col("priced"))
        .then(pl.concat_str(euros_expr(pl.col("amount_incl_tax")), pl.lit(" TTC")))
        .otherwise(pl.lit("montant inconnu (« sur devis »)"))
    )


def _by_kind(**texts: pl.Expr) -> pl.Expr:
    expression: pl.Expr = pl.lit(None, pl.String)
    for kind, text in reversed(texts.items()):
        expression = pl.when(pl.col("kind") == kind).then(text).otherwise(expression)
    return expression


def _summary() -> pl.Expr:
    body = pl.col("body_id")
    return _by_kind(
        notice=pl.format(
            "Date limite de préavis : convention {} ({})", pl.col("convention_id"), body
        ),
        convention_end=pl.format("Fin de la convention {} ({})", pl.col("convention_id"), body),
        agreement_end=pl.format("Fin de l'accord-cadre {} ({})", pl.col("agreement_id"), body),
        payment=pl.format(
            "Paiement du titre {} de la convention {} ({}) : {}",
            pl.col("year"),
            pl.col("convention_id"),
            body,
            _amount(),
        ),
    )


def _what_to_do() -> pl.Expr:
    return _by_kind(
        notice=pl.format(
            "dénoncer la convention au plus tard ce jour pour en sortir à sa fin ({}) ; sinon "
            "elle continue et la cotisation suivante est due.",
            _date("end_date"),
        ),
        convention_end=pl.lit(
            "renouveler l'adhésion (nouvelle convention, délibération) ou préparer la sortie."
        ),
        agreement_end=pl.format(
            "renouveler ou remplacer l'accord-cadre « {} » (conventions : {}).",
            pl.col("agreement_title").fill_null("sans titre"),
            pl.col("convention_id"),
        ),
        payment=pl.format("régler le titre de {} au plus tard ce jour.", _amount()),
    )


def described(deadlines: pl.DataFrame) -> pl.DataFrame:
    """The deadlines with their French texts: `summary` and `description` (a calendar event),
    `what_to_do`, and `line` (one line of a reminder)."""
    central = pl.format(
        "{} ({})", pl.col("body_name").fill_null("centrale inconnue"), pl.col("body_id")
    )
    subject = (
        pl.when(pl.col("kind") == "agreement_end")
        .then(
            pl.format("Accord-cadre : {} — {}", pl.col("agreement_id"), pl.col("agreement_title"))
        )
        .otherwise(
            pl.format("Convention : {} — {}", pl.col("convention_id"), pl.col("convention_title"))
        )
    )
    amount = pl.when(pl.col("kind") == "payment").then(pl.format("\nMontant : {}", _amount()))
    return deadlines.with_columns(
        _summary().alias("summary"),
        _what_to_do().alias("what_to_do"),
        subject.alias("subject"),
        central.alias("central"),
        amount.fill_null("").alias("amount_text"),
    ).with_columns(
        pl.format(
            "{}\nCentrale d'achat : {}{}\nÉchéance : {}\nÀ faire : {}",
            pl.col("subject"),
            pl.col("central"),
            pl.col("amount_text"),
            _date("date"),
            pl.col("what_to_do"),
        ).alias("description"),
        pl.format(
            "- {} — {} — {} — {}\n  À faire : {}",
            _date("date"),
            pl.col("kind").replace_strict(KIND_LABELS),
            pl.col("subject"),
            pl.col("central"),
            pl.col("what_to_do"),
        ).alias("line"),
    )


def deadline_table(deadlines: pl.DataFrame) -> pl.DataFrame:
    """Deadlines as a table a manager reads, sorts and downloads."""
    return described(deadlines).select(
        pl.col("date").alias("deadline"),
        pl.col("kind").replace_strict(KIND_LABELS).alias("action"),
        pl.col("convention_id").alias("convention"),
        pl.col("body_id").alias("body"),
        pl.col("amount_incl_tax").alias("amount"),
        pl.col("what_to_do").alias("detail"),
    )


def runs_table(runs: pl.DataFrame) -> pl.DataFrame:
    """The last runs of the reminders, the newest first."""
    return runs.select(
        pl.col("started_at").alias("at"),
        pl.col("actor"),
        pl.col("status"),
        pl.format(
            "{} message(s), {} échéance(s) ; au {} ; {}",
            pl.col("messages"),
            pl.col("deadlines"),
            _date("reference_date"),
            pl.col("detail"),
        ).alias("detail"),
    )
