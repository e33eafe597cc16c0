"""Which processes use a database file: a file per process in `<stem>.utilisateurs/`, removed
when the process ends. The command line's `init --force` refuses to remove a database that a
running dashboard uses (its saves would go to a file that no longer exists)."""

import atexit
import contextlib
import os
from pathlib import Path

_registered: set[Path] = set()


def users_dir(database: Path) -> Path:
    return database.with_name(f"{database.stem}.utilisateurs")


def register_user(database: Path) -> None:
    """Say that this process uses the database, until it ends (once per process and file)."""
    key = database.resolve()
    if key in _registered:
        return
    folder = users_dir(database)
    folder.mkdir(parents=True, exist_ok=True)
    mark = folder / str(os.getpid())
    mark.write_text("tableau de bord\n", encoding="utf-8")
    _registered.add(key)
    atexit.register(_unregister, mark)


def _unregister(mark: Path) -> None:
    mark.unlink(missing_ok=True)


def live_users(database: Path) -> list[int]:
    """Other running processes that use the database (marks of ended ones are removed)."""
    folder = users_dir(database)
    if not folder.is_dir():
        return []
    alive = []
    for mark in folder.iterdir():
        if not mark.name.isdigit():
            continue
        pid = int(mark.name)
        if pid == os.getpid():
            continue
        if _running(pid):
            alive.append(pid)
        else:
            mark.unlink(missing_ok=True)
    return sorted(alive)


def _running(pid: int) -> bool:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, 0)
        return True
    return False
