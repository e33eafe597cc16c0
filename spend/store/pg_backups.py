"""Backups of an authority on the PostgreSQL server, with PostgreSQL's own tools.

`backup` runs `pg_dump` of the authority's schema (custom format) into its folder of backups
(`SPEND_PG_BACKUP_DIR`, else data/sauvegardes-postgresql/, one sub-folder per authority).

`restore` keeps the embedded store's promises (restore.py). The dump's table of contents is read
first: a file that is not a dump, a dump of another authority or one holding anything but
tables (a function, a view, a trigger…) is refused in French, nothing changed. Then, in ONE
transaction holding the authority's write lock (writers of every process wait, then land after
the swap, seeing the restored tables): the safety dump of the schema as it is (every write
reported done before the lock is in it), the schema renamed aside, the dump loaded in its place,
checked (a schema version this release knows, older ones migrated; the tables, columns and
types of the replaced schema; the figures computable), the journal entries of the replaced
schema beyond the dump's carried over, the restore journaled, the replaced schema dropped;
commit. Any refusal or failure rolls all of it back: the authority stays as it was.
"""

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql as pgsql

from spend.domain.access import Actor, require
from spend.domain.figures import compute
from spend.paths import ROOT
from spend.store.backend import checked_authority
from spend.store.database import StoreError, load_query
from spend.store.inputs import load_inputs
from spend.store.journal import append, event, start_write
from spend.store.postgres import PgConnection, authorities, connect, migrate, server_name
from spend.store.writes import ACTION_WORDS


def backup_root() -> Path:
    named = os.environ.get("SPEND_PG_BACKUP_DIR", "").strip()
    return Path(named) if named else ROOT / "data" / "sauvegardes-postgresql"


def backup_folder(authority: str) -> Path:
    return backup_root() / checked_authority(authority)


def tool(name: str) -> str:
    """pg_dump / pg_restore: Debian's PostgreSQL 15 first (SPEND_PG_BIN), else the PATH's."""
    folder = Path(os.environ.get("SPEND_PG_BIN", "/usr/lib/postgresql/15/bin"))
    if (folder / name).exists():
        return str(folder / name)
    found = shutil.which(name)
    if found is None:
        raise StoreError(
            f"{name} introuvable (paquet postgresql-client) : aucune sauvegarde n'a été faite."
        )
    return found


def list_backups(authority: str) -> list[Path]:
    """The authority's backups, the newest first."""
    folder = backup_folder(authority)
    return sorted(folder.glob("*.dump"), reverse=True) if folder.exists() else []


def backup(url: str, authority: str, reason: str) -> Path:
    """`pg_dump` of the authority's schema; the file's path."""
    folder = backup_folder(authority)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{authority}-{stamp}-{_slug(reason)}.dump"
    done = subprocess.run(
        [tool("pg_dump"), "--format=custom", f"--schema={authority}", f"--file={target}", url],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        raise StoreError(
            f"pg_dump de la collectivité « {authority} » ({server_name(url)}) a échoué, aucune "
            f"sauvegarde n'a été faite : {_first_line(done.stderr)}"
        )
    return target


def restore(url: str, authority: str, file: Path | None, *, actor: Actor) -> tuple[Path, Path]:
    """Put a backup (the latest by default) in place of the authority's schema; returns the
    backup used and the safety backup of the schema it replaced."""
    require(actor, "restore")
    name = checked_authority(authority)
    chosen = file or next(iter(list_backups(name)), None)
    if chosen is None or not chosen.is_file():
        raise StoreError(
            f"Aucune sauvegarde de la collectivité « {name} » "
            f"{'à ' + str(chosen) if chosen else 'dans ' + str(backup_folder(name))}"
            " : rien n'a été restauré."
        )
    has_schema = _check_archive(chosen, name)
    # A schema dropped by mistake comes back from its dump: it is made again, empty, first.
    con = connect(url, name, create=name not in authorities(url))
    safety: Path | None = None
    try:
        con.execute("begin transaction")  # the authority's write lock, held until the swap ends
        try:
            safety = backup(url, name, "avant restauration")
            _swap(con, name, chosen, has_schema, actor)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            if safety is not None:  # nothing was replaced: no safety backup to keep
                safety.unlink(missing_ok=True)
            raise
    finally:
        con.close()
    assert safety is not None
    return chosen, safety


# The replaced schema's name during the swap: no authority bears it (theirs begin with a
# letter), and one restore at a time on the server uses it (RESTORE_LOCK).
REPLACED = "_replaced"
RESTORE_LOCK = "spend-restore"
# What a dump of an authority holds (pg_restore --list): its schema, tables, their rows and keys.
_KINDS = ("TABLE DATA", "FK CONSTRAINT", "CONSTRAINT", "INDEX", "SCHEMA", "TABLE", "ACL")
_ENTRY = re.compile(r"^\d+; \d+ \d+ (?P<rest>.+)$")


def _check_archive(dump: Path, authority: str) -> bool:
    """Refuse, in French and before anything is touched, a file that is not a dump of this
    authority's tables; whether the dump creates the schema itself."""
    listed = subprocess.run(
        [tool("pg_restore"), "--list", str(dump)], capture_output=True, text=True
    )
    if listed.returncode != 0:
        raise StoreError(
            f"Restauration refusée : {dump} n'est pas une sauvegarde lisible de PostgreSQL "
            f"(pg_dump, format « custom ») : {_first_line(listed.stderr)}. La collectivité "
            f"« {authority} » n'a pas été modifiée."
        )
    has_schema, tables = False, 0
    for line in listed.stdout.splitlines():
        found = _ENTRY.match(line.strip())
        if found is None:
            continue
        rest = found["rest"]
        kind = next((k for k in _KINDS if rest.startswith(f"{k} ")), None)
        words = rest.split()
        if kind is None:
            raise _refused(dump, authority, f"elle contient « {' '.join(words[:3])} »")
        schema, *named = rest[len(kind) + 1 :].split()
        if kind == "SCHEMA":
            schema, has_schema = named[0] if named else "", True
        if schema != authority:
            raise _refused(dump, authority, f"c'est celle de la collectivité « {schema} »")
        tables += kind == "TABLE"
    if tables == 0:
        raise _refused(dump, authority, "elle ne contient aucune table")
    return has_schema


def _refused(dump: Path, authority: str, why: str) -> StoreError:
    return StoreError(
        f"Restauration refusée : {dump.name} n'est pas une sauvegarde de la collectivité "
        f"« {authority} » que ce tableau de bord peut remettre en place : {why}. La "
        "collectivité n'a pas été modifiée."
    )


def _swap(con: PgConnection, authority: str, dump: Path, has_schema: bool, actor: Actor) -> None:
    """Inside the write lock's transaction: the dump in place of the schema, checked, with the
    replaced schema's later journal entries, journaled."""
    pg = con._pg
    schema, replaced = pgsql.Identifier(authority), pgsql.Identifier(REPLACED)
    try:
        pg.execute("select pg_advisory_xact_lock(hashtext(%s))", [RESTORE_LOCK])
        pg.execute(pgsql.SQL("alter schema {} rename to {}").format(schema, replaced))
        if not has_schema:
            pg.execute(pgsql.SQL("create schema {}").format(schema))
        _load(pg, dump)
        pg.execute("select set_config('search_path', %s, false)", [authority])
    except (psycopg.Error, StoreError) as error:
        raise _refused(
            dump, authority, f"elle ne se charge pas ({_first_line(str(error))})"
        ) from None
    tables = _tables(con)
    if "schema_version" not in tables:
        raise _refused(dump, authority, "ses tables ne sont pas celles du tableau de bord")
    try:
        migrate(con)  # an older version brought up to date, in the restore's transaction
    except StoreError as error:
        raise _refused(dump, authority, str(error).rstrip(".")) from None
    pg.execute("select set_config('search_path', %s, false)", [REPLACED])
    expected = _columns(con)
    pg.execute("select set_config('search_path', %s, false)", [authority])
    restored = _columns(con)
    if restored != expected:
        table, column, kind = sorted(restored ^ expected)[0]
        what = "en trop" if (table, column, kind) in restored else "manquante"
        if not any(t == table for t, _, _ in restored & expected):
            raise _refused(dump, authority, f"sa table « {table} » est {what}")
        raise _refused(dump, authority, f"la colonne « {table}.{column} » ({kind}) est {what}")
    try:
        compute(load_inputs(con))  # type: ignore[arg-type]  # answers as DuckDB
    except Exception as error:
        raise _refused(
            dump, authority, f"ses chiffres ne se calculent pas ({_first_line(str(error))})"
        ) from None
    before = _last_entry(con)
    con.execute(load_query("carry_journal_over"))
    carried = _last_entry(con) - before
    detail = f"sauvegarde {dump.name} remise en place"
    if carried:
        detail += f", {carried} entrée(s) du journal d'après elle gardées"
    write = start_write(con, actor, ACTION_WORDS["restore"])  # type: ignore[arg-type]
    append(con, event(write, detail), load_query("append_journal"))  # type: ignore[arg-type]
    con.execute(
        load_query("append_write_log"),
        {
            "source": "restauration",
            "detail": detail,
            "actor": actor.name,
            "write_id": write.write_id,
        },
    )
    pg.execute(pgsql.SQL("drop schema {} cascade").format(replaced))


def _tables(con: PgConnection) -> set[str]:
    return set(con.sql(load_query("existing_tables")).pl()["table_name"].to_list())


def _columns(con: PgConnection) -> set[tuple[str, str, str]]:
    return set(con.sql(load_query("table_columns")).pl().rows())


def _last_entry(con: PgConnection) -> int:
    return int(con.sql(load_query("last_journal_id"), {"table_name": None}).pl()["last_id"][0])


def _load(pg: psycopg.Connection[Any], dump: Path) -> None:
    """The dump's SQL (pg_restore --file=-) run on this connection, in its transaction: its
    statements as they come, its COPY blocks through COPY FROM STDIN."""
    command = [tool("pg_restore"), "--file=-", "--no-owner", "--no-privileges", str(dump)]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
    ) as process:
        assert process.stdout is not None
        statements: list[str] = []
        lines = iter(process.stdout)
        starting = True
        for line in lines:
            problem = statement_problem(line, starting)
            if problem is not None:
                raise StoreError(problem)
            if line.strip() and not line.startswith("--"):
                starting = line.rstrip().endswith(";")
            if line.startswith("COPY "):
                if not _COPY.match(line.rstrip("\n")):
                    raise StoreError(f"instruction inattendue « {line.strip()[:80]} »")
                if statements:
                    pg.execute("".join(statements))
                    statements = []
                with pg.cursor() as cur, cur.copy(line.rstrip().rstrip(";")) as copy:
                    for row in lines:
                        if row.rstrip("\n") == "\\.":
                            break
                        copy.write(row)
            elif not line.startswith("\\"):  # psql's own commands (\restrict…)
                statements.append(line)
        if "".join(statements).strip():
            pg.execute("".join(statements))
        error = process.stderr.read() if process.stderr else ""
    if process.returncode != 0:
        raise StoreError(f"pg_restore : {_first_line(error)}")


# What pg_restore writes for a dump of our tables, and nothing else: the archive's SQL is run as
# it is, so a crafted one could otherwise commit early, change role or run a program.
_STARTS = ("CREATE SCHEMA ", "CREATE TABLE ", "ALTER TABLE ONLY ", "CREATE INDEX ")
_SETTINGS = re.compile(
    r"^SET (statement_timeout|lock_timeout|idle_in_transaction_session_timeout|client_encoding|"
    r"standard_conforming_strings|check_function_bodies|xmloption|client_min_messages|"
    r"row_security|default_tablespace|default_table_access_method) = [\w' ]*;$"
)
_SEARCH_PATH = "SELECT pg_catalog.set_config('search_path', '', false);"
_COPY = re.compile(r'^COPY [\w."]+ \([\w", ]*\) FROM stdin;$')


def statement_problem(line: str, starting: bool) -> str | None:
    """Why a line of pg_restore's SQL (outside COPY rows) is not one of a dump of our tables;
    `starting`: it begins a statement."""
    text = line.rstrip("\n")
    if not text.strip() or text.startswith("--") or text.startswith("\\"):
        return None
    if ";" in text.rstrip().rstrip(";"):
        return f"instruction inattendue « {text[:80]} »"
    if not starting:
        return None
    if (
        text.startswith(_STARTS)
        or _SETTINGS.match(text)
        or text == _SEARCH_PATH
        or _COPY.match(text)
    ):
        return None
    return f"instruction inattendue « {text[:80]} »"


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:40]


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0][:300] if lines else "sans détail"
