"""What checking a kept connection once (pg_pool) saves, against checking it at each piece of
work as before: the same process, the same authority of a throw-away server (or
`SPEND_BENCH_DATABASE_URL`), each mode in turn.

    python scripts/bench_pool.py [--conventions 100000] [--moves 8] [--loans 300]

- loan: an authority's kept connection lent and given back (`postgres.connect` + close), the
  median of `--loans`;
- slider move: the Simulation page's fee slider (`sim_fee_pct`) moved to values never shown
  before (none from the cache), by AppTest against the demo of `--conventions` on the server,
  the median of `--moves`.

« each piece of work checked » puts back the former behaviour in the child process: every
kept connection is checked again before it is lent (`pg_pool.maybe_changed` always true).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import bench_postgres  # noqa: E402

MODES = {"once": "checked once per connection", "each": "each piece of work checked"}


def child(mode: str, moves: int, loans: int) -> None:
    """In a process of its own: loans, then slider moves; one JSON line."""
    from spend.store import pg_pool, postgres

    if mode == "each":
        pg_pool.maybe_changed = lambda pg: True  # type: ignore[assignment]
    url, authority = os.environ["SPEND_DATABASE_URL"], os.environ["SPEND_AUTHORITY"]
    with postgres.connect(url, authority):
        pass
    times = []
    for _ in range(loans):
        began = time.perf_counter()
        with postgres.connect(url, authority):
            pass
        times.append(time.perf_counter() - began)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    at.switch_page("pages/simulation.py").run()
    moved = []
    for value in range(2, 2 + moves):
        slider = (
            at.select_slider(key="sim_fee_pct")
            if at.select_slider
            else at.slider(key="sim_fee_pct")
        )
        began = time.perf_counter()
        slider.set_value(value).run()
        moved.append(time.perf_counter() - began)
        assert not at.exception, at.exception
    print(json.dumps({"loan": statistics.median(times), "slider": moved}))


def run(mode: str, env: dict[str, str], moves: int, loans: int) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--moves", str(moves), "--loans", str(loans)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def spend(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "spend", *args], cwd=ROOT, env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conventions", type=int, default=100_000)
    parser.add_argument("--moves", type=int, default=8)
    parser.add_argument("--loans", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", choices=MODES)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.moves, args.loans)
        return 0
    with tempfile.TemporaryDirectory(prefix="spend-bench-pool-") as folder:
        work = Path(folder)
        base = {k: v for k, v in os.environ.items() if not k.startswith("SPEND_")}
        db, export = work / "demo.duckdb", work / "export"
        spend("demo", "--db", str(db), "--conventions", str(args.conventions), env=base)
        spend("export", str(export), "--db", str(db), env=base)
        with (
            bench_postgres.server() as url,
            bench_postgres.new_authority(url, "bench_pool", export) as (authority, _),
        ):
            env = {**base, "SPEND_DATABASE_URL": url, "SPEND_AUTHORITY": authority}
            results: dict[str, list[dict]] = {mode: [] for mode in MODES}
            for _ in range(args.rounds):  # in turn, so that the machine's load is shared
                for mode in MODES:
                    results[mode].append(run(mode, env, args.moves, args.loans))
    print(f"{args.conventions} conventions, {args.rounds} rounds in turn, load {os.getloadavg()}")
    for mode, label in MODES.items():
        loans = [r["loan"] * 1000 for r in results[mode]]
        moves = [s * 1000 for r in results[mode] for s in r["slider"]]
        print(
            f"{label}: loan median {statistics.median(loans):.2f} ms; slider move median "
            f"{statistics.median(moves):.0f} ms, best {min(moves):.0f} ms ({len(moves)} moves)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
