"""`make bench`: one table, measured in one run, of what grows with the data.

The machine is shared and noisy: what matters are ratios measured side by side, not seconds.
Each measurement that reports memory runs in a process of its own (scripts/bench_child.py);
engine, SQL floor and naive peer alternate, best time kept. Synthetic data: `python -m spend
demo`.

    python scripts/bench.py            # 10³ … 10⁶ conventions (3 to 6 min on 2 cores)
    python scripts/bench.py --quick    # smaller sizes, under a minute

Rows:
- engine: `compute(inputs)` (titles → totals → balances) from inputs read off Parquet;
- SQL floor: the same three results from DuckDB alone (scripts/bench_floor.sql);
- naive peer: the same, row by row in plain Python with `decimal` (scripts/naive_peer.py),
  timed to its Python rows (making frames of them to compare is not counted);
  the three are compared to the cent, every column of every row, and the run fails if not;
- pages: AppTest, each page and one slider move, against the same on the seed;
- import: `python -m spend import DIR` of an exported demo;
- cold start: `streamlit run app.py` until chromium shows the first page's title;
- journal: a journal of 10⁶ entries generated in SQL, each Journal page view's queries and
  formatting timed per filter (scripts/bench_journal.py).
The table is printed and written to test-output/bench.md.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.bench_browser import cold_start  # noqa: E402
from spend.store.backups import backup_dir  # noqa: E402

CHILD = ROOT / "scripts" / "bench_child.py"
OUTPUT = ROOT / "test-output" / "bench.md"
SEED = 2022
GIB = 1024.0  # MiB
WRITE_ROW = "one-line import (`python -m spend import`), between full copies"
WRITE_LIMIT = 1.5  # a write into 10⁵ conventions against the seed: time and peak memory
NAIVE_LIMIT = 100_000  # above it, the naive peer takes minutes and gigabytes of dicts


@dataclass(frozen=True)
class Plan:
    engine: tuple[int, ...]
    pages: tuple[int, ...]
    imports: tuple[int, ...]
    cold: tuple[int, ...]
    writes: int  # the large database a one-line import is measured into, beside the seed
    rounds: int  # engine, SQL floor and naive peer measured in turn this many times
    page_repeat: int


FULL = Plan(
    (1_000, 10_000, 100_000, 1_000_000),
    (1_000, 100_000),
    (1_000, 10_000, 100_000),
    (100_000,),
    100_000,
    rounds=2,
    page_repeat=2,
)
QUICK = Plan((1_000, 10_000), (1_000,), (1_000,), (), 10_000, rounds=1, page_repeat=1)
TARGET_PAGES_N = 100_000  # the size the page and slider targets are read at
TARGET_NAIVE_N = 100_000


@dataclass
class Row:
    measure: str
    size: str
    seconds: float | None = None
    rss_mib: float | None = None
    ratio: str = ""
    target: str = ""
    met: str = ""
    note: str = ""


@dataclass
class Bench:
    plan: Plan
    work: Path
    rows: list[Row] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    databases: dict[int | None, Path] = field(default_factory=dict)

    # --- data ---------------------------------------------------------------------------------

    def database(self, conventions: int | None) -> Path:
        """The demo database of that size (None: the seed), made once with the command line."""
        if conventions in self.databases:
            return self.databases[conventions]
        db = self.work / f"demo_{conventions or 'seed'}.duckdb"
        if conventions is None:
            command = ["init", "--db", str(db)]
        else:
            command = [
                "demo",
                "--db",
                str(db),
                "--conventions",
                str(conventions),
                "--seed",
                str(SEED),
            ]
        seconds = spend_command(command)
        if conventions is not None:
            self.rows.append(
                Row(
                    "demo data generated (`python -m spend demo`)", size_label(conventions), seconds
                )
            )
        self.databases[conventions] = db
        return db

    # --- engine, floor, naive peer ------------------------------------------------------------

    def engine(self, conventions: int) -> None:
        size = size_label(conventions)
        db = self.database(conventions)
        inputs = self.work / f"inputs_{conventions}"
        loaded = child("inputs", db, inputs)[0]
        self.rows.append(
            Row(
                "inputs read from DuckDB (`store.load_inputs`)",
                size,
                loaded["seconds"],
                loaded["peak_rss_mib"],
            )
        )
        repeat = 5 if conventions <= 10_000 else 3 if conventions <= 100_000 else 2
        naive = conventions <= NAIVE_LIMIT
        times: dict[str, list[float]] = {"engine": [], "sql": [], "naive": []}
        peaks: dict[str, float] = {"engine": 0.0, "sql": 0.0, "naive": 0.0}
        titles, before, later = 0, 0.0, 0.0
        for _ in range(self.plan.rounds):  # alternate, so that all see the same noise
            runs = [("engine", inputs, repeat), ("sql", db, repeat)]
            runs += [("naive", inputs)] if naive else []
            for name, source, *more in runs:
                got = child(name, source, self.work / name, *more)[0]
                times[name] += got["seconds"]
                peaks[name] = max(peaks[name], got["peak_rss_mib"])
                if name == "engine":
                    titles, before = got["rows"]["titles"], got["inputs_rss_mib"]
                    later = max(later, got["last_peak_rss_mib"])
        engine_best, sql_best = min(times["engine"]), min(times["sql"])
        ratio = engine_best / sql_best
        targets, met = ["≤ 2× SQL"], [ratio <= 2]
        if conventions >= 1_000_000:
            targets.append("peak < 1.5 GiB")
            met.append(peaks["engine"] < 1.5 * GIB)
        self.rows.append(
            Row(
                "engine `compute` (titles → totals → balances)",
                size,
                engine_best,
                peaks["engine"],
                f"engine / SQL {ratio:.2f}×",
                "; ".join(targets),
                yes_no(met),
                f"{titles:_} titles; {before:.0f} MiB with the inputs alone, {later:.0f} MiB "
                f"after {repeat} runs in one process".replace("_", " "),
            )
        )
        self.rows.append(
            Row(
                "SQL floor (DuckDB, `scripts/bench_floor.sql`)",
                size,
                sql_best,
                peaks["sql"],
                note=self.agree("sql", size),
            )
        )
        name = "naive peer (plain Python, `decimal`, row by row)"
        target = "≥ 20× slower than engine" if conventions == TARGET_NAIVE_N else ""
        if not naive:
            skipped = "skipped: minutes and gigabytes of Python dicts"
            self.rows.append(
                Row(name, size, target=target, met="n/a" if target else "", note=skipped)
            )
            return
        seconds = min(times["naive"])
        ratio = seconds / engine_best
        self.rows.append(
            Row(
                name,
                size,
                seconds,
                peaks["naive"],
                f"naive / engine {ratio:.0f}×",
                target,
                yes_no([ratio >= 20]) if target else "",
                self.agree("naive", size),
            )
        )

    def agree(self, name: str, size: str) -> str:
        """Compared in a process of its own: this one stays small, its children's peaks honest."""
        found = child("compare", self.work / "engine", self.work / name, name)[0]["differences"]
        if found:
            self.failures.extend(f"{size}: {text}" for text in found)
            return "**DIFFERS from the engine** (see below)"
        return "same as the engine to the cent (titles, totals, balances)"

    # --- pages --------------------------------------------------------------------------------

    def pages(self) -> None:
        """AppTest in a process per size: the best time of each page and of the slider."""
        measured: dict[str, dict[str, list[float]]] = {}
        for conventions in (None, *self.plan.pages):
            size = size_label(conventions)
            small = conventions is None or conventions <= 1_000  # fast: one more try
            repeat = self.plan.page_repeat + small
            try:
                lines, timed_out = child_lines(
                    "pages", self.database(conventions), repeat, timeout=1_200
                )
            except RuntimeError as error:  # the app failed: say so, measure the rest
                self.failures.append(f"{size} pages: {error}")
                continue
            done = next((line for line in lines if line["kind"] == "done"), {})
            for line in lines:
                what = line.get("page", line["kind"])
                if line.get("error"):
                    self.failures.append(f"{size} {what}: {line['error']}")
                if line["kind"] == "first_run":
                    self.rows.append(
                        Row(
                            "AppTest first run (cold caches)",
                            size,
                            line["seconds"],
                            done.get("peak_rss_mib"),
                            note="peak: the whole AppTest process",
                        )
                    )
                elif line["kind"] in ("page", "slider"):
                    times = measured.setdefault(what, {}).setdefault(size, [])
                    if line["seconds"] is not None:
                        times.append(line["seconds"])
            if timed_out:
                self.failures.append(f"{size}: pages stopped after 20 min")
        for what, by_size in measured.items():
            best = {size: min(times) if times else None for size, times in by_size.items()}
            self.page_rows(what, best)

    def page_rows(self, key: str, by_size: dict[str, float | None]) -> None:
        slider = key == "slider"
        page = Path(key).stem
        name = "slider move on Simulation (`sim_fee_pct` → 10)" if slider else f"page `{page}`"
        limit = 3 if slider else 5
        seed = by_size.get("seed")
        for conventions in (None, *self.plan.pages):
            size = size_label(conventions)
            seconds = by_size.get(size)
            row = Row(name, size, seconds)
            if seconds is None:
                row.note = "n/a (no such widget yet)" if slider else "not measured"
            elif conventions is not None and seed:
                row.ratio = f"{seconds / seed:.1f}× seed"
                if conventions == TARGET_PAGES_N:
                    row.target = f"≤ {limit}× seed"
                    row.met = yes_no([seconds / seed <= limit])
            self.rows.append(row)

    # --- command line and server ----------------------------------------------------------

    def imports(self) -> None:
        started = spend_command(["--help"])
        self.rows.append(
            Row(
                "command start-up (`python -m spend --help`)",
                "",
                started,
                note="included in each import below",
            )
        )
        for conventions in self.plan.imports:
            folder = self.work / f"export_{conventions}"
            spend_command(["export", str(folder), "--db", str(self.database(conventions))])
            target = self.work / f"imported_{conventions}.duckdb"
            seconds = spend_command(["import", str(folder), "--db", str(target)])
            self.rows.append(
                Row(
                    "import (`python -m spend import DIR`, new database)",
                    size_label(conventions),
                    seconds,
                )
            )

    def writes(self) -> None:
        """A one-line import into the seed and into a large database, between full copies (the
        write log keeps it), against the seed's; and what a scheduled full copy costs."""
        measured: dict[int | None, tuple[float, float]] = {}
        for conventions in (None, self.plan.writes):
            db = self.database(conventions)
            size = size_label(conventions)
            # The first write after `demo` takes the full copy the schedule asks for.
            first = spend_in_child(["import", str(self.one_line(0)), "--db", str(db)])
            runs = [
                spend_in_child(["import", str(self.one_line(n)), "--db", str(db)])
                for n in range(1, 4)
            ]
            seconds, rss = min(r[0] for r in runs), max(r[1] for r in runs)
            measured[conventions] = (seconds, rss)
            row = Row(WRITE_ROW, size, seconds, rss, note="best of 3; command start-up included")
            if conventions is not None:
                base_s, base_rss = measured[None]
                ratio_s, ratio_rss = seconds / base_s, rss / base_rss
                row.ratio = f"{ratio_s:.2f}× / {ratio_rss:.2f}× seed"
                row.target = f"≤ {WRITE_LIMIT}× seed (time / RSS)"
                row.met = yes_no([ratio_s <= WRITE_LIMIT, ratio_rss <= WRITE_LIMIT])
                if ratio_s > WRITE_LIMIT or ratio_rss > WRITE_LIMIT:
                    self.failures.append(f"{WRITE_ROW} {size}: {row.ratio}")
            self.rows.append(row)
            if conventions is not None:
                self.rows.append(
                    Row(
                        "one-line import that takes the scheduled full copy",
                        size,
                        first[0],
                        first[1],
                        note="the first write after `demo`; then every 20 writes at most",
                    )
                )
                began = time.perf_counter()
                backup = spend_in_child(["backup", "--db", str(db)])
                kept = sorted(backup_dir(db).glob("*manuelle*.duckdb"))[-1]
                self.rows.append(
                    Row(
                        "full backup (`python -m spend backup`, COPY FROM DATABASE)",
                        size,
                        time.perf_counter() - began,
                        backup[1],
                        note=f"file {db.stat().st_size / 2**20:.0f} MiB, "
                        f"copy {kept.stat().st_size / 2**20:.0f} MiB",
                    )
                )

    def one_line(self, number: int) -> Path:
        folder = self.work / f"one_line_{number}"
        folder.mkdir(exist_ok=True)
        (folder / "budget_lines.csv").write_text(
            "operation_code,imputation,label,year,credits\n"
            f"C06-020M02,6281/930202,Informatique-Fonctionnement,2022,{3100 + number}.00\n",
            encoding="utf-8",
        )
        return folder

    def cold_starts(self) -> None:
        for conventions in (None, *self.plan.cold):
            size = size_label(conventions)
            name = "cold start (`streamlit run` → first page title in chromium)"
            try:
                got = cold_start(self.database(conventions), self.work / f"cold_{size}.log")
            except Exception as error:  # no chromium, no playwright: say so, go on
                self.rows.append(Row(name, size, note=f"n/a ({error})"[:120]))
                continue
            self.rows.append(
                Row(
                    name,
                    size,
                    got["first_title_s"],
                    note=f"server healthy after {got['health_s']:.1f} s",
                )
            )


# --- processes ----------------------------------------------------------------------------------


JOURNAL_ENTRIES = {False: 1_000_000, True: 100_000}  # full run, `--quick`
JOURNAL_LIMIT = 1.0  # seconds per page view of the Journal, whatever the filter


def journal_step(bench: Bench, entries: int) -> None:
    """The Journal page on a generated journal: each filter's page view, first and best."""
    script = ROOT / "scripts" / "bench_journal.py"
    done = subprocess.run(
        [sys.executable, str(script), str(entries)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        bench.failures.append(f"journal: {done.stderr.strip()[-300:]}")
        return
    size = f"{entries:,} entries".replace(",", " ")
    for line in map(json.loads, done.stdout.splitlines()):
        if line["measure"] == "generated":
            name = "journal generated in SQL (scripts/bench_journal.sql)"
            bench.rows.append(Row(name, size, line["seconds"]))
            continue
        met = line["best"] < JOURNAL_LIMIT
        if not met:
            bench.failures.append(f"journal, {line['measure']}: {line['best']:.2f} s")
        bench.rows.append(
            Row(
                f"Journal page view, {line['measure']} (best; first view in note)",
                size,
                line["best"],
                target=f"< {JOURNAL_LIMIT:.0f} s",
                met=yes_no([met]),
                note=f"first {line['first']:.2f} s; {line['operations']} operations match",
            )
        )


def spend_command(args: list[str]) -> float:
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "spend", *args], cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"python -m spend {' '.join(args)} : {done.stderr.strip()[-500:]}")
    return time.perf_counter() - began


def spend_in_child(args: list[str]) -> tuple[float, float]:
    """Seconds of a `python -m spend` command (start-up included) and its peak RSS in MiB."""
    began = time.perf_counter()
    (done,) = child("spend", *args)
    if done["code"] != 0:
        raise RuntimeError(f"python -m spend {' '.join(args)} : code {done['code']}")
    return time.perf_counter() - began, done["peak_rss_mib"]


def child(command: str, *args: object) -> list[dict]:
    lines, timed_out = child_lines(command, *args, timeout=3_600)
    if timed_out or not lines:
        raise RuntimeError(f"bench_child {command}: no result")
    return lines


def child_lines(command: str, *args: object, timeout: float) -> tuple[list[dict], bool]:
    """Run a measurement; its JSON lines, even those printed before a time limit stopped it."""
    argv = [sys.executable, str(CHILD), command, *map(str, args)]
    try:
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        out, timed_out = done.stdout, False
        if done.returncode != 0:
            raise RuntimeError(f"bench_child {command}: {done.stderr.strip()[-1500:]}")
    except subprocess.TimeoutExpired as expired:
        raw = expired.stdout or b""
        out, timed_out = raw.decode() if isinstance(raw, bytes) else raw, True
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")], timed_out


# --- the table ----------------------------------------------------------------------------------


def size_label(conventions: int | None) -> str:
    if conventions is None:
        return "seed"
    exponent = len(str(conventions)) - 1
    if conventions == 10**exponent:
        return "10" + "".join("⁰¹²³⁴⁵⁶⁷⁸⁹"[int(d)] for d in str(exponent))
    return f"{conventions:_}".replace("_", " ")


def yes_no(results: list[bool]) -> str:
    return " / ".join("yes" if ok else "**no**" for ok in results)


def seconds_text(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def machine() -> list[str]:
    cpu = platform.processor() or "?"
    ram = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as info:  # Linux: the model name
        cpu = next((ln.split(":", 1)[1].strip() for ln in info if ln.startswith("model name")), cpu)
    with open("/proc/meminfo", encoding="utf-8") as info:
        kib = next((int(ln.split()[1]) for ln in info if ln.startswith("MemTotal")), 0)
        ram = f"{kib / 1024 / 1024:.1f} GiB"
    return [
        f"Machine: {cpu}, {os.cpu_count()} cores, {ram} RAM; load average "
        f"{os.getloadavg()[0]:.2f} at the start",
        f"Python {platform.python_version()}, Polars {version('polars')}, DuckDB "
        f"{version('duckdb')}, Streamlit {version('streamlit')}",
    ]


def markdown(rows: list[Row]) -> list[str]:
    header = ["measure", "conventions", "time", "peak RSS", "ratio", "target", "met", "note"]
    cells = [
        [
            r.measure,
            r.size,
            seconds_text(r.seconds),
            "" if r.rss_mib is None else f"{r.rss_mib:.0f} MiB",
            r.ratio,
            r.target,
            r.met,
            r.note,
        ]
        for r in rows
    ]
    widths = [max(len(str(c)) for c in column) for column in zip(header, *cells, strict=True)]

    def line(values: list[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    return [line(header), line(["-" * w for w in widths]), *map(line, cells)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, about a minute")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    began = time.perf_counter()
    header = machine()
    print("\n".join(header), flush=True)
    with tempfile.TemporaryDirectory(prefix="spend-bench-") as folder:
        bench = Bench(plan, Path(folder))
        for conventions in plan.engine:
            print(f"engine, SQL floor, naive peer: {size_label(conventions)} …", flush=True)
            bench.engine(conventions)
        print("pages (AppTest) …", flush=True)
        bench.pages()
        print("import …", flush=True)
        bench.imports()
        print("writes and backups …", flush=True)
        bench.writes()
        print("cold start …", flush=True)
        bench.cold_starts()
        print("journal …", flush=True)
        journal_step(bench, JOURNAL_ENTRIES[args.quick])
    total = time.perf_counter() - began
    table = markdown(bench.rows)
    footer = [
        "",
        f"Measured in one run of {total / 60:.1f} min"
        + (" (`--quick`: the 10⁵ and 10⁶ targets are not measured)." if args.quick else "."),
        "Engine, SQL floor, naive peer: best of their runs, measured in turn; peak RSS: the "
        "high-water mark (VmHWM) of the measuring process, for the engine after its first run "
        "(inputs read from Parquet; the DuckDB read is its own row).",
    ]
    print("\n".join(["", *table, *footer]))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join([*header, "", *table, *footer, ""]), encoding="utf-8")
    print(f"\nwritten to {args.output}")
    if bench.failures:
        print("\nFAILURES:", *bench.failures, sep="\n", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
