"""Files dropped on the Données page: CSV in either dialect, or XLSX workbooks."""

from spend.exchange.problems import ImportRefused, Problem
from spend.exchange.reading import (
    MAX_ZIP_ENTRIES,
    RawTable,
    read_csv_bytes,
    read_xlsx_bytes,
    zip_files,
)


def read_uploaded(files: list[tuple[str, bytes]]) -> list[RawTable]:
    """Every table found in the files; raises ImportRefused with all problems at once.

    Each file is bounded by `reading` (its bytes, rows, columns; a zip's or workbook's entries
    and unpacked size) before it is parsed.
    """
    if len(files) > MAX_ZIP_ENTRIES:
        message = f"{len(files)} fichiers déposés : au plus {MAX_ZIP_ENTRIES} à la fois"
        raise ImportRefused([Problem("Dépôt", None, None, message)])
    raw_tables: list[RawTable] = []
    problems: list[Problem] = []
    for name, content in files:
        if name.lower().endswith(".xlsx"):
            found, file_problems = read_xlsx_bytes(name, content)
            raw_tables.extend(found)
        elif name.lower().endswith(".zip"):
            members, file_problems = zip_files(name, content)
            for member, member_content in members:
                raw, member_problems = read_csv_bytes(member, member_content)
                file_problems = [*file_problems, *member_problems]
                if raw is not None:
                    raw_tables.append(raw)
        else:
            raw, file_problems = read_csv_bytes(name, content)
            if raw is not None:
                raw_tables.append(raw)
        problems.extend(file_problems)
    if problems:
        raise ImportRefused(problems)
    return raw_tables
