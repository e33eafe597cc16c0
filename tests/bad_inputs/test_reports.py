"""A bad file of 500 000 rows holds millions of problems: the refusal lists the first 1 000 in
the file's order, then one line that counts the others per column, in the command line and on
the page (`ImportRefused.lines`); the count said is the whole count."""

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from spend.exchange.problems import MAX_LISTED, ImportRefused, Problem
from spend.paths import ROOT
from tests.bad_inputs.conftest import Corpus, folder_of, import_dir

HEADER = (
    "convention_id,agreement_id,title,formula,category,start_date,end_date,notice_months,"
    "operation_code,imputation,deliberation_id,status"
)
# Seven problems a row: unknown agreement, category without formula, two impossible dates,
# notice and status unreadable, operation code without imputation.
BAD_ROW = "C{},A?,titre,,x,32/13/2020,hier,beaucoup,OP,,D,peut-être"


def bad_conventions(rows: int) -> bytes:
    lines = [HEADER, *(BAD_ROW.format(i) for i in range(rows))]
    return ("\n".join(lines) + "\n").encode()


def test_a_bad_file_lists_a_thousand_problems_then_counts_the_others(
    hostile_db: duckdb.DuckDBPyConnection, corpus: Corpus, tmp_path: Path
) -> None:
    folder = folder_of(tmp_path, {"conventions.csv": bad_conventions(5_000)})
    before = corpus.refused(hostile_db, lambda: import_dir(hostile_db, folder))
    assert len(before) == MAX_LISTED
    with pytest.raises(ImportRefused) as refused:
        import_dir(hostile_db, folder)
    assert refused.value.count == 35_000
    lines = refused.value.lines()
    assert len(lines) == MAX_LISTED + 1
    assert lines[:2] == [
        "conventions.csv, ligne 2, Catégorie : formule et catégorie se renseignent ensemble (ou "
        "toutes deux vides)",
        "conventions.csv, ligne 2, Date de début : date impossible « 32/13/2020 »",
    ]
    assert lines[6] == (
        "conventions.csv, ligne 2, Identifiant accord-cadre : accord-cadre inconnu « A? »"
    )
    assert all(", ligne " in line for line in lines[:-1])
    assert lines[-1].startswith("… et 34\u202f000 autres problèmes (conventions.csv, ")
    assert "conventions.csv, Statut : " in lines[-1]
    counts = [
        int(part.rsplit(" : ", 1)[1].replace("\u202f", "")) for part in lines[-1][:-1].split(" ; ")
    ]
    assert sum(counts) == 34_000


def test_a_refusal_survives_the_trip_from_a_worker() -> None:
    import pickle

    problems = [Problem("f.csv", n, "Nom", "vide") for n in range(1_500)]
    refused = pickle.loads(pickle.dumps(ImportRefused(problems)))
    assert refused.count == 1_500
    assert refused.lines()[-1] == "… et 500 autres problèmes (f.csv, Nom : 500)"


@pytest.mark.slow
def test_a_bad_file_of_500_000_rows_gives_a_bounded_report(tmp_path: Path, corpus: Corpus) -> None:
    """The command line's report: about 100 KB rather than 3,5 million lines (327 MB)."""
    folder = folder_of(tmp_path, {"conventions.csv": bad_conventions(500_000)})
    db = tmp_path / "new.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "spend", "import", str(folder), "--db", str(db)],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )  # fmt: skip
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == MAX_LISTED + 2
    assert len(done.stderr.encode()) < 200_000
    assert lines[-2].startswith("… et 3\u202f499\u202f000 autres problèmes (conventions.csv, ")
    assert lines[-1] == "Import refusé : 3\u202f500\u202f000 problème(s), rien n'a été enregistré."
    assert not db.exists()
    corpus.record("refused")
