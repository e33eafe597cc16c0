"""Hostile database files offered to `restore`, made at test time: a view over a file of the
server, a newer schema, a foreign DuckDB file, one unrelated table, an extra macro or
sequence. Each is refused in French before anything is swapped in: the live figures stay the
same, and no text of the server's files reaches an export."""

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from spend.domain.access import Actor, Role
from spend.store import StoreError
from spend.store.restore import restore
from tests.bad_inputs.conftest import Corpus
from tests.conftest import run_cli

ADMIN = Actor("tests", Role.ADMIN, "tests")
SECRET = "ligne-secrète-du-serveur"


def _seeded_copy(db: Path, target: Path) -> duckdb.DuckDBPyConnection:
    """A plain DuckDB connection to a copy of the database (what an attacker can make)."""
    target.write_bytes(db.read_bytes())
    return duckdb.connect(str(target))


def view_over_a_server_file(db: Path, target: Path, secret: Path) -> None:
    con = _seeded_copy(db, target)
    con.execute("drop table bodies")
    con.execute(
        "create view bodies as select column0 as body_id, column0 as name, "
        "null::varchar as siret, null::varchar as address "
        f"from read_csv('{secret}', header = false, columns = {{'column0': 'varchar'}})"
    )
    con.close()


def newer_schema(db: Path, target: Path, secret: Path) -> None:
    con = _seeded_copy(db, target)
    con.execute("insert into schema_version values (99, 'future', current_timestamp)")
    con.close()


def foreign_file(db: Path, target: Path, secret: Path) -> None:
    con = duckdb.connect(str(target))
    con.execute("create table measures (station varchar, value double)")
    con.execute("insert into measures values ('Arras', 12.5)")
    con.close()


def empty_duckdb_file(db: Path, target: Path, secret: Path) -> None:
    duckdb.connect(str(target)).close()


def a_macro_beside_our_tables(db: Path, target: Path, secret: Path) -> None:
    con = _seeded_copy(db, target)
    con.execute("create macro settings() as table select 'x' as key, 'y' as value")
    con.close()


def a_sequence_and_a_table_more(db: Path, target: Path, secret: Path) -> None:
    con = _seeded_copy(db, target)
    con.execute("create sequence next_id")
    con.execute("create table extra (x integer)")
    con.close()


def a_column_changed_type(db: Path, target: Path, secret: Path) -> None:
    con = _seeded_copy(db, target)
    con.execute("alter table commitments alter amount_incl_tax type double")
    con.close()


CRAFTED: dict[str, tuple[Callable[[Path, Path, Path], None], str]] = {
    "a view over read_csv of a server file": (view_over_a_server_file, "une vue « bodies »"),
    "a newer schema version": (newer_schema, "version plus récente"),
    "a foreign DuckDB file": (foreign_file, "pas une base du tableau de bord"),
    "an empty DuckDB file": (empty_duckdb_file, "pas une base du tableau de bord"),
    "a macro named like a table": (a_macro_beside_our_tables, "une macro « settings »"),
    "a sequence and a table more": (a_sequence_and_a_table_more, "une séquence"),
    "a column of another type": (a_column_changed_type, "amount_incl_tax DOUBLE"),
}


@pytest.mark.parametrize("case", list(CRAFTED))
def test_a_crafted_database_is_refused_before_the_swap(
    tmp_path: Path, case: str, corpus: Corpus
) -> None:
    db = tmp_path / "spend.duckdb"
    assert run_cli("init", "--db", str(db)).returncode == 0
    secret = tmp_path / "passwd"
    secret.write_text(f"{SECRET}\nroot:x:0:0\n", encoding="utf-8")
    crafted = tmp_path / "sauvegarde-piegee.duckdb"
    make, reason = CRAFTED[case]
    make(db, crafted, secret)
    before = run_cli("balance", "--db", str(db)).stdout
    live = db.read_bytes()
    with pytest.raises(StoreError, match="Restauration refusée") as refusal:
        restore(db, crafted, actor=ADMIN)
    assert reason in str(refusal.value)
    assert "La base n'a pas été modifiée" in str(refusal.value)
    assert db.read_bytes() == live
    result = run_cli("restore", str(crafted), "--db", str(db))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert run_cli("balance", "--db", str(db)).stdout == before
    out = tmp_path / "export"
    assert run_cli("export", str(out), "--db", str(db)).returncode == 0
    assert not any(SECRET in f.read_text(encoding="utf-8") for f in out.iterdir())
    corpus.record("refused")


def test_a_crafted_live_file_cannot_read_the_server(tmp_path: Path) -> None:
    """Even a file put in place by hand reads no file of the server: external access is off."""
    db = tmp_path / "spend.duckdb"
    assert run_cli("init", "--db", str(db)).returncode == 0
    secret = tmp_path / "passwd"
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    planted = tmp_path / "planted.duckdb"
    view_over_a_server_file(db, planted, secret)
    planted.replace(db)
    result = run_cli("export", str(tmp_path / "out"), "--db", str(db))
    assert result.returncode == 1
    assert SECRET not in result.stdout + result.stderr
