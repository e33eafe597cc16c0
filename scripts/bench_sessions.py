"""50 sessions across two dashboard replicas: a slider move's time and the memory per session.

Two `streamlit run app.py` processes serve one authority (PostgreSQL when a server URL is
given, else one DuckDB file); scripted clients speak Streamlit's own websocket protocol
(`/_stcore/stream`, BackMsg / ForwardMsg of `streamlit.proto`) as a browser does: each opens a
session on the Simulation page and waits for the script to finish; when every session is open,
all move the fee slider at once (a rerun carrying the widget's new value) and time each move
until the script-finished message, checking that the page's figures changed.

    python scripts/bench_sessions.py --database-url postgresql://… --authority big
    python scripts/bench_sessions.py --db data/spend.duckdb --replicas 1 --clients 3

Memory: the resident memory of each replica (the process and its children) when idle, after
a first session (the authority's data read and cached, shared by the sessions to come) and
after all its sessions moved the slider, read while they are still open; per session =
(after − first) / sessions, and with the data's share = (after − idle) / sessions.
"""

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parent.parent
PAGE = "simulation"  # the page's url_path (app.py)
SLIDER_KEY = "sim_fee_pct"
WARM_UP_STEPS = -20  # the first session of a replica: 0 → −20 → −19 %


def first_steps(client: int) -> int:
    """Client n moves 0 → 2n+1 → 2n+2 %: no two moves ask for the same scenario, so none is
    answered from another session's cache (a result is cached by its settings)."""
    return 2 * client + 1


SCRIPT_TIMEOUT_S = 600.0
MIB = 1024 * 1024


@dataclass
class Run:
    """What one script run sent: its texts (to compare figures), its widgets, how it ended."""

    texts: list[str] = field(default_factory=list)
    widgets: dict[str, WidgetState] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)  # a select slider's labels
    status: str = ""
    errors: list[str] = field(default_factory=list)


class Client:
    """One browser tab, as far as the protocol goes: a session, its reruns, their messages.

    As the browser does, each rerun sends back the state of every widget the last run drew
    (the sidebar's filters, the page's other sliders…), with the moved one changed: a widget
    left out would be reset, and a key the page set would be lost.
    """

    def __init__(self, port: int) -> None:
        self.url = f"ws://127.0.0.1:{port}/_stcore/stream"
        self.page_hash = ""
        self.last = Run()
        self._socket: websockets.ClientConnection | None = None

    async def __aenter__(self) -> "Client":
        self._socket = await websockets.connect(
            self.url, subprotocols=["streamlit"], max_size=None, open_timeout=60
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._socket is not None:
            await self._socket.close()

    async def open_page(self) -> Run:
        """The first run of the page, as a browser's first load sends it."""
        return await self.rerun([])

    async def move_slider(self, key: str, steps: int) -> Run:
        """Move the slider of that key `steps` notches to the right from where it stands."""
        widget_id = next((w for w in self.last.widgets if w.endswith(f"-{key}")), None)
        if widget_id is None:
            raise RuntimeError(f"pas de curseur « {key} » sur la page {PAGE}")
        moved = WidgetState()
        moved.CopyFrom(self.last.widgets[widget_id])
        labels = self.last.options.get(widget_id)
        if labels:  # a select slider: its value is the chosen label
            index = labels.index(moved.string_array_value.data[0]) + steps
            moved.string_array_value.data[:] = [labels[index]]
        else:
            moved.double_array_value.data[:] = [moved.double_array_value.data[0] + steps]
        others = [w for i, w in self.last.widgets.items() if i != widget_id]
        return await self.rerun([*others, moved])

    async def rerun(self, widgets: list[WidgetState]) -> Run:
        """A rerun with these widget states; the run's messages until its script finished."""
        msg = BackMsg()
        state = msg.rerun_script
        state.page_name = PAGE
        state.page_script_hash = self.page_hash
        state.widget_states.widgets.extend(widgets)
        assert self._socket is not None
        await self._socket.send(msg.SerializeToString())
        sent = {w.id: w for w in widgets}
        self.last = await asyncio.wait_for(self._until_finished(sent), SCRIPT_TIMEOUT_S)
        return self.last

    async def _until_finished(self, sent: dict[str, WidgetState]) -> Run:
        assert self._socket is not None
        run = Run()
        while True:
            raw = await self._socket.recv()
            forward = ForwardMsg()
            forward.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
            kind = forward.WhichOneof("type")
            if kind == "navigation":  # the page this run drew: the next rerun's page
                self.page_hash = forward.navigation.page_script_hash
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                _read_element(forward.delta.new_element, run, sent)
            elif kind == "script_finished":
                run.status = ForwardMsg.ScriptFinishedStatus.Name(forward.script_finished)
                if run.status != "FINISHED_EARLY_FOR_RERUN":
                    return run


def _read_element(element: Element, run: Run, sent: dict[str, WidgetState]) -> None:
    kind = element.WhichOneof("type")
    if kind == "markdown":
        run.texts.append(element.markdown.body)
    elif kind == "metric":
        run.texts.append(f"{element.metric.label}: {element.metric.body}")
    elif kind == "exception":
        run.errors.append(element.exception.message[:300])
    elif kind == "alert" and "erreur inattendue" in element.alert.body:
        run.errors.append(element.alert.body[:300])
    else:
        widget = getattr(element, kind or "", None)
        state = widget_state(kind or "", widget)
        if state is not None:
            # The value the browser holds stays, unless the server sets another.
            kept = sent.get(state.id)
            run.widgets[state.id] = state if kept is None or widget.set_value else kept
            if kind == "slider" and element.slider.options:
                run.options[state.id] = list(element.slider.options)


def widget_state(kind: str, widget: Any) -> WidgetState | None:
    """The value the browser reports for a widget it was sent (its default unless the server
    set one); None for what reports only when used (buttons, downloads, tables)."""
    if widget is None or not getattr(widget, "id", ""):
        return None
    state = WidgetState(id=widget.id)
    chosen = getattr(widget, "set_value", False)
    if kind == "slider":
        if widget.options:  # a select slider: the labels chosen
            labels = list(widget.raw_value) or [widget.options[int(i)] for i in widget.default]
            state.string_array_value.data[:] = labels
        else:
            state.double_array_value.data[:] = list(widget.value if chosen else widget.default)
    elif kind in ("selectbox", "radio"):
        if chosen:
            state.string_value = widget.raw_value
        elif widget.options and widget.HasField("default"):
            state.string_value = widget.options[widget.default]
        else:
            return None
    elif kind == "multiselect":
        labels = list(widget.raw_values) if chosen else [widget.options[i] for i in widget.default]
        state.string_array_value.data[:] = labels
    elif kind == "date_input":
        state.string_array_value.data[:] = list(widget.value if chosen else widget.default)
    elif kind in ("text_input", "text_area"):
        state.string_value = widget.value if chosen else widget.default
    elif kind == "checkbox":
        state.bool_value = widget.value if chosen else widget.default
    elif kind == "number_input":
        state.double_value = widget.value if chosen else widget.default
    else:
        return None
    return state


@dataclass
class Moves:
    """One client's slider moves: seconds each, and whether the figures changed."""

    seconds: list[float] = field(default_factory=list)
    changed: list[bool] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)  # the page's texts after the last move


class Gate:
    """Where clients wait, their sessions still open, while the replicas' memory is read."""

    def __init__(self, clients: int) -> None:
        self._arrived = asyncio.Barrier(clients + 1)
        self._opened = asyncio.Event()

    async def hold(self) -> None:
        await self._arrived.wait()
        await self._opened.wait()

    async def read_while_held(self, clients: "asyncio.Future[list[Moves]]") -> None:
        """Wait until every client is held (or one failed: its error is raised)."""
        arrived = asyncio.ensure_future(self._arrived.wait())
        await asyncio.wait({arrived, clients}, return_when=asyncio.FIRST_COMPLETED)
        if not arrived.done():
            arrived.cancel()
            clients.result()  # raises the client's error
            raise RuntimeError("les clients ont fini sans attendre la mesure")

    def release(self) -> None:
        self._opened.set()


async def one_client(port: int, ready: asyncio.Barrier, gate: Gate, first: int) -> Moves:
    """Open the page, wait for every client to be there, then move the slider `first` notches
    and one more; the session stays open until the gate lets it go."""
    moves = Moves()
    async with Client(port) as client:
        before = await client.open_page()
        moves.errors += before.errors
        await ready.wait()
        for steps in (first, 1):
            began = time.perf_counter()
            after = await client.move_slider(SLIDER_KEY, steps)
            moves.seconds.append(time.perf_counter() - began)
            finished = after.status == "FINISHED_SUCCESSFULLY"
            moves.changed.append(finished and after.texts != before.texts)
            moves.errors += after.errors
            before = after
        moves.shown = before.texts
        await gate.hold()
    return moves


# --- replicas -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Replica:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_replica(env: dict[str, str], log: Path) -> Replica:
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip  # the command line as one would type it
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    replica = Replica(port, process, log)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return replica
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            replica.stop()
            raise RuntimeError(f"le serveur ne répond pas : {log.read_text()[-800:]}")
        time.sleep(0.2)


def rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MiB (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(ln.split()[1]) for ln in status.splitlines() if ln[:6] == "VmRSS:")
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += map(int, (task / "children").read_text().split())
        except (OSError, StopIteration):
            continue
    return total / 1024


# --- the measurement ------------------------------------------------------------------------


async def measure(replicas: list[Replica], clients: int) -> dict[str, object]:
    """Warm each replica with one session, then `clients` sessions split across them at once."""
    idle = [rss_mib(r.process.pid) for r in replicas]
    gate = Gate(len(replicas))
    warm_up = asyncio.gather(
        *(one_client(r.port, asyncio.Barrier(1), gate, WARM_UP_STEPS) for r in replicas)
    )
    await gate.read_while_held(warm_up)
    warm = [rss_mib(r.process.pid) for r in replicas]
    gate.release()
    warm_moves = await warm_up
    gate, ready = Gate(clients), asyncio.Barrier(clients)
    began = time.perf_counter()
    running = asyncio.gather(
        *(
            one_client(replicas[n % len(replicas)].port, ready, gate, first_steps(n))
            for n in range(clients)
        )
    )
    await gate.read_while_held(running)
    wall = time.perf_counter() - began
    after = [rss_mib(r.process.pid) for r in replicas]  # every session still open
    gate.release()
    moves = await running
    seconds = sorted(s for m in moves for s in m.seconds)
    per_replica = clients / len(replicas)
    return {
        "clients": clients,
        "replicas": len(replicas),
        "moves": len(seconds),
        "changed": sum(c for m in moves for c in m.changed),
        "errors": [e for m in [*warm_moves, *moves] for e in m.errors][:5],
        "p50_s": percentile(seconds, 50),
        "p95_s": percentile(seconds, 95),
        "max_s": seconds[-1],
        "warm_move_s": min(s for m in warm_moves for s in m.seconds),
        "wall_s": wall,
        "idle_rss_mib": idle,
        "warm_rss_mib": warm,
        "after_rss_mib": after,
        "per_session_mib": statistics.mean(
            (a - w) / per_replica for a, w in zip(after, warm, strict=True)
        ),
        "with_data_mib": statistics.mean(
            (a - i) / per_replica for a, i in zip(after, idle, strict=True)
        ),
        "per_client": [
            {"seconds": m.seconds, "changed": m.changed, "cards": scenario_cards(m.shown)}
            for m in moves
        ],
    }


def scenario_cards(texts: list[str]) -> list[str]:
    """The Simulation page's cards, recorded and scenario (« Engagé scénario: 3 080,00 € »)."""
    plain = (t.replace("\u202f", " ").replace("\xa0", " ") for t in texts)
    return [t for t in plain if t.split(":")[0].endswith(("scénario", "enregistré"))]


def percentile(values: list[float], rank: float) -> float:
    """Nearest-rank percentile of sorted values."""
    index = max(0, min(len(values) - 1, -(-len(values) * rank // 100) - 1))
    return values[int(index)]


def run(env: dict[str, str], replicas: int, clients: int, logs: Path) -> dict[str, object]:
    started: list[Replica] = []
    try:
        for number in range(replicas):
            started.append(start_replica(env, logs / f"replica_{number}.log"))
        return asyncio.run(measure(started, clients))
    finally:
        for replica in started:
            replica.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--database-url", help="PostgreSQL server (SPEND_DATABASE_URL)")
    where.add_argument("--db", type=Path, help="a DuckDB file instead")
    parser.add_argument("--authority", default="principale")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--logs", type=Path, help="keep the replicas' logs in this folder")
    args = parser.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPEND_")}
    if args.database_url:
        env |= {"SPEND_DATABASE_URL": args.database_url, "SPEND_AUTHORITY": args.authority}
    else:
        env["SPEND_DB"] = str(args.db.resolve())
    if args.logs:
        args.logs.mkdir(parents=True, exist_ok=True)
        result = run(env, args.replicas, args.clients, args.logs)
    else:
        with tempfile.TemporaryDirectory(prefix="spend-sessions-") as logs:
            result = run(env, args.replicas, args.clients, Path(logs))
    print(json.dumps(result))
    return 0 if not result["errors"] and result["changed"] == result["moves"] else 1


if __name__ == "__main__":
    sys.exit(main())
