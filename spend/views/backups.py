"""The backups as a manager reads them: when, why, how large."""

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import polars as pl

from spend.views.formatting import french_date


class BackupFile(Protocol):
    @property
    def path(self) -> Path: ...
    @property
    def taken_at(self) -> dt.datetime: ...
    @property
    def reason(self) -> str: ...

    @property
    def name(self) -> str: ...


def backup_label(backup: BackupFile) -> str:
    """« 28/11/2026 à 17:42:05 — import conventions.csv »."""
    taken = backup.taken_at
    return f"{french_date(taken.date())} à {taken:%H:%M:%S} — {backup.reason}"


def backup_table(backups: Sequence[BackupFile]) -> pl.DataFrame:
    """One row per backup, the newest first."""
    return pl.DataFrame(
        {
            "taken_at": [b.taken_at for b in backups],
            "reason": [b.reason for b in backups],
            "size_kb": [max(1, b.path.stat().st_size // 1024) for b in backups],
            "file": [b.name for b in backups],
        },
        schema={
            "taken_at": pl.Datetime("us"),
            "reason": pl.String,
            "size_kb": pl.Int64,
            "file": pl.String,
        },
    )
