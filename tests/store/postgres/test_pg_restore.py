"""A restore on the PostgreSQL server keeps the embedded store's promises: the dump checked
before anything changes (another authority's, a damaged one, one with objects of its own, one
whose tables are not ours: refused in French, the authority untouched, no safety dump left), the
swap in one transaction under the authority's write lock (a writer waiting for it lands after
it), the journal entries written since the backup carried over, the restore journaled."""

import threading
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from spend.domain.access import AccessRefused, Actor, Role
from spend.store import pg_backups, postgres
from spend.store.database import StoreError
from spend.store.schema import LATEST
from spend.store.writes import update_settings
from tests.store.postgres.conftest import spend

ADMIN = Actor("admin@arras.fr", Role.ADMIN, "ligne de commande")


@pytest.fixture
def arras(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Authority `arras` seeded, backed up once; `lens` empty beside it."""
    monkeypatch.setenv("SPEND_PG_BACKUP_DIR", str(tmp_path / "backups"))
    assert spend("init", "--authority", "arras").returncode == 0
    assert spend("init", "--empty", "--authority", "lens").returncode == 0
    made = spend("backup", "--authority", "arras")
    assert made.returncode == 0, made.stderr
    return pg_url


def _journal(url: str, authority: str = "arras") -> list[tuple[int, str, str | None]]:
    with psycopg.connect(postgres.with_schema(url, authority)) as pg:
        return pg.execute("select id, action, row_after from journal order by id").fetchall()


def _vat(url: str) -> str:
    with psycopg.connect(postgres.with_schema(url, "arras")) as pg:
        return pg.execute("select value from settings where key = 'vat_rate'").fetchall()[0][0]


def _dumps(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "backups" / "arras").glob("*.dump"))


def _set_vat(url: str, value: str) -> None:
    with postgres.connect(url, "arras") as con:
        update_settings(con, {"vat_rate": value}, actor=ADMIN, source="test")  # type: ignore[arg-type]


@pytest.mark.slow
def test_the_entries_written_since_the_backup_survive_the_restore(
    arras: str, tmp_path: Path
) -> None:
    _set_vat(arras, "5.50")
    before = _journal(arras)
    used, safety = pg_backups.restore(arras, "arras", None, actor=ADMIN)
    assert used.name.endswith("-manuelle.dump") and safety.exists()
    assert Decimal(_vat(arras)) == Decimal("20.00")  # the backup's figures
    after = _journal(arras)
    assert after[: len(before)] == before  # every entry kept, the settings write's included
    assert [action for _, action, _ in after[len(before) :]] == ["restauration"]
    assert "1 entrée(s) du journal d'après elle gardées" in (after[-1][2] or "")
    balance = spend("balance", "--authority", "arras").stdout.splitlines()
    assert "C06-020M02,6281/930202,2022,3000.00,2800.00,200.00" in balance
    assert _journal(arras, "lens") == []  # nothing of arras written beside


@pytest.mark.slow
def test_a_foreign_or_damaged_dump_is_refused_and_nothing_changes(
    arras: str, tmp_path: Path
) -> None:
    _set_vat(arras, "5.50")
    journal, dumps = _journal(arras), _dumps(tmp_path)
    damaged = tmp_path / "abime.dump"
    damaged.write_bytes(dumps[0].read_bytes()[:200])
    lens = Path(spend("backup", "--authority", "lens").stdout.split(" : ", 1)[1].strip())
    with psycopg.connect(postgres.with_schema(arras, "arras"), autocommit=True) as pg:
        pg.execute("create function arras.f() returns int language sql as 'select 1'")
        with_function = pg_backups.backup(arras, "arras", "fonction")
        pg.execute("drop function arras.f()")
        pg.execute("create table arras.extra (x int)")
        with_table = pg_backups.backup(arras, "arras", "table en trop")
        pg.execute("drop table arras.extra")
        pg.execute("alter table arras.budget_lines add column note text")
        with_column = pg_backups.backup(arras, "arras", "colonne en trop")
        pg.execute("alter table arras.budget_lines drop column note")
    refusals = {
        damaged: "n'est pas une sauvegarde lisible de PostgreSQL",
        lens: "c'est celle de la collectivité « lens »",
        with_function: "elle contient « FUNCTION arras f() »",
        with_table: "sa table « extra » est en trop",
        with_column: "la colonne « budget_lines.note » est en trop",
    }
    for dump, why in refusals.items():
        with pytest.raises(StoreError) as refused:
            pg_backups.restore(arras, "arras", dump, actor=ADMIN)
        assert why in str(refused.value), str(refused.value)
        assert "n'a pas été modifiée" in str(refused.value)
        done = spend("restore", str(dump), "--authority", "arras")
        assert done.returncode == 1 and why in done.stderr and "Traceback" not in done.stderr
    assert _journal(arras) == journal and Decimal(_vat(arras)) == Decimal("5.50")
    assert (
        sorted(set(_dumps(tmp_path)) - {with_function, with_table, with_column}) == dumps
    )  # no safety left
    assert postgres.authorities(arras) == ["arras", "lens"]


def test_a_reader_may_not_restore(arras: str) -> None:
    reader = Actor("lecteur@arras.fr", Role.READER, "tableau de bord")
    with pytest.raises(AccessRefused, match="restaurer une sauvegarde"):
        pg_backups.restore(arras, "arras", None, actor=reader)
    assert [a for _, a, _ in _journal(arras)].count("restauration") == 0


@pytest.mark.slow
def test_a_write_waiting_for_the_restore_lands_after_it(arras: str) -> None:
    """A restore holds the authority's write lock from its safety dump to its commit: a write
    started meanwhile waits, then is written into the restored schema and journaled there."""
    results: list[BaseException | None] = []
    with psycopg.connect(postgres.with_schema(arras, "arras"), autocommit=True) as holder:
        holder.execute("begin")  # the lock a restore takes, held here while both queue up
        holder.execute("select pg_advisory_xact_lock(hashtext('spend-write:arras'))")
        restorer = threading.Thread(
            target=lambda: pg_backups.restore(arras, "arras", None, actor=ADMIN)
        )
        restorer.start()
        _wait_for_lock_waiters(holder, 1)

        def write() -> None:
            try:
                _set_vat(arras, "10.00")
                results.append(None)
            except BaseException as error:
                results.append(error)

        writer = threading.Thread(target=write)
        writer.start()
        _wait_for_lock_waiters(holder, 2)
        holder.execute("rollback")
    restorer.join(120)
    writer.join(120)
    assert results == [None]
    actions = [a for _, a, _ in _journal(arras)]
    # Either order is the lock's; whichever came second saw the first.
    if actions[-1] == "restauration":
        assert Decimal(_vat(arras)) == Decimal("20.00")
        assert actions[-2] == "paramètres"
    else:
        assert Decimal(_vat(arras)) == Decimal("10.00")
        assert actions[-2] == "restauration"


def _wait_for_lock_waiters(pg: psycopg.Connection, count: int) -> None:
    for _ in range(600):
        waiting = pg.execute(
            "select count(*) from pg_locks where locktype = 'advisory' and not granted"
        ).fetchall()[0][0]
        if waiting >= count:
            return
        threading.Event().wait(0.05)
    raise AssertionError(f"{count} attente(s) du verrou attendue(s)")


def test_until_is_refused_in_french_on_the_server(arras: str) -> None:
    journal = _journal(arras)
    done = spend("restore", "--until", "3", "--authority", "arras")
    assert done.returncode == 1
    assert "--until n'existe pas sur le serveur PostgreSQL" in done.stderr
    assert "backups --authority arras" in done.stderr and "Traceback" not in done.stderr
    assert _journal(arras) == journal


@pytest.mark.slow
def test_an_authority_dropped_by_mistake_comes_back_from_its_dump(arras: str) -> None:
    with psycopg.connect(arras, autocommit=True) as pg:
        pg.execute("drop schema arras cascade")
    assert spend("balance", "--authority", "arras").returncode == 1  # gone, said in French
    done = spend("restore", "--authority", "arras")
    assert done.returncode == 0, done.stderr
    balance = spend("balance", "--authority", "arras").stdout.splitlines()
    assert "C06-020M02,6281/930202,2022,3000.00,2800.00,200.00" in balance
    assert [a for _, a, _ in _journal(arras)][-1] == "restauration"


def test_only_the_settings_comments_and_copy_headers_of_a_dump_are_accepted() -> None:
    """A restore reads the dump's rows only (pg_restore --data-only): a line of its output that
    is not one pg_dump writes around them refuses the dump (what an altered archive could slip
    in), a statement of a table's definition included."""
    fine = [
        "SET client_encoding = 'UTF8';",
        "SET default_tablespace = '';",
        "SELECT pg_catalog.set_config('search_path', '', false);",
        "COPY arras.bodies (body_id, name, siret, address) FROM stdin;",
        'COPY "user".settings (key, value) FROM stdin;',
        "-- Data for Name: bodies; Type: TABLE DATA; Schema: arras; Owner: -",
    ]
    for line in fine:
        assert pg_backups.statement_problem(f"{line}\n") is None, line
    crafted = [
        "COMMIT;",
        "SET ROLE postgres;",
        "SET session_replication_role = replica;",
        "CREATE TABLE arras.bodies (",
        "    body_id character varying NOT NULL,",
        "ALTER TABLE ONLY arras.bodies",
        "    SELECT * FROM lens.access_rules;",
        "COPY (select 1) TO PROGRAM 'id';",
        "COPY arras.bodies (body_id) FROM stdin; COMMIT;",
        "COPY arras.bodies (body_id) FROM PROGRAM 'id';",
        "SELECT pg_catalog.setval('arras.s', 1, true);",
        "CREATE FUNCTION arras.f() RETURNS int LANGUAGE sql AS 'select 1';",
    ]
    for line in crafted:
        problem = pg_backups.statement_problem(f"{line}\n")
        assert problem is not None and "instruction inattendue" in problem, line


@pytest.mark.slow
def test_a_dump_of_an_older_version_is_built_by_our_migrations_then_brought_up_to_date(
    arras: str,
) -> None:
    with psycopg.connect(postgres.with_schema(arras, "arras"), autocommit=True) as pg:
        pg.execute("drop table arbitrations")
        pg.execute("drop index journal_by_write")
        pg.execute("delete from schema_version where version >= 9")
        older = pg_backups.backup(arras, "arras", "version 8")
        pg.execute("insert into schema_version values (99, 'future', current_timestamp)")
        newer = pg_backups.backup(arras, "arras", "version 99")
        pg.execute("delete from schema_version where version = 99")
    with pytest.raises(StoreError, match="version plus récente du tableau de bord"):
        pg_backups.restore(arras, "arras", newer, actor=ADMIN)
    pg_backups.restore(arras, "arras", older, actor=ADMIN)
    with psycopg.connect(postgres.with_schema(arras, "arras")) as pg:
        versions = [v for (v,) in pg.execute("select version from schema_version order by 1")]
        arbitrations = pg.execute("select count(*) from arbitrations").fetchall()[0][0]
        index_count = pg.execute(
            "select count(*) from pg_indexes "
            "where schemaname = 'arras' and indexname = 'journal_by_write'"
        ).fetchall()[0][0]
    assert versions[-1] == LATEST and 99 not in versions and 8 in versions
    assert arbitrations == 0  # made by our migration 9 after the dump's rows were in
    assert index_count == 1  # and the journal's index by our migration 10


@pytest.mark.slow
def test_a_dump_whose_rows_are_cut_short_is_refused(arras: str, tmp_path: Path) -> None:
    dump = _dumps(tmp_path)[0]
    lines = "COPY arras.settings (key, value) FROM stdin;\nvat_rate\t20.00\n"
    with pytest.raises(StoreError, match="tronquées"):
        pg_backups.parse_rows(lines, dump, "arras")


@pytest.mark.slow
def test_a_bare_restore_after_a_restore_keeps_what_was_restored(arras: str, tmp_path: Path) -> None:
    """As on the file (tests/store/test_bare_restore.py): the restored schema is dumped after
    the swap, so the next bare restore puts it back rather than the safety dump."""
    (first,) = _dumps(tmp_path)  # VAT 20.00
    _set_vat(arras, "5.50")
    assert spend("backup", "--authority", "arras").returncode == 0  # a newer one, at 5.50
    _, safety = pg_backups.restore(arras, "arras", first, actor=ADMIN)
    assert Decimal(_vat(arras)) == Decimal("20.00")
    newest = pg_backups.list_backups("arras")[0]
    assert newest.name.endswith("-restauration.dump") and newest.name > safety.name
    again = spend("restore", "--authority", "arras")
    assert again.returncode == 0, again.stderr
    assert f"restaurée depuis {newest}" in again.stdout
    assert Decimal(_vat(arras)) == Decimal("20.00")  # not the 5.50 of the safety dump
    assert [a for _, a, _ in _journal(arras)][-2:] == ["restauration", "restauration"]


@pytest.mark.slow
def test_a_bare_restore_never_takes_a_safety_dump_it_names_the_dumps_instead(
    arras: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The dump of the restored schema failed (or an older release restored): the newest dump is
    the safety one, and a bare restore refuses in French rather than undo the restore."""
    (first,) = _dumps(tmp_path)
    _set_vat(arras, "5.50")
    dump = pg_backups.backup

    def failing_after_restore(url: str, authority: str, reason: str) -> Path:
        if reason == pg_backups.RESTORED_REASON:
            raise StoreError("pg_dump … a échoué (simulé)")
        return dump(url, authority, reason)

    monkeypatch.setattr(pg_backups, "backup", failing_after_restore)
    _, safety = pg_backups.restore(arras, "arras", first, actor=ADMIN)
    assert "sauvegarde d'après restauration a échoué" in caplog.text  # restored all the same
    assert Decimal(_vat(arras)) == Decimal("20.00")
    assert pg_backups.list_backups("arras") == [safety, first]
    journal = _journal(arras)
    refused = spend("restore", "--authority", "arras")
    assert refused.returncode == 1
    assert "est celle prise avant une restauration" in refused.stderr
    assert f"{safety} (prise avant une restauration)" in refused.stderr
    assert str(first) in refused.stderr and "Traceback" not in refused.stderr
    assert _journal(arras) == journal and Decimal(_vat(arras)) == Decimal("20.00")
    assert _dumps(tmp_path) == sorted([safety, first])  # not even a safety dump taken
    named = spend("restore", str(safety), "--authority", "arras")  # naming it undoes on purpose
    assert named.returncode == 0, named.stderr
    assert Decimal(_vat(arras)) == Decimal("5.50")


@pytest.mark.slow
def test_the_administration_page_offers_the_restored_state_first(
    arras: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spend.ui import cache

    monkeypatch.setenv("SPEND_AUTHORITY", "arras")
    (first,) = _dumps(tmp_path)
    _set_vat(arras, "5.50")
    cache.restore_backup(first, ADMIN)
    listed = cache.backups()
    assert [b.reason for b in listed] == ["restauration", "avant restauration", "manuelle"]
    cache.restore_backup(listed[0].path, ADMIN)  # the page's default choice
    assert Decimal(_vat(arras)) == Decimal("20.00")
