"""The Journal page: one line per operation that opens onto its rows, each change in French
words and Paris time, filters, an undo of a whole operation only after a confirmation that says
what will change, and the access rules' entries (people's e-mails and roles) shown to
administrators only."""

import datetime as dt
import re
from pathlib import Path

import polars as pl
from streamlit.testing.v1 import AppTest

from spend import store, ui
from spend.domain.access import Actor, Role
from spend.exchange.importer import import_raw_tables, read_files
from tests.conftest import ADMIN
from tests.pages.conftest import assert_clean
from tests.pages.test_roles import as_user

COLLIDING = (
    "operation_code,imputation,label,year,credits\n"
    "A / B,C,Première,2022,100.00\n"
    "A,B / C,Seconde,2022,200.00\n"
)
RAISED = (
    "operation_code,imputation,label,year,credits\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2022,3500.00\n"
)
MANAGER = Actor("g.martin@exemple.fr", Role.MANAGER, "tests")


def _plain(text: str) -> str:
    """As a person reads it: no-break spaces as spaces, Markdown escapes removed."""
    return re.sub(r"\\(.)", r"\1", text.replace("\u202f", " ").replace("\u00a0", " "))


def _import(text: str, source: str, actor: Actor = ADMIN) -> None:
    with ui.session() as con:
        raw = read_files([("budget_lines.csv", text.encode())])
        import_raw_tables(con, raw, actor=actor, source=source)


def _write_rule_and_lines() -> None:
    as_user(email="dsi@exemple.fr")  # the file exists, seeded
    with ui.session() as con:
        rules = pl.DataFrame(
            {"kind": ["email"], "name": ["secret@exemple.fr"], "role": ["lecteur"]}
        )
        store.replace_access_rules(con, rules, actor=ADMIN)
    _import(COLLIDING, "lignes")


def _operations(at: AppTest) -> pl.DataFrame:
    return pl.from_pandas(at.dataframe[0].value)


def _rows(at: AppTest) -> pl.DataFrame:
    return pl.from_pandas(at.dataframe[1].value)


def test_one_line_per_operation_that_opens_onto_its_rows(app_db: Path) -> None:
    _write_rule_and_lines()
    at = as_user("pages/journal.py", email="dsi@exemple.fr")
    assert_clean(at)
    operations = _operations(at)
    # The two-row import is one line, the newest first, said in words with its source.
    newest = operations.row(0, named=True)
    assert newest["Opération"] == "import"
    assert newest["Lignes"] == "2"
    assert "lignes" in newest["Quoi"] and "Lignes budgétaires" in newest["Quoi"]
    assert "heure de Paris" in " ".join(operations.columns)
    # Opened (the newest by default): its two rows, keys read as values.
    rows = _rows(at)
    assert rows["Clé"].to_list() == ["A / B / C / 2022 / BP", "A / B / C / 2022 / BP"]
    assert rows["Nature"].to_list() == ["ajoutée", "ajoutée"]
    assert "Crédits : 100,00 €" in _plain(rows["Après"][0])
    assert rows["Avant"].to_list() == ["—", "—"]


def test_a_change_reads_in_french_with_the_exchange_formats_column_names(app_db: Path) -> None:
    as_user(email="dsi@exemple.fr")
    _import(RAISED, "crédits 2022")
    at = as_user("pages/journal.py", email="dsi@exemple.fr")
    assert_clean(at)
    row = _rows(at).row(0, named=True)
    assert row["Nature"] == "modifiée"
    assert row["Table"] == "Lignes budgétaires"
    # Only what changed, under its French header; no JSON, no English key.
    assert _plain(row["Avant"]) == "Crédits : 3 000,00 €"
    assert _plain(row["Après"]) == "Crédits : 3 500,00 €"


def test_the_filters_narrow_the_operations(app_db: Path) -> None:
    as_user(email="dsi@exemple.fr")
    _import(COLLIDING, "lignes")
    _import(RAISED, "crédits 2022", actor=MANAGER)
    at = as_user("pages/journal.py", email="dsi@exemple.fr")
    every = _operations(at).height
    assert every >= 3  # the seed, and the two imports
    at.selectbox(key="journal_person").select("g.martin@exemple.fr").run()
    assert_clean(at)
    assert _operations(at)["Qui"].to_list() == ["g.martin@exemple.fr"]
    at.selectbox(key="journal_person").select("").run()
    at.text_input(key="journal_text").input("b / c").run()  # one value of a key
    assert_clean(at)
    assert _operations(at)["Quoi"].to_list()[0].startswith("lignes")
    assert _operations(at).height == 1
    at.text_input(key="journal_text").input("").run()
    at.selectbox(key="journal_kind").select("annulation").run()
    assert _operations(at).is_empty()
    assert "Aucune opération" in at.info[0].value
    at.selectbox(key="journal_kind").select("").run()
    at.date_input(key="journal_until").set_value(dt.date(2000, 1, 1)).run()
    assert _operations(at).is_empty()


def test_undo_of_a_whole_operation_asks_first_and_says_what_will_change(app_db: Path) -> None:
    as_user(email="dsi@exemple.fr")
    _import(COLLIDING, "lignes")
    at = as_user("pages/journal.py", email="dsi@exemple.fr")
    newest = int(_operations(at)["N°"][0])
    at.button(key="journal_undo_ask").click().run()
    assert_clean(at)
    said = _plain(at.warning[0].value)
    assert "Lignes budgétaires : 2 lignes ajoutées seront supprimées" in said
    # Nothing is undone yet, and the button waits for the confirmation.
    assert at.button(key="journal_undo").disabled
    with ui.session() as con:
        assert store.read_table(con, "budget_lines").height == 3
    at.checkbox(key="journal_undo_confirm").check().run()
    at.button(key="journal_undo").click().run()
    assert_clean(at)
    assert f"Opération n° {newest} annulée : 2 ligne(s)" in at.success[0].value
    with ui.session() as con:
        assert store.read_table(con, "budget_lines").height == 1
    assert _operations(at)["Opération"][0] == "annulation"


def test_an_undo_that_would_drop_a_later_change_is_refused_before_confirmation(
    app_db: Path,
) -> None:
    as_user(email="dsi@exemple.fr")
    _import(RAISED, "crédits 2022")
    _import(RAISED.replace("3500.00", "3600.00"), "crédits encore")
    at = as_user("pages/journal.py", email="dsi@exemple.fr")
    older = int(_operations(at)["N°"][1])
    at.selectbox(key="journal_operation").select(older).run()
    at.button(key="journal_undo_ask").click().run()
    assert_clean(at)
    assert "Annulation refusée" in at.error[0].value
    assert "modifiée depuis" in at.error[0].value
    assert not at.checkbox


def test_a_reader_does_not_see_the_access_rules_entries(app_db: Path) -> None:
    _write_rule_and_lines()
    reader = as_user("pages/journal.py", email="quelquun@exemple.fr")
    assert_clean(reader)
    assert "Droits d'accès" not in reader.selectbox(key="journal_table").options
    for op in reader.selectbox(key="journal_operation").options:
        reader.selectbox(key="journal_operation").select(op).run()
        if len(reader.dataframe) > 1:
            assert "Droits d'accès" not in _rows(reader)["Table"].to_list()
            shown = " ".join(map(str, _rows(reader).rows()))
            assert "secret@exemple.fr" not in shown
    assert "journal_undo_ask" not in [b.key for b in reader.button]  # no undo for a reader
    admin = as_user("pages/journal.py", email="dsi@exemple.fr")
    admin.selectbox(key="journal_table").select("access_rules").run()
    assert_clean(admin)
    rule = _rows(admin).row(0, named=True)
    assert rule["Table"] == "Droits d'accès"
    assert rule["Clé"] == "email / secret@exemple.fr"
