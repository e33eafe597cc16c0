"""The command line on two authorities: `--authority` of one never lists the other's journal,
backups, settings, figures or exports."""

import zipfile
from pathlib import Path

import pytest

from tests.store.postgres.conftest import spend
from tests.store.postgres.two_authorities import (
    ARRAS,
    ARRAS_MARKS,
    LENS,
    LENS_MARKS,
    NAMES,
    create_two_authorities,
)


@pytest.mark.slow
def test_each_authoritys_commands_show_only_its_own(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEND_PG_BACKUP_DIR", str(tmp_path / "backups"))
    create_two_authorities(tmp_path)
    for mine, name, others in ((ARRAS, NAMES[ARRAS], LENS_MARKS), (LENS, NAMES[LENS], ARRAS_MARKS)):
        said = {}
        for command in ("journal", "backups", "settings", "balance", "totals"):
            done = spend(command, "--authority", mine)
            assert done.returncode == 0, (command, done.stderr)
            said[command] = done.stdout
        assert name in said["settings"] and name in said["journal"]
        assert [line for line in said["backups"].splitlines() if f"/{mine}/{mine}-" in line]
        export = tmp_path / f"{mine}.zip"
        assert spend("export", str(export), "--authority", mine).returncode == 0
        with zipfile.ZipFile(export) as archive:
            said["export"] = " ".join(
                archive.read(member).decode("utf-8-sig") for member in archive.namelist()
            )
        for command, output in said.items():
            assert not [mark for mark in others if mark in output], (mine, command)
    lens_balance = spend("balance", "--authority", LENS).stdout
    assert "7500.00" in lens_balance and "4700.00" in lens_balance
