"""`spend init --authority ID --from FILE.duckdb`: the release database of 2026-11 (migrated on
a copy) becomes an authority whose fees, totals, balance, settings and journal are those of the
file, byte for byte; an authority already holding data is refused in French, unchanged."""

import csv
import gzip
import io
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from spend import store
from spend.domain.access import Actor, Role
from spend.exchange.importer import import_raw_tables, read_files
from spend.store.arbitration import read_arbitrations, set_arbitration
from tests.conftest import ADMIN, FIXTURES
from tests.store.postgres.conftest import spend

RELEASE = FIXTURES / "release_2026_11"
ON_FILE = {"SPEND_DATABASE_URL": ""}
MANAGER = Actor("g.martin@exemple.fr", Role.MANAGER)
LINE = (
    "operation_code,imputation,label,year,credits,stage\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2025,2800.00,BP\n"
)


def rows(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


def _release(folder: Path) -> Path:
    db = folder / "release.duckdb"
    with gzip.open(RELEASE / "spend.duckdb.gz", "rb") as packed, db.open("wb") as out:
        shutil.copyfileobj(packed, out)
    return db


def _write_on_the_file(db: Path) -> None:
    """Writes of every journaled kind on the release's file (migrated on opening): the
    transfer must carry them, and the journal that names them."""
    with store.session(db) as con:
        raw = read_files([("budget_lines.csv", LINE.encode())])
        import_raw_tables(con, raw, actor=MANAGER, source="lignes 2025")
        store.update_settings(con, {"vat_rate": "5.50"}, actor=ADMIN, source="paramètres")
        set_arbitration(con, "C06-020M02", "6281/930202", 2025, Decimal("2600.00"), actor=MANAGER)
        store.save_scenario(con, "CAIH +10 %", '{"fee_pct": 10}', actor=MANAGER)
        rules = pl.DataFrame({"kind": ["email"], "name": ["a@x.fr"], "role": ["gestionnaire"]})
        store.replace_access_rules(con, rules, actor=ADMIN)


def _kept(con: Any) -> list[pl.DataFrame]:
    return [
        read_arbitrations(con),
        store.query(con, "read_scenarios").drop("saved_at"),
        store.query(con, "read_access_rules"),
    ]


@pytest.mark.slow
def test_the_release_file_becomes_an_authority_with_its_figures_and_journal(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _release(tmp_path)
    monkeypatch.delenv("SPEND_DATABASE_URL")
    _write_on_the_file(db)
    with store.session(db) as con:
        on_file = _kept(con)
    monkeypatch.setenv("SPEND_DATABASE_URL", pg_url)
    monkeypatch.setenv("SPEND_AUTHORITY", "release")
    untouched = db.read_bytes()
    backups = sorted(p.name for p in (tmp_path / "release.sauvegardes").iterdir())
    moved = spend("init", "--authority", "release", "--from", str(db))
    assert moved.returncode == 0, moved.stderr
    assert "transféré" in moved.stdout
    assert db.read_bytes() == untouched  # read from a copy: the file is not written
    assert sorted(p.name for p in (tmp_path / "release.sauvegardes").iterdir()) == backups
    with store.session(Path("unused")) as con:
        assert getattr(con, "is_postgres", False)
        assert all(f.equals(e) for f, e in zip(_kept(con), on_file, strict=True))
        assert on_file[0].height == on_file[1].height == on_file[2].height == 1
    assert "release" in spend("authorities").stdout.split()
    for command in ("fees", "totals", "balance", "journal", "settings"):
        expected = spend(command, "--db", str(db), env=ON_FILE)
        assert expected.returncode == 0, expected.stderr
        assert expected.stdout.count("\n") > 1, command
        found = spend(command, "--authority", "release").stdout
        if command == "settings":  # the file's own identity (its backups' lineage) stays
            expected_lines = expected.stdout.splitlines()
            assert any(line.startswith("database_id;") for line in expected_lines)
            assert found.splitlines() == [
                line for line in expected_lines if not line.startswith("database_id;")
            ]
        else:
            assert found == expected.stdout, command
    # A write on the authority continues the file's journal, numbered after it.
    last = max(
        int(row["id"]) for row in rows(spend("journal", "--db", str(db), env=ON_FILE).stdout)
    )
    assert spend("settings", "vat_rate=20", "--authority", "release").returncode == 0
    newest = rows(spend("journal", "--authority", "release").stdout)[0]
    assert int(newest["id"]) == last + 1 and "20.00" in newest["after"]


def test_an_authority_holding_data_is_refused_and_left_as_it_was(
    pg_url: str, tmp_path: Path
) -> None:
    db = _release(tmp_path)
    assert spend("init", "--authority", "arras").returncode == 0  # seeded: it holds data
    before = spend("journal", "--authority", "arras").stdout
    refused = spend("init", "--authority", "arras", "--from", str(db))
    assert refused.returncode == 1
    assert "existe déjà" in refused.stderr and "rien n'a été transféré" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert spend("journal", "--authority", "arras").stdout == before
    missing = spend("init", "--authority", "lens", "--from", str(tmp_path / "absent.duckdb"))
    assert missing.returncode == 1 and "introuvable" in missing.stderr
    on_file = spend("init", "--db", str(tmp_path / "x.duckdb"), "--from", str(db), env=ON_FILE)
    assert on_file.returncode == 1 and "SPEND_DATABASE_URL" in on_file.stderr
