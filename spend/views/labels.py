"""Every French word the user reads for a column or a code, gathered in one place."""

import polars as pl

from spend.domain.records import TABLES

COLUMN_LABELS: dict[str, str] = {
    # Columns of the exchange format take their French header.
    **{c.name: c.french for t in TABLES.values() for c in t.columns},
    # Computed columns.
    "body_name": "Centrale d'achat",
    "agreement_title": "Accord-cadre",
    "convention_title": "Convention",
    "year": "Exercice",
    "title_no": "N° de titre",
    "period_start": "Début de période",
    "period_end": "Fin de période",
    "months": "Mois facturés",
    "amount_excl_tax": "Montant HT",
    "vat": "TVA",
    "amount_incl_tax": "Montant TTC",
    "issue_date": "Date d'émission",
    "due_date": "Échéance de paiement",
    "priced": "Montant connu",
    "unpriced": "Titres sans montant",
    "credits": "Crédits",
    "committed_fees": "Engagé (cotisations)",
    "committed_other": "Engagé (autres)",
    "committed": "Engagé",
    "balance": "Solde",
    "share_consumed": "Part consommée (%)",
    "has_credits": "Crédits votés",
    "effective_end_date": "Fin effective",
    "notice_deadline": "Date limite de préavis",
    "annual_fee_text": "Cotisation annuelle",
    "tax_label": "Base",
    "status_label": "Statut enregistré",
    "level": "Niveau",
    "alert_kind": "Type d'alerte",
    # The journal.
    "id": "N°",
    "at": "Quand (UTC)",
    "actor": "Qui",
    "action": "Quoi",
    "table": "Table",
    "key": "Clé",
    "before": "Avant",
    "after": "Après",
    # Backups of the database.
    "taken_at": "Date",
    "reason": "Raison",
    "size_kb": "Taille (Ko)",
    "file": "Fichier",
    # A deliberation's reading, field by field, to review.
    "field": "Champ",
    "value": "Valeur",
    "evidence": "Ligne du texte",
    "confidence": "Confiance",
    # Short headers of page tables, so that the columns that matter fit a laptop's screen.
    "convention": "Convention",
    "body": "Centrale",
    "start": "Début",
    "end": "Fin",
    "notice": "Préavis au plus tard",
    "fee": "Cotisation",
    "title_number": "N° de titre",
    "deadline": "Échéance",
    "planned": "Prévu (hors engagé)",
    "situation": "Situation",
    "message": "Alerte",
    "credits_baseline": "Crédits (enregistré)",
    "committed_baseline": "Engagé (enregistré)",
    "balance_baseline": "Solde (enregistré)",
    "credits_scenario": "Crédits (scénario)",
    "committed_scenario": "Engagé (scénario)",
    "balance_scenario": "Solde (scénario)",
    "delta_committed": "Écart engagé",
    "delta_balance": "Écart solde",
    "line": "Ligne budgétaire",
    "component": "Composante",
    "source": "Origine",
    "detail": "Détail",
    "amount": "Montant",
    "status": "État",
    "changes": "Différences avec l'enregistré",
    "stated_amount": "Montant de la délibération",
    "agrees": "Concordant",
    "stated_fee": "Cotisation de la délibération",
    "stated_tax": "Base (délibération)",
    "recorded_fee": "Cotisation enregistrée",
    "recorded_tax": "Base enregistrée",
    "_line": "Ligne",
}

# The French word of each code, as the records define them (one home: domain/records.py).
TAX_LABELS = TABLES["fee_grid"].column("tax").labels
BILLING_RULE_LABELS = TABLES["fee_grid"].column("billing_rule").labels
CONVENTION_STATUS_LABELS = TABLES["conventions"].column("status").labels
COMMITMENT_STATUS_LABELS = TABLES["commitments"].column("status").labels
# Where a convention stands on the reference date, from its dates.
SITUATION_LABELS = {
    "upcoming": "à venir",
    "in_force": "en vigueur",
    "expired": "échue",
    "unknown": "dates inconnues",
}


def labels_for(columns: list[str]) -> dict[str, str]:
    return {c: COLUMN_LABELS.get(c, c) for c in columns}


def with_french_headers(frame: pl.DataFrame, rows: int = 50) -> pl.DataFrame:
    """The first rows of a frame under the French headers (a file's preview before import)."""
    return frame.head(rows).rename(labels_for(frame.columns))
