"""Alerts: missing credits, deadlines in the coming months, unknown fees and assumptions."""

import datetime as dt

import duckdb
import polars as pl

from spend.domain.conventions import convention_table
from spend.domain.figures import compute
from spend.store import load_inputs
from spend.views.alerts import CRITICAL, INFO, WARNING, all_alerts


def alerts_on(con: duckdb.DuckDBPyConnection, today: dt.date) -> pl.DataFrame:
    inputs = load_inputs(con)
    figures = compute(inputs)
    return all_alerts(figures.balance, convention_table(inputs), figures.titles, today)


def test_2023_commitments_without_credits_are_critical(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    alerts = alerts_on(seeded_db, dt.date(2026, 11, 28))
    critical = alerts.filter(pl.col("level") == CRITICAL)
    assert critical["message"].to_list() == [
        "C06-020M02 / 6281/930202 : 2\u202f508,33\u00a0€ engagés en 2023 sans aucun crédit "
        "saisi pour cet exercice."
    ]
    assert alerts["level"].to_list()[0] == CRITICAL  # the most serious first


def test_deadlines_depend_on_the_reference_date(seeded_db: duckdb.DuckDBPyConnection) -> None:
    early_2023 = alerts_on(seeded_db, dt.date(2023, 2, 1)).filter(pl.col("level") == WARNING)
    messages = " ".join(early_2023["message"])
    assert (
        "L'accord-cadre « Prestations et fournitures de services de sécurité opérés à 360° » "
        "(CAIH) prend fin le 16/07/2023 (convention : CAIH-SO360-CD62)" in messages
    )
    assert "au plus tard le 16/04/2023" in messages  # 3 months' notice
    assert "RESAH" not in messages  # ends 27/08/2024, beyond 6 months
    later = alerts_on(seeded_db, dt.date(2026, 11, 28)).filter(pl.col("level") == WARNING)
    assert "prend fin" not in " ".join(later["message"])


def test_unknowns_and_assumptions_are_listed(seeded_db: duckdb.DuckDBPyConnection) -> None:
    info = alerts_on(seeded_db, dt.date(2026, 11, 28)).filter(pl.col("level") == INFO)
    messages = info["message"].to_list()
    assert sum("supposée commencer le 13/12/2022" in m for m in messages) == 2
    assert sum("incomplète, non chiffrée" in m for m in messages) == 4


def test_payments_due_within_30_days(seeded_db: duckdb.DuckDBPyConnection) -> None:
    messages = " ".join(alerts_on(seeded_db, dt.date(2023, 1, 25))["message"])
    assert (
        "Paiement : titre CAIH-SO360-CD62 2023 de 1\u202f800,00\u00a0€ TTC à régler au plus "
        "tard le 20/02/2023." in messages
    )
    assert "Paiement" not in " ".join(alerts_on(seeded_db, dt.date(2023, 3, 1))["message"])


def test_a_convention_ending_before_its_agreement_is_flagged(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    inputs = load_inputs(seeded_db)
    conventions = inputs.conventions.with_columns(
        pl.when(pl.col("convention_id") == "RESAH-2020-027-L1-CD62")
        .then(pl.date(2024, 3, 31))
        .otherwise(pl.col("end_date"))
        .alias("end_date")
    )
    inputs = inputs.with_changes(conventions=conventions)
    figures = compute(inputs)
    alerts = all_alerts(
        figures.balance, convention_table(inputs), figures.titles, dt.date(2024, 1, 2)
    )
    messages = alerts.filter(pl.col("level") == WARNING)["message"].to_list()
    assert (
        "La convention RESAH-2020-027-L1-CD62 (RESAH) prend fin le 31/03/2024, "
        "avant son accord-cadre." in messages
    )
    assert not any("L'accord-cadre" in m for m in messages)  # the agreement ends 27/08/2024
