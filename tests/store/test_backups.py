"""Full copies on a schedule, the write log between them, and a way back: to the cent, with
every write that was reported done, even when the database file is destroyed."""

import json
from pathlib import Path

import pytest

from spend import store
from spend.store import backups, database, writelog
from spend.store.restore import restore
from tests.conftest import ADMIN, run_cli

NEW_CREDITS = (
    "operation_code,imputation,label,year,credits\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2022,3100.00\n"
)


def _import_credits(db: Path, tmp_path: Path, credits: str = "3100.00") -> None:
    folder = tmp_path / f"in-{credits}"
    folder.mkdir(exist_ok=True)
    (folder / "budget_lines.csv").write_text(NEW_CREDITS.replace("3100.00", credits))
    result = run_cli("import", str(folder), "--db", str(db))
    assert result.returncode == 0, result.stderr


def _balance(db: Path) -> str:
    result = run_cli("balance", "--db", str(db), "--year", "2022")
    assert result.returncode == 0, result.stderr
    return result.stdout


def _journal(db: Path) -> str:
    result = run_cli("journal", "--db", str(db))
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "spend.duckdb"
    assert run_cli("init", "--db", str(path)).returncode == 0
    return path


def test_init_makes_a_full_copy_and_each_write_goes_to_the_log(db: Path, tmp_path: Path) -> None:
    (created,) = backups.list_backups(db)
    assert created.reason == "creation" and len(created.lineage) == 12
    assert created.path.parent == db.with_name("spend.sauvegardes")
    _import_credits(db, tmp_path)
    assert backups.list_backups(db) == [created]  # no second copy of the whole file
    (record,) = [
        r for r in writelog.read_log(db, created.lineage) if r["write_id"] > created.last_write
    ]
    (entry,) = record["entries"]
    assert entry["table_name"] == "budget_lines"
    assert json.loads(entry["row_before"])["credits"] == "3000.00"
    assert json.loads(entry["row_after"])["credits"] == "3100.00"
    assert record["write_log"]["source"].startswith("import")


def test_a_full_copy_every_few_writes(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "FULL_EVERY", 2)
    for credits in ("3100.00", "3200.00", "3300.00", "3400.00"):
        _import_credits(db, tmp_path, credits)
    reasons = [b.reason for b in backups.list_backups(db)]
    assert reasons.count("creation") == 1
    assert len(reasons) == 2  # one more full copy, after two logged writes


def test_restore_of_a_chosen_backup_gives_its_figures_to_the_cent(db: Path, tmp_path: Path) -> None:
    before = _balance(db)
    (created,) = backups.list_backups(db)
    _import_credits(db, tmp_path)
    assert "3100.00" in _balance(db)
    result = run_cli("restore", str(created.path), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert _balance(db) == before
    # The replaced state was itself kept: restoring it brings the change back.
    replaced = next(b for b in backups.list_backups(db) if "avant-restauration" in b.name)
    restore(db, replaced.path, actor=ADMIN)
    assert "3100.00" in _balance(db)


def test_a_destroyed_file_comes_back_with_every_reported_write(db: Path, tmp_path: Path) -> None:
    _import_credits(db, tmp_path)
    _import_credits(db, tmp_path, "9999.00")
    expected, journal = _balance(db), _journal(db)
    assert "9999.00" in expected
    db.unlink()
    result = run_cli("restore", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "ne s'ouvrait pas" in result.stdout
    assert _balance(db) == expected
    # The journal too: every entry as it was, then the restore's own.
    restored = _journal(db).splitlines()
    assert restored[0] == journal.splitlines()[0]
    assert "restauration" in restored[1]
    assert restored[2:] == journal.splitlines()[1:]


def test_a_restore_up_to_a_write(db: Path, tmp_path: Path) -> None:
    _import_credits(db, tmp_path)
    con = store.connect(db)
    try:
        first = backups.last_write_of(con)
    finally:
        con.close()
    _import_credits(db, tmp_path, "9999.00")
    result = run_cli("restore", "--db", str(db), "--until", str(first))
    assert result.returncode == 0, result.stderr
    assert "3100.00" in _balance(db) and "9999.00" not in _balance(db)


def test_the_newest_are_kept_and_a_crash_leaves_them_whole(db: Path) -> None:
    con = store.connect(db)
    try:
        store.update_settings(con, {"backup_keep": "3"}, actor=ADMIN, source="paramètres")
    finally:
        con.close()
    folder = backups.backup_dir(db)
    # A copy a crash interrupted: a temporary file, never taken for a backup.
    (folder / f"{backups.TEMPORARY}spend-x.duckdb").write_bytes(b"half a file")
    for _ in range(5):
        assert run_cli("backup", "--db", str(db)).returncode == 0
    kept = backups.list_backups(db)
    assert len(kept) == 3
    assert not list(folder.glob(f"{backups.TEMPORARY}*"))
    taken = [b.taken_at for b in kept]
    assert taken == sorted(taken, reverse=True)


def test_a_size_budget_as_well_as_a_count(db: Path) -> None:
    for _ in range(4):
        assert run_cli("backup", "--db", str(db)).returncode == 0
    lineage = backups.list_backups(db)[0].lineage
    assert len(backups.list_backups(db)) == 5
    backups.prune(db, keep=20, lineage=lineage, budget_mb=0)
    assert len(backups.list_backups(db)) == 2  # the newest two, whatever the budget


def test_rotation_keeps_the_last_backups_of_the_database_there_before(
    db: Path, tmp_path: Path
) -> None:
    _import_credits(db, tmp_path)
    assert run_cli("backup", "--db", str(db)).returncode == 0
    earlier = {b.path for b in backups.list_backups(db)}
    db.unlink()
    # Nothing makes a new database there by itself; `init` says why, and `--force` does it.
    refused = run_cli("init", "--db", str(db))
    assert refused.returncode == 1 and "sauvegarde(s) d'une base précédente" in refused.stderr
    assert not db.exists()
    assert run_cli("init", "--force", "--db", str(db)).returncode == 0
    con = store.connect(db)
    try:
        store.update_settings(con, {"backup_keep": "1"}, actor=ADMIN, source="paramètres")
    finally:
        con.close()
    for number in range(25):
        _import_credits(db, tmp_path, f"{4000 + number}.00")
        assert run_cli("backup", "--db", str(db)).returncode == 0
    kept = {b.path for b in backups.list_backups(db)}
    assert earlier <= kept  # the earlier database's copies are all still there
    assert "4024.00" in _balance(db)


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


@pytest.mark.parametrize("name", ['dit "ma" base', "l'autre base"])
def test_quotes_in_the_database_name(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    folder.mkdir()
    db = folder / f"{name}.duckdb"
    assert run_cli("init", "--db", str(db)).returncode == 0
    for _ in range(2):  # the second import follows a full copy of the first
        _import_credits(db, tmp_path)
    made = run_cli("backup", "--db", str(db))
    assert made.returncode == 0, made.stderr
    _import_credits(db, tmp_path, "9999.00")
    expected = _balance(db)
    db.unlink()
    result = run_cli("restore", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert _balance(db) == expected


def test_init_force_keeps_a_backup_and_refuses_under_a_running_dashboard(
    db: Path, tmp_path: Path
) -> None:
    _import_credits(db, tmp_path)
    result = run_cli("init", "--force", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "Sauvegarde de l'ancienne base" in result.stdout
    assert any("avant-reinitialisation" in b.name for b in backups.list_backups(db))
    assert "3000.00" in _balance(db)
    # A process that uses the database (as the dashboard does) stops a reset.
    users = db.with_name("spend.utilisateurs")
    users.mkdir(exist_ok=True)
    (users / "1").write_text("tableau de bord\n")  # pid 1 is always running
    refused = run_cli("init", "--force", "--db", str(db))
    assert refused.returncode == 1
    assert "utilisée par le tableau de bord (processus 1)" in refused.stderr


def test_an_older_copy_put_in_place_of_a_destroyed_file_keeps_the_later_history(
    db: Path, tmp_path: Path
) -> None:
    (created,) = backups.list_backups(db)
    _import_credits(db, tmp_path)
    _import_credits(db, tmp_path, "9999.00")
    journal = _journal(db).splitlines()
    db.write_bytes(b"destroyed")
    result = run_cli("restore", str(created.path), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "9999.00" not in _balance(db) and "3100.00" not in _balance(db)
    restored = _journal(db).splitlines()
    assert restored[2:] == journal[1:]  # both imports are still in the history
    # A later write, then the file lost again: the last state comes back, not a stale one.
    _import_credits(db, tmp_path, "4242.00")
    expected = _balance(db)
    db.unlink()
    assert run_cli("restore", "--db", str(db)).returncode == 0
    assert _balance(db) == expected
