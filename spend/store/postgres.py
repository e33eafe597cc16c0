"""The PostgreSQL store: one schema per authority on a server named by `SPEND_DATABASE_URL`,
behind the same calls as the DuckDB file (`store.connect`, `store.query`, `write_tables`…).

`PgConnection` answers the part of DuckDB's connection API the store uses (`cursor`, `sql(…)
.pl()`, `execute`, `register`, `begin transaction` / `commit` / `rollback`), so the store's
modules run unchanged on either backend:

- the queries are those of queries/, with `$name` parameters bound by the driver (never
  written into the text); where the dialects differ, queries/postgresql/<name>.sql holds
  PostgreSQL's form and is used instead;
- the migrations are those of queries/migrations/, numbered alike; a step whose DuckDB text
  PostgreSQL does not take has its form in queries/migrations/postgresql/ under the same name;
  they run under an advisory lock of the authority, in one transaction;
- reads outside a transaction (the engine's inputs) come as Arrow through
  `adbc-driver-postgresql` (binary COPY), never row by row; money is `numeric(18,2)`, read as
  exact decimals; reads inside a write's transaction (its own rows) come by `COPY (…) TO
  STDOUT` parsed by Polars;
- a frame registered for a write is a temporary table filled by `COPY … FROM STDIN`;
- a write is one transaction holding the authority's advisory write lock, taken at its `begin`
  before it reads anything: writes take turns as they do on the file, and the journal's
  numbering and the conflict check (rows changed since the editor loaded them) are read under
  it, so two processes can never both pass it;
- a process keeps an authority's connections idle between pieces of work (`SPEND_PG_IDLE`).
"""

import contextlib
import re
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import polars as pl
import psycopg
from psycopg import sql as pgsql

from spend.paths import QUERIES_DIR
from spend.store import pg_pool
from spend.store.backend import authority_ids, checked_authority
from spend.store.database import StoreError
from spend.store.pg_types import CSV_TYPES, OID_TYPES, arrow_frame, pg_type
from spend.store.schema import LATEST, MIGRATIONS_DIR, Migration, migrations

PG_QUERIES = QUERIES_DIR / "postgresql"
PG_MIGRATIONS = MIGRATIONS_DIR / "postgresql"
_TOKENS = re.compile(r"'(?:[^']|'')*'|--[^\n]*|\$([A-Za-z_][A-Za-z0-9_]*)|%")


def postgres_form(text: str) -> str:
    """A query's PostgreSQL form: its file in queries/postgresql/ when it has one."""
    return _overrides().get(text, text)


@cache
def _overrides() -> dict[str, str]:
    found = {}
    for path in PG_QUERIES.glob("*.sql"):
        shared = QUERIES_DIR / path.name
        if shared.exists():
            found[shared.read_text(encoding="utf-8")] = path.read_text(encoding="utf-8")
    return found


def for_psycopg(text: str) -> str:
    """`$name` → `%(name)s` outside string literals and comments; every `%` doubled."""

    def swap(match: re.Match[str]) -> str:
        if match[1]:
            return f"%({match[1]})s"
        return match[0].replace("%", "%%")

    return _TOKENS.sub(swap, text)


def for_adbc(text: str) -> tuple[str, list[str]]:
    """`$name` → `$1`, `$2`… (one number per name), and the names in that order."""
    names: list[str] = []

    def swap(match: re.Match[str]) -> str:
        if not match[1]:
            return match[0]
        if match[1] not in names:
            names.append(match[1])
        return f"${names.index(match[1]) + 1}"

    return _TOKENS.sub(swap, text), names


def with_schema(url: str, schema: str) -> str:
    """The URL with the authority's schema as search path, and UTC as time zone."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "options"]
    query.append(("options", f"-c search_path={schema} -c TimeZone=UTC"))
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


def server_name(url: str) -> str:
    """The server of a URL, without its password (for messages)."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}{parts.path}"


def _cause(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:300] if text else type(error).__name__


class PgResult:
    """A query's rows, read once: `.pl()` as a frame, `.fetchall()` as tuples."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self._frame = frame

    def pl(self) -> pl.DataFrame:
        return self._frame

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._frame.rows()


class _Statements:
    """What a connection and its cursors do (a cursor shares its connection's session)."""

    is_postgres = True
    _owner: "PgConnection"

    def cursor(self) -> "PgCursor":
        return PgCursor(self._owner)

    def sql(self, text: str, params: Mapping[str, Any] | None = None) -> PgResult:
        return PgResult(self._owner._read(postgres_form(text), params or {}))

    def execute(self, text: str, params: Mapping[str, Any] | None = None) -> PgResult:
        return PgResult(self._owner._run(postgres_form(text), params or {}))

    def register(self, name: str, frame: pl.DataFrame) -> None:
        self._owner._register(name, frame)

    def unregister(self, name: str) -> None:
        self._owner._run_plain(
            pgsql.SQL("drop table if exists pg_temp.{}").format(pgsql.Identifier(name))
        )

    def table(self, name: str) -> PgResult:
        query = pgsql.SQL("select * from {}").format(pgsql.Identifier(name))
        return PgResult(self._owner._fetch(query, None))


class PgCursor(_Statements):
    def __init__(self, owner: "PgConnection") -> None:
        self._owner = owner

    def close(self) -> None:
        """The connection stays open: a cursor here is a view of it."""


class PgConnection(_Statements):
    """One authority's schema on the server, for one piece of work."""

    def __init__(self, url: str, schema: str, pg: psycopg.Connection[Any]) -> None:
        self._owner = self
        self.url = url
        self.schema = schema
        self._pg = pg
        self._arrow: Any = None  # the ADBC connection, taken at the first Arrow read
        self._arrow_reused = False  # taken from those the process kept (it may have gone stale)
        self._unchecked = False  # lent by the process without a check: its first statement may
        # find it ended by the server (the notice not yet read): then replaced (`_revive`)

    def __enter__(self) -> "PgConnection":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Done with it: its connections go back to the process's idle ones for the next piece
        of work on this authority (closed when they cannot be kept)."""
        if self._pg is None:
            return
        pg, arrow = self._pg, self._arrow
        self._pg, self._arrow = None, None  # type: ignore[assignment]  # closed: unusable
        if not pg_pool.park(self.url, self.schema, pg, arrow):
            pg_pool.close_both(pg, arrow)

    @property
    def in_transaction(self) -> bool:
        return self._pg.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    # --- statements --------------------------------------------------------------------------

    def _run(self, text: str, params: Mapping[str, Any]) -> pl.DataFrame:
        word = text.strip().rstrip(";").lower()
        if word in ("begin", "begin transaction"):
            self._run_plain(pgsql.SQL("begin"))
            # Writes of one authority take turns, across every process on the server.
            lock = pgsql.SQL("select pg_advisory_xact_lock(hashtext({}))").format(
                pgsql.Literal(f"spend-write:{self.schema}")
            )
            self._fetch(lock, None)
            return pl.DataFrame()
        if word in ("commit", "rollback"):
            if word == "rollback" and not self.in_transaction:
                return pl.DataFrame()
            self._run_plain(pgsql.SQL(word))
            return pl.DataFrame()
        return self._fetch(for_psycopg(text) if params else text, params or None)

    def _run_plain(self, statement: pgsql.SQL | pgsql.Composed) -> None:
        try:
            self._pg.execute(statement)
        except psycopg.Error as error:
            if self._revive(error):
                return self._run_plain(statement)
            raise StoreError(self._refused(error)) from None
        self._unchecked = False

    def _revive(self, error: psycopg.Error) -> bool:
        """A kept connection lent unchecked whose first statement found it ended: a new one,
        checked, in its place (nothing of this piece of work was done on the old one)."""
        if not self._unchecked or not isinstance(error, psycopg.OperationalError):
            return False
        self._unchecked = False
        pg_pool.close_both(self._pg, None)
        self._pg = server_connection(self.url, self.schema, prepare_threshold=None)
        _ready(self, None, listen=True)
        return True

    def _refused(self, error: BaseException) -> str:
        return (
            f"Écriture ou lecture refusée par le serveur PostgreSQL ({server_name(self.url)}, "
            f"collectivité « {self.schema} ») : {_cause(error)}"
        )

    def _fetch(self, query: Any, params: Mapping[str, Any] | None) -> pl.DataFrame:
        """Run on the session's connection (inside a write's transaction: its own rows)."""
        try:
            with self._pg.cursor() as cur:
                cur.execute(query, params)
                if cur.description is None:
                    return pl.DataFrame()
                rows = cur.fetchall()
                return pl.DataFrame(
                    [
                        pl.Series(
                            column.name,
                            [row[i] for row in rows],
                            dtype=OID_TYPES.get(column.type_code),
                            strict=False,
                        )
                        for i, column in enumerate(cur.description)
                    ]
                )
        except psycopg.Error as error:
            if self._revive(error):
                return self._fetch(query, params)
            raise StoreError(self._refused(error)) from None
        finally:
            self._unchecked = False

    def _read(self, text: str, params: Mapping[str, Any]) -> pl.DataFrame:
        """A query's rows: as Arrow outside a transaction, the session's own rows inside one
        (or when a parameter is a list, which the Arrow driver does not bind)."""
        if self.in_transaction and not params:
            return self._read_in_transaction(text)
        if self.in_transaction or any(isinstance(v, list | tuple) for v in params.values()):
            return self._run(text, params)
        statement, names = for_adbc(text)
        values = [params[n] for n in names] if names else None
        try:
            try:
                return self._arrow_read(statement, values)
            except Exception:
                # A kept connection the server has closed since (a restart, an idle timeout):
                # once more on a new one; a query the server refuses is refused again.
                if not self._arrow_reused:
                    raise
                self._drop_arrow()
                return self._arrow_read(statement, values)
        except Exception as error:  # the driver's errors share no base with psycopg's
            if isinstance(error, StoreError):
                raise
            raise StoreError(self._refused(error)) from None

    def _arrow_read(self, statement: str, values: list[Any] | None) -> pl.DataFrame:
        cur = self._arrow_connection().cursor()
        try:
            cur.execute(statement, values)
            return arrow_frame(cur.fetch_arrow_table())
        finally:
            cur.close()

    def _arrow_connection(self) -> Any:
        """The ADBC connection of this piece of work: the one kept with this connection
        (pg_pool: opening one costs more than most of the dashboard's reads), else a new one."""
        if self._arrow is None:
            import adbc_driver_postgresql.dbapi as adbc

            self._arrow = adbc.connect(with_schema(self.url, self.schema), autocommit=True)
            self._arrow_reused = False
        return self._arrow

    def _drop_arrow(self) -> None:
        if self._arrow is not None:
            with contextlib.suppress(Exception):
                self._arrow.close()
        self._arrow, self._arrow_reused = None, False

    def _register(self, name: str, frame: pl.DataFrame) -> None:
        """The frame as a temporary table `name`, filled by COPY (dropped by `unregister`)."""
        table = pgsql.Identifier(name)
        columns = pgsql.SQL(", ").join(
            pgsql.SQL("{} {}").format(pgsql.Identifier(c), pgsql.SQL(pg_type(t)))
            for c, t in frame.schema.items()
        )
        self._run_plain(pgsql.SQL("drop table if exists pg_temp.{}").format(table))
        self._run_plain(pgsql.SQL("create temp table {} ({})").format(table, columns))
        text = frame.write_csv(null_value="\\N", quote_style="non_numeric")
        copy = pgsql.SQL("copy {} from stdin (format csv, header true, null '\\N')").format(table)
        try:
            with self._pg.cursor() as cur, cur.copy(copy) as stream:
                stream.write(text.encode("utf-8"))
        except psycopg.Error as error:
            raise StoreError(self._refused(error)) from None

    def _read_in_transaction(self, text: str) -> pl.DataFrame:
        """A parameterless query's rows inside the write's transaction (its own rows, which the
        Arrow connection cannot see): `COPY (…) TO STDOUT` parsed by Polars' CSV reader, with
        no Python object per row; the row path for a column type not parsed here."""
        body = text.strip().rstrip(";")
        probe = pgsql.SQL("select * from (\n{}\n) as rows limit 0").format(pgsql.SQL(body))
        try:
            with self._pg.cursor() as cur:
                cur.execute(probe)
                columns = [(c.name, c.type_code) for c in cur.description or []]
        except psycopg.Error as error:
            raise StoreError(self._refused(error)) from None
        if not columns or any(oid not in CSV_TYPES for _, oid in columns):
            return self._fetch(text, None)
        copy = pgsql.SQL("copy (\n{}\n) to stdout (format csv)").format(pgsql.SQL(body))
        chunks = bytearray()
        try:
            with self._pg.cursor() as cur, cur.copy(copy) as stream:
                for chunk in stream:
                    chunks += chunk
        except psycopg.Error as error:
            raise StoreError(self._refused(error)) from None
        names = [f"c{i}" for i in range(len(columns))]  # a result may repeat a column name
        raw = pl.read_csv(
            bytes(chunks),
            has_header=False,
            new_columns=names,
            schema={n: pl.String for n in names},
            raise_if_empty=False,
        )
        if raw.width == 0:  # no row
            raw = pl.DataFrame({n: pl.Series([], dtype=pl.String) for n in names})
        return pl.DataFrame(
            [
                CSV_TYPES[oid](raw[n]).alias(name)
                for n, (name, oid) in zip(names, columns, strict=True)
            ]
        )

    def copy_into(self, table: str, frame: pl.DataFrame, *, replace: bool = False) -> None:
        """A frame's rows put in one of the authority's tables by COPY, by column name (inside
        the caller's write transaction); with `replace`, the table's rows go first."""
        if replace:
            self._run_plain(pgsql.SQL("delete from {}").format(pgsql.Identifier(table)))
        columns = pgsql.SQL(", ").join(pgsql.Identifier(c) for c in frame.columns)
        copy = pgsql.SQL("copy {} ({}) from stdin (format csv, header true, null '\\N')").format(
            pgsql.Identifier(table), columns
        )
        text = frame.write_csv(null_value="\\N", quote_style="non_numeric")
        try:
            with self._pg.cursor() as cur, cur.copy(copy) as stream:
                stream.write(text.encode("utf-8"))
        except psycopg.Error as error:
            raise StoreError(self._refused(error)) from None


# --- opening an authority ----------------------------------------------------------------------


def authorities(url: str) -> list[str]:
    """The authorities on the server: the schemas holding our schema_version table, those with
    a valid id only (`backend.authority_ids`: a stray copy is skipped, never everyone's error)."""
    with server(url) as pg:
        rows = pg.execute(_query_pg("authorities")).fetchall()
    return authority_ids(row[0] for row in rows)


def superuser_role(url: str) -> str | None:
    """The name of the role `url` connects as when it is a superuser (None: an ordinary one)."""
    with server(url) as pg:
        rows = pg.execute(_query_pg("connected_role")).fetchall()
    return str(rows[0][0]) if rows and rows[0][1] else None


def server_connection(
    url: str, schema: str | None = None, **options: Any
) -> psycopg.Connection[Any]:
    """A connection to the server (the authority's schema as search path when named), or the
    French refusal naming the server: the one place a connection is opened."""
    target = with_schema(url, schema) if schema else url
    try:
        return psycopg.connect(target, autocommit=True, connect_timeout=10, **options)
    except psycopg.Error as error:
        raise StoreError(
            f"Le serveur PostgreSQL {server_name(url)} ne répond pas ou refuse la connexion : "
            f"{_cause(error)}"
        ) from None


@contextlib.contextmanager
def server(url: str, schema: str | None = None) -> Iterator[psycopg.Connection[Any]]:
    """`server_connection` for one block, closed at its end."""
    pg = server_connection(url, schema)
    try:
        yield pg
    finally:
        pg.close()


def connect(url: str, authority: str, *, create: bool | None = None) -> PgConnection:
    """The authority's schema, up to date. A missing one is created only with `create=True`
    (`init --authority`), else refused, naming the command that creates it.

    An idle connection this process kept for the authority is taken first: checked when it was
    opened, it is checked again only when its schema's change was told since (a migration or a
    restore, by any process: pg_pool), or the server ended it; one the server has dropped is
    replaced, if need be at its first statement."""
    schema = checked_authority(authority)
    while (parked := pg_pool.checkout(url, schema)) is not None:
        con = PgConnection(url, schema, parked[0])
        con._arrow = parked[1]
        con._arrow_reused = parked[1] is not None  # it may have been ended since: read retried
        if not pg_pool.maybe_changed(parked[0]):
            con._unchecked = True
            return con  # checked when opened, and no change told since (pg_pool)
        try:
            _ready(con, create, kept=True)
        except _Dropped:
            continue  # the server ended it while it waited: another one
        return con
    pg = server_connection(url, schema, prepare_threshold=None)
    con = PgConnection(url, schema, pg)
    _ready(con, create, listen=True)
    return con


class _Dropped(Exception):  # noqa: N818 (reads as what happened)
    """A kept connection the server no longer answers on."""


def _ready(
    con: PgConnection, create: bool | None, *, kept: bool = False, listen: bool = False
) -> None:
    """The schema there (created with `create`) and up to date; else the connection closed.
    A new connection first listens for its schema's changes (`listen`)."""
    pg, schema, url = con._pg, con.schema, con.url
    try:
        if listen:
            pg_pool.listen(pg, schema)
        exists = pg.execute(for_psycopg(_query_pg("schema_exists")), {"schema": schema}).fetchall()
        if not exists:
            if not create:
                raise StoreError(
                    f"La collectivité « {schema} » n'existe pas sur le serveur "
                    f"{server_name(url)} : rien n'a été créé. Pour la créer : python -m spend "
                    f"init --authority {schema} ; pour lister celles qui existent : "
                    "python -m spend authorities"
                )
            pg.execute(pgsql.SQL("create schema if not exists {}").format(pgsql.Identifier(schema)))
        migrate(con)
        pg_pool.checked(pg)
    except psycopg.Error as error:
        message = con._refused(error)
        pg_pool.close_both(pg, con._arrow)
        con._pg, con._arrow = None, None  # type: ignore[assignment]
        if kept and isinstance(error, psycopg.OperationalError):
            raise _Dropped from None
        raise StoreError(message) from None
    except BaseException:
        pg_pool.close_both(pg, con._arrow)
        con._pg, con._arrow = None, None  # type: ignore[assignment]
        raise


def steps() -> list[tuple[Migration, str]]:
    """Every migration with its PostgreSQL text: its own form when it has one, else the
    DuckDB step's (the same number and name)."""
    found = []
    for step in migrations():
        own = PG_MIGRATIONS / step.path.name
        found.append((step, own.read_text(encoding="utf-8") if own.exists() else step.sql()))
    return found


def orphan_forms() -> list[Path]:
    """PostgreSQL forms without their DuckDB step (a renamed or renumbered migration)."""
    names = {step.path.name for step in migrations()}
    return sorted(p for p in PG_MIGRATIONS.glob("*.sql") if p.name not in names)


def migrate(con: PgConnection) -> None:
    """Bring the authority's schema to the latest step, under its migration lock, in one
    transaction; a schema from a newer version is refused."""
    lock = pgsql.SQL("select pg_advisory_lock(hashtext({}))").format(
        pgsql.Literal(f"spend-migrate:{con.schema}")
    )
    unlock = pgsql.SQL("select pg_advisory_unlock(hashtext({}))").format(
        pgsql.Literal(f"spend-migrate:{con.schema}")
    )
    pg = con._pg
    pg.execute(lock)
    try:
        version = _version(pg)
        if version > LATEST:
            raise StoreError(
                f"La collectivité « {con.schema} » a été écrite par une version plus récente du "
                f"tableau de bord (schéma n° {version}) ; cette version lit jusqu'au schéma "
                f"n° {LATEST} : mettez à jour le tableau de bord."
            )
        todo = [(m, text) for m, text in steps() if m.version > version]
        if not todo:
            return
        try:
            with pg.transaction():
                pg.execute(_query("schema_version"))
                pg_pool.tell_changed(pg, con.schema)  # every kept connection checked again
                for step, text in todo:
                    pg.execute(text)
                    pg.execute(
                        for_psycopg(_query("record_migration")),
                        {"version": step.version, "name": step.name},
                    )
        except psycopg.Error as error:
            raise StoreError(
                f"La mise à jour du schéma de la collectivité « {con.schema} » a échoué ; elle "
                f"est restée telle qu'elle était. Détail : {_cause(error)}"
            ) from None
    finally:
        pg.execute(unlock)


def _version(pg: psycopg.Connection[Any]) -> int:
    tables = {row[0] for row in pg.execute(_query_pg("existing_tables")).fetchall()}
    if "schema_version" not in tables:
        return 0
    return int(pg.execute(_query("read_schema_version")).fetchall()[0][0])


def _query(name: str) -> str:
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _query_pg(name: str) -> str:
    own = PG_QUERIES / f"{name}.sql"
    return own.read_text(encoding="utf-8") if own.exists() else _query(name)


@contextlib.contextmanager
def session(
    url: str, authority: str, on_create: Callable[[PgConnection], None] | None = None
) -> Iterator[PgConnection]:
    """The authority for one piece of work (the DuckDB `session`'s counterpart): no file
    lock, the server's transactions keep writers apart."""
    is_new = on_create is not None and checked_authority(authority) not in authorities(url)
    con = connect(url, authority, create=on_create is not None)
    try:
        if is_new and on_create is not None:
            on_create(con)
        yield con
    finally:
        con.close()


def is_empty(con: PgConnection) -> bool:
    """No recorded write yet (a schema just created)."""
    return int(con.sql(_query("data_version")).pl()["writes"][0]) == 0
