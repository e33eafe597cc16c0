"""Import exchange-format files into the store: check all of it, then write all or nothing."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from spend import store
from spend.domain.access import Actor, require
from spend.domain.french import megabytes, thousands
from spend.domain.records import TABLE_ORDER, TABLES
from spend.exchange.archives import zip_files
from spend.exchange.limits import MAX_FILE_BYTES, MAX_UNPACKED_BYTES, MAX_ZIP_ENTRIES, TOO_LARGE
from spend.exchange.problems import ImportRefused, Problem
from spend.exchange.reading import LINE, RawTable
from spend.exchange.references import check_references, needed_tables
from spend.exchange.uploads import read_table_file, read_uploaded
from spend.exchange.validation import type_rows


@dataclass(frozen=True)
class ImportResult:
    rows_by_table: dict[str, int]

    def summary(self, done: str = "Import réussi") -> str:
        """What was written, after what happened (« Import réussi », « Modifications
        enregistrées »)."""
        counts = self.rows_by_table
        parts = [
            f"{TABLES[t].french} : {thousands(counts[t])} ligne(s)"
            for t in TABLE_ORDER
            if t in counts
        ]
        return f"{done} (" + " ; ".join(parts) + ")."


def _merged_state(
    stored: dict[str, pl.DataFrame],
    incoming: dict[str, pl.DataFrame],
    replace: Iterable[str],
    remove: Mapping[str, pl.DataFrame],
) -> dict[str, pl.DataFrame]:
    """Each stored table as it would be after the write: stored rows neither removed nor
    overwritten, then new rows."""
    merged = {}
    for name in (n for n in TABLE_ORDER if n in stored):
        key = list(TABLES[name].key)
        base = stored[name].with_columns(pl.lit(None, dtype=pl.Int64).alias(LINE))
        if name in replace:
            base = base.clear()
        if name in remove:
            base = base.join(remove[name].select(key), on=key, how="anti", nulls_equal=True)
        if name in incoming:
            new = incoming[name]
            base = base.join(new.select(key), on=key, how="anti", nulls_equal=True)
            merged[name] = pl.concat([base, new.select(base.columns)], how="vertical_relaxed")
        else:
            merged[name] = base
    return merged


def check_raw_tables(
    con: duckdb.DuckDBPyConnection,
    raw_tables: list[RawTable],
    *,
    replace: tuple[str, ...] = (),
    remove: Mapping[str, pl.DataFrame] | None = None,
) -> dict[str, pl.DataFrame]:
    """Typed, fully checked frames ready for `store.write_tables`; raises ImportRefused."""
    problems: list[Problem] = []
    incoming: dict[str, pl.DataFrame] = {}
    files: dict[str, str] = {}
    for raw in raw_tables:
        if raw.table.name in files:
            problems.append(
                Problem.of_file(raw.file, f"la table est déjà fournie par {files[raw.table.name]}")
            )
            continue
        typed, cell_problems = type_rows(raw)
        problems.extend(cell_problems)
        incoming[raw.table.name] = typed
        files[raw.table.name] = raw.file
    # References are checked even when cells are wrong (a bad cell is left out of them), so
    # that one attempt lists every problem.
    # Only the stored tables this write's checks need are read (`needed_tables`).
    touched = {*incoming, *replace, *(remove or {})}
    cleared = {*replace, *(remove or {})}
    stored = {name: store.read_table(con, name) for name in needed_tables(touched, cleared)}
    merged = _merged_state(stored, incoming, replace, remove or {})
    problems.extend(check_references(merged, files, touched, cleared))
    if problems:
        raise ImportRefused(problems)
    return {name: frame.drop(LINE) for name, frame in incoming.items()}


def import_raw_tables(
    con: duckdb.DuckDBPyConnection,
    raw_tables: list[RawTable],
    *,
    actor: Actor,
    source: str,
    action: str = "import",
    replace: tuple[str, ...] = (),
    remove: Mapping[str, pl.DataFrame] | None = None,
    unchanged_since: Mapping[str, int] | None = None,
    undoes: Mapping[str, Mapping[str, int]] | None = None,
) -> ImportResult:
    """Check, then write in one transaction, journaled under `actor` (whose right to `action`
    is checked before anything is read). `remove` gives keys of rows to delete first (the rows
    an edited page of a table held); `unchanged_since` refuses a save on outdated data."""
    if action != "seed":
        require(actor, action)
    frames = check_raw_tables(con, raw_tables, replace=replace, remove=remove)
    detail = ", ".join(f"{name}={frame.height}" for name, frame in frames.items())
    store.write_tables(
        con,
        frames,
        actor=actor,
        action=action,
        replace=replace,
        remove=remove,
        source=source,
        detail=detail,
        unchanged_since=unchanged_since,
        undoes=undoes,
    )
    return ImportResult({name: frame.height for name, frame in frames.items()})


def read_files(files: list[tuple[str, bytes]]) -> list[RawTable]:
    """Parse named CSV contents; raises ImportRefused with every file's problems."""
    problems: list[Problem] = []
    raw_tables: list[RawTable] = []
    for name, content in files:
        raw, file_problems = read_table_file(name, content)
        problems.extend(file_problems)
        if raw is not None:
            raw_tables.append(raw)
    if problems:
        raise ImportRefused(problems)
    return raw_tables


def folder_files(folder: Path) -> list[tuple[str, bytes]]:
    """The CSV files of an exchange-format folder (or zip of one), as (name, bytes).

    Sizes are checked on disk before any file is read: a file past MAX_FILE_BYTES, or a folder
    past MAX_UNPACKED_BYTES or MAX_ZIP_ENTRIES files, is refused without being loaded.
    """
    if folder.is_file() and folder.suffix.lower() == ".zip":
        _refuse_if_too_large([folder])
        files, problems = zip_files(folder.name, folder.read_bytes())
        if problems:
            raise ImportRefused(problems)
        return files
    if not folder.is_dir():
        raise ImportRefused([Problem.of_file(str(folder), "dossier introuvable")])
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    if not paths:
        raise ImportRefused([Problem.of_file(str(folder), "aucun fichier .csv dans ce dossier")])
    if len(paths) > MAX_ZIP_ENTRIES:
        message = f"{len(paths)} fichiers .csv : au plus {MAX_ZIP_ENTRIES} par dossier"
        raise ImportRefused([Problem.of_file(str(folder), message)])
    _refuse_if_too_large(paths)
    total = sum(p.stat().st_size for p in paths)
    if total > MAX_UNPACKED_BYTES:
        message = f"fichiers .csv de {megabytes(total)} : au plus {megabytes(MAX_UNPACKED_BYTES)}"
        raise ImportRefused([Problem.of_file(str(folder), message + " par dossier")])
    return [(p.name, p.read_bytes()) for p in paths]


def _refuse_if_too_large(paths: list[Path]) -> None:
    problems = [
        Problem.of_file(p.name, TOO_LARGE.format(size=megabytes(p.stat().st_size)))
        for p in paths
        if p.stat().st_size > MAX_FILE_BYTES
    ]
    if problems:
        raise ImportRefused(problems)


def import_folder(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    *,
    actor: Actor,
    source: str,
    action: str = "import",
) -> ImportResult:
    """A folder of CSV files, or a zip of one, or a workbook: a zip or workbook is unpacked and
    parsed in a bounded child process (`uploads.read_archive_bounded`)."""
    if folder.is_file() and folder.suffix.lower() in (".zip", ".xlsx"):
        _refuse_if_too_large([folder])
        raw_tables = read_uploaded([(folder.name, folder.read_bytes())])
    else:
        raw_tables = read_files(folder_files(folder))
    return import_raw_tables(con, raw_tables, actor=actor, source=source, action=action)
