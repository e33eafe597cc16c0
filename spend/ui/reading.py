"""A deliberation read once per uploaded file, in a worker process.

Python's regular expressions hold the interpreter's lock while they run: a 20 MB text read in
the server's own process would stall every other manager's page for seconds. The reading runs
in a separate process; the page's thread waits for it without holding the lock, and the result
is kept by the file's content so that the page's reruns do not read it again.
"""

import hashlib
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import streamlit as st

from spend.deliberations.reader import DeliberationReading, read_deliberation_bytes

MAX_DELIBERATION_MB = 25  # a deliberation, even with its annexes, is far below


@st.cache_resource(show_spinner=False)
def _worker() -> ProcessPoolExecutor:
    # "spawn": a fresh interpreter, not a copy of the server's threads and sockets.
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))


@st.cache_resource(show_spinner=False, max_entries=16)
def _reading(digest: str, name: str, _data: bytes) -> DeliberationReading:
    return _worker().submit(read_deliberation_bytes, _data, name).result()


def read_uploaded_deliberation(data: bytes, name: str) -> DeliberationReading:
    """The reading of an uploaded file (raises DeliberationReadError, in French)."""
    with st.spinner("Lecture de la délibération…"):
        return _reading(hashlib.sha256(data).hexdigest(), name, data)
