"""A PDF of 159 KB whose pages all share one content stream of 20 000 text operations would keep
a reader busy for about an hour: it is read in a child process that is killed past its time
budget, with a French message; the other readings do not wait for it (each has its own child)."""

import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from spend.deliberations.model import DeliberationReadError
from spend.exchange.worker import DELIBERATION_SECONDS_VARIABLE, WorkerStopped, run_bounded
from spend.paths import ROOT
from spend.ui.reading import read_deliberation_bounded
from tests.bad_inputs.conftest import Corpus
from tests.conftest import SOURCE_DOCUMENT

BUDGET_S = 3


def shared_stream_pdf(pages: int, operations: int) -> bytes:
    """`pages` pages whose /Contents is one compressed stream of `operations` lines of text."""
    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    stream = DecodedStreamObject()
    line = b"(cotisation annuelle 1 500,00 EUR) Tj 0 -1 Td "
    stream.set_data(b"BT /F1 8 Tf 20 800 Td " + line * operations + b"ET")
    shared = writer._add_object(stream.flate_encode())
    fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
    resources = DictionaryObject({NameObject("/Font"): fonts})
    for _ in range(pages):
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Contents")] = shared
        page[NameObject("/Resources")] = resources
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def endless_pdf() -> bytes:
    content = shared_stream_pdf(200, 20_000)
    assert len(content) < 200_000
    return content


class SpawnedChildren:
    """The reading children this process starts, seen while they run (from /proc)."""

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        me = os.getpid()
        while not self._done.is_set():
            for task in Path(f"/proc/{me}/task").iterdir():
                try:
                    pids = (task / "children").read_text().split()
                except OSError:
                    continue
                for pid in map(int, pids):
                    try:
                        if b"spend.exchange.worker" in Path(f"/proc/{pid}/cmdline").read_bytes():
                            self.seen.add(pid)
                    except OSError:
                        continue
            time.sleep(0.05)

    def __enter__(self) -> "SpawnedChildren":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_pdf_sharing_one_stream_is_stopped_within_its_budget(
    endless_pdf: bytes, monkeypatch: pytest.MonkeyPatch, corpus: Corpus
) -> None:
    monkeypatch.setenv(DELIBERATION_SECONDS_VARIABLE, str(BUDGET_S))
    start = time.monotonic()
    with SpawnedChildren() as children, pytest.raises(DeliberationReadError) as refused:
        read_deliberation_bounded(endless_pdf, "boucle.pdf")
    elapsed = time.monotonic() - start
    assert str(refused.value) == (
        "La lecture de « boucle.pdf » a été arrêtée après 3 s : au plus 3 s par fichier (un "
        "contenu répété à chaque page ou à chaque cellule ?) ; rien n'a été lu."
    )
    assert BUDGET_S <= elapsed < BUDGET_S + 10  # the budget, then the kill, not the hour
    assert children.seen, "the reading ran in a child process"
    assert all(_gone(pid) for pid in children.seen), "the worker was killed and reaped"
    corpus.record("refused")


def test_the_command_line_stops_it_too(endless_pdf: bytes, tmp_path: Path) -> None:
    pdf = tmp_path / "boucle.pdf"
    pdf.write_bytes(endless_pdf)
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "spend", "read-deliberation", str(pdf)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, DELIBERATION_SECONDS_VARIABLE: str(BUDGET_S)},
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("La lecture de « boucle.pdf » a été arrêtée après 3 s")
    assert "Traceback" not in done.stderr
    assert time.monotonic() - start < BUDGET_S + 30  # the command's start-up, the budget, a kill


def test_a_readable_deliberation_is_read_the_same_in_the_worker() -> None:
    from spend.deliberations.reader import read_deliberation_bytes

    data = SOURCE_DOCUMENT.read_bytes()
    reading = read_deliberation_bounded(data, "deliberation.txt")
    assert reading == read_deliberation_bytes(data, "deliberation.txt")
    assert reading.deliberation_id == "2022-504"


def test_a_worker_past_its_memory_is_stopped_in_french() -> None:
    """A child that asks for more than its address space gets MemoryError (or dies): said as
    a memory budget, never as a traceback."""
    with pytest.raises(WorkerStopped) as stopped:
        run_bounded("builtins:bytearray", 4 << 30, seconds=60, memory=1 << 30)
    assert stopped.value.reason == "memory"
    assert stopped.value.french("lecture arrêtée") == (
        "lecture arrêtée : elle demandait plus de 1024 Mio de mémoire, au plus 1024 Mio (un "
        "contenu répété à chaque page ou à chaque cellule ?) ; rien n'a été lu"
    )


def test_an_error_in_the_worker_is_raised_again_here() -> None:
    with pytest.raises(DeliberationReadError, match="vide"):
        read_deliberation_bounded(b"   ", "vide.txt")
