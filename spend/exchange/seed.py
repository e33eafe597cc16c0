"""Open the database a process works on; the first time, create it and load data/seed/."""

from pathlib import Path

import duckdb

from spend import store
from spend.domain.access import SYSTEM
from spend.exchange.importer import import_folder
from spend.paths import SEED_DIR

# The seed's deliberations are those of this authority (SCDL's COLL_NOM); its SIRET is not in
# the source document and is left for the user to enter.
SEED_AUTHORITY = "Département du Pas-de-Calais"


def open_database(path: Path, *, seed_if_new: bool = True) -> duckdb.DuckDBPyConnection:
    """Connect to `path`; a file that does not exist yet is created, and seeded if asked."""
    is_new = not path.exists()
    con = store.connect(path)
    if is_new and seed_if_new:
        seed_database(con)
    return con


def seed_database(con: duckdb.DuckDBPyConnection) -> None:
    import_folder(con, SEED_DIR, actor=SYSTEM, source="seed", action="seed")
    store.update_settings(
        con, {"collectivity_name": SEED_AUTHORITY}, actor=SYSTEM, source="seed", action="seed"
    )
