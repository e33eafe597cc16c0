"""The seed (data/seed/) loaded into a new database; `init` and the tests' fixtures create one."""

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
    """Connect to `path`, creating it (and seeding it if asked) when it does not exist yet: the
    way `init` and the tests make a database; every other opening refuses a missing file."""
    is_new = not path.exists()
    con = store.connect(path, create=is_new)
    if is_new and seed_if_new:
        seed_database(con)
    return con


def seed_database(con: duckdb.DuckDBPyConnection) -> None:
    import_folder(con, SEED_DIR, actor=SYSTEM, source="seed", action="seed")
    store.update_settings(
        con, {"collectivity_name": SEED_AUTHORITY}, actor=SYSTEM, source="seed", action="seed"
    )
