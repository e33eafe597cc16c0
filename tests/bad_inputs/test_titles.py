"""Each convention's years (or 12-month periods) from its start to its end are titles the engine
computes and every page holds: 500 000 conventions of 50 years (25 million titles) imported,
then took `balance` and the server to 6,5 GB each. A data set implying more than MAX_TITLES
titles is refused at import, naming the row that passes the bound; nothing is written."""

import duckdb

from spend import store
from spend.exchange.importer import read_files
from spend.exchange.references import MAX_TITLES
from tests.bad_inputs.conftest import Corpus, import_tables

HEADER = (
    "convention_id,agreement_id,title,formula,category,start_date,end_date,notice_months,"
    "operation_code,imputation,deliberation_id,status"
)
YEARS = 50  # the longest a convention may last: 2000 to 2049, 50 titles each


def long_conventions(count: int) -> bytes:
    rows = [
        f"LONG-{n},CAIH-SO360,Convention {n},,,2000-01-01,2049-12-31,3,,,,active"
        for n in range(count)
    ]
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def stored_titles(con: duckdb.DuckDBPyConnection) -> int:
    """The titles the seed's conventions imply, by the same count (years from start to end)."""
    conventions = store.read_table(con, "conventions")
    ends = dict(store.read_table(con, "agreements").select("agreement_id", "end_date").iter_rows())
    spans = [
        ((end or ends[agreement]), start)
        for agreement, start, end in conventions.select(
            "agreement_id", "start_date", "end_date"
        ).iter_rows()
    ]
    return sum(max(end.year - start.year + 1, 0) for end, start in spans if end is not None)


def test_a_data_set_implying_too_many_titles_is_refused(
    hostile_db: duckdb.DuckDBPyConnection, corpus: Corpus
) -> None:
    count = MAX_TITLES // YEARS + 1  # 80 001 conventions of 50 years: 4 000 050 titles
    files = [("conventions.csv", long_conventions(count))]
    seed = stored_titles(hostile_db)
    problems = corpus.refused(hostile_db, lambda: import_tables(hostile_db, read_files(files)))
    # The stored conventions count first, then the file's rows in order: the first row whose
    # titles pass the bound is named, and only it.
    line = 2 + (MAX_TITLES - seed) // YEARS
    assert problems == [
        f"conventions.csv, ligne {line}, Date de fin : avec cette ligne, les conventions "
        "impliquent plus de 4 000 000 titres de cotisation (une année, ou une période de 12 mois, "
        "de chaque convention, de son début à sa fin) : au plus 4\u202f000\u202f000 en tout"
    ]


def test_just_within_the_bound_is_accepted(seeded_db: duckdb.DuckDBPyConnection) -> None:
    """The same conventions, as many as the bound leaves room for beside the seed's: written."""
    room = (MAX_TITLES - stored_titles(seeded_db)) // YEARS
    files = [("conventions.csv", long_conventions(room))]
    result = import_tables(seeded_db, read_files(files))
    assert result.rows_by_table == {"conventions": room}
    assert stored_titles(seeded_db) <= MAX_TITLES
