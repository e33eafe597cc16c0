"""The store's scope of authorities, as the dashboard sets it at each run: the chosen authority
is opened only when the person may use it, and each thread (a script run) has its own."""

import threading

import pytest

from spend.store import backend
from spend.store.database import StoreError


def test_the_scope_answers_its_authority_only_within_the_allowed_set() -> None:
    with backend.scope("arras", {"arras", "lens"}):
        assert backend.authority() == "arras"
    with backend.scope("lens", {"arras"}), pytest.raises(StoreError, match="refusée"):
        backend.authority()
    with backend.scope("", set()), pytest.raises(StoreError, match="Aucune collectivité"):
        backend.authority()
    with backend.scope("Lens; drop", {"Lens; drop"}), pytest.raises(StoreError):
        backend.authority()  # still a schema name of ours


def test_outside_any_scope_the_command_lines_authority_holds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SPEND_AUTHORITY", "lens")
    assert backend.current_scope() is None
    assert backend.authority() == "lens"


def test_each_thread_has_its_own_scope() -> None:
    seen: dict[str, str] = {}

    def run(name: str) -> None:
        backend.enter_scope(name, {name})
        barrier.wait()  # both scopes set before either reads
        seen[name] = backend.authority()

    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=run, args=(n,)) for n in ("arras", "lens")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"arras": "arras", "lens": "lens"}
    assert backend.current_scope() is None  # this thread's untouched


def test_a_dashboards_run_without_a_scope_opens_no_authority(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As in a callback of a dashboard serving several authorities, run before the router
    # has put the person's choice in the scope: never SPEND_AUTHORITY's authority.
    monkeypatch.setenv("SPEND_AUTHORITY", "lens")
    in_run = {"now": True}
    monkeypatch.setattr(backend, "_scope_required", [])
    backend.require_scope_when(lambda: in_run["now"])
    with pytest.raises(StoreError, match="Aucune collectivité"):
        backend.authority()
    with backend.scope("arras", {"arras"}):
        assert backend.authority() == "arras"
    in_run["now"] = False  # the command line, or a test's own thread
    assert backend.authority() == "lens"
