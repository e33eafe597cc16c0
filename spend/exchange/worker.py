"""Untrusted files parsed in a child process bounded in memory and time.

A workbook, a zip or a PDF decides how much it costs to read: a few kilobytes of shared strings
expand to gigabytes, one PDF content stream repeated on every page keeps a reader busy for an
hour. The dashboard is one multi-threaded process shared by every manager, so such a file is
never parsed in it: a fresh interpreter ("spawn", not a fork of the server's threads) caps its
own address space (RLIMIT_AS) before it imports anything heavy, reads the file, and sends the
result back; past its time budget it is killed. What the child returns is the parsed result,
already bounded by the checks it ran; what it raises is raised again here.
"""

import importlib
import multiprocessing
import os
import resource
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

# The child's address space: the interpreter, Polars and a bounded file's parsed tables fit
# with room to spare; threads are capped so that their stacks do not count against it.
MEMORY_BYTES = 1536 << 20
THREADS = "2"
READ_SECONDS = 120.0  # a workbook or zip of the largest accepted size is read in a few seconds
DELIBERATION_SECONDS = 60.0  # a 20 MB text is read in about 2.4 s
DELIBERATION_SECONDS_VARIABLE = "SPEND_DELIBERATION_SECONDS"
KILL_WAIT_S = 5.0


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


def _child(conn: Connection, memory: int) -> None:
    """The child's whole life: cap memory, receive the call, send ("ok", value) or ("error",
    exception). Imports happen after the cap, so that they count against it too."""
    os.environ["POLARS_MAX_THREADS"] = THREADS
    os.environ["RAYON_NUM_THREADS"] = THREADS
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        target, args = conn.recv()
        module, name = target.split(":")
        function: Callable[..., Any] = getattr(importlib.import_module(module), name)
        try:
            value = function(*args)
        except MemoryError:
            conn.send(("memory", None))
            return
        except Exception as error:
            conn.send(("error", error))
            return
        conn.send(("ok", value))
    except MemoryError:  # while sending a result too large to pickle: the budget again
        os._exit(3)
    finally:
        conn.close()


def run_bounded(target: str, *args: Any, seconds: float, memory: int = MEMORY_BYTES) -> Any:
    """`module:function(*args)` run in a fresh child process with `memory` bytes of address
    space and `seconds` of wall time; its result, or its exception raised again here.

    Raises WorkerStopped when the child passes either budget (it is then killed and reaped).
    """
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_child, args=(theirs, memory), daemon=True)
    started = time.monotonic()
    process.start()
    theirs.close()
    try:
        ours.send((target, args))
        answer = _answer(ours, started + seconds)
    except (BrokenPipeError, EOFError, ConnectionResetError):
        answer = ("memory", None)  # the child died without a word: out of memory (abort)
    finally:
        ours.close()
        if process.is_alive():
            process.kill()
        process.join(KILL_WAIT_S)
    kind, value = answer
    if kind == "ok":
        return value
    if kind == "error":
        raise value
    if kind == "time":
        raise WorkerStopped("time", seconds)
    raise WorkerStopped("memory", memory)


def _answer(conn: Connection, deadline: float) -> tuple[str, Any]:
    """The child's message, or ("time", None) when the deadline passes first."""
    left = deadline - time.monotonic()
    if left <= 0 or not conn.poll(left):
        return ("time", None)
    return conn.recv()
