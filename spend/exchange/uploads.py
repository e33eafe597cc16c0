"""Files dropped on the Données page: CSV in either dialect, or XLSX workbooks, or zips."""

from spend.exchange.archives import zip_files
from spend.exchange.limits import MAX_ZIP_ENTRIES
from spend.exchange.problems import ImportRefused, Problem
from spend.exchange.reading import RawTable, read_csv_bytes
from spend.exchange.worker import READ_SECONDS, WorkerStopped, run_bounded
from spend.exchange.xlsx import read_xlsx_bytes


def read_uploaded(files: list[tuple[str, bytes]]) -> list[RawTable]:
    """Every table found in the files; raises ImportRefused with all problems at once.

    Each file is bounded by `limits` (its bytes, rows, columns; a zip's or workbook's entries
    and unpacked size, a workbook's shared strings) before it is parsed; workbooks and zips are
    unpacked and parsed in a bounded child process (`read_archive_bounded`).
    """
    if len(files) > MAX_ZIP_ENTRIES:
        message = f"{len(files)} fichiers déposés : au plus {MAX_ZIP_ENTRIES} à la fois"
        raise ImportRefused([Problem.of_file("Dépôt", message)])
    raw_tables: list[RawTable] = []
    problems: list[Problem] = []
    for name, content in files:
        if name.lower().endswith((".xlsx", ".zip")):
            found, file_problems = read_archive_bounded(name, content)
            raw_tables.extend(found)
        else:
            raw, file_problems = read_csv_bytes(name, content)
            if raw is not None:
                raw_tables.append(raw)
        problems.extend(file_problems)
    if problems:
        raise ImportRefused(problems)
    return raw_tables


def read_archive_bounded(
    name: str, content: bytes, *, seconds: float = READ_SECONDS
) -> tuple[list[RawTable], list[Problem]]:
    """`read_archive` in a child process bounded in memory and time: the server (or the
    command line) never holds what a workbook or zip expands to, only the checked tables."""
    try:
        return run_bounded("spend.exchange.uploads:read_archive", name, content, seconds=seconds)
    except WorkerStopped as stopped:
        kind = "du classeur" if name.lower().endswith(".xlsx") else "de l'archive"
        return [], [Problem.of_file(name, stopped.french(f"lecture {kind} arrêtée"))]


def read_archive(name: str, content: bytes) -> tuple[list[RawTable], list[Problem]]:
    """The tables of a workbook (one sheet per table) or of a zip of CSV files."""
    if name.lower().endswith(".xlsx"):
        return read_xlsx_bytes(name, content)
    raw_tables: list[RawTable] = []
    members, problems = zip_files(name, content)
    for member, member_content in members:
        raw, member_problems = read_csv_bytes(member, member_content)
        problems = [*problems, *member_problems]
        if raw is not None:
            raw_tables.append(raw)
    return raw_tables, problems
