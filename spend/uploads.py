"""Files dropped on the Données page: CSV in either dialect, or XLSX workbooks."""

from spend.exchange_read import RawTable, read_csv_bytes, read_xlsx_bytes
from spend.problems import ImportRefused, Problem


def read_uploaded(files: list[tuple[str, bytes]]) -> list[RawTable]:
    """Every table found in the files; raises ImportRefused with all problems at once."""
    raw_tables: list[RawTable] = []
    problems: list[Problem] = []
    for name, content in files:
        if name.lower().endswith(".xlsx"):
            found, file_problems = read_xlsx_bytes(name, content)
            raw_tables.extend(found)
        else:
            raw, file_problems = read_csv_bytes(name, content)
            if raw is not None:
                raw_tables.append(raw)
        problems.extend(file_problems)
    if problems:
        raise ImportRefused(problems)
    return raw_tables
