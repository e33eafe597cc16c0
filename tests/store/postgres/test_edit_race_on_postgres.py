"""Two real processes saving the same budget line on one authority, from the same loaded state:
the conflict check reads the journal under the authority's write lock, in the write's own
transaction, so exactly one of each pair is accepted and the other refused in French; the row
always holds the accepted save (never a lost update)."""

import multiprocessing
import os
import queue
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from spend import store
from spend.domain.access import SYSTEM
from spend.exchange.seed import seed_database

ROUNDS = 20
WAIT_S = 120


def _amount(round_number: int, worker: int) -> Decimal:
    return Decimal(f"{1000 + 10 * round_number + worker}.25")


def _editor(
    url: str, worker: int, start: Any, loaded: Any, results: "multiprocessing.Queue[Any]"
) -> None:
    """One manager's process: each round, load the line and the journal's last id, wait for the
    other to have loaded too, then save its own amount."""
    os.environ["SPEND_DATABASE_URL"] = url
    os.environ.pop("SPEND_AUTHORITY", None)
    con = store.connect(Path("unused"))
    try:
        for number in range(ROUNDS):
            start.wait(WAIT_S)
            since = int(store.query(con, "last_journal_id", table_name="budget_lines")[0, 0])
            lines = store.read_table(con, "budget_lines")
            edited = lines.with_columns(
                pl.lit(_amount(number, worker)).cast(pl.Decimal(18, 2)).alias("credits")
            )
            loaded.wait(WAIT_S)
            try:
                store.write_tables(
                    con,
                    {"budget_lines": edited},
                    actor=SYSTEM,
                    action="edit",
                    source=f"poste {worker}",
                    unchanged_since={"budget_lines": since},
                )
            except store.StoreConflict as refused:
                results.put((number, worker, "refused", str(refused)))
            except Exception as error:  # reported to the test, which fails on it
                results.put((number, worker, "error", repr(error)))
            else:
                results.put((number, worker, "accepted", ""))
    finally:
        con.close()


def test_two_processes_saving_the_same_row_one_is_refused_never_a_lost_update(
    pg_url: str,
) -> None:
    with store.session(Path("unused"), seed_database):
        pass
    context = multiprocessing.get_context("spawn")
    start, loaded = context.Barrier(3), context.Barrier(2)
    results = context.Queue()
    workers = [
        context.Process(target=_editor, args=(pg_url, worker, start, loaded, results))
        for worker in (1, 2)
    ]
    for process in workers:
        process.start()
    reader = store.connect(Path("unused"))
    try:
        for number in range(ROUNDS):
            start.wait(WAIT_S)
            try:
                pair = sorted(results.get(timeout=WAIT_S)[1:] for _ in range(2))
            except queue.Empty:
                raise AssertionError(f"round {number}: an editor did not answer") from None
            outcomes = [outcome for _, outcome, _ in pair]
            assert sorted(outcomes) == ["accepted", "refused"], (number, pair)
            (winner,) = [worker for worker, outcome, _ in pair if outcome == "accepted"]
            (message,) = [text for _, outcome, text in pair if outcome == "refused"]
            assert "a été modifiée par" in message and "rien n'a été enregistré" in message
            stored = store.read_table(reader, "budget_lines")["credits"].to_list()
            assert stored == [_amount(number, winner)], (number, pair, stored)
        journal = store.query(reader, "read_journal", table_name=None, since=None)
        edits = journal.filter(
            (pl.col("action") == "modification") & (pl.col("table_name") == "budget_lines")
        )
        assert edits["write_id"].n_unique() == ROUNDS  # one accepted write a round, no more
    finally:
        reader.close()
        for process in workers:
            process.join(WAIT_S)
            if process.is_alive():
                process.kill()
    assert [process.exitcode for process in workers] == [0, 0]
