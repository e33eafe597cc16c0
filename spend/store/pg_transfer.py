"""A DuckDB file brought into an authority of the PostgreSQL server (`spend init --authority ID
--from FILE.duckdb`): the release database of 2026-11, or any file of the dashboard, keeps its
figures, settings, scenarios, access rules, arbitrations and journal.

The file is read from a copy, brought to the latest schema step there (the file itself is
never written, nor its backups), and checked as a restore checks a backup: only our tables,
with our columns, at a step this release knows. Its rows then go into the authority in one
transaction holding the authority's write lock, each table by COPY: all of it or nothing. An
authority that already holds a recorded write is refused: nothing of it is replaced.
"""

import shutil
import tempfile
from pathlib import Path

import polars as pl

from spend.store import postgres
from spend.store.connections import open_duckdb
from spend.store.database import StoreError, load_query
from spend.store.schema import apply_migrations, pending, restorable_problem

# Settings that belong to the file, not to the authority: its backups' lineage.
FILE_SETTINGS = ("database_id",)
# Tables the migrations fill in a new schema (the default settings): replaced by the file's.
MIGRATION_FILLED = ("settings",)


def read_file_tables(source: Path) -> dict[str, pl.DataFrame]:
    """Every table of a dashboard's DuckDB file at the latest step, read from a copy."""
    if not source.is_file():
        raise StoreError(f"Le fichier {source} est introuvable : rien n'a été transféré.")
    with tempfile.TemporaryDirectory(prefix="spend-transfert-") as folder:
        copy = Path(folder) / "copie.duckdb"
        shutil.copyfile(source, copy)
        wal = source.with_name(source.name + ".wal")
        if wal.exists():  # writes not yet checkpointed into the file
            shutil.copyfile(wal, copy.with_name(copy.name + ".wal"))
        try:
            con = open_duckdb(copy)
        except Exception as error:  # DuckDB's errors: not a database, damaged, newer storage
            raise StoreError(
                f"Le fichier {source} ne s'ouvre pas comme une base DuckDB : "
                f"{str(error).splitlines()[0][:200]} ; rien n'a été transféré."
            ) from None
        try:
            version, problem = restorable_problem(con)
            if problem is not None:
                raise StoreError(
                    f"Le fichier {source} ne peut pas être transféré : {problem} ; rien n'a "
                    "été transféré."
                )
            steps = pending(version)
            if steps:
                apply_migrations(con, steps, first=version)
            names = [row[0] for row in con.sql(load_query("existing_tables")).fetchall()]
            return {
                name: con.table(name).pl() for name in sorted(names) if name != "schema_version"
            }
        finally:
            con.close()


def transfer(url: str, authority: str, source: Path) -> dict[str, int]:
    """The file's rows in the authority (created if missing); rows per table."""
    frames = read_file_tables(source)
    if "settings" in frames:
        frames["settings"] = frames["settings"].filter(~pl.col("key").is_in(FILE_SETTINGS))
    con = postgres.connect(url, authority, create=True)
    try:
        columns = {name: con.table(name).pl().columns for name in _server_tables(con)}
        con.execute("begin transaction")  # the authority's write lock, then the check
        try:
            if not postgres.is_empty(con):
                raise StoreError(
                    f"La collectivité « {con.schema} » existe déjà sur le serveur "
                    f"{postgres.server_name(url)} et contient des données : rien n'a été "
                    "transféré. Choisissez un autre identifiant (python -m spend authorities "
                    "les liste)."
                )
            counts = {}
            for name, frame in frames.items():
                lacking = [c for c in frame.columns if c not in columns.get(name, [])]
                if lacking:
                    raise StoreError(
                        f"La colonne « {lacking[0]} » de la table « {name} » du fichier {source} "
                        f"n'existe pas dans la collectivité « {con.schema} » : rien n'a été "
                        "transféré."
                    )
                con.copy_into(name, frame, replace=name in MIGRATION_FILLED)
                counts[name] = frame.height
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        return counts
    finally:
        con.close()


def _server_tables(con: postgres.PgConnection) -> list[str]:
    found = con.sql(load_query("existing_tables")).pl()
    return [name for name in found["table_name"].to_list() if name != "schema_version"]
