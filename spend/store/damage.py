"""What to say of a database file that does not open or read: what it is, and the way back."""

from pathlib import Path

import duckdb

from spend.store.backups import latest_backup


def damaged(path: Path, cause: str) -> str:
    """What to say of a file that does not open: what it is, and the way back."""
    if not path.exists():
        what = f"La base {path} est introuvable."
    elif path.stat().st_size == 0:
        what = f"La base {path} est vide (0 octet)."
    else:
        what = f"La base {path} est endommagée ou n'est pas une base DuckDB."
    backup = latest_backup(path)
    if backup is None:
        way_back = "Aucune sauvegarde n'a été trouvée à côté d'elle."
    else:
        way_back = (
            f"Dernière sauvegarde : {backup.name} ({backup.taken_at:%d/%m/%Y à %H:%M}) ; "
            f"pour la remettre en place : python -m spend restore --db {path}"
        )
    detail = cause.splitlines()[0][:200] if cause else ""
    return f"{what} {way_back} (détail technique : {detail})"


def is_damage(error: duckdb.Error) -> bool:
    """A failure of the file itself (not of a query): unreadable, corrupt, cut short."""
    text = str(error).lower()
    return isinstance(error, duckdb.IOException | duckdb.InternalException) or "corrupt" in text
