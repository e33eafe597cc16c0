"""Untrusted files parsed in a child process bounded in memory and time.

A workbook, a zip or a PDF decides how much it costs to read: a few kilobytes of shared strings
expand to gigabytes, one PDF content stream repeated on every page keeps a reader busy for an
hour. The dashboard is one multi-threaded process shared by every manager, so such a file is
never parsed in it: a fresh interpreter (`python -m spend.exchange.worker`, not a fork of the
server's threads, nor multiprocessing's "spawn", which would run the page script again as its
main module) caps its own address space (RLIMIT_AS) before it imports anything heavy, reads the
file, and sends the result back; past its time budget it is killed. What the child returns is
the parsed result, already bounded by the checks it ran; what it raises is raised again here.
"""

import importlib
import os
import pickle
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

# The child's address space: the interpreter, Polars and a bounded file's parsed tables fit
# with room to spare; threads are capped so that their stacks do not count against it.
MEMORY_BYTES = 1536 << 20
THREADS = "2"
READ_SECONDS = 120.0  # a workbook or zip of the largest accepted size is read in a few seconds
DELIBERATION_SECONDS = 60.0  # a 20 MB text is read in about 2.4 s
DELIBERATION_SECONDS_VARIABLE = "SPEND_DELIBERATION_SECONDS"


class WorkerStopped(Exception):  # noqa: N818 (reads as what happened)
    """The child went past its time or memory budget and was stopped; `reason` is "time" or
    "memory", `limit` the budget in seconds or bytes."""

    def __init__(self, reason: str, limit: float) -> None:
        super().__init__(f"{reason} {limit}")
        self.reason = reason
        self.limit = limit

    def french(self, what: str) -> str:
        """`what` (« lecture du classeur arrêtée ») said with the budget it passed."""
        cause = "(un contenu répété à chaque page ou à chaque cellule ?) ; rien n'a été lu"
        if self.reason == "time":
            budget = seconds_in_words(self.limit)
            return f"{what} après {budget} : au plus {budget} par fichier {cause}"
        size = f"{int(self.limit) >> 20} Mio"
        return f"{what} : elle demandait plus de {size} de mémoire, au plus {size} {cause}"


def deliberation_seconds() -> float:
    """A deliberation's reading budget: DELIBERATION_SECONDS, or $SPEND_DELIBERATION_SECONDS."""
    try:
        return float(os.environ.get(DELIBERATION_SECONDS_VARIABLE, DELIBERATION_SECONDS))
    except ValueError:
        return DELIBERATION_SECONDS


def seconds_in_words(seconds: float) -> str:
    """120 → « 2 min », 60 → « 1 min », 2.5 → « 2,5 s »."""
    if seconds >= 60 and seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    return f"{seconds:g} s".replace(".", ",")


def _child() -> None:
    """The child's whole life (`python -m spend.exchange.worker`): cap memory, read the call
    from stdin, write ("ok", value), ("error", exception) or ("memory", None) to stdout. Heavy
    imports happen after the cap, so that they count against it too; anything else the call
    prints goes to stderr."""
    os.environ["POLARS_MAX_THREADS"] = THREADS
    os.environ["RAYON_NUM_THREADS"] = THREADS
    memory, target, args = pickle.loads(sys.stdin.buffer.read())
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    answer = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    try:
        module, name = target.split(":")
        function: Callable[..., Any] = getattr(importlib.import_module(module), name)
        try:
            result: tuple[str, Any] = ("ok", function(*args))
        except MemoryError:
            result = ("memory", None)
        except Exception as error:
            result = ("error", error)
        answer.write(pickle.dumps(result))
        answer.flush()
    except MemoryError:  # while importing, or pickling a result too large: the budget again
        os._exit(3)


# What a parser needs from the environment; nothing else reaches the child (no
# SPEND_DATABASE_URL, PG* nor any other secret: a parser flaw must not reach the server).
_CHILD_NAMES = frozenset({"PATH", "HOME", "LANG", "LANGUAGE", "TMPDIR", "TZ"})
_CHILD_PREFIXES = ("LC_", "PYTHON")


def child_environment() -> dict[str, str]:
    """The parsing child's environment: the few variables of `_CHILD_NAMES`, LC_* and PYTHON*."""
    return {
        name: value
        for name, value in os.environ.items()
        if name in _CHILD_NAMES or name.startswith(_CHILD_PREFIXES)
    }


def run_bounded(target: str, *args: Any, seconds: float, memory: int = MEMORY_BYTES) -> Any:
    """`module:function(*args)` run in a fresh interpreter (`python -m spend.exchange.worker`,
    never a fork of a multi-threaded server) with `memory` bytes of address space and `seconds`
    of wall time; its result, or its exception raised again here.

    Raises WorkerStopped when the child passes either budget (it is then killed and reaped).
    """
    root = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
    process = subprocess.Popen(
        [sys.executable, "-m", "spend.exchange.worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**child_environment(), "PYTHONPATH": path},
    )
    try:
        output, _ = process.communicate(pickle.dumps((memory, target, args)), timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise WorkerStopped("time", seconds) from None
    except BaseException:
        process.kill()
        process.communicate()
        raise
    if not output:  # died without a word: out of memory (an allocation that aborts)
        raise WorkerStopped("memory", memory)
    kind, value = pickle.loads(output)
    if kind == "ok":
        return value
    if kind == "error":
        raise value
    raise WorkerStopped("memory", memory)


if __name__ == "__main__":
    _child()
