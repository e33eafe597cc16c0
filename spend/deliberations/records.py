"""A deliberation read from its document, as records of the store to review before saving.

The reading proposes rows of `deliberations` and `budget_lines` (the credits it votes, for the
meeting's year); each is compared with what is stored (new, changed, same). The amounts it
commits and the fees it states are checks against the engine, not records: the engine computes
the fees from the conventions.
"""

from decimal import Decimal

import polars as pl

from spend.deliberations.messages import (
    BUDGET_ROW_LABEL,
    FEE_STATEMENT_LABEL,
    FIELD_LABELS,
    KEPT_FEE_LABEL,
    NOT_STATED,
    OUTCOME_TEXT,
    PERIODICITY_WORDS,
    PROPOSED_CENTRAL_LABEL,
    TAX_WORDS,
    VOTE_KIND_WORDS,
)
from spend.deliberations.model import (
    BudgetRow,
    Confidence,
    FeeStatement,
    FieldEvidence,
    StatedFee,
)
from spend.deliberations.reader import SCALAR_FIELDS, DeliberationReading
from spend.domain.records import DELIBERATION_OPEN_DATA_COLUMNS, TABLES
from spend.exchange.reading import LINE, RawTable
from spend.views.formatting import euros, french_date, inert
from spend.views.labels import COLUMN_LABELS

STATUS_NEW, STATUS_CHANGED, STATUS_SAME = "nouveau", "modifié", "identique"
MSG_NOTHING_CHANGED = (
    "Rien n'a changé : la délibération et ses lignes budgétaires sont déjà enregistrées "
    "telles quelles."
)


def proposed_deliberation(reading: DeliberationReading) -> pl.DataFrame:
    """The deliberation's row in the exchange format's types (one row, possibly with nulls)."""
    read = {
        "deliberation_id": [reading.deliberation_id],
        "date": [reading.date],
        "assembly": [reading.assembly],
        "title": [reading.title],
        "votes_for": [reading.votes_for],
        "votes_against": [reading.votes_against],
        "abstentions": [reading.abstentions],
        "outcome": [reading.outcome],
        "subject_code": [reading.subject_code],
        "subject_name": [reading.subject_name],
    }
    schema = TABLES["deliberations"].schema
    return pl.DataFrame(read, schema={name: schema[name] for name in read}).with_columns(
        _UNREAD_OPEN_DATA
    )


# The open-data columns the reading does not give (yet): unknown, so the stored values stay. The
# ACTES subject is read (sure when the text states it, else proposed from the object).
_READ_OPEN_DATA = ("subject_code", "subject_name")
_UNREAD_OPEN_DATA = [
    pl.lit(None, dtype=c.dtype).alias(c.name)
    for c in DELIBERATION_OPEN_DATA_COLUMNS
    if c.name not in _READ_OPEN_DATA
]


def proposed_budget_lines(reading: DeliberationReading) -> pl.DataFrame:
    """The credits of each budget row, for the year of the meeting."""
    year = reading.date.year if reading.date else None
    rows = [r for r in reading.budget_rows if r.credits is not None]
    return pl.DataFrame(
        {
            "operation_code": [r.operation_code for r in rows],
            "imputation": [r.imputation for r in rows],
            "label": [r.label for r in rows],
            "year": [year] * len(rows),
            "credits": [r.credits for r in rows],
            "stage": ["BP"] * len(rows),  # the credits a deliberation states: the year's BP
        },
        schema={
            "operation_code": pl.String,
            "imputation": pl.String,
            "label": pl.String,
            "year": pl.Int32,
            "credits": pl.Decimal(18, 2),
            "stage": pl.String,
        },
    )


def compare_with_stored(proposed: pl.DataFrame, stored: pl.DataFrame, table: str) -> pl.DataFrame:
    """Each proposed row, its status against the stored row of the same key, what differs."""
    key = list(TABLES[table].key)
    others = [c for c in proposed.columns if c not in key]
    text = {c: pl.col(c).cast(pl.String) for c in others}
    joined = proposed.with_columns(**{f"{c}__new": e for c, e in text.items()}).join(
        stored.select(
            *key, *[pl.col(c).cast(pl.String).alias(f"{c}__old") for c in others]
        ).with_columns(pl.lit(True).alias("__stored")),
        on=key,
        how="left",
        nulls_equal=True,
    )
    differs = [
        pl.when(pl.col(f"{c}__new").ne_missing(pl.col(f"{c}__old"))).then(
            pl.format(
                "{} : « {} » → « {} »",
                pl.lit(COLUMN_LABELS.get(c, c)),
                pl.col(f"{c}__old").fill_null("—"),
                pl.col(f"{c}__new").fill_null("—"),
            )
        )
        for c in others
    ]
    changes = pl.concat_list(differs).list.drop_nulls()
    return joined.with_columns(changes.alias("__changes")).select(
        pl.when(pl.col("__stored").is_null())
        .then(pl.lit(STATUS_NEW))
        .when(pl.col("__changes").list.len() > 0)
        .then(pl.lit(STATUS_CHANGED))
        .otherwise(pl.lit(STATUS_SAME))
        .alias("status"),
        *proposed.columns,
        pl.col("__changes").list.join(" ; ").alias("changes"),
    )


def changed_rows(raw: RawTable, typed: pl.DataFrame, stored: pl.DataFrame) -> RawTable:
    """A reviewed proposal cut to its rows that are new or differ from the stored row of their
    key: a row stored as it is is not written again, nor counted as saved. `typed` is the
    proposal with its types (`exchange.validation.type_rows`), `stored` the stored table."""
    name = raw.table.name
    key = list(TABLES[name].key)
    status = compare_with_stored(typed.drop(LINE), stored, name)
    changed = status.filter(pl.col("status") != STATUS_SAME).select(key)
    lines = typed.join(changed, on=key, how="semi", nulls_equal=True)[LINE]
    return RawTable(raw.table, raw.file, raw.rows.filter(pl.col(LINE).is_in(lines.implode())))


def commitment_checks(reading: DeliberationReading, balance: pl.DataFrame) -> pl.DataFrame:
    """The amount each budget row commits, beside what the engine computes for line and year."""
    year = reading.date.year if reading.date else None
    stated = pl.DataFrame(
        {
            "operation_code": [r.operation_code for r in reading.budget_rows],
            "imputation": [r.imputation for r in reading.budget_rows],
            "year": [year] * len(reading.budget_rows),
            "stated_amount": [r.amount for r in reading.budget_rows],
        },
        schema={
            "operation_code": pl.String,
            "imputation": pl.String,
            "year": pl.Int32,
            "stated_amount": pl.Decimal(18, 2),
        },
    )
    computed = balance.select(
        "operation_code", "imputation", pl.col("year").cast(pl.Int32), "committed"
    )
    return stated.join(
        computed, on=["operation_code", "imputation", "year"], how="left", nulls_equal=True
    ).with_columns(
        pl.col("committed").fill_null(Decimal("0.00")).cast(pl.Decimal(18, 2)),
        (pl.col("stated_amount") == pl.col("committed").fill_null(Decimal("0.00"))).alias("agrees"),
    )


OPTIONAL_FIELDS = ("vote_kind", "not_voting")


def reading_summary(reading: DeliberationReading) -> str:
    """The reading in French, for a terminal: what was found, what to check, the warnings."""

    def shown(value: object) -> str:
        return NOT_STATED if value is None else str(value)

    lines = [
        f"Délibération n° {shown(reading.deliberation_id)} du {french_date(reading.date)}",
        f"Collectivité : {shown(reading.authority)}",
        f"Assemblée : {shown(reading.assembly)}",
        f"Objet : {shown(reading.title)}",
        f"Votes : pour {shown(reading.votes_for)}, contre {shown(reading.votes_against)}, "
        f"abstentions {shown(reading.abstentions)} — "
        + OUTCOME_TEXT.get(reading.outcome or "", "résultat inconnu")
        + (f" {VOTE_KIND_WORDS[reading.vote_kind]}" if reading.vote_kind else ""),
    ]
    if reading.not_voting is not None:
        lines.append(f"Ne prennent pas part au vote : {reading.not_voting}")
    lines.extend(f"Budget : {_budget_row_text(row)}" for row in reading.budget_rows)
    lines.extend(f"Montant cité : {_statement_text(fee)}" for fee in reading.fee_statements)
    for fee in reading.fees:
        lines.append(f"Cotisation : {fee.body} {euros(fee.amount)} {fee.tax}")
    review = reading_review(reading)
    for confidence, word in ((Confidence.CHECK, "À vérifier"), (Confidence.MISSING, "Introuvable")):
        fields = review.filter(pl.col("confidence") == confidence.value)["field"].to_list()
        if fields:
            lines.append(f"{word} : " + ", ".join(fields))
    lines.extend(f"Attention : {warning}" for warning in reading.warnings)
    return "\n".join(lines)


def reading_review(reading: DeliberationReading) -> pl.DataFrame:
    """One row per field of the reading, for a manager to check before saving: the field's
    French name, its value as shown, the line of the text it was read from, and the
    confidence (« sûr », « à vérifier », « introuvable »). Values and lines are plain text."""
    evidence = {item.field: item for item in reading.evidence}
    rows = [
        (FIELD_LABELS[f], _field_text(reading, f), evidence.get(f))
        for f in SCALAR_FIELDS
        # How the vote was taken and who stood aside are shown when the text says so.
        if f not in OPTIONAL_FIELDS or _confidence(evidence.get(f)) is not Confidence.MISSING
    ]
    rows += [
        (BUDGET_ROW_LABEL.format(n=i + 1), _budget_row_text(row), evidence.get(f"budget_rows.{i}"))
        for i, row in enumerate(reading.budget_rows)
    ]
    rows += [
        (
            FEE_STATEMENT_LABEL.format(n=i + 1),
            _statement_text(fee),
            evidence.get(f"fee_statements.{i}"),
        )
        for i, fee in enumerate(reading.fee_statements)
    ]
    rows += [
        (KEPT_FEE_LABEL.format(body=fee.body), _kept_fee_text(fee), evidence.get(f"fees.{i}"))
        for i, fee in enumerate(reading.fees)
    ]
    rows += [
        (PROPOSED_CENTRAL_LABEL.format(n=i + 1), name, evidence.get(f"proposed_centrals.{i}"))
        for i, name in enumerate(reading.proposed_centrals)
    ]
    return pl.DataFrame(
        {
            "field": [label for label, _, _ in rows],
            "value": [value for _, value, _ in rows],
            "evidence": [_evidence_text(found) for _, _, found in rows],
            "confidence": [_confidence(found).value for _, _, found in rows],
        },
        schema={
            "field": pl.String,
            "value": pl.String,
            "evidence": pl.String,
            "confidence": pl.String,
        },
    )


def _field_text(reading: DeliberationReading, field: str) -> str:
    value = getattr(reading, field)
    if value is None:
        return NOT_STATED
    if field == "date":
        return french_date(value)
    if field == "outcome":
        return OUTCOME_TEXT[value]
    if field == "vote_kind":
        return VOTE_KIND_WORDS[value]
    if field == "subject_code":
        return f"{value} {reading.subject_name}"
    return str(value)


def _budget_row_text(row: BudgetRow) -> str:
    text = (
        f"{row.operation_code or NOT_STATED} / {row.imputation} {row.label or ''} — "
        f"crédits {euros(row.credits)}, dépense {euros(row.amount)}"
    )
    if row.ae_credits is not None or row.ae_amount is not None:
        text += f" ; AE {euros(row.ae_credits)}, affectation {euros(row.ae_amount)}"
    return text


def _statement_text(fee: FeeStatement) -> str:
    tax = TAX_WORDS[fee.tax] if fee.tax else "sans base fiscale"
    period = PERIODICITY_WORDS[fee.periodicity] if fee.periodicity else "périodicité non précisée"
    changed = ", nouveau montant" if fee.changed else ""
    return f"{fee.body or 'organisme non identifié'} : {euros(fee.amount)} {tax}, {period}{changed}"


def _kept_fee_text(fee: StatedFee) -> str:
    return f"{euros(fee.amount)} {TAX_WORDS[fee.tax]} par an"


def _evidence_text(found: FieldEvidence | None) -> str:
    return found.evidence.line if found is not None and found.evidence is not None else NOT_STATED


def _confidence(found: FieldEvidence | None) -> Confidence:
    return found.confidence if found is not None else Confidence.MISSING


def fee_checks(reading: DeliberationReading, conventions: pl.DataFrame) -> pl.DataFrame:
    """Each fee the document states beside the fee of the stored conventions it approves."""
    stated = pl.DataFrame(
        {
            "body_id": [fee.body.upper() for fee in reading.fees],
            "stated_fee": [fee.amount for fee in reading.fees],
            "stated_tax": [fee.tax for fee in reading.fees],
        },
        schema={"body_id": pl.String, "stated_fee": pl.Decimal(18, 2), "stated_tax": pl.String},
    )
    recorded = conventions.filter(
        pl.col("deliberation_id").eq_missing(reading.deliberation_id)
    ).select(
        pl.col("body_id").str.to_uppercase(),
        "convention_id",
        pl.col("annual_fee").alias("recorded_fee"),
        pl.col("tax").alias("recorded_tax"),
    )
    return stated.join(recorded, on="body_id", how="left").with_columns(
        (
            (pl.col("stated_fee") == pl.col("recorded_fee"))
            & (pl.col("stated_tax") == pl.col("recorded_tax"))
        )
        .fill_null(False)
        .alias("agrees")
    )


def with_stored_wording(proposed: pl.DataFrame, stored: pl.DataFrame, table: str) -> pl.DataFrame:
    """The proposal, keeping the stored wording of a row already recorded: its title, assembly
    or label as the manager wrote them are not replaced by the document's (often an ALL-CAPS
    heading, or the same words in another case). Figures, dates and votes are proposed from the
    document; the review table shows what the text says."""
    key = list(TABLES[table].key)
    texts = [c for c, dtype in proposed.schema.items() if dtype == pl.String and c not in key]
    # A value the document does not state (members in office, receipt…) keeps the stored one.
    unread = [c.name for c in DELIBERATION_OPEN_DATA_COLUMNS if c.name in proposed.columns]
    unread = [c for c in unread if c not in texts and c in stored.columns]
    if not texts + unread or stored.is_empty():
        return proposed
    old = stored.select(*key, *[pl.col(c).alias(f"{c}__stored") for c in texts + unread])
    return (
        proposed.join(old, on=key, how="left", nulls_equal=True)
        .with_columns(pl.coalesce(f"{c}__stored", c).alias(c) for c in texts)
        .with_columns(
            pl.coalesce(c, pl.col(f"{c}__stored").cast(proposed[c].dtype)).alias(c) for c in unread
        )
        .select(proposed.columns)
    )


WARNINGS_SHOWN = 8


def warnings_text(warnings: tuple[str, ...]) -> str:
    """The reading's warnings in one message: the first ones, and how many more."""
    shown = "\n".join(f"- {inert(w)}" for w in warnings[:WARNINGS_SHOWN])
    more = len(warnings) - WARNINGS_SHOWN
    tail = f"\n- … et {more} autre(s)" if more > 0 else ""
    return f"{len(warnings)} point(s) à vérifier dans la lecture :\n{shown}{tail}"
