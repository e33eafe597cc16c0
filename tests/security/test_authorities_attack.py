"""Attacks on the multi-authority dashboard and the server store (PostgreSQL).

Each test is a reproduction: it passes when the defence holds; a real finding is marked
`xfail(strict=True)` with its reason, so it fails loudly the day it is fixed (then drop the mark).
The set-up reuses the two authorities of tests/store/postgres (arras, lens).
"""

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from streamlit.testing.v1 import AppTest

from spend import store
from spend.domain.access import Actor, Role, authority_rules
from spend.store import backend, pg_backups, postgres
from spend.store.database import StoreError
from tests.pages.conftest import APP
from tests.store.postgres import cluster
from tests.store.postgres.conftest import pg_cluster, pg_url, spend  # noqa: F401  (fixtures)
from tests.store.postgres.test_authorities_pages import (  # noqa: F401  (fixtures)
    ACCES,
    ARRAS_ONLY,
    cards,
    on_server,
    server,
    shown_text,
)
from tests.store.postgres.two_authorities import ARRAS, FIGURES, LENS, LENS_MARKS
from tests.ui.test_access import AUTH

pytestmark = pytest.mark.skipif(
    cluster.missing() is not None and not cluster.IN_CI, reason=str(cluster.missing())
)
ADMIN = Actor("admin@arras.fr", Role.ADMIN, "ligne de commande")


def _visit(email: str, acces: dict[str, object] | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.secrets["auth"] = AUTH
    at.secrets["acces"] = acces if acces is not None else ACCES
    at.user = {"is_logged_in": True, "sub": "x", "email": email, "email_verified": True}
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    return at


def _said(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


# --- the authority chosen through the address ---


@pytest.mark.parametrize(
    "forged",
    ["LENS", "lens ", "lens;drop schema arras cascade", "pg_catalog", "public", "l" * 64],
)
def test_a_forged_address_never_opens_another_authority_nor_a_system_schema(
    on_server: None,  # noqa: F811
    forged: str,
) -> None:
    at = _visit(ARRAS_ONLY, collectivite=forged)
    assert not at.exception, "no traceback"
    assert not [m for m in LENS_MARKS if m in shown_text(at)]
    assert not at.metric or cards(at) == FIGURES[ARRAS]
    said = _said(at)
    assert "Traceback" not in said and "pg_catalog." not in said
    at.run()  # the next run is back on the one authority this person may use
    assert cards(at) == FIGURES[ARRAS]
    with psycopg.connect(backend.database_url() or "") as pg:  # nothing dropped
        assert pg.execute("select count(*) from arras.conventions").fetchall()[0][0] > 0


# --- identities: case, spaces, look-alike characters ---


def test_an_email_in_other_case_and_spaces_is_the_same_person(on_server: None) -> None:  # noqa: F811
    at = _visit(f"  {ARRAS_ONLY.upper()} ")
    assert not at.exception
    assert at.session_state["authority"] == ARRAS
    assert at.session_state.actor.role == Role.READER
    assert not [s for s in at.selectbox if s.key == "authority_choice"]


@pytest.mark.parametrize(
    "lookalike",
    [
        "compta@\u0430rras.fr",  # Cyrillic а
        "\uff43ompta@arras.fr",  # full-width ｃ (NFKC would fold it)
        "compta@arras.fr\u200b",  # zero-width space
        "compta\u0040arras.fr.evil.example",
    ],
)
def test_a_lookalike_email_gets_no_authority(on_server: None, lookalike: str) -> None:  # noqa: F811
    at = _visit(lookalike)
    assert not at.exception
    assert not at.metric
    assert "aucune collectivité" in _said(at)


# --- `inconnus` and sub-tables ---


def test_the_top_level_inconnus_does_not_open_authorities_that_have_their_own_rules() -> None:
    acces = {**ACCES, "inconnus": "administrateur"}
    for name in (ARRAS, LENS):
        assert authority_rules(acces, name).role_of("passant@ailleurs.fr") is None


@pytest.mark.parametrize("word", [["lecteur"], True, 1, "administrateur; lecteur", " "])
def test_an_inconnus_of_another_type_refuses_strangers(word: object) -> None:
    acces = {"collectivites": {ARRAS: {"inconnus": word}}}
    assert authority_rules(acces, ARRAS).role_of("passant@ailleurs.fr") is None


def test_an_authority_inconnus_opens_that_authority_only(on_server: None) -> None:  # noqa: F811
    acces = {
        "collectivites": {
            ARRAS: {"administrateurs": ["a@arras.fr"]},
            LENS: {"administrateurs": ["b@lens.fr"], "inconnus": "Lectrices"},
        }
    }
    at = _visit("passant@ailleurs.fr", acces)
    assert not at.exception
    assert at.session_state["authority"] == LENS
    assert at.session_state.actor.role == Role.READER
    assert cards(at) == FIGURES[LENS]
    at = _visit("passant@ailleurs.fr", acces, collectivite=ARRAS)
    assert not at.metric and "refusée" in _said(at)


def test_an_authority_created_later_is_not_opened_by_the_top_level_keys() -> None:
    acces = {
        "administrateurs": ["dsi.admin@exemple.fr"],
        "inconnus": "lecteur",  # a one-file deployment's setting, kept when moving to the server
        "collectivites": {ARRAS: {"administrateurs": ["a@arras.fr"]}},
    }
    newcomer = authority_rules(acces, "nouvelle")
    assert newcomer.role_of("passant@ailleurs.fr") is None
    assert newcomer.role_of("dsi.admin@exemple.fr") is None


# A one-file deployment's [acces] moved as it was to the server: it opens « principale » (the
# server's default authority) only; « nouvelle », created later, only to its page's rules.
ONE_FILE_ACCES = {"administrateurs": ["dsi.admin@exemple.fr"], "inconnus": "lecteur"}
NEWCOMER_ADMIN = "admin.nouvelle@exemple.fr"  # a rule of « nouvelle »'s Administration page


@pytest.fixture
def default_and_newcomer(
    pg_url: str,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[str]:
    import streamlit as st

    monkeypatch.setenv("SPEND_PG_BACKUP_DIR", str(tmp_path / "backups"))
    monkeypatch.setenv("SPEND_DB", str(tmp_path / "no-file.duckdb"))
    for args in (
        ("init", "--authority", backend.DEFAULT_AUTHORITY),
        ("init", "--empty", "--authority", "nouvelle"),
        ("settings", "collectivity_name=Commune nouvelle", "--authority", "nouvelle"),
    ):
        done = spend(*args)
        assert done.returncode == 0, (args, done.stderr)
    with psycopg.connect(pg_url, autocommit=True) as pg:
        pg.execute(
            "insert into nouvelle.access_rules (kind, name, role) "
            f"values ('email', '{NEWCOMER_ADMIN}', 'administrateur')"
        )
    st.cache_resource.clear()
    yield pg_url
    st.cache_resource.clear()


def _read(texts: Iterable[Any]) -> str:
    """As the reader sees them: the escapes that keep Markdown inert removed."""
    return re.sub(r"\\(.)", r"\1", " ".join(str(t.value) for t in texts))


def _sidebar_text(at: AppTest) -> str:
    return _read(at.sidebar.caption)


def test_the_top_level_keys_open_the_default_authority_only(default_and_newcomer: str) -> None:
    at = _visit("dsi.admin@exemple.fr", ONE_FILE_ACCES)
    assert not at.exception
    assert at.session_state["authority"] == backend.DEFAULT_AUTHORITY
    assert at.session_state.actor.role == Role.ADMIN
    assert not [s for s in at.selectbox if s.key == "authority_choice"], "nouvelle not offered"
    # Told what to add for the other one, in the sidebar.
    told = _sidebar_text(at)
    assert "« nouvelle »" in told and "[acces.collectivites.ID]" in told, told
    assert "« principale »" in told  # the one [acces] opens
    at = _visit("dsi.admin@exemple.fr", ONE_FILE_ACCES, collectivite="nouvelle")
    assert not at.metric and "refusée" in _said(at)


def test_a_stranger_under_inconnus_reads_the_default_authority_only(
    default_and_newcomer: str,
) -> None:
    at = _visit("passant@ailleurs.fr", ONE_FILE_ACCES)
    assert not at.exception
    assert at.session_state["authority"] == backend.DEFAULT_AUTHORITY
    assert at.session_state.actor.role == Role.READER
    assert "nouvelle" not in _sidebar_text(at), "a stranger is not told of the other"
    at = _visit("passant@ailleurs.fr", ONE_FILE_ACCES, collectivite="nouvelle")
    assert not at.metric and "refusée" in _said(at)


def test_the_page_rules_of_an_authority_without_a_section_still_open_it(
    default_and_newcomer: str,
) -> None:
    at = _visit(NEWCOMER_ADMIN, {**ONE_FILE_ACCES, "inconnus": "refuser"})
    assert not at.exception
    assert at.session_state["authority"] == "nouvelle"
    assert at.session_state.actor.role == Role.ADMIN
    at.switch_page("pages/admin.py").run()
    assert not at.exception
    warned = _read(at.warning)
    assert "[acces.collectivites.nouvelle]" in warned and "« principale »" in warned


def test_the_default_authority_is_spend_authoritys_and_a_person_no_key_opens_is_told_why(
    default_and_newcomer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEND_AUTHORITY", "nouvelle")
    at = _visit("dsi.admin@exemple.fr", ONE_FILE_ACCES)
    assert at.session_state["authority"] == "nouvelle"
    assert at.session_state.actor.role == Role.ADMIN
    monkeypatch.setenv("SPEND_AUTHORITY", "ailleurs")  # opens neither
    at = _visit("dsi.admin@exemple.fr", ONE_FILE_ACCES)
    assert not at.exception and not at.metric
    said = _read(at.error)
    assert "aucune collectivité" in said
    assert "[acces.collectivites.ID]" in said
    assert "« principale », « nouvelle »" in said or "« nouvelle », « principale »" in said


# --- authority ids that are SQL tricks ---


@pytest.mark.parametrize(
    "name",
    [
        'x"; drop schema lens cascade; --',
        "x; drop",
        "LENS",
        "pg_catalog",
        "pg_toast",
        "public",
        "information_schema",
        "_replaced",
        "a" * 41,
        "a" * 64,
        "l\u0435ns",  # Cyrillic е
    ],
)
def test_an_authority_id_that_is_a_sql_trick_is_refused_in_french(name: str) -> None:
    with pytest.raises(StoreError, match="Identifiant de collectivité"):
        backend.checked_authority(name)
    with backend.scope(name, {name}), pytest.raises(StoreError):
        backend.authority()


def test_an_authority_id_with_a_trailing_newline_is_refused() -> None:
    with pytest.raises(StoreError, match="Identifiant de collectivité"):
        backend.checked_authority("lens\n")


def test_an_id_that_only_begins_like_public_is_accepted() -> None:
    assert backend.checked_authority("publications") == "publications"


@pytest.mark.slow
@pytest.mark.parametrize("word", ["user", "select", "order"])
def test_an_authority_named_by_a_sql_keyword_works_or_is_refused_in_french(
    pg_url: str,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    word: str,
) -> None:
    monkeypatch.setenv("SPEND_PG_BACKUP_DIR", str(tmp_path / "backups"))
    made = spend("init", "--authority", word)
    assert "Traceback" not in made.stderr, made.stderr
    if made.returncode != 0:
        assert "collectivité" in made.stderr.lower(), made.stderr
        return
    done = spend("balance", "--authority", word)
    assert done.returncode == 0, done.stderr
    assert "C06-020M02,6281/930202,2022,3000.00,2800.00,200.00" in done.stdout
    saved = spend("backup", "--authority", word)
    assert saved.returncode == 0, saved.stderr
    back = spend("restore", "--authority", word)
    assert back.returncode == 0, back.stderr


# --- backups and restores on the server ---


@pytest.fixture
def two(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:  # noqa: F811
    """arras seeded and lens with one rule of its own, each backed up once."""
    monkeypatch.setenv("SPEND_PG_BACKUP_DIR", str(tmp_path / "backups"))
    for args in (
        ("init", "--authority", ARRAS),
        ("init", "--authority", LENS),
        ("backup", "--authority", ARRAS),
        ("backup", "--authority", LENS),
    ):
        done = spend(*args)
        assert done.returncode == 0, (args, done.stderr)
    with psycopg.connect(pg_url, autocommit=True) as pg:
        pg.execute(
            "insert into lens.access_rules (kind, name, role) "
            "values ('email', 'secret.lens@lens.fr', 'administrateur')"
        )
    return pg_url


def _journal_count(url: str, name: str) -> int:
    with psycopg.connect(url) as pg:
        return int(pg.execute(f"select count(*) from {name}.journal").fetchall()[0][0])


def test_the_backups_listed_and_restored_are_the_chosen_authoritys_only(
    two: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spend.ui import cache

    monkeypatch.setenv("SPEND_DB", str(tmp_path / "no-file.duckdb"))
    with backend.scope(ARRAS, {ARRAS}):
        listed = cache.backups()
        assert listed and all(b.path.name.startswith("arras-") for b in listed)
    lens_dump = pg_backups.list_backups(LENS)[0]
    renamed = tmp_path / "backups" / ARRAS / f"arras-29991231T000000000000Z-{lens_dump.name}"
    renamed.write_bytes(lens_dump.read_bytes())  # a dump of lens put among arras's, renamed
    before = _journal_count(two, ARRAS), _journal_count(two, LENS)
    with backend.scope(ARRAS, {ARRAS}):
        assert cache.backups()[0].path == renamed  # listed (its name says arras)…
        for dump in (renamed, lens_dump):
            with pytest.raises(StoreError, match="c'est celle de la collectivité « lens »"):
                cache.restore_backup(dump, ADMIN)  # …but refused
    # A scope on lens may not restore from the page's arras: the store opens lens only.
    with backend.scope(ARRAS, {LENS}), pytest.raises(StoreError, match="refusée"):
        cache.restore_backup(lens_dump, ADMIN)
    assert (_journal_count(two, ARRAS), _journal_count(two, LENS)) == before


def _dump_with(url: str, statements: list[str], reason: str) -> Path:
    """A real pg_dump of arras after `statements`, then arras put back as it was."""
    with psycopg.connect(url, autocommit=True) as pg:
        for sql in statements:
            pg.execute(sql)
        dump = pg_backups.backup(url, ARRAS, reason)
        pg.execute("alter table arras.settings drop constraint if exists leak")
        pg.execute("alter table arras.access_rules alter column name drop default")
    return dump


@pytest.mark.slow
def test_a_dump_whose_tables_run_sql_is_refused(two: str) -> None:
    killer = (
        "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'victime'"
    )
    reader = "select name from lens.access_rules"
    dump = _dump_with(
        two,
        [
            "alter table arras.settings add constraint leak check "
            f"(query_to_xml('{killer.replace(chr(39), chr(39) * 2)}', true, false, '') "
            "is not null)",
            "alter table arras.access_rules alter column name set default "
            f"(query_to_xml('{reader}', true, false, ''))::text",
        ],
        "piegee",
    )
    victim = psycopg.connect(two, autocommit=True, application_name="victime")
    try:
        pg_backups.restore(two, ARRAS, dump, actor=ADMIN)
        refused = ""
    except StoreError as error:
        refused = str(error)
    finally:
        alive = not victim.closed and _alive(victim)
        victim.close()
    with psycopg.connect(two) as pg:
        default = pg.execute(
            "select column_default from information_schema.columns where table_schema = 'arras' "
            "and table_name = 'access_rules' and column_name = 'name'"
        ).fetchall()[0][0]
    effects = {
        "another session of the server killed by the dump's CHECK": not alive,
        "a DEFAULT reading lens kept in arras": "lens" in str(default),
        "the dump accepted": "Restauration refusée" not in refused,
    }
    assert not any(effects.values()), effects


def _alive(pg: psycopg.Connection) -> bool:
    try:
        pg.execute("select 1")
        return True
    except psycopg.Error:
        return False


def test_a_statement_continued_into_another_authoritys_select_is_refused() -> None:
    lines = [
        ("CREATE TABLE arras.access_rules AS", True),
        ("    SELECT * FROM lens.access_rules;", False),
    ]
    problems = [pg_backups.statement_problem(f"{text}\n", starting) for text, starting in lines]
    assert any(problem is not None for problem in problems)


def test_psql_meta_commands_and_programs_in_a_dump_are_not_run() -> None:
    for line in ("\\! rm -rf /", "\\copy x to program 'id'", "\\connect postgres"):
        # skipped by _load (a line beginning with « \ » is never sent), not refused
        assert pg_backups.statement_problem(f"{line}\n", True) is None
    for line in (
        "COPY arras.bodies (body_id) TO PROGRAM 'id';",
        "COPY arras.bodies (body_id) FROM PROGRAM 'id';",
        "SET ROLE postgres;",
        "RESET ROLE;",
        "SET SESSION AUTHORIZATION postgres;",
        "SELECT pg_catalog.set_config('role', 'postgres', false);",
        "CREATE TABLE arras.x (a int); COMMIT;",
        "DO $$ begin perform 1; end $$;",
    ):
        assert pg_backups.statement_problem(f"{line}\n", True) is not None, line
    assert not pg_backups._COPY.match("COPY arras.bodies (body_id) FROM PROGRAM 'id';")


# --- a hostile CSV imported into one authority ---


def test_a_hostile_csv_lands_as_text_in_its_authority_only(two: str, tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    names = [
        "x'); drop schema lens cascade; --",
        '=HYPERLINK("http://evil.example")',
        "$name",
        'robert"; set role postgres; --',
    ]
    rows = "".join(f'"B{i}","{n.replace(chr(34), chr(34) * 2)}",,\n' for i, n in enumerate(names))
    (folder / "bodies.csv").write_text("body_id,name,siret,address\n" + rows, encoding="utf-8")
    lens_rules = spend("journal", "--authority", LENS).stdout
    done = spend("import", str(folder), "--authority", ARRAS)
    assert done.returncode == 0, done.stderr
    with backend.scope(ARRAS, {ARRAS}), store.session(Path("unused.duckdb")) as con:
        stored = set(store.query(con, "read_bodies")["name"].to_list())
    assert set(names) <= stored
    with psycopg.connect(two) as pg:
        assert pg.execute("select count(*) from lens.access_rules").fetchall()[0][0] == 1
        assert postgres.authorities(two) == [ARRAS, LENS]
    assert spend("journal", "--authority", LENS).stdout == lens_rules


# --- caches ---


def test_a_cache_entry_of_one_authority_is_not_served_in_anothers_scope(
    two: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    from spend.ui import cache

    monkeypatch.setenv("SPEND_DB", str(tmp_path / "no-file.duckdb"))
    st.cache_resource.clear()
    try:
        with backend.scope(ARRAS, {ARRAS, LENS}):
            st.session_state.pop("store_state", None)
            arras_version = cache.store_state().version
            cache.cached_inputs(arras_version)
        with backend.scope(LENS, {LENS}), pytest.raises(StoreError):
            cache.cached_inputs(arras_version)  # lens's visitor asking with arras's key
        with backend.scope(LENS, {LENS}):
            for read in (
                lambda: cache.cached_figures(arras_version),
                lambda: cache.cached_settings(arras_version),
                lambda: cache.cached_edit_page(arras_version, "bodies", "", 0),
                lambda: cache.cached_provenance(arras_version),
            ):
                with pytest.raises(StoreError, match="pas celles de la collectivité"):
                    read()
        with backend.scope(ARRAS, {ARRAS}):  # its own authority's still served
            assert cache.cached_settings(arras_version)["vat_rate"]
    finally:
        st.cache_resource.clear()


# --- a restore beside the readers of the same authority ---


@pytest.mark.slow
def test_reads_during_a_restore_see_the_old_or_the_new_tables_never_an_error(two: str) -> None:
    import threading

    errors: list[str] = []
    reads = 0
    done = threading.Event()

    def read() -> None:
        nonlocal reads
        while not done.is_set():
            try:
                with backend.scope(ARRAS, {ARRAS}), store.session(Path("unused.duckdb")) as con:
                    assert store.settings(con)["vat_rate"]
                    store.load_inputs(con)
                reads += 1
            except Exception as error:  # what a page would show
                errors.append(f"{type(error).__name__}: {str(error)[:200]}")

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(2):
            pg_backups.restore(two, ARRAS, None, actor=ADMIN)
    finally:
        done.set()
        reader.join(60)
    assert reads > 0
    assert not errors, errors[:3]


# --- a schema on the server that is not an authority ---


def test_a_stray_schema_with_our_table_does_not_take_the_dashboard_down(
    two: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    monkeypatch.setenv("SPEND_DB", str(tmp_path / "no-file.duckdb"))
    with psycopg.connect(two, autocommit=True) as pg:  # an old copy a DBA kept by hand
        pg.execute('create schema "Arras_Copie"')
        pg.execute(
            'create table "Arras_Copie".schema_version as select * from arras.schema_version'
        )
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=90)  # the local user: every authority
        at.run()
        assert not at.exception
        # The seeded arras shows a data warning of its own; no refusal of any id.
        assert "Identifiant de collectivité" not in _said(at), _said(at)
        assert at.session_state["authority"] == ARRAS
        assert cards(at) == FIGURES[ARRAS]
        assert postgres.authorities(two) == [ARRAS, LENS]
    finally:
        st.cache_resource.clear()


def test_a_stray_schema_is_skipped_with_one_warning_and_profiles_skip_bad_ids(
    two: str, caplog: pytest.LogCaptureFixture
) -> None:
    from spend.store import pg_profiles

    with psycopg.connect(two, autocommit=True) as pg:
        pg.execute('create schema "Lens_Vieux"')
        pg.execute('create table "Lens_Vieux".schema_version as select * from lens.schema_version')
    with caplog.at_level("WARNING", logger="spend"):
        assert postgres.authorities(two) == [ARRAS, LENS]
        assert postgres.authorities(two) == [ARRAS, LENS]
    assert [r.getMessage() for r in caplog.records].count(
        "Schéma 'Lens_Vieux' ignoré : il contient une table schema_version mais son nom n'est "
        "pas un identifiant de collectivité valide."
    ) == 1
    read = [name for name, _, _ in pg_profiles.read_profiles(two, ["Lens_Vieux", ARRAS, LENS])]
    assert read == [ARRAS, LENS]


# --- a group claim naming another authority's group ---


def test_each_authority_reads_its_own_group_claim_only(on_server: None) -> None:  # noqa: F811
    acces = {
        "collectivites": {
            ARRAS: {"attribut_groupes": "roles", "groupes_administrateurs": ["admins"]},
            LENS: {"groupes_lecteurs": ["admins"]},  # the same word in the default claim
        }
    }
    # « admins » in the claim lens reads: a lecteur of lens, nothing on arras.
    at = _visit_with("x@lens.fr", acces, groups=["admins"], roles=[])
    assert not at.exception
    assert at.session_state["authority"] == LENS
    assert at.session_state.actor.role == Role.READER
    assert not [s for s in at.selectbox if s.key == "authority_choice"]
    # « admins » in arras's claim: administrateur of arras, nothing on lens.
    at = _visit_with("y@arras.fr", acces, roles=["admins"], groups="elus-arras")
    assert not at.exception
    assert at.session_state["authority"] == ARRAS
    assert at.session_state.actor.role == Role.ADMIN
    at = _visit_with("y@arras.fr", acces, roles=["admins"], collectivite=LENS)
    assert not at.metric and "refusée" in _said(at)


def _visit_with(email: str, acces: dict[str, object], **claims: object) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.secrets["auth"] = AUTH
    at.secrets["acces"] = acces
    query = claims.pop("collectivite", None)
    if query:
        at.query_params["collectivite"] = str(query)
    at.user = {"is_logged_in": True, "sub": "x", "email": email, "email_verified": True, **claims}
    at.run()
    return at


# --- hostile input on the server's command line and import ---


@pytest.mark.parametrize("forged", ["x; drop", "LENS", "pg_catalog", "public"])
def test_a_forged_authority_on_the_command_line_is_refused_in_french(
    two: str,
    forged: str,
) -> None:
    done = spend("balance", "--authority", forged)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "Identifiant de collectivité" in done.stderr, done.stderr
    assert postgres.authorities(two) == [ARRAS, LENS]


def test_a_nul_byte_in_a_csv_is_refused_in_french_on_the_server(two: str, tmp_path: Path) -> None:
    folder = tmp_path / "nul"
    folder.mkdir()
    (folder / "bodies.csv").write_bytes(b"body_id,name,siret,address\nB1,na\x00me,,\n")
    before = spend("journal", "--authority", ARRAS).stdout
    done = spend("import", str(folder), "--authority", ARRAS)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    if done.returncode == 0:  # accepted: then stored, without the byte PostgreSQL refuses
        with psycopg.connect(two) as pg:
            names = [r[0] for r in pg.execute("select name from arras.bodies").fetchall()]
        assert any(n.startswith("na") for n in names)
    else:
        assert "bodies.csv" in done.stderr, done.stderr
        assert spend("journal", "--authority", ARRAS).stdout == before


# --- an archive whose statements name another authority ---


@pytest.mark.slow
def test_a_dump_whose_copy_writes_into_another_authority_is_refused(
    pg_url: str,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SPEND_PG_BACKUP_DIR", str(tmp_path / "backups"))
    for args in (("init", "--authority", ARRAS), ("init", "--empty", "--authority", "betun")):
        assert spend(*args).returncode == 0
    with psycopg.connect(pg_url, autocommit=True) as pg:
        pg.execute(
            "insert into arras.access_rules (kind, name, role) "
            "values ('email', 'pirate@arras.fr', 'administrateur')"
        )
        dump = pg_backups.backup(pg_url, ARRAS, "a modifier")
        pg.execute("delete from arras.access_rules")
    raw = dump.read_bytes()
    assert raw.count(b"COPY arras.access_rules ") == 1
    dump.write_bytes(raw.replace(b"COPY arras.access_rules ", b"COPY betun.access_rules "))
    try:
        pg_backups.restore(pg_url, ARRAS, dump, actor=ADMIN)
        refused = ""
    except StoreError as error:
        refused = str(error)
    with psycopg.connect(pg_url) as pg:
        betun = pg.execute("select name, role from betun.access_rules").fetchall()
    assert betun == [], f"written into betun: {betun}"
    assert "Restauration refusée" in refused


# --- a rule removed while its person is signed in ---


def test_a_rule_removed_on_the_page_takes_effect_at_the_next_run(
    two: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import polars as pl
    import streamlit as st

    monkeypatch.setenv("SPEND_DB", str(tmp_path / "no-file.duckdb"))
    acces = {"collectivites": {ARRAS: {"administrateurs": ["a@arras.fr"]}, LENS: {}}}
    st.cache_resource.clear()
    try:
        at = _visit("secret.lens@lens.fr", acces)  # admin of lens by lens's saved rule
        assert at.session_state["authority"] == LENS
        assert at.session_state.actor.role == Role.ADMIN
        empty = pl.DataFrame(schema={"kind": pl.String, "name": pl.String, "role": pl.String})
        with backend.scope(LENS, {LENS}), store.session(Path("unused.duckdb")) as con:
            store.replace_access_rules(con, empty, actor=ADMIN)
        at.run()  # within the 30 s the authorities' profiles are kept
        assert not at.exception
        assert not at.metric
        assert "n'a pas accès" in _said(at) or "aucune collectivité" in _said(at), _said(at)
    finally:
        st.cache_resource.clear()


# --- the child process that parses untrusted files ---


def test_the_file_parsing_child_does_not_receive_the_servers_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from spend.exchange.worker import run_bounded

    monkeypatch.setenv("SPEND_DATABASE_URL", "postgresql://spend:motdepasse@db.exemple.fr/spend")
    assert run_bounded("os:getenv", "SPEND_DATABASE_URL", seconds=60) is None


def test_the_file_parsing_child_keeps_only_what_parsing_needs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from spend.exchange.worker import run_bounded

    for name, value in {
        "PGPASSWORD": "motdepasse",
        "PGSERVICEFILE": "/etc/pg_service.conf",
        "SMTP_PASSWORD": "secret-smtp",
        "AWS_SECRET_ACCESS_KEY": "cle",
        "LANG": "fr_FR.UTF-8",
        "LC_TIME": "fr_FR.UTF-8",
    }.items():
        monkeypatch.setenv(name, value)
    printed = run_bounded("subprocess:getoutput", "env", seconds=60)  # the child's whole env
    seen = dict(line.split("=", 1) for line in printed.splitlines() if "=" in line)
    assert not {"PGPASSWORD", "PGSERVICEFILE", "SMTP_PASSWORD", "AWS_SECRET_ACCESS_KEY"} & set(seen)
    assert seen["LANG"] == "fr_FR.UTF-8" and seen["LC_TIME"] == "fr_FR.UTF-8"
    assert seen["PATH"] == os.environ["PATH"]


# --- an authority named like another ---


def test_two_authorities_with_one_name_are_told_apart_in_the_sidebar(
    two: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    monkeypatch.setenv("SPEND_DB", str(tmp_path / "no-file.duckdb"))
    for name in (ARRAS, LENS):
        done = spend("settings", "collectivity_name=Commune d'Arras", "--authority", name)
        assert done.returncode == 0, done.stderr
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=90)  # the local user: both
        at.run()
        choice = at.selectbox(key="authority_choice")
        assert sorted(choice.options) == ["Commune d'Arras (arras)", "Commune d'Arras (lens)"]
        choice.set_value(LENS).run()
        at.switch_page("pages/admin.py").run()
        assert not at.exception
        said = _read(at.main.markdown)
        # The backups and the rules are named as the sidebar names the authority.
        assert "Les sauvegardes de la collectivité « Commune d'Arras (lens) »" in said, said
        assert "valent pour la collectivité « Commune d'Arras (lens) » seule" in said
        assert "« Commune d'Arras »" not in said
    finally:
        st.cache_resource.clear()
