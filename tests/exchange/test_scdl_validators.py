"""The official validators on our SCDL files: `frictionless` (5.21) and Validata
(`validata-table`, whose library also runs the schema's custom checks), against the
« Délibérations » schema 2.1.5 kept in tests/fixtures/scdl/. No network: the schema is a file.

Validata warns twice about the schema itself (two of its custom checks use names it now calls
deprecated), and Validata calls frictionless with an option frictionless deprecates (a Python
warning of the library, not of the file); every other warning, and every error of either
validator, fails a test.
"""

import json
import warnings
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from frictionless import Resource, Schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from validata_core import resource_service, validation_service

from spend import store
from spend.domain.access import SYSTEM
from spend.exchange.demo import write_demo
from spend.exchange.scdl import SCDL_COLUMNS, scdl_csv_bytes, scdl_export, scdl_problems
from spend.exchange.seed import open_database
from spend.paths import ROOT
from tests.exchange.test_scdl import BROKEN, STORE_SCHEMA, _one_row

SCHEMA_FILE = ROOT / "tests" / "fixtures" / "scdl" / "deliberations-2.1.5.schema.json"
SCHEMA = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
SCHEMA_WARNINGS = {
    "Le custom check 'french-siret-value' est déprécié, veuillez utiliser 'siret' à la place "
    "dans le schéma.",
    "Le custom check 'nomenclature-actes-value' est déprécié, veuillez utiliser "
    "'nomenclature-acte' à la place dans le schéma.",
}
SIRET = "21860194600013"


def _schema() -> dict:
    """A fresh descriptor: the validators change the one they are given."""
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def official_findings(content: bytes, folder: Path) -> list[str]:
    """Every error or warning of frictionless and of Validata on a CSV file's bytes."""
    path = folder / "deliberations_scdl.csv"
    path.write_bytes(content)
    resource = Resource(
        path=path.name, basepath=str(folder), schema=Schema.from_descriptor(_schema())
    )
    report = resource.validate()
    found = [f"frictionless {e.type} : {e.message}" for t in report.tasks for e in t.errors]
    found += [f"frictionless : {w}" for w in [*report.warnings, *report.task.warnings]]
    table = resource_service.from_file_content(path.name, content)
    with warnings.catch_warnings():
        # Validata's own call into frictionless uses an option frictionless now deprecates.
        warnings.filterwarnings("ignore", "The --schema-sync option", DeprecationWarning)
        validata = validation_service.validate_resource(table, _schema()).to_dict()
    found += [f"validata {e['type']} : {e.get('message')}" for e in validata["errors"]]
    found += [f"validata : {w}" for w in validata["warnings"] if w not in SCHEMA_WARNINGS]
    return found


def test_the_schema_is_the_published_2_1_5() -> None:
    assert SCHEMA["version"] == "2.1.5"
    assert [f["name"] for f in SCHEMA["fields"]] == list(SCDL_COLUMNS)
    assert len(SCHEMA["custom_checks"]) == 11


def test_the_seed_with_a_siret_is_valid_for_both_validators(tmp_path: Path) -> None:
    with open_database(tmp_path / "seed.duckdb") as con:
        store.update_settings(con, {"collectivity_siret": SIRET}, actor=SYSTEM, source="test")
        export = scdl_export(store.read_table(con, "deliberations"), store.settings(con))

    assert export.published.height == 3 and export.problems == []
    assert official_findings(export.csv_bytes(), tmp_path) == []
    # 2022-504's 44 votes are published with its 44 members in office.
    vote = export.published.filter(pl.col("DELIB_ID") == "2022-504").select("VOTE_EFFECTIF")
    assert vote.item() == "44"


def test_the_validators_see_the_seed_without_siret_as_we_do(tmp_path: Path) -> None:
    with open_database(tmp_path / "seed.duckdb") as con:
        export = scdl_export(store.read_table(con, "deliberations"), store.settings(con))
    # Nothing a validator refuses is published; the full frame is what they would refuse.
    assert export.published.is_empty() and len(export.problems) == 3
    findings = official_findings(scdl_csv_bytes(export.frame), tmp_path)
    assert len(findings) == 6, findings  # the required SIRET, on each row, for each validator
    assert sum('field "COLL_SIRET"' in f for f in findings if f.startswith("frictionless")) == 3
    assert sum("obligatoire" in f for f in findings if f.startswith("validata")) == 3


def test_the_demo_authority_is_valid_for_both_validators(tmp_path: Path) -> None:
    with store.connect(tmp_path / "demo.duckdb") as con:
        write_demo(con, 900, 2022, SYSTEM)
        store.update_settings(con, {"collectivity_siret": SIRET}, actor=SYSTEM, source="test")
        export = scdl_export(store.read_table(con, "deliberations"), store.settings(con))

    # 36 deliberations, the rejected one not published; every vote given with its members.
    assert export.problems == [] and export.notices == []
    assert export.published.height == 35
    assert export.published["VOTE_EFFECTIF"].null_count() == 0
    assert official_findings(export.csv_bytes(), tmp_path) == []


@pytest.mark.parametrize("case", BROKEN)
def test_each_broken_row_is_refused_by_a_validator_and_by_us(case: str, tmp_path: Path) -> None:
    changes, said = BROKEN[case]
    frame = _one_row(**changes)
    assert any(said in p for p in scdl_problems(frame))
    findings = official_findings(scdl_csv_bytes(frame), tmp_path)
    assert findings, f"{case}: the validators accept what we refuse"


def test_the_valid_row_is_valid_for_both(tmp_path: Path) -> None:
    assert official_findings(scdl_csv_bytes(_one_row()), tmp_path) == []


# --- generated data -----------------------------------------------------------------------------

SUBJECTS = [
    ("1.4", "Commande publique/Autres types de contrats"),
    ("7.10", "Finances locales/Divers"),
    ("5.4", "Institutions et vie politique/Délégation de fonctions"),
    ("8.4", "domaines de compétences par thèmes/aménagement du territoire"),
    ("1.4", "Commande publique / Autres"),  # refused: spaces around the slash
    ("3.6", "Patrimoine/Autres"),  # refused: not a first level of ACTES
    ("12", "Urbanisme/Documents d'urbanisme"),  # refused: code
]
counts = st.one_of(st.none(), st.integers(0, 60))
day = st.dates(date(1995, 1, 1), date(2099, 12, 31))
deliberation = st.fixed_dictionaries(
    {
        "date": day,
        "assembly": st.just("Conseil"),
        "title": st.text(
            st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=0, max_size=30
        )
        | st.sampled_from(["- Adhésion", "=1+1", "Objet, « cité »\nsur deux lignes"]),
        "votes_for": counts,
        "votes_against": counts,
        "abstentions": counts,
        "outcome": st.sampled_from(["adopted", "rejected", None]),
        "subject": st.one_of(st.none(), st.sampled_from(SUBJECTS)),
        "members_in_office": counts,
        "prefecture_id": st.sampled_from([None, "PREF062", "SPREF0621"]),
        "prefecture_date": st.one_of(st.none(), day),
        "budget": st.sampled_from(
            [
                None,
                ("2023", "Budget principal"),
                ("2023/2024", "Annexe"),
                ("2024/2023", "Inversé"),
                ("2023", None),
            ]
        ),
        "url": st.sampled_from([None, "https://exemple.fr/d.pdf", "exemple.fr/d.pdf"]),
    }
)


def _store_rows(rows: list[dict]) -> pl.DataFrame:
    out = []
    for number, row in enumerate(rows):
        subject, budget = row.pop("subject") or (None, None), row.pop("budget") or (None, None)
        out.append(
            {
                **row,
                "deliberation_id": f"G-{number}",
                "subject_code": subject[0],
                "subject_name": subject[1],
                "budget_year": budget[0],
                "budget_name": budget[1],
            }
        )
    return pl.DataFrame(out, schema=STORE_SCHEMA)


@pytest.mark.slow
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(deliberation, min_size=1, max_size=12))
def test_generated_deliberations_publish_only_valid_files(rows: list[dict], tmp_path: Path) -> None:
    export = scdl_export(
        _store_rows(rows), {"collectivity_name": "Commune de Test", "collectivity_siret": SIRET}
    )
    assert official_findings(export.csv_bytes(), tmp_path) == []
    # Every row left out is one our checker refuses, and one a validator refuses too.
    left_out = export.frame.filter(~pl.col("DELIB_ID").is_in(export.published["DELIB_ID"]))
    assert left_out.height == len({p.split(" (ligne")[0] for p in export.problems})
    for row in left_out.iter_rows(named=True):
        assert official_findings(scdl_csv_bytes(pl.DataFrame([row])), tmp_path), row
