"""The PostgreSQL store against the DuckDB file, side by side on one throw-away cluster
(Debian's PostgreSQL 15, as root: the server runs as `postgres`, see tests/store/postgres).

    python scripts/bench_postgres.py                 # 10⁴ and 10⁵ conventions
    python scripts/bench_postgres.py --sizes 1000    # quicker

Per size: `python -m spend import DIR` of an exported demo into a new file and into a new
authority; the engine's inputs read (`load_inputs`, Arrow on the server) and `compute`, best of
three; and `balance`, `totals` and `fees` compared to the cent. Ratios matter on a shared
machine, not seconds.

`make bench` uses `server()` and `new_authority()` for its PostgreSQL rows: the server named by
`SPEND_BENCH_DATABASE_URL` when set (its authorities made for the run are dropped after it),
else a throw-away cluster.
"""

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
from psycopg import sql as pgsql

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from spend import store  # noqa: E402
from spend.domain.figures import compute  # noqa: E402
from tests.store.postgres import cluster  # noqa: E402


def spend(*args: str, **env: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "spend", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"spend {' '.join(args)} : {done.stderr.strip()[-500:]}")
    return time.perf_counter() - started, done.stdout


@contextlib.contextmanager
def server() -> Iterator[str]:
    """A database URL for the run: `SPEND_BENCH_DATABASE_URL`, else a database of a throw-away
    cluster (stopped and deleted after). RuntimeError saying why when neither is possible."""
    given = os.environ.get("SPEND_BENCH_DATABASE_URL", "").strip()
    if given:
        yield given
        return
    why = cluster.missing()
    if why:
        raise RuntimeError(why)
    started = cluster.start()
    try:
        yield started.create_database("bench")
    finally:
        started.stop()


@contextlib.contextmanager
def new_authority(url: str, name: str, folder: Path | None) -> Iterator[tuple[str, float]]:
    """An authority made for the run: the seed (`folder` None) or an export imported into an
    empty one; its name (unique on the server) and the import's seconds. Dropped after."""
    authority = f"{name}_{os.getpid()}_{int(time.time())}"
    try:
        if folder is None:
            seconds, _ = spend("init", "--authority", authority, SPEND_DATABASE_URL=url)
        else:
            spend("init", "--empty", "--authority", authority, SPEND_DATABASE_URL=url)
            seconds, _ = spend(
                "import", str(folder), "--authority", authority, SPEND_DATABASE_URL=url
            )
        yield authority, seconds
    finally:
        with contextlib.suppress(psycopg.Error), psycopg.connect(url, autocommit=True) as pg:
            pg.execute(
                pgsql.SQL("drop schema if exists {} cascade").format(pgsql.Identifier(authority))
            )


def best_read(db: Path, url: str | None, authority: str) -> tuple[float, float]:
    """Best of three: the engine's inputs read, then computed."""
    if url:
        os.environ.update(SPEND_DATABASE_URL=url, SPEND_AUTHORITY=authority)
    else:
        os.environ.pop("SPEND_DATABASE_URL", None)
    reads, computes = [], []
    try:
        for _ in range(3):
            with store.connect(db, create=False) as con:
                started = time.perf_counter()
                inputs = store.load_inputs(con)
                reads.append(time.perf_counter() - started)
            started = time.perf_counter()
            compute(inputs)
            computes.append(time.perf_counter() - started)
    finally:
        os.environ.pop("SPEND_DATABASE_URL", None)
    return min(reads), min(computes)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    why = cluster.missing()
    if why:
        raise SystemExit(why)
    server = cluster.start()
    rows = ["| conventions | measure | DuckDB file | PostgreSQL | ratio |", "|---|---|---|---|---|"]
    try:
        url = server.create_database("bench")
        with tempfile.TemporaryDirectory() as work:
            for size in args.sizes:
                demo, file = Path(work) / f"demo{size}.duckdb", Path(work) / f"file{size}.duckdb"
                folder = Path(work) / f"export{size}"
                spend("demo", "--db", str(demo), "--conventions", str(size))
                spend("export", str(folder), "--db", str(demo))
                authority = f"bench_{size}"
                spend("init", "--empty", "--authority", authority, SPEND_DATABASE_URL=url)
                on_file, _ = spend("import", str(folder), "--db", str(file))
                on_server, _ = spend(
                    "import", str(folder), "--authority", authority, SPEND_DATABASE_URL=url
                )
                rows.append(_row(size, "import (command)", on_file, on_server))
                read_file, compute_file = best_read(file, None, authority)
                read_server, compute_server = best_read(file, url, authority)
                rows.append(_row(size, "engine inputs read", read_file, read_server))
                rows.append(_row(size, "compute", compute_file, compute_server))
                for command in ("balance", "totals", "fees"):
                    _, a = spend(command, "--db", str(file))
                    _, b = spend(command, "--authority", authority, SPEND_DATABASE_URL=url)
                    if a != b:
                        raise SystemExit(f"{command} differs at {size} conventions")
                rows.append(f"| {size:,} | balance, totals, fees | = | = | to the cent |")
                print(*rows[-4:], sep="\n", flush=True)
    finally:
        server.stop()
    print("\n".join(["", *rows]))
    return 0


def _row(size: int, what: str, file: float, server: float) -> str:
    return f"| {size:,} | {what} | {file:.2f} s | {server:.2f} s | ×{server / file:.1f} |"


if __name__ == "__main__":
    raise SystemExit(main())
