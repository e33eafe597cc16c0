"""Each exchange-format table's queries, by name: the store and the write log's replay call
them through here, so that a search for a query file finds its callers."""

from dataclasses import dataclass


@dataclass(frozen=True)
class TableQueries:
    read: str  # every row, in key order
    upsert: str  # the rows registered as `incoming`, inserted or replaced by key
    delete: str  # the rows whose keys are registered as `removed`
    clear: str  # every row


TABLE_QUERIES = {
    "bodies": TableQueries("read_bodies", "upsert_bodies", "delete_bodies", "clear_bodies"),
    "agreements": TableQueries(
        "read_agreements", "upsert_agreements", "delete_agreements", "clear_agreements"
    ),
    "fee_grid": TableQueries(
        "read_fee_grid", "upsert_fee_grid", "delete_fee_grid", "clear_fee_grid"
    ),
    "conventions": TableQueries(
        "read_conventions", "upsert_conventions", "delete_conventions", "clear_conventions"
    ),
    "budget_lines": TableQueries(
        "read_budget_lines", "upsert_budget_lines", "delete_budget_lines", "clear_budget_lines"
    ),
    "commitments": TableQueries(
        "read_commitments", "upsert_commitments", "delete_commitments", "clear_commitments"
    ),
    "deliberations": TableQueries(
        "read_deliberations",
        "upsert_deliberations",
        "delete_deliberations",
        "clear_deliberations",
    ),
}
