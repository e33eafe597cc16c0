"""The dashboard's role on the server: the tests run as an ordinary one (cluster.ROLE), and
`spend init` says, in one French line, when the role it is given is a superuser."""

import psycopg
import pytest

from spend.store import postgres
from tests.store.postgres import cluster
from tests.store.postgres.conftest import spend

WARNING = "superutilisateur"


def test_the_tests_act_as_an_ordinary_role_owning_its_database(pg_url: str) -> None:
    with psycopg.connect(pg_url) as pg:
        role = pg.execute(
            "select rolname, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, "
            "rolcanlogin from pg_roles where rolname = current_user"
        ).fetchall()
        owner = pg.execute(
            "select pg_get_userbyid(datdba) from pg_database where datname = current_database()"
        ).fetchall()
    assert role == [(cluster.ROLE, False, False, False, False, False, True)]
    assert owner == [(cluster.ROLE,)]
    assert postgres.superuser_role(pg_url) is None


def test_the_role_reads_no_server_file_and_runs_no_program(pg_url: str) -> None:
    """What a superuser could do and the dashboard's role cannot: the wall this role keeps."""
    for statement in (
        "select pg_read_file('postgresql.conf')",
        "copy (select 1) to program 'true'",
    ):
        with (
            psycopg.connect(pg_url) as pg,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            pg.execute(statement)


def test_init_as_the_ordinary_role_says_nothing_of_superusers(pg_url: str) -> None:
    made = spend("init", "--authority", "arras")
    assert made.returncode == 0, made.stderr
    assert WARNING not in made.stderr
    assert "Collectivité créée : arras" in made.stdout


def test_init_as_a_superuser_warns_in_one_french_line_and_still_creates(
    pg_cluster: cluster.Cluster, pg_url: str
) -> None:
    database = pg_url.rsplit("/", 1)[1]
    superuser = pg_cluster.superuser_url(database)
    assert postgres.superuser_role(superuser) == cluster.OWNER
    made = spend("init", "--authority", "lens", env={"SPEND_DATABASE_URL": superuser})
    assert made.returncode == 0, made.stderr
    warned = [line for line in made.stderr.splitlines() if WARNING in line]
    assert len(warned) == 1, made.stderr
    assert f"« {cluster.OWNER} » est superutilisateur" in warned[0]
    assert "createdb -O spend" in warned[0]  # what to do
    assert "Traceback" not in made.stderr
    assert "Collectivité créée : lens" in made.stdout
