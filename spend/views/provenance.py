"""Where the figures come from, in one sentence shown under every table and chart (Markdown,
with the stored words made inert: a file name is shown, never followed)."""

import datetime as dt

import polars as pl

from spend.domain.french import PARIS
from spend.views.formatting import french_date, inert


def synthetic_warning(synthetic_writes: pl.DataFrame) -> str | None:
    """Said on every page when the database holds demonstration data."""
    if synthetic_writes.is_empty():
        return None
    return (
        f"Données synthétiques de démonstration ({inert(synthetic_writes['source'][0])}) : "
        "aucun de ces chiffres n'est celui d'une collectivité."
    )


def provenance_text(last_import: pl.DataFrame, settings: dict[str, str]) -> str:
    """From the store's last write: the initial data set, or the last change and when."""
    if last_import.is_empty():
        return "Données : base vide."
    source = last_import["source"][0]
    when = last_import["written_at"][0].replace(tzinfo=dt.UTC).astimezone(PARIS)
    if source == "seed":
        authority = settings.get("collectivity_name")
        of = f" ({inert(authority)})" if authority else ""
        return f"Données : jeu initial{of}, chargé le {french_date(when.date())}."
    return (
        f"Données : dernière modification « {inert(source)} » le {french_date(when.date())} "
        f"à {when:%H:%M}."
    )
