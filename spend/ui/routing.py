"""Pages run through app.py's router, even when Streamlit started them on its own."""

import contextlib
import runpy
import threading
from collections.abc import Iterator

import streamlit as st

from spend.paths import ROOT

_router = threading.local()  # set while app.py runs a page, in that script thread


def ensure_router() -> None:
    """Run the page through app.py when Streamlit started it on its own.

    Until a process has run app.py's st.navigation once, Streamlit serves pages/ by itself
    (its older multipage mode): the first visitor of /fees would get the page without the
    sidebar. Running the router here renders the same page properly, then stops this run.
    """
    if getattr(_router, "active", False):
        return
    runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
    st.stop()


@contextlib.contextmanager
def routed() -> Iterator[None]:
    """Mark the page run as coming from the router (see ensure_router)."""
    _router.active = True
    try:
        yield
    finally:
        _router.active = False
