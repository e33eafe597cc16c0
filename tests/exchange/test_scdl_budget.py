"""The SCDL « Budget » export of the arbitrated proposal, checked by `frictionless` and Validata
against schema 0.8.3 kept in tests/fixtures/scdl/ (offline), and the imputations it reads."""

import json
import warnings
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from frictionless import Resource, Schema
from validata_core import resource_service, validation_service

from spend import store
from spend.domain.access import SYSTEM
from spend.domain.figures import compute
from spend.domain.preparation import preparation
from spend.exchange.demo import write_demo
from spend.exchange.scdl_budget import (
    BUDGET_COLUMNS,
    budget_csv_bytes,
    budget_export,
    published_parts,
)
from spend.paths import ROOT
from spend.store.arbitration import read_arbitrations, set_arbitration

SCHEMA_FILE = ROOT / "tests" / "fixtures" / "scdl" / "budget-0.8.3.schema.json"
SIRET = "21860194600013"
# Validata says the schema's own custom check has a newer name: a remark on the schema.
SCHEMA_WARNINGS = {
    "Le custom check 'french-siret-value' est déprécié, veuillez utiliser 'siret' à la place "
    "dans le schéma.",
}


def _schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def official_findings(content: bytes, folder: Path) -> list[str]:
    """Every error or warning of frictionless and of Validata on a CSV file's bytes."""
    path = folder / "budget_scdl.csv"
    path.write_bytes(content)
    resource = Resource(
        path=path.name, basepath=str(folder), schema=Schema.from_descriptor(_schema())
    )
    report = resource.validate()
    found = [f"frictionless {e.type} : {e.message}" for t in report.tasks for e in t.errors]
    found += [f"frictionless : {w}" for w in [*report.warnings, *report.task.warnings]]
    table = resource_service.from_file_content(path.name, content)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "The --schema-sync option", DeprecationWarning)
        validata = validation_service.validate_resource(table, _schema()).to_dict()
    found += [f"validata {e['type']} : {e.get('message')}" for e in validata["errors"]]
    found += [f"validata : {w}" for w in validata["warnings"] if w not in SCHEMA_WARNINGS]
    return found


def test_the_schema_is_the_published_0_8_3() -> None:
    schema = _schema()
    assert schema["version"] == "0.8.3"
    assert [f["name"] for f in schema["fields"]] == list(BUDGET_COLUMNS)


def _prepared(con, year: int) -> pl.DataFrame:
    inputs = store.load_inputs(con)
    return preparation(inputs, compute(inputs), year, read_arbitrations(con))


def test_the_seed_arbitrated_is_valid_for_both_validators(seeded_db, tmp_path: Path) -> None:
    store.update_settings(seeded_db, {"collectivity_siret": SIRET}, actor=SYSTEM, source="test")
    set_arbitration(seeded_db, "C06-020M02", "6281/930202", 2023, Decimal("2600.00"), actor=SYSTEM)
    export = budget_export(_prepared(seeded_db, 2023), 2023, store.settings(seeded_db))

    assert export.problems == [] and export.notices == []
    assert official_findings(export.csv_bytes(), tmp_path) == []
    row = export.published.row(0, named=True)
    assert row["BGT_NATDEC"] == "budget primitif" and row["BGT_ANNEE"] == "2023"
    # 6281/930202: nature 6281 of chapter 011, voted by function (chapter 930, fonction 0202).
    assert (row["BGT_CONTNAT"], row["BGT_NATURE"], row["BGT_FONCTION"]) == ("6281", "011", "0202")
    assert row["BGT_NATURE_LABEL"] == "Charges à caractère général"
    assert row["BGT_SECTION"] == "fonctionnement" and row["BGT_OPERATION"] == "C06-020M02"
    assert row["BGT_MTBUDGPREC"] == "3000.00"  # the BP of 2022
    assert row["BGT_MTPROPNOUV"] == row["BGT_CREDOUV"] == "2600.00"  # the arbitrated amount


def test_a_line_not_arbitrated_publishes_the_proposal_and_says_so(seeded_db) -> None:
    store.update_settings(seeded_db, {"collectivity_siret": SIRET}, actor=SYSTEM, source="test")
    export = budget_export(_prepared(seeded_db, 2023), 2023, store.settings(seeded_db))
    assert export.published["BGT_CREDOUV"].to_list() == ["2508.33"]
    assert export.notices == ["Ligne C06-020M02 / 6281/930202 : non arbitrée, la proposition "
                              "est publiée."]  # fmt: skip


def test_without_siret_nothing_is_published_and_the_reason_is_said(seeded_db) -> None:
    export = budget_export(_prepared(seeded_db, 2023), 2023, store.settings(seeded_db))
    assert export.published.is_empty()
    assert export.problems == ["SIRET de la collectivité non renseigné (page Administration) : "
                               "obligatoire (BGT_SIRET). Aucune ligne publiée."]  # fmt: skip


def test_the_demo_authority_is_valid_for_both_validators(tmp_path: Path) -> None:
    with store.connect(tmp_path / "demo.duckdb") as con:
        write_demo(con, 600, 2022, SYSTEM)
        store.update_settings(con, {"collectivity_siret": SIRET}, actor=SYSTEM, source="test")
        prepared = _prepared(con, 2024)
        export = budget_export(prepared, 2024, store.settings(con))

    # Left out, and said: the fees of conventions that name no line, and the lines whose nature
    # the chart does not list (its label is required); every other line is published.
    unlisted = [p for p in export.problems if "n'est pas dans le plan de comptes" in p]
    assert len(export.problems) == 1 + len(unlisted)
    assert export.problems[0].startswith("Ligne (sans code) / ? : cotisations de conventions")
    assert export.published.height == prepared["operation_code"].drop_nulls().len() - len(unlisted)
    assert export.published.height > 3
    assert official_findings(export.csv_bytes(), tmp_path) == []


@pytest.mark.parametrize(
    ("written", "parts"),
    [
        ("6281/930202", ("fonctionnement", "011", "6281", "0202")),
        ("011/6281", ("fonctionnement", "011", "6281", None)),
        ("chapitre 011, article 6281", ("fonctionnement", "011", "6281", None)),
        ("65-6281-020", None),  # 6281 is of chapter 011: contradicts, not published
        ("011-6156-020", ("fonctionnement", "011", "6156", "020")),
    ],
)
def test_the_forms_authorities_write_give_the_columns(written: str, parts: tuple | None) -> None:
    read = published_parts(written)
    if parts is None:
        assert isinstance(read, str) and "relève du chapitre 011" in read
        return
    assert isinstance(read, dict)
    published = (read["BGT_SECTION"], read["BGT_NATURE"], read["BGT_CONTNAT"], read["BGT_FONCTION"])
    assert published == parts


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("imputation libre", "forme non reconnue"),
        ("6999/930202", "la nature 6999 n'est pas dans le plan de comptes"),
    ],
)
def test_what_cannot_be_read_is_said_never_guessed(written: str, said: str) -> None:
    read = published_parts(written)
    assert isinstance(read, str) and said in read


def test_a_line_whose_imputation_cannot_be_read_is_left_out(seeded_db, tmp_path: Path) -> None:
    store.update_settings(seeded_db, {"collectivity_siret": SIRET}, actor=SYSTEM, source="test")
    prepared = _prepared(seeded_db, 2023)
    odd = prepared.with_columns(pl.lit("6999/1").alias("imputation"))
    export = budget_export(pl.concat([prepared, odd]), 2023, store.settings(seeded_db))
    assert export.published.height == 1
    assert len(export.problems) == 1 and "6999" in export.problems[0]
    assert official_findings(export.csv_bytes(), tmp_path) == []


def test_the_validators_refuse_what_the_export_never_writes(seeded_db, tmp_path: Path) -> None:
    # The check above is worth something only if the validators see a broken file.
    store.update_settings(seeded_db, {"collectivity_siret": SIRET}, actor=SYSTEM, source="test")
    export = budget_export(_prepared(seeded_db, 2023), 2023, store.settings(seeded_db))
    broken = export.published.with_columns(
        pl.lit("autre").alias("BGT_SECTION"), pl.lit("21860194600014").alias("BGT_SIRET")
    )
    findings = official_findings(budget_csv_bytes(broken), tmp_path)
    assert any(f.startswith("frictionless constraint-error") for f in findings), findings
    assert sum(f.startswith("validata") for f in findings) >= 2, findings
