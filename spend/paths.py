"""Where the project's files live, and which database a process opens."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
SEED_DIR = ROOT / "data" / "seed"
DEFAULT_DB = ROOT / "data" / "spend.duckdb"


def default_db_path() -> Path:
    """The database named by SPEND_DB, else the embedded file under data/."""
    named = os.environ.get("SPEND_DB")
    return Path(named) if named else DEFAULT_DB
