"""The Journal page at 10⁶ entries: a journal generated in SQL (scripts/bench_journal.sql) after
the seed's, then each page view's queries and formatting timed as the page runs them (the
authors offered, a page of operations, the newest operation's rows in French), once per filter.

    python scripts/bench_journal.py [ENTRIES]    # 10⁶ by default; prints JSON lines
"""

import datetime as dt
import functools
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from spend import store  # noqa: E402
from spend.exchange.seed import open_database  # noqa: E402
from spend.store.journal import (  # noqa: E402
    JournalFilter,
    journal_choices,
    operation_rows,
    operations,
)
from spend.views.journal import change_lines, operation_lines  # noqa: E402

GENERATOR = ROOT / "scripts" / "bench_journal.sql"
OPERATIONS_PER_PAGE, ROWS_PER_PAGE = 50, 100  # as spend/ui/journal.py
FILTERS = {
    "no filter": JournalFilter(),
    "person": JournalFilter(actor="agent3@exemple.fr"),
    "kind and table": JournalFilter(action="modification", table="budget_lines"),
    "date range": JournalFilter(since=dt.datetime(2025, 1, 1, 12), until=dt.datetime(2025, 1, 2)),
    "text in keys": JournalFilter(text="conv-00042"),
}


def generate(db: Path, entries: int) -> float:
    """A seeded database whose journal gets `entries` more entries; seconds to generate them."""
    con = open_database(db)  # the seed
    try:
        began = time.perf_counter()
        cursor = con.cursor()
        cursor.execute(GENERATOR.read_text(encoding="utf-8"), {"entries": entries})
        cursor.close()
        return time.perf_counter() - began
    finally:
        con.close()


def page_view(con: duckdb.DuckDBPyConnection, wanted: JournalFilter, first: bool = False) -> int:
    """What one view of the Journal page reads and formats; the operations that match. The
    authors offered are read at the first view only: the page keeps them per version of the
    base."""
    if first:
        journal_choices(con)
    found = operations(con, wanted, 0, OPERATIONS_PER_PAGE)
    operation_lines(found.rows)
    if found.rows.height:
        newest = int(found.rows["write_id"][0])
        rows = operation_rows(con, newest, wanted, 0, ROWS_PER_PAGE)
        change_lines(rows.rows, {})
    return found.total


def timed(view: Callable[[], int]) -> tuple[float, int]:
    began = time.perf_counter()
    total = view()
    return time.perf_counter() - began, total


def measure(entries: int, repeat: int = 3) -> list[dict]:
    """One line per filter: the first (cold) view and the best of `repeat`, in seconds."""
    with tempfile.TemporaryDirectory(prefix="spend-journal-") as folder:
        db = Path(folder) / "journal.duckdb"
        lines: list[dict] = [
            {"measure": "generated", "entries": entries, "seconds": generate(db, entries)}
        ]
        con = store.connect(db)
        try:
            for name, wanted in FILTERS.items():
                first, total = timed(functools.partial(page_view, con, wanted, first=True))
                again = functools.partial(page_view, con, wanted)
                best = min(timed(again)[0] for _ in range(repeat))
                line = {"measure": name, "entries": entries, "first": first, "best": best}
                lines.append(line | {"operations": total})
        finally:
            con.close()
    return lines


if __name__ == "__main__":
    for line in measure(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000):
        print(json.dumps(line), flush=True)
