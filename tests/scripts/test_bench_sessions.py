"""The 50-session benchmark's client really drives the dashboard: against one replica on the
seed, three scripted websocket clients open the Simulation page, move its fee slider twice
all at once (each to values of its own), and each sees the scenario's figures change."""

import asyncio
import os
from pathlib import Path

import pytest

from scripts import bench_sessions
from tests.conftest import run_cli

pytestmark = pytest.mark.slow


def test_three_clients_move_the_slider_and_see_the_figures_change(tmp_path: Path) -> None:
    db = tmp_path / "seed.duckdb"
    assert run_cli("init", "--db", str(db)).returncode == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPEND_")}
    replica = bench_sessions.start_replica(env | {"SPEND_DB": str(db)}, tmp_path / "replica.log")
    try:
        result = asyncio.run(bench_sessions.measure([replica], 3))
    finally:
        replica.stop()
    assert result["errors"] == []
    assert result["moves"] == 6 and result["changed"] == 6
    # 2 800,00 € of fees in 2022 against 3 000,00 € of credits; client n ends at 2n+2 % more.
    expected = [("2 856,00 €", "144,00 €"), ("2 912,00 €", "88,00 €"), ("2 968,00 €", "32,00 €")]
    for client, (committed, balance) in zip(result["per_client"], expected, strict=True):
        assert len(client["seconds"]) == 2 and all(s > 0 for s in client["seconds"])
        assert "Engagé enregistré: 2 800,00 €" in client["cards"], client["cards"]
        assert f"Engagé scénario: {committed}" in client["cards"], client["cards"]
        assert f"Solde scénario: {balance}" in client["cards"], client["cards"]
    assert result["p95_s"] >= result["p50_s"] > 0
    assert result["after_rss_mib"][0] > result["idle_rss_mib"][0] > 0
