"""The DuckDB file: opening it (migrations, locks, damage), reading it, writing it (rights,
backups, journal), its backups.

Everything that touches the database file goes through this package; the rest of the code
receives frames. `from spend import store` then `store.query(con, "read_bodies")`.
"""

from spend.store.backups import (
    Backup,
    latest_backup,
    list_backups,
)
from spend.store.database import (
    StoreError,
    database_path,
    execute,
    load_query,
    query,
    read_all,
    read_table,
    saved_scenarios,
    settings,
)
from spend.store.inputs import (
    load_inputs,
)
from spend.store.opening import (
    bring_up_to_date,
    connect,
    is_read_only,
    session,
)
from spend.store.writes import (
    StoreConflict,
    delete_scenario,
    record_event,
    replace_access_rules,
    save_scenario,
    update_settings,
    write_tables,
)

__all__ = [
    "Backup",
    "StoreConflict",
    "StoreError",
    "bring_up_to_date",
    "connect",
    "database_path",
    "delete_scenario",
    "execute",
    "is_read_only",
    "latest_backup",
    "list_backups",
    "load_inputs",
    "load_query",
    "query",
    "read_all",
    "read_table",
    "record_event",
    "replace_access_rules",
    "save_scenario",
    "saved_scenarios",
    "session",
    "settings",
    "update_settings",
    "write_tables",
]
