"""A bare restore (no file named) just after a restore, on the embedded file: it keeps what was
restored (the restore's own copy of the restored state is the newest), never the safety copy
of the replaced file, which would silently undo the restore. The server does the same
(tests/store/postgres/test_pg_restore.py)."""

from pathlib import Path

import pytest

from spend.store import backups
from tests.conftest import ADMIN, run_cli

NEW_CREDITS = (
    "operation_code,imputation,label,year,credits\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2022,3100.00\n"
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "spend.duckdb"
    assert run_cli("init", "--db", str(path)).returncode == 0
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "budget_lines.csv").write_text(NEW_CREDITS)
    assert run_cli("import", str(folder), "--db", str(path)).returncode == 0
    return path


def _credits_2022(db: Path) -> str:
    done = run_cli("balance", "--db", str(db), "--year", "2022")
    assert done.returncode == 0, done.stderr
    line = next(row for row in done.stdout.splitlines() if row.startswith("C06-020M02,"))
    return line.split(",")[3]


def test_a_bare_restore_after_a_restore_keeps_what_was_restored(db: Path) -> None:
    (created,) = backups.list_backups(db)
    assert _credits_2022(db) == "3100.00"
    assert run_cli("restore", str(created.path), "--db", str(db)).returncode == 0
    assert _credits_2022(db) == "3000.00"
    newest = backups.list_backups(db)[0]
    assert newest.reason == "restauration"  # the restored state, newer than the safety copy
    again = run_cli("restore", "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert newest.path.name in again.stdout
    assert _credits_2022(db) == "3000.00"  # not the 3100.00 the safety copy holds


def test_the_administration_page_offers_the_restored_state_first(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spend.ui import cache

    monkeypatch.setenv("SPEND_DB", str(db))
    monkeypatch.delenv("SPEND_DATABASE_URL", raising=False)
    created = cache.backups()[-1]
    cache.restore_backup(created.path, ADMIN)
    listed = cache.backups()
    assert [b.reason for b in listed[:2]] == ["restauration", "avant restauration"]
    cache.restore_backup(listed[0].path, ADMIN)  # the page's default choice
    assert _credits_2022(db) == "3000.00"
