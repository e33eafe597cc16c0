"""The DuckDB file: connection, queries loaded from queries/, transactions, settings.

Everything that touches the database file goes through this package; the rest of the code
receives frames. `from spend import store` then `store.query(con, "read_bodies")`.
"""

from spend.store.database import (
    StoreError,
    connect,
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

__all__ = [
    "StoreError",
    "connect",
    "delete_scenario",
    "execute",
    "load_inputs",
    "load_query",
    "query",
    "read_all",
    "read_table",
    "save_scenario",
    "saved_scenarios",
    "set_setting",
    "settings",
    "update_settings",
    "write_tables",
]
