"""Every DuckDB connection of the store, opened one way: no file outside the database and its
backups folder can be read from SQL, and no Python variable is taken for a table.

A database file is data from outside: a crafted one may hold a view over
`read_csv('/etc/passwd')`, or name a table like a variable of the code that reads it. External
access is switched off once the connection is made (DuckDB refuses to switch it on again, or to
widen the folders allowed), after naming the one folder the store attaches files from: the
backups. Frames the store hands to DuckDB are registered by name (`cursor.register`), which
these settings leave alone.
"""

from collections.abc import Iterable
from pathlib import Path

import duckdb

# Given at connect time: a Python variable in scope is never read as a table.
CONFIG = {"python_enable_replacements": False}


def open_duckdb(
    path: Path | str, *, read_only: bool = False, allowed: Iterable[Path] = ()
) -> duckdb.DuckDBPyConnection:
    """A connection to `path` that may attach files of the `allowed` folders and nothing else."""
    con = duckdb.connect(str(path), read_only=read_only, config=dict(CONFIG))
    try:
        folders = [literal(f"{Path(folder).resolve()}/") for folder in allowed]
        if folders:
            con.execute(f"set allowed_directories = [{', '.join(folders)}]")
        con.execute("set enable_external_access = false")
    except BaseException:
        con.close()
        raise
    return con


def literal(text: str) -> str:
    """A SQL string literal (a file name in ATTACH, which takes no parameter)."""
    return "'" + text.replace("'", "''") + "'"


def identifier(name: str) -> str:
    """A quoted SQL identifier (a database's name is its file's stem: it may hold a `"`)."""
    return '"' + name.replace('"', '""') + '"'
