"""One measurement of `make bench`, in a process of its own so that its peak memory is its own.

    python scripts/bench_child.py inputs DB DIR           engine inputs from DuckDB → Parquet
    python scripts/bench_child.py engine DIR OUT REPEAT   compute(inputs): titles → totals → balance
    python scripts/bench_child.py sql DB OUT REPEAT       the same from scripts/bench_floor.sql
    python scripts/bench_child.py naive DIR OUT           the same, row by row in plain Python
    python scripts/bench_child.py compare OUT OTHER NAME  OTHER's results against the engine's OUT
    python scripts/bench_child.py pages DB REPEAT         every page through AppTest, a slider move
    python scripts/bench_child.py store_inputs DB REPEAT  inputs through the store as configured
                                                          (SPEND_DATABASE_URL: PostgreSQL)

Each prints one JSON object per line on stdout (the pages print one per measurement, so that a
run stopped by its time limit still reports what it did); results go to OUT as Parquet files
for the parent to compare. Peak memory is this process's own (see `peak_rss_mib`).
"""

import contextlib
import dataclasses
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.agreement import differences  # noqa: E402
from scripts.naive_peer import as_frames, naive_rows  # noqa: E402
from scripts.sql_floor import floor_figures  # noqa: E402
from spend import store  # noqa: E402
from spend.domain.fees import EngineInputs  # noqa: E402
from spend.domain.figures import compute  # noqa: E402

RESULTS = ("titles", "totals", "balance")
VAT_FILE = "vat_rate.txt"
# Pages in the order of the sidebar; any other file of pages/ is measured after them.
PAGE_ORDER = ("overview", "conventions", "fees", "budget", "simulation", "data")
SLIDER_KEY = "sim_fee_pct"
APP_TIMEOUT_S = 600


def peak_rss_mib() -> float:
    """This process's own peak resident memory so far, in MiB.

    Linux's VmHWM, the high-water mark of this address space. `ru_maxrss` would be the same
    but for a floor: Linux carries into it the RSS of the parent at the fork (the benchmark's
    parent holds the results it compares), so it is only the fallback.
    """
    with contextlib.suppress(OSError), open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(**values: object) -> None:
    print(json.dumps(values), flush=True)


def timed(
    function: Callable[[], object], repeat: int, peaks: list[float] | None = None
) -> tuple[list[float], object]:
    """Seconds of each run (and, in `peaks`, the peak memory after each), the last result."""
    seconds, result = [], None
    for _ in range(repeat):
        result = None  # the previous result is let go before the next run
        began = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - began)
        if peaks is not None:
            peaks.append(peak_rss_mib())
    return seconds, result


def write_inputs(db: Path, folder: Path) -> dict[str, object]:
    """The engine's inputs as the store gives them (read-only), kept as Parquet files."""
    began = time.perf_counter()
    con = duckdb.connect(str(db), read_only=True)
    try:
        inputs = store.load_inputs(con)
    finally:
        con.close()
    seconds = time.perf_counter() - began
    folder.mkdir(parents=True, exist_ok=True)
    for field in dataclasses.fields(EngineInputs):
        frame = getattr(inputs, field.name)
        if isinstance(frame, pl.DataFrame):
            frame.write_parquet(folder / f"{field.name}.parquet")
    (folder / VAT_FILE).write_text(str(inputs.vat_rate), encoding="utf-8")
    return {"seconds": seconds, "peak_rss_mib": peak_rss_mib(),
            "conventions": inputs.conventions.height}  # fmt: skip


def store_inputs(db: Path, repeat: int) -> dict[str, object]:
    """The engine's inputs read through the store as the dashboard reads them (the PostgreSQL
    server when SPEND_DATABASE_URL is set, else the file), a new session each time."""

    def read() -> EngineInputs:
        with store.session(db) as con:
            return store.load_inputs(con)

    seconds, inputs = timed(read, repeat)
    assert isinstance(inputs, EngineInputs)
    return {"seconds": seconds, "peak_rss_mib": peak_rss_mib(),
            "conventions": inputs.conventions.height}  # fmt: skip  # as write_inputs's


def read_inputs(folder: Path) -> EngineInputs:
    frames = {
        field.name: pl.read_parquet(folder / f"{field.name}.parquet")
        for field in dataclasses.fields(EngineInputs)
        if (folder / f"{field.name}.parquet").exists()
    }
    vat_rate = Decimal((folder / VAT_FILE).read_text(encoding="utf-8"))
    return EngineInputs(**frames, vat_rate=vat_rate)


def write_results(figures: object, out: Path) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    rows = {}
    for name in RESULTS:
        frame: pl.DataFrame = getattr(figures, name)
        frame.write_parquet(out / f"{name}.parquet")
        rows[name] = frame.height
    return rows


@dataclasses.dataclass(frozen=True)
class Results:
    titles: pl.DataFrame
    totals: pl.DataFrame
    balance: pl.DataFrame


def read_results(out: Path) -> Results:
    return Results(*(pl.read_parquet(out / f"{name}.parquet") for name in RESULTS))


def engine(folder: Path, out: Path, repeat: int) -> dict[str, object]:
    """The pipeline's peak is that of its first run in this fresh process; later runs reuse
    (and fragment) what the allocator kept, and are reported apart."""
    inputs = read_inputs(folder)
    before, peaks = peak_rss_mib(), []
    seconds, figures = timed(lambda: compute(inputs), repeat, peaks)
    return {"seconds": seconds, "peak_rss_mib": peaks[0], "last_peak_rss_mib": peaks[-1],
            "inputs_rss_mib": before, "rows": write_results(figures, out)}  # fmt: skip


def sql(db: Path, out: Path, repeat: int) -> dict[str, object]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("set enable_progress_bar = false")
        seconds, figures = timed(lambda: floor_figures(con), repeat)
        peak = peak_rss_mib()
    finally:
        con.close()
    return {"seconds": seconds, "peak_rss_mib": peak, "rows": write_results(figures, out)}


def naive(folder: Path, out: Path) -> dict[str, object]:
    """Timed: the rows in plain Python; not timed: making frames of them to compare."""
    inputs = read_inputs(folder)
    seconds, rows = timed(lambda: naive_rows(inputs), 1)
    peak = peak_rss_mib()
    return {"seconds": seconds, "peak_rss_mib": peak,
            "rows": write_results(as_frames(rows), out)}  # fmt: skip


def page_files() -> list[str]:
    found = {p.stem for p in (ROOT / "pages").glob("*.py")}
    ordered = [p for p in PAGE_ORDER if p in found] + sorted(found - set(PAGE_ORDER))
    return [f"pages/{name}.py" for name in ordered]


def pages(db: Path, repeat: int) -> None:
    """The app's first run (caches cold), then each page, then the slider: one line each."""
    os.environ["SPEND_DB"] = str(db)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT_S)
    began = time.perf_counter()
    at.run()
    report(kind="first_run", seconds=time.perf_counter() - began, error=_error(at))
    for _ in range(repeat):
        for page in page_files():
            began = time.perf_counter()
            at.switch_page(page).run()
            report(kind="page", page=page, seconds=time.perf_counter() - began, error=_error(at))
    at.switch_page("pages/simulation.py").run()
    if _slider(at) is None:  # reported as « n/a »: the page has no such widget (yet)
        report(kind="slider", seconds=None, error=None)
    else:
        for value in (10, 11)[:repeat]:  # two different moves: neither is in the cache
            began = time.perf_counter()
            _slider(at).set_value(value).run()  # type: ignore[union-attr]
            seconds = time.perf_counter() - began
            report(kind="slider", value=value, seconds=seconds, error=_error(at))
    report(kind="done", peak_rss_mib=peak_rss_mib())


def _slider(at: object) -> object | None:
    for finder in ("slider", "select_slider"):
        try:
            return getattr(at, finder)(key=SLIDER_KEY)
        except KeyError:
            continue
    return None


def _error(at: object) -> str | None:
    if at.exception:  # type: ignore[attr-defined]
        return str(at.exception[0].message)[:200]  # type: ignore[attr-defined]
    unexpected = [e.value for e in at.error if "Une erreur inattendue" in e.value]  # type: ignore[attr-defined]
    return unexpected[0][:200] if unexpected else None


def main(argv: list[str]) -> None:
    command, *args = argv
    if command == "inputs":
        report(**write_inputs(Path(args[0]), Path(args[1])))
    elif command == "engine":
        report(**engine(Path(args[0]), Path(args[1]), int(args[2])))
    elif command == "sql":
        report(**sql(Path(args[0]), Path(args[1]), int(args[2])))
    elif command == "naive":
        report(**naive(Path(args[0]), Path(args[1])))
    elif command == "compare":
        found = differences(read_results(Path(args[0])), read_results(Path(args[1])), args[2])
        report(differences=found)
    elif command == "store_inputs":
        report(**store_inputs(Path(args[0]), int(args[1])))
    elif command == "pages":
        pages(Path(args[0]), int(args[1]))
    elif command == "spend":  # a command of `python -m spend`, with this process's peak memory
        from spend.cli import main as spend_main

        code = spend_main(args)
        report(code=code, peak_rss_mib=peak_rss_mib())
    else:
        raise SystemExit(f"unknown command: {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
