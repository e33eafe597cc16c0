"""Backups of an authority on the PostgreSQL server, with PostgreSQL's own tools.

`backup` runs `pg_dump` of the authority's schema (custom format) into its folder of backups
(`SPEND_PG_BACKUP_DIR`, else data/sauvegardes-postgresql/, one sub-folder per authority).

`restore` keeps the embedded store's promises (restore.py) and runs NOTHING of the dump: only
its rows are read. The dump's table of contents and definitions are read first: a file that is
not a dump, a dump of another authority, one holding anything but tables (a function, a view, a
trigger…) or whose definitions call anything our migrations never write (a CHECK or DEFAULT
running SQL) is refused in French, nothing changed. Its rows are read (pg_restore --data-only,
never run): each `COPY <schema>.<table> (<columns>) FROM stdin;` block must be of this
authority, anything else but pg_dump's settings and comments refuses it. Then, in ONE
transaction holding the authority's write lock (writers of every process wait, then land after
the swap, seeing the restored tables): the safety dump of the schema as it is, the schema
renamed aside, a new one built by OUR migrations up to the dump's schema version, the rows sent
through COPY FROM STDIN to our tables and columns only (identifiers composed, never the dump's
text), brought to the latest version, checked (the tables, columns and types of the replaced
schema; the figures computable), the journal entries of the replaced schema beyond the dump's
carried over, the restore journaled, the replaced schema dropped; commit. Any refusal or
failure rolls all of it back: the authority stays as it was.
"""

import datetime as dt
import logging
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql as pgsql

from spend.domain.access import Actor, require
from spend.domain.figures import compute
from spend.paths import ROOT
from spend.store import pg_pool
from spend.store.backend import checked_authority
from spend.store.database import StoreError, load_query
from spend.store.inputs import load_inputs
from spend.store.journal import append, event, start_write
from spend.store.postgres import (
    PgConnection,
    authorities,
    connect,
    migrate,
    server_name,
    steps,
)
from spend.store.schema import LATEST
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


# The reasons of the dumps a restore takes: the schema it replaces (taken before the swap, in
# its transaction), and the schema it made (after its commit), as the file's restore does.
SAFETY_REASON = "avant restauration"
RESTORED_REASON = "restauration"


def restore(url: str, authority: str, file: Path | None, *, actor: Actor) -> tuple[Path, Path]:
    """Put a backup (the latest by default) in place of the authority's schema; returns the
    backup used and the safety backup of the schema it replaced.

    Once the swap is committed, the restored schema is dumped too (as the file's restore keeps
    a copy of the restored state): the next bare restore puts back the state restored, never
    the safety dump, which would silently undo it. A bare restore whose newest dump is still a
    safety dump (that last dump failed, or an older release restored) is refused in French,
    naming the dumps to choose from."""
    require(actor, "restore")
    name = checked_authority(authority)
    chosen = file or latest_to_restore(name)
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
            safety = backup(url, name, SAFETY_REASON)
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
    try:
        backup(url, name, RESTORED_REASON)
    except StoreError as error:  # restored all the same; a bare restore now asks for a file
        logging.getLogger("spend").warning(
            "Collectivité « %s » restaurée, mais sa sauvegarde d'après restauration a échoué : %s",
            name,
            error,
        )
    return chosen, safety


def is_safety_dump(path: Path) -> bool:
    """A dump a restore took of the schema it replaced."""
    return path.name.endswith(f"-{_slug(SAFETY_REASON)}.dump")


def latest_to_restore(authority: str) -> Path | None:
    """The dump a bare restore puts back: the newest, unless it is a restore's safety dump
    (putting it back would undo that restore): then a French refusal naming the dumps."""
    found = list_backups(authority)
    if not found or not is_safety_dump(found[0]):
        return next(iter(found), None)
    shown = "\n".join(
        f"  {path}" + (" (prise avant une restauration)" if is_safety_dump(path) else "")
        for path in found[:5]
    )
    raise StoreError(
        f"La dernière sauvegarde de la collectivité « {authority} » ({found[0].name}) est celle "
        "prise avant une restauration : la remettre en place annulerait cette restauration. "
        "Rien n'a été restauré ; nommez la sauvegarde voulue (python -m spend restore FICHIER "
        f"--authority {authority}), parmi les plus récentes :\n{shown}"
    )


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
    _check_definitions(dump, authority)
    return has_schema


# Words pg_dump writes before « ( » in the definitions of our tables (types, keys, index
# methods); with those of our migrations, the only calls a dump's definitions may hold.
_DDL_WORDS = {
    "numeric",
    "decimal",
    "varchar",
    "varying",
    "character",
    "char",
    "timestamp",
    "time",
    "interval",
    "bit",
    "key",
    "unique",
    "check",
    "references",
    "btree",
    "any",
    "all",
    "array",
    "in",
    "and",
    "or",
    "not",
    "on",
    "as",
    "coalesce",
    "exists",
}
_CREATE_TABLE = re.compile(r"^CREATE TABLE \S+ \(")
_CALL = re.compile(r'([A-Za-z_][\w$]*|"(?:[^"]|"")+")\s*\(')


def _check_definitions(dump: Path, authority: str) -> None:
    """Refuse a dump whose table definitions call anything our migrations never write (a
    CHECK or DEFAULT running SQL): they are never run, our migrations build the schema, but
    such a file is not one of our backups."""
    shown = subprocess.run(
        [
            tool("pg_restore"),
            "--schema-only",
            "--no-owner",
            "--no-privileges",
            "--file=-",
            str(dump),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    if shown.returncode != 0:
        raise _refused(dump, authority, f"pg_restore : {_first_line(shown.stderr)}")
    known = _DDL_WORDS | {word.lower() for _, text in steps() for word in _CALL.findall(text)}
    for line in shown.stdout.splitlines():
        if line.startswith("--") or line == _SEARCH_PATH:
            continue
        for word in _CALL.findall(_CREATE_TABLE.sub("", line)):  # tables: checked with rows
            if _name(word).lower() not in known:
                raise _refused(dump, authority, f"ses définitions appellent « {_name(word)} »")


def _refused(dump: Path, authority: str, why: str) -> StoreError:
    return StoreError(
        f"Restauration refusée : {dump.name} n'est pas une sauvegarde de la collectivité "
        f"« {authority} » que ce tableau de bord peut remettre en place : {why}. La "
        "collectivité n'a pas été modifiée."
    )


def _swap(con: PgConnection, authority: str, dump: Path, has_schema: bool, actor: Actor) -> None:
    """Inside the write lock's transaction: a new schema built by OUR migrations up to the
    dump's version, the dump's rows copied in (nothing of the dump is run), brought to the
    latest version, checked, with the replaced schema's later journal entries, journaled."""
    del has_schema  # the new schema is always ours, made here
    blocks = read_rows(dump, authority)
    _build_schema(con, authority, dump, _dump_version(dump, authority, blocks))
    _check_blocks(con, authority, dump, blocks)
    _copy_rows(con, authority, dump, blocks)
    try:
        migrate(con)  # an older version brought up to date, in the restore's transaction
    except StoreError as error:
        raise _refused(dump, authority, str(error).rstrip(".")) from None
    _check_restored(con, authority, dump)
    _journal_restore(con, dump, actor)
    pg_pool.tell_changed(con._pg, authority)  # at the commit: kept connections checked again
    con._pg.execute(pgsql.SQL("drop schema {} cascade").format(pgsql.Identifier(REPLACED)))


def _build_schema(con: PgConnection, authority: str, dump: Path, version: int) -> None:
    """The authority's schema set aside, a new one made by our migrations up to `version`."""
    pg = con._pg
    schema, replaced = pgsql.Identifier(authority), pgsql.Identifier(REPLACED)
    try:
        pg.execute("select pg_advisory_xact_lock(hashtext(%s))", [RESTORE_LOCK])
        pg.execute(pgsql.SQL("alter schema {} rename to {}").format(schema, replaced))
        pg.execute(pgsql.SQL("create schema {}").format(schema))
        pg.execute("select set_config('search_path', %s, false)", [authority])
        pg.execute(load_query("schema_version"))
        for step, text in steps():
            if step.version <= version:
                pg.execute(text)
    except psycopg.Error as error:
        raise _refused(
            dump, authority, f"son schéma ne se construit pas ({_first_line(str(error))})"
        ) from None


def _check_blocks(con: PgConnection, authority: str, dump: Path, blocks: list["Rows"]) -> None:
    """Every table of the dump one of ours, its columns a subset of that table's."""
    ours: dict[str, set[str]] = {}
    for table, column, _kind in _columns(con):
        ours.setdefault(table, set()).add(column)
    for block in blocks:
        if block.table not in ours:
            raise _refused(dump, authority, f"sa table « {block.table} » est en trop")
        extra = sorted(set(block.columns) - ours[block.table])
        if extra or len(set(block.columns)) != len(block.columns):
            raise _refused(
                dump, authority, f"la colonne « {block.table}.{(extra or ['?'])[0]} » est en trop"
            )


def _copy_rows(con: PgConnection, authority: str, dump: Path, blocks: list["Rows"]) -> None:
    """The dump's rows into our tables by COPY, identifiers composed by the driver."""
    pg, schema = con._pg, pgsql.Identifier(authority)
    try:
        for block in blocks:  # the rows our migrations seed give way to the dump's
            pg.execute(pgsql.SQL("delete from {}.{}").format(schema, pgsql.Identifier(block.table)))
        for block in blocks:
            statement = pgsql.SQL("copy {}.{} ({}) from stdin").format(
                schema,
                pgsql.Identifier(block.table),
                pgsql.SQL(", ").join(pgsql.Identifier(c) for c in block.columns),
            )
            with pg.cursor() as cur, cur.copy(statement) as copy:
                copy.write("".join(block.rows))
    except psycopg.Error as error:
        raise _refused(
            dump, authority, f"ses lignes ne se chargent pas ({_first_line(str(error))})"
        ) from None


def _check_restored(con: PgConnection, authority: str, dump: Path) -> None:
    """The restored schema has the replaced one's tables, columns and types, and computes."""
    pg = con._pg
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


def _journal_restore(con: PgConnection, dump: Path, actor: Actor) -> None:
    """The replaced schema's later journal entries carried over, and the restore journaled."""
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


def _columns(con: PgConnection) -> set[tuple[str, str, str]]:
    return set(con.sql(load_query("table_columns")).pl().rows())


def _last_entry(con: PgConnection) -> int:
    return int(con.sql(load_query("last_journal_id"), {"table_name": None}).pl()["last_id"][0])


@dataclass
class Rows:
    """One `COPY <schema>.<table> (<columns>) FROM stdin;` block of a dump: its rows as
    pg_dump wrote them (COPY text format, one line each), never read as SQL."""

    table: str
    columns: list[str]
    rows: list[str] = field(default_factory=list)


def read_rows(dump: Path, authority: str) -> list[Rows]:
    """The dump's rows (pg_restore --data-only), block by block; anything else in the output
    but the settings and comments pg_dump writes, a block of another schema or an unfinished
    block refuses the dump. Nothing of it is run."""
    command = [
        tool("pg_restore"),
        "--data-only",
        "--no-owner",
        "--no-privileges",
        "--file=-",
        str(dump),
    ]
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8")
    if done.returncode != 0:
        raise _refused(dump, authority, f"pg_restore : {_first_line(done.stderr)}")
    return parse_rows(done.stdout, dump, authority)


def parse_rows(text: str, dump: Path, authority: str) -> list[Rows]:
    """The COPY blocks of pg_restore's data-only output `text`, checked line by line."""
    blocks: list[Rows] = []
    current: Rows | None = None
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if current is not None:
            if line.rstrip("\n") == "\\.":
                current = None
            else:
                current.rows.append(line if line.endswith("\n") else line + "\n")
            continue
        problem = statement_problem(line, True)
        if problem is not None:
            raise _refused(dump, authority, f"ligne {number} : {problem}")
        found = _COPY.match(line.rstrip("\n"))
        if found is None:
            continue
        owner, table = _name(found["schema"]), _name(found["table"])
        if owner != authority:
            raise _refused(dump, authority, f"c'est celle de la collectivité « {owner} »")
        columns = [_name(c) for c in _IDENT.findall(found["columns"])]
        current = Rows(table, columns)
        blocks.append(current)
    if current is not None:
        raise _refused(dump, authority, f"les lignes de « {current.table} » sont tronquées")
    return blocks


def _dump_version(dump: Path, authority: str, blocks: list[Rows]) -> int:
    """The schema version of the dump, from its schema_version rows; one this release cannot
    build is refused."""
    versions = [b for b in blocks if b.table == "schema_version" and "version" in b.columns]
    try:
        at = versions[0].columns.index("version") if versions else -1
        version = max(int(row.split("\t")[at]) for row in versions[0].rows) if versions else 0
    except (ValueError, IndexError):
        version = 0
    if version <= 0:
        raise _refused(dump, authority, "ses tables ne sont pas celles du tableau de bord")
    if version > LATEST:
        raise _refused(
            dump,
            authority,
            f"elle vient d'une version plus récente du tableau de bord (schéma n° {version} ; "
            f"cette version lit jusqu'au schéma n° {LATEST})",
        )
    return version


def _name(text: str) -> str:
    return text[1:-1].replace('""', '"') if text.startswith('"') else text


# What pg_restore --data-only writes for a dump of our tables, and nothing else (the output is
# only read, never run: anything else means an altered archive).
_SETTINGS = re.compile(
    r"^SET (statement_timeout|lock_timeout|idle_in_transaction_session_timeout|"
    r"transaction_timeout|client_encoding|standard_conforming_strings|check_function_bodies|"
    r"xmloption|client_min_messages|row_security|default_tablespace|"
    r"default_table_access_method) = [\w' ]*;$"
)
_SEARCH_PATH = "SELECT pg_catalog.set_config('search_path', '', false);"
_ID = r'(?:[a-z_][a-z0-9_$]*|"(?:[^"]|"")+")'
_IDENT = re.compile(_ID)
_COPY = re.compile(
    rf"^COPY (?P<schema>{_ID})\.(?P<table>{_ID}) \((?P<columns>{_ID}(?:, {_ID})*)\) FROM stdin;$"
)


def statement_problem(line: str, starting: bool = True) -> str | None:
    """Why a line of pg_restore's data-only output (outside COPY rows) is not one pg_dump
    writes for our rows: only its settings, comments, psql commands (never sent anywhere) and
    COPY headers are; `starting` is kept for callers, every line is judged whole."""
    del starting
    text = line.rstrip("\n")
    if not text.strip() or text.startswith("--") or text.startswith("\\"):
        return None
    if _SETTINGS.match(text) or text == _SEARCH_PATH or _COPY.match(text):
        return None
    return f"instruction inattendue « {text[:80]} »"


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:40]


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0][:300] if lines else "sans détail"
