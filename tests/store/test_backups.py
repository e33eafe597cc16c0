"""A dated copy before every write, the newest kept, and a way back: to the cent."""

from pathlib import Path

import pytest

from spend import store
from spend.store import backups
from spend.store.restore import restore
from tests.conftest import ADMIN, run_cli

NEW_CREDITS = (
    "operation_code,imputation,label,year,credits\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2022,3100.00\n"
)


def _import_credits(db: Path, tmp_path: Path, credits: str = "3100.00") -> None:
    folder = tmp_path / f"in-{credits}"
    folder.mkdir()
    (folder / "budget_lines.csv").write_text(NEW_CREDITS.replace("3100.00", credits))
    result = run_cli("import", str(folder), "--db", str(db))
    assert result.returncode == 0, result.stderr


def _balance(db: Path) -> str:
    return run_cli("balance", "--db", str(db), "--year", "2022").stdout


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "spend.duckdb"
    assert run_cli("init", "--db", str(path)).returncode == 0
    return path


def test_every_write_is_preceded_by_a_backup(db: Path, tmp_path: Path) -> None:
    assert backups.list_backups(db) == []  # the seed was the first write: nothing before it
    _import_credits(db, tmp_path)
    (first,) = backups.list_backups(db)
    assert first.reason.startswith("import")
    assert first.path.parent == db.with_name("spend.sauvegardes")


def test_restore_gives_back_the_figures_to_the_cent(db: Path, tmp_path: Path) -> None:
    before = _balance(db)
    _import_credits(db, tmp_path)
    assert "3100.00" in _balance(db)
    result = run_cli("restore", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert _balance(db) == before
    # The replaced state was itself kept: restoring it brings the change back.
    replaced = backups.latest_backup(db)
    assert replaced is not None and "avant-restauration" in replaced.name
    restore(db, replaced.path, actor=ADMIN)
    assert "3100.00" in _balance(db)


def test_restore_works_when_the_database_file_is_destroyed(db: Path, tmp_path: Path) -> None:
    _import_credits(db, tmp_path)
    expected = _balance(db)
    _import_credits(db, tmp_path, "9999.00")
    db.unlink()
    result = run_cli("restore", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "ne s'ouvrait pas" in result.stdout
    assert _balance(db) == expected


def test_only_the_newest_are_kept_and_a_crash_leaves_them_whole(db: Path, tmp_path: Path) -> None:
    con = store.connect(db)
    try:
        store.update_settings(con, {"backup_keep": "3"}, actor=ADMIN, source="paramètres")
        folder = backups.backup_dir(db)
        # A copy a crash interrupted: a temporary file, never taken for a backup.
        (folder / f"{backups.TEMPORARY}spend-x.duckdb").write_bytes(b"half a file")
        for number in range(5):
            store.update_settings(
                con, {"vat_rate": f"2{number}.00"}, actor=ADMIN, source="paramètres"
            )
    finally:
        con.close()
    kept = backups.list_backups(db)
    assert len(kept) == 3
    assert not list(folder.glob(f"{backups.TEMPORARY}*"))
    taken = [b.taken_at for b in kept]
    assert taken == sorted(taken, reverse=True)


def test_a_backup_that_does_not_open_is_not_put_back(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "not-a-backup.duckdb"
    bad.write_bytes(b"not a database")
    before = _balance(db)
    result = run_cli("restore", str(bad), "--db", str(db))
    assert result.returncode == 1
    assert "ne s'ouvre pas" in result.stderr
    assert _balance(db) == before


def test_backup_and_list_from_the_command_line(db: Path) -> None:
    made = run_cli("backup", "--db", str(db))
    assert made.returncode == 0, made.stderr
    listed = run_cli("backups", "--db", str(db))
    assert "manuelle" in listed.stdout


def test_init_force_keeps_a_backup_and_refuses_under_a_running_dashboard(
    db: Path, tmp_path: Path
) -> None:
    _import_credits(db, tmp_path)
    result = run_cli("init", "--force", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "Sauvegarde de l'ancienne base" in result.stdout
    assert "avant-reinitialisation" in backups.latest_backup(db).name
    assert "3000.00" in _balance(db)
    # A process that uses the database (as the dashboard does) stops a reset.
    users = db.with_name("spend.utilisateurs")
    users.mkdir(exist_ok=True)
    (users / "1").write_text("tableau de bord\n")  # pid 1 is always running
    refused = run_cli("init", "--force", "--db", str(db))
    assert refused.returncode == 1
    assert "utilisée par le tableau de bord (processus 1)" in refused.stderr
