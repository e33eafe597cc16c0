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
- Word draft: `python -m spend draft-deliberation` of the seed and of the demo's busiest year;
- cold start: `streamlit run app.py` until chromium shows the first page's title;
- journal: a journal of 10⁶ entries generated in SQL, each Journal page view's queries and
  formatting timed per filter (scripts/bench_journal.py);
- PostgreSQL (scripts/bench_postgres.py: `SPEND_BENCH_DATABASE_URL`, else a throw-away
  cluster): the seed and the 10⁵ demo imported into authorities of their own, the engine's
  inputs read beside the file's, the same pages and slider move against the seed on the
  server, and 50 sessions at once on two replicas (scripts/bench_sessions.py).
The table is printed and written to test-output/bench.md.

    python scripts/bench.py --postgres-only   # the pages on both stores and the sessions
"""

import argparse
import contextlib
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

from scripts import bench_postgres  # noqa: E402
from scripts.bench_browser import cold_start  # noqa: E402
from spend.store.backups import backup_dir  # noqa: E402

CHILD = ROOT / "scripts" / "bench_child.py"
OUTPUT = ROOT / "test-output" / "bench.md"
SEED = 2022
GIB = 1024.0  # MiB
WRITE_ROW = "one-line import (`python -m spend import`), between full copies"
DRAFT_YEAR = 2023  # the demo's year with the most conventions billed (24 531 of 10⁵)
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
    server: int = 100_000  # the demo measured on PostgreSQL beside the seed
    sessions: int = 50  # clients at once, across two replicas


FULL = Plan(
    (1_000, 10_000, 100_000, 1_000_000),
    (1_000, 100_000),
    (1_000, 10_000, 100_000),
    (100_000,),
    100_000,
    rounds=2,
    page_repeat=2,
)
QUICK = Plan(
    (1_000, 10_000),
    (1_000,),
    (1_000,),
    (),
    10_000,
    rounds=1,
    page_repeat=1,
    server=1_000,
    sessions=6,
)
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
    page_best: dict[str, dict[str, float | None]] = field(default_factory=dict)  # the file's

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
            lines = self.page_lines(conventions)
            if lines is not None:
                self.page_times(size_label(conventions), lines, measured, "")
        for what, by_size in measured.items():
            best = {size: min(times) if times else None for size, times in by_size.items()}
            self.page_best[what] = best
            self.page_rows(what, best)

    def page_times(
        self, size: str, lines: list[dict], measured: dict[str, dict[str, list[float]]], on: str
    ) -> None:
        """Each page's and the slider's times into `measured`; the first run as its row."""
        done = next((line for line in lines if line["kind"] == "done"), {})
        for line in lines:
            what = line.get("page", line["kind"])
            if line.get("error"):
                self.failures.append(f"{size}{on} {what}: {line['error']}")
            if line["kind"] == "first_run":
                self.rows.append(
                    Row(
                        f"AppTest first run (cold caches){on}",
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

    def page_lines(
        self, conventions: int | None, env: dict[str, str] | None = None
    ) -> list[dict] | None:
        """One AppTest process's lines for that size; None (a failure noted) if it failed."""
        size = size_label(conventions)
        small = conventions is None or conventions <= 1_000  # fast: one more try
        repeat = self.plan.page_repeat + small
        try:
            lines, timed_out = child_lines(
                "pages", self.database(conventions), repeat, timeout=1_200, env=env
            )
        except RuntimeError as error:  # the app failed: say so, measure the rest
            self.failures.append(f"{size} pages: {error}")
            return None
        if timed_out:
            self.failures.append(f"{size}: pages stopped after 20 min")
        return lines

    def page_rows(
        self,
        key: str,
        by_size: dict[str, float | None],
        sizes: tuple[int, ...] | None = None,
        backend: str = "",
        beside: dict[str, float | None] | None = None,
    ) -> None:
        """A page's rows, each size against the seed on the same store; `beside`: the file's
        times, whose ratio the note gives for comparison."""
        slider = key == "slider"
        page = Path(key).stem
        name = "slider move on Simulation (`sim_fee_pct` → 10)" if slider else f"page `{page}`"
        name += backend
        limit = 3 if slider else 5
        seed = by_size.get("seed")
        for conventions in (None, *(self.plan.pages if sizes is None else sizes)):
            size = size_label(conventions)
            seconds = by_size.get(size)
            row = Row(name, size, seconds)
            if seconds is None:
                row.note = "n/a (no such widget yet)" if slider else "not measured"
            elif conventions is not None and seed:
                row.ratio = f"{seconds / seed:.1f}× seed"
                if conventions == TARGET_PAGES_N or sizes is not None:
                    row.target = f"≤ {limit}× seed"
                    row.met = yes_no([seconds / seed <= limit])
                file_seed, file_here = (beside or {}).get("seed"), (beside or {}).get(size)
                if file_seed and file_here:
                    row.note = f"DuckDB file: {file_here / file_seed:.1f}× seed"
            elif beside and beside.get(size):
                row.note = f"DuckDB file: {seconds_text(beside[size])}"
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

    def drafts(self) -> None:
        """The Word draft of the demo's busiest year through the command line (its start-up,
        the inputs read and the engine included), beside the seed's."""
        for conventions in (None, self.plan.writes):
            db = self.database(conventions)
            output = self.work / f"draft_{conventions or 'seed'}.docx"
            year = "2022" if conventions is None else str(DRAFT_YEAR)
            command = ["draft-deliberation", "--db", str(db), "--year", year]
            seconds = min(spend_command([*command, "--output", str(output)]) for _ in range(2))
            self.rows.append(
                Row(
                    f"Word draft of {year} (`python -m spend draft-deliberation`)",
                    size_label(conventions),
                    seconds,
                    note=f"best of 2; {output.stat().st_size // 1024} KiB, command start-up, "
                    "inputs and engine included",
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

    # --- PostgreSQL ---------------------------------------------------------------------------

    def postgres(self) -> None:
        """The seed and the demo as authorities of one server: inputs, pages and slider against
        the seed there (beside the file's ratios), then the sessions on two replicas."""
        sizes = (None, self.plan.server)
        try:
            with bench_postgres.server() as url, contextlib.ExitStack() as made:
                authorities = {}
                for conventions in sizes:
                    folder = None if conventions is None else self.exported(conventions)
                    name = "bench_seed" if conventions is None else f"bench_{conventions}"
                    authority, seconds = made.enter_context(
                        bench_postgres.new_authority(url, name, folder)
                    )
                    authorities[conventions] = authority
                    what = (
                        "seed (`spend init --authority`)"
                        if folder is None
                        else "`spend import DIR --authority`"
                    )
                    self.rows.append(
                        Row(
                            f"authority made on PostgreSQL, {what}",
                            size_label(conventions),
                            seconds,
                        )
                    )
                self.server_inputs(url, authorities[self.plan.server])
                self.server_pages(url, authorities)
                for conventions in sizes:
                    self.sessions(url, authorities[conventions], size_label(conventions))
        except Exception as error:  # no server here, or one that refused: the rows say why
            self.rows.append(Row("PostgreSQL rows", "", note=f"absent: {error}"[:300]))

    def exported(self, conventions: int) -> Path:
        folder = self.work / f"export_{conventions}"
        if not folder.exists():
            spend_command(["export", str(folder), "--db", str(self.database(conventions))])
        return folder

    def server_inputs(self, url: str, authority: str) -> None:
        """The engine's inputs through the store, file and server in turn, best of their runs."""
        conventions = self.plan.server
        db = self.database(conventions)
        env = server_env(url, authority)
        best: dict[str, float] = {"file": float("inf"), "server": float("inf")}
        peak: dict[str, float] = {"file": 0.0, "server": 0.0}
        for _ in range(2):
            for where, extra in (("file", None), ("server", env)):
                (got,) = child("store_inputs", db, 3, env=extra)
                best[where] = min(best[where], *got["seconds"])
                peak[where] = max(peak[where], got["peak_rss_mib"])
        ratio = best["server"] / best["file"]
        self.rows.append(
            Row(
                "inputs read from PostgreSQL (`store.load_inputs`, Arrow)",
                size_label(conventions),
                best["server"],
                peak["server"],
                f"{ratio:.1f}× file",
                note=f"the file's: {seconds_text(best['file'])} in the same turns; best of 6, "
                "a new session each (the process keeps its Arrow connection)",
            )
        )

    def server_pages(self, url: str, authorities: dict[int | None, str]) -> None:
        measured: dict[str, dict[str, list[float]]] = {}
        on = " on PostgreSQL"
        for conventions, authority in authorities.items():
            lines = self.page_lines(conventions, env=server_env(url, authority))
            if lines is not None:
                self.page_times(size_label(conventions), lines, measured, on)
        for what, by_size in measured.items():
            best = {size: min(times) if times else None for size, times in by_size.items()}
            self.page_rows(what, best, (self.plan.server,), on, self.page_best.get(what))

    def sessions(self, url: str, authority: str, size: str) -> None:
        """`scripts/bench_sessions.py`: the clients at once across two replicas."""
        script = ROOT / "scripts" / "bench_sessions.py"
        argv = [sys.executable, str(script), "--database-url", url, "--authority", authority]
        argv += ["--clients", str(self.plan.sessions)]
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
        lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
        if not lines:
            self.failures.append(f"sessions {size}: {done.stderr.strip()[-500:]}")
            return
        got = json.loads(lines[-1])
        if done.returncode != 0:
            changed = f"{got['changed']} of {got['moves']} moves changed the figures"
            self.failures.append(f"sessions {size}: {got['errors'][:2]}, {changed}")
        clients = f"{got['clients']} sessions at once on {got['replicas']} replicas"
        changed = "all" if got["changed"] == got["moves"] else f"**only {got['changed']}**"
        self.rows.append(
            Row(
                f"slider move, {clients} (median)",
                size,
                got["p50_s"],
                note=f"95th percentile {seconds_text(got['p95_s'])}, slowest "
                f"{seconds_text(got['max_s'])}; one session alone "
                f"{seconds_text(got['warm_move_s'])}; {got['moves']} moves, {changed} "
                "changed the figures",
            )
        )
        idle, warm, after = (
            sum(got[key]) / got["replicas"]
            for key in ("idle_rss_mib", "warm_rss_mib", "after_rss_mib")
        )
        self.rows.append(
            Row(
                f"memory per session, {clients}",
                size,
                rss_mib=got["per_session_mib"],
                note=f"(after − before) / {got['clients'] // got['replicas']} per replica: idle "
                f"replica {idle:.0f} MiB, {warm:.0f} MiB after a first session (the data "
                f"cached), {after:.0f} MiB with all open; "
                f"{got['with_data_mib']:.0f} MiB a session counting the data's share",
            )
        )


def server_env(url: str, authority: str) -> dict[str, str]:
    return {**os.environ, "SPEND_DATABASE_URL": url, "SPEND_AUTHORITY": authority}


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


def child(command: str, *args: object, env: dict[str, str] | None = None) -> list[dict]:
    lines, timed_out = child_lines(command, *args, timeout=3_600, env=env)
    if timed_out or not lines:
        raise RuntimeError(f"bench_child {command}: no result")
    return lines


def child_lines(
    command: str, *args: object, timeout: float, env: dict[str, str] | None = None
) -> tuple[list[dict], bool]:
    """Run a measurement; its JSON lines, even those printed before a time limit stopped it."""
    argv = [sys.executable, str(CHILD), command, *map(str, args)]
    try:
        done = subprocess.run(
            argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
        )
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
    parser.add_argument(
        "--postgres-only",
        action="store_true",
        help="only the pages on both stores, the PostgreSQL rows and the sessions",
    )
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    began = time.perf_counter()
    header = machine()
    print("\n".join(header), flush=True)
    with tempfile.TemporaryDirectory(prefix="spend-bench-") as folder:
        bench = Bench(plan, Path(folder))
        if not args.postgres_only:
            for conventions in plan.engine:
                print(f"engine, SQL floor, naive peer: {size_label(conventions)} …", flush=True)
                bench.engine(conventions)
        print("pages (AppTest) …", flush=True)
        bench.pages()
        if not args.postgres_only:
            print("import …", flush=True)
            bench.imports()
            print("writes and backups …", flush=True)
            bench.writes()
            print("Word draft …", flush=True)
            bench.drafts()
            print("cold start …", flush=True)
            bench.cold_starts()
            print("journal …", flush=True)
            journal_step(bench, JOURNAL_ENTRIES[args.quick])
        print("PostgreSQL: pages and sessions on two replicas …", flush=True)
        bench.postgres()
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
