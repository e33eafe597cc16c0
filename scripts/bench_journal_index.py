"""The Journal page at 10⁵ entries with and without migration 0010's index, on both stores:
a demo database (its import of the demo is one operation of ~110 000 entries) read as a file,
then imported into an authority of a PostgreSQL server where the index is dropped and made
again in turn; each time the page view's queries and formatting (scripts/bench_journal.py),
first view and best of five.

    python -m spend demo --db DEMO.duckdb --conventions 100000
    python scripts/bench_journal_index.py DEMO.duckdb

`SPEND_BENCH_DATABASE_URL` names the server, else a throw-away cluster is started. One JSON
line per measure.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from psycopg import sql as pgsql  # noqa: E402

from scripts import bench_postgres  # noqa: E402
from scripts.bench_journal import page_view  # noqa: E402
from spend import store  # noqa: E402
from spend.store.journal import JournalFilter  # noqa: E402

INDEX = (ROOT / "queries" / "migrations" / "postgresql" / "0010_journal_by_write.sql").read_text(
    encoding="utf-8"
)
DROP = "drop index if exists journal_by_write"
ROUNDS = 2


def views(db: Path, repeat: int = 5) -> dict[str, float]:
    """The first view of the page (its filters' choices read) and the best of `repeat`."""
    with store.connect(db, create=False) as con:
        began = time.perf_counter()
        page_view(con, JournalFilter(), first=True)
        first = time.perf_counter() - began
        times = []
        for _ in range(repeat):
            began = time.perf_counter()
            page_view(con, JournalFilter())
            times.append(time.perf_counter() - began)
    return {"first_s": round(first, 3), "best_s": round(min(times), 3)}


def on_server(db: Path, folder: Path) -> None:
    with (
        bench_postgres.server() as url,
        bench_postgres.new_authority(url, "journal_index", folder) as (authority, _),
    ):
        os.environ.update(SPEND_DATABASE_URL=url, SPEND_AUTHORITY=authority)
        for _ in range(ROUNDS):
            for indexed in (False, True):
                with psycopg.connect(url, autocommit=True) as pg:
                    path = pgsql.SQL("set search_path to {}")
                    pg.execute(path.format(pgsql.Identifier(authority)))
                    pg.execute(DROP)
                    if indexed:
                        pg.execute(INDEX)
                    pg.execute("vacuum analyze journal")
                line = {"store": "PostgreSQL", "index": indexed} | views(db)
                print(json.dumps(line), flush=True)


def main(db: Path) -> None:
    for _ in range(ROUNDS):
        print(json.dumps({"store": "file", "index": False} | views(db)), flush=True)
    with tempfile.TemporaryDirectory(prefix="spend-journal-index-") as work:
        folder = Path(work) / "export"
        command = [sys.executable, "-m", "spend", "export", str(folder), "--db", str(db)]
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        on_server(db, folder)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
