"""The 50-session benchmark's client really drives the dashboard: against one replica on the
seed, three scripted websocket clients open the Simulation page, move its fee slider twice
(0 → 10 → 11 %) all at once, and each sees the scenario's figures of the deliberation change."""

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
    for client in result["per_client"]:
        assert len(client["seconds"]) == 2 and all(s > 0 for s in client["seconds"])
        # 2 800,00 € of fees in 2022, 11 % more; the credits stay 3 000,00 €.
        assert "Engagé scénario: 3 108,00 €" in client["cards"], client["cards"]
        assert "Solde enregistré: 200,00 €" in client["cards"], client["cards"]
        assert "Solde scénario: −108,00 €" in client["cards"], client["cards"]
    assert result["p95_s"] >= result["p50_s"] > 0
    assert result["after_rss_mib"][0] > result["idle_rss_mib"][0] > 0
