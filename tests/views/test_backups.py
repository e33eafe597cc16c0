"""The backups list reads each backup's reason as it was given (issue 18, item 8: « annulation
de l entrée n  43 » lost its apostrophe and its « ° » in the file name)."""

import datetime as dt
from pathlib import Path

import pytest

from spend.store.backups import list_backups, reason_from_name, reason_in_name
from spend.views.backups import backup_label, backup_table

REASONS = [
    "annulation de l'entrée n° 43",
    "import conventions.csv",
    "restauration de spend-20261202.duckdb",
    "Modification « Lignes budgétaires » (2 lignes) : 100 % ~ -",
    "",
]


@pytest.mark.parametrize("reason", REASONS)
def test_a_reason_comes_back_from_the_file_name_as_it_was(reason: str) -> None:
    name = reason_in_name(reason)
    assert "." not in name and "/" not in name  # nothing the name's other parts are split on
    assert reason_from_name(name) == (reason or "copie")


def test_a_long_reason_is_cut_and_says_so() -> None:
    name = reason_in_name("x" * 500)
    assert len(name.encode("utf-8")) <= 130
    assert reason_from_name(name).endswith("…")


def test_a_name_written_before_reads_with_spaces() -> None:
    assert reason_from_name("import-conventions-csv") == "import conventions csv"


def test_the_backups_list_shows_the_reason_whole(tmp_path: Path) -> None:
    database = tmp_path / "spend.duckdb"
    folder = tmp_path / "spend.sauvegardes"
    folder.mkdir()
    reason = "annulation de l'entrée n° 43"
    name = f"spend-20261202-101500-123456-{reason_in_name(reason)}.3f2a9c1b7d0e-42.duckdb"
    (folder / name).write_bytes(b"copy")
    (backup,) = list_backups(database)
    assert (backup.reason, backup.lineage, backup.last_write) == (reason, "3f2a9c1b7d0e", 42)
    assert backup.taken_at == dt.datetime(2026, 12, 2, 10, 15, 0, 123456)
    assert backup_label(backup).endswith("— annulation de l'entrée n° 43")
    assert backup_table([backup])["reason"].to_list() == [reason]
