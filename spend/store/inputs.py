"""The engine's inputs read from the store: every table and the VAT rate in force."""

from decimal import Decimal

import duckdb

from spend.domain.fees import DEFAULT_VAT_RATE, EngineInputs
from spend.store.database import read_all, settings


def load_inputs(con: duckdb.DuckDBPyConnection) -> EngineInputs:
    tables = read_all(con)
    vat = settings(con).get("vat_rate")
    return EngineInputs(
        bodies=tables["bodies"],
        agreements=tables["agreements"],
        fee_grid=tables["fee_grid"],
        conventions=tables["conventions"],
        budget_lines=tables["budget_lines"],
        commitments=tables["commitments"],
        vat_rate=Decimal(vat) if vat else DEFAULT_VAT_RATE,
        deliberations=tables["deliberations"],
    )
