"""A deliberation read once per uploaded file, in a bounded worker process.

Python's regular expressions hold the interpreter's lock while they run: a 20 MB text read in
the server's own process would stall every other manager's page for seconds, and a hostile PDF
(one long content stream shared by every page) would keep a reader busy for an hour. Each
reading runs in its own child process, capped in memory and killed past its time budget
(`exchange.worker`); the page's thread waits for it without holding the lock, and the result is
kept by the file's content so that the page's reruns do not read it again.
"""

import hashlib

import streamlit as st

from spend.deliberations.model import DeliberationReadError, DeliberationReading
from spend.deliberations.text import MAX_DELIBERATION_BYTES
from spend.exchange.worker import WorkerStopped, deliberation_seconds, run_bounded

# The uploader's limit, in Streamlit's megabytes: the reader's own (25 MB).
MAX_DELIBERATION_MB = MAX_DELIBERATION_BYTES // 1_000_000


def read_deliberation_bounded(data: bytes, name: str) -> DeliberationReading:
    """The reading of a file's content in a bounded child process; raises
    DeliberationReadError (in French) when it cannot be read or passes its budget."""
    try:
        return run_bounded(
            "spend.deliberations.reader:read_deliberation_bytes",
            data,
            name,
            seconds=deliberation_seconds(),
        )
    except WorkerStopped as stopped:
        raise DeliberationReadError(
            stopped.french(f"La lecture de « {name} » a été arrêtée") + "."
        ) from None


@st.cache_resource(show_spinner=False, max_entries=16)
def _reading(digest: str, name: str, _data: bytes) -> DeliberationReading:
    return read_deliberation_bounded(_data, name)


def read_uploaded_deliberation(data: bytes, name: str) -> DeliberationReading:
    """The reading of an uploaded file (raises DeliberationReadError, in French)."""
    with st.spinner("Lecture de la délibération…"):
        return _reading(hashlib.sha256(data).hexdigest(), name, data)
