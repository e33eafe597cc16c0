"""The Journal page: keys shown readably and filtered on their values, the access rules'
entries (people's e-mails and roles) shown to administrators only."""

from pathlib import Path

import polars as pl

from spend import store, ui
from spend.exchange.importer import import_raw_tables, read_files
from tests.conftest import ADMIN
from tests.pages.conftest import assert_clean
from tests.pages.test_roles import as_user

COLLIDING = (
    "operation_code,imputation,label,year,credits\n"
    "A / B,C,Première,2022,100.00\n"
    "A,B / C,Seconde,2022,200.00\n"
)


def _write_rule_and_lines() -> None:
    as_user(email="dsi@exemple.fr")  # the file exists, seeded
    with ui.session() as con:
        rules = pl.DataFrame(
            {"kind": ["email"], "name": ["secret@exemple.fr"], "role": ["lecteur"]}
        )
        store.replace_access_rules(con, rules, actor=ADMIN)
        raw = read_files([("budget_lines.csv", COLLIDING.encode())])
        import_raw_tables(con, raw, actor=ADMIN, source="lignes")


def test_a_reader_does_not_see_the_access_rules_entries(app_db: Path) -> None:
    _write_rule_and_lines()
    reader = as_user("pages/journal.py", email="quelquun@exemple.fr")
    assert_clean(reader)
    shown = reader.dataframe[0].value
    assert "Droits d'accès" not in shown["Table"].tolist()
    assert not shown.apply(lambda row: "secret@exemple.fr" in " ".join(map(str, row)), axis=1).any()
    assert "access_rules" not in reader.selectbox(key="journal_table").options
    admin = as_user("pages/journal.py", email="dsi@exemple.fr")
    entries = admin.dataframe[0].value
    rule = entries[entries["Table"] == "Droits d'accès"].iloc[0]
    assert rule["Clé"] == "email / secret@exemple.fr"


def test_keys_read_as_values_and_the_filter_matches_one_value(app_db: Path) -> None:
    _write_rule_and_lines()
    at = as_user("pages/journal.py", email="dsi@exemple.fr")
    at.text_input(key="journal_key").input("a / b").run()
    assert_clean(at)
    shown = at.dataframe[0].value
    # « a / b » is one value of the first line's key only; both keys read « A / B / C / 2022 ».
    assert shown["Clé"].tolist() == ["A / B / C / 2022 / BP"]
    assert "Première" in shown["Après"].iloc[0]
