"""The DuckDB file: connection, queries loaded from queries/, transactions, settings.

Everything that touches the database file goes through this package; the rest of the code
receives frames. `from spend import store` then `store.query(con, "read_bodies")`.
"""

from spend.store.backups import Backup, latest_backup, list_backups
from spend.store.database import (
    StoreError,
    database_path,
    delete_scenario,
    execute,
    load_query,
    query,
    read_all,
    read_table,
    save_scenario,
    saved_scenarios,
    set_setting,
    settings,
    update_settings,
    write_tables,
)
from spend.store.inputs import load_inputs
from spend.store.opening import bring_up_to_date, connect, is_read_only, session

__all__ = [
    "Backup",
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
    "save_scenario",
    "saved_scenarios",
    "session",
    "set_setting",
    "settings",
    "update_settings",
    "write_tables",
]
