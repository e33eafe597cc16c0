"""Never a lost update: two people on one database file, each with a page loaded at the same
version (two AppTest sessions), and a restore between a load and a save."""

import re
from decimal import Decimal
from pathlib import Path

import polars as pl
from streamlit.testing.v1 import AppTest

from spend import store, ui
from spend.exchange.importer import import_raw_tables, read_files
from tests.conftest import ADMIN
from tests.pages.conftest import assert_clean, open_page

SECOND_LINE = (
    "operation_code,imputation,label,year,credits\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2022,3100.00\n"
    "C07-001,6288/930,Autre ligne,2022,500.00\n"
)


def budget_lines() -> dict[str, tuple[str, Decimal]]:
    with ui.session() as con:
        lines = store.read_table(con, "budget_lines").filter(pl.col("year") == 2022)
    return {code: (label, credits) for code, _, label, _, credits, *_ in lines.rows()}


def open_editor() -> AppTest:
    """The Données page, « Modifier une table », the budget lines, as loaded now."""
    at = open_page("pages/data.py")
    at.selectbox(key="data_table").set_value("budget_lines").run()
    assert_clean(at)
    return at


def edit_and_save(at: AppTest, edits: dict[int, dict[str, str]]) -> None:
    """Cells changed in the editor (row → column → text), then « Enregistrer »."""
    (editor,) = [e for e in at.data_editor if e.key.startswith("data_editor_")]
    at.session_state[editor.key] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    at.button(key="data_save").click().run()
    assert_clean(at)


def row_of(at: AppTest, code: str) -> int:
    (editor,) = [e for e in at.data_editor if e.key.startswith("data_editor_")]
    return editor.value["operation_code"].tolist().index(code)


def successes(at: AppTest) -> list[str]:
    return [s.value for s in at.success]


def errors(at: AppTest) -> str:
    """The errors as the reader sees them (stored text is escaped to stay text)."""
    return re.sub(r"\\(.)", r"\1", " ".join(e.value for e in at.error))


def _two_lines() -> None:
    with ui.session() as con:
        raw = read_files([("budget_lines.csv", SECOND_LINE.encode())])
        import_raw_tables(con, raw, actor=ADMIN, source="deux lignes")


def test_a_stale_editor_saved_after_a_restore_is_refused(app_db: Path) -> None:
    _two_lines()  # the backup taken before it holds 3 000,00
    manager = open_editor()  # loaded at 3 100,00
    admin = open_page("pages/admin.py")
    assert "deux-lignes" in admin.selectbox(key="data_backup_pick").value
    admin.checkbox(key="data_backup_confirm").check().run()
    admin.button(key="data_restore").click().run()
    assert any("restaurée" in s for s in successes(admin))
    assert budget_lines() == {"C06-020M02": ("Informatique-Fonctionnement", Decimal("3000.00"))}
    edit_and_save(manager, {row_of(manager, "C06-020M02"): {"label": "Informatique"}})
    assert not successes(manager)
    assert "La base a été restaurée par utilisateur local le " in errors(manager)
    assert "rien n'a été enregistré" in errors(manager)
    # The restored figures are intact.
    assert budget_lines() == {"C06-020M02": ("Informatique-Fonctionnement", Decimal("3000.00"))}


def test_two_managers_changing_different_rows_of_one_page_both_count(app_db: Path) -> None:
    _two_lines()
    first, second = open_editor(), open_editor()
    edit_and_save(second, {row_of(second, "C07-001"): {"credits": "650,00"}})
    assert any("Modifications enregistrées" in s for s in successes(second))
    edit_and_save(first, {row_of(first, "C06-020M02"): {"label": "Informatique"}})
    assert any("Lignes budgétaires : 1 ligne(s)" in s for s in successes(first)), errors(first)
    # Each kept the other's change: the save sent only the cells its author changed.
    assert budget_lines() == {
        "C06-020M02": ("Informatique", Decimal("3100.00")),
        "C07-001": ("Autre ligne", Decimal("650.00")),
    }


def test_a_row_another_manager_changed_since_is_refused_naming_them(app_db: Path) -> None:
    _two_lines()
    first, second = open_editor(), open_editor()
    edit_and_save(second, {row_of(second, "C07-001"): {"credits": "650,00"}})
    edit_and_save(first, {row_of(first, "C07-001"): {"label": "Autre"}})
    assert not successes(first)
    message = errors(first)
    assert (
        "La ligne « C07-001 / 6288/930 / 2022 / BP » de « Lignes budgétaires » a été modifiée"
        in (message)
    )
    assert "modification) depuis que vous l'avez ouverte : rien n'a été enregistré" in message
    assert budget_lines()["C07-001"] == ("Autre ligne", Decimal("650.00"))


def test_an_import_since_counts_for_the_whole_table(app_db: Path) -> None:
    manager = open_editor()
    _two_lines()  # another row changed, and one added, by an import
    edit_and_save(manager, {0: {"label": "Informatique"}})
    assert "« Lignes budgétaires » a été modifiée par tests" in errors(manager)
    assert "import, 2 ligne(s)" in errors(manager)
    assert budget_lines()["C06-020M02"] == ("Informatique-Fonctionnement", Decimal("3100.00"))


def test_a_save_without_changes_writes_nothing(app_db: Path) -> None:
    manager = open_editor()
    with ui.session() as con:
        writes = store.query(con, "data_version")["writes"][0]
    edit_and_save(manager, {})
    assert any("Aucune modification" in i.value for i in manager.info)
    with ui.session() as con:
        assert store.query(con, "data_version")["writes"][0] == writes


def settings() -> dict[str, str]:
    with ui.session() as con:
        return store.settings(con)


def save_settings(at: AppTest, **typed: str) -> None:
    for key, value in typed.items():
        at.text_input(key=key).input(value).run()
    at.button(key="data_settings_save").click().run()
    assert_clean(at)


def test_two_administrators_changing_different_settings_both_count(app_db: Path) -> None:
    first, second = open_page("pages/admin.py"), open_page("pages/admin.py")
    save_settings(first, data_vat="82,50")
    assert any("Paramètres enregistrés" in s for s in successes(first))
    save_settings(second, data_coll_siret="226 200 012 00012")
    assert any("Paramètres enregistrés" in s for s in successes(second)), errors(second)
    # The second form, loaded at 20 %, sent only the SIRET: the first one's rate stays.
    assert settings()["vat_rate"] == "82.50"
    assert settings()["collectivity_siret"] == "22620001200012"
    # After its save, the second form shows what is stored now.
    assert second.text_input(key="data_vat").value == "82,50"


def test_a_setting_another_administrator_changed_since_is_refused(app_db: Path) -> None:
    first, second = open_page("pages/admin.py"), open_page("pages/admin.py")
    save_settings(first, data_vat="82,50")
    save_settings(second, data_vat="5,5", data_coll_siret="226 200 012 00012")
    assert not successes(second)
    message = errors(second)
    assert "Le paramètre « taux de TVA » a été modifié par utilisateur local le" in message
    assert "depuis que vous avez ouvert le formulaire : rien n'a été enregistré" in message
    assert settings()["vat_rate"] == "82.50"
    assert "collectivity_siret" not in settings()  # nothing of the refused save


def save_rules(at: AppTest, added: list[dict[str, str]], deleted: list[int] = ()) -> None:
    (editor,) = [e for e in at.data_editor if e.key.startswith("admin_rules_")]
    at.session_state[editor.key] = {
        "edited_rows": {},
        "added_rows": added,
        "deleted_rows": list(deleted),
    }
    at.button(key="admin_rules_save").click().run()
    assert_clean(at)


def rules() -> list[tuple[str, str, str]]:
    with ui.session() as con:
        return store.query(con, "read_access_rules").rows()


def test_two_administrators_adding_rules_keep_both(app_db: Path) -> None:
    first, second = open_page("pages/admin.py"), open_page("pages/admin.py")
    save_rules(first, [{"kind": "email", "name": "a@exemple.fr", "role": "gestionnaire"}])
    assert any("Droits d'accès enregistrés" in s for s in successes(first))
    save_rules(second, [{"kind": "groupe", "name": "finances", "role": "lecteur"}])
    assert any("Droits d'accès enregistrés" in s for s in successes(second)), errors(second)
    assert rules() == [
        ("email", "a@exemple.fr", "gestionnaire"),
        ("groupe", "finances", "lecteur"),
    ]


def test_a_rule_another_administrator_changed_since_is_refused(app_db: Path) -> None:
    with ui.session() as con:
        store.replace_access_rules(
            con,
            pl.DataFrame({"kind": ["email"], "name": ["a@exemple.fr"], "role": ["lecteur"]}),
            actor=ADMIN,
        )
    first, second = open_page("pages/admin.py"), open_page("pages/admin.py")
    (editor,) = [e for e in first.data_editor if e.key.startswith("admin_rules_")]
    first.session_state[editor.key] = {
        "edited_rows": {0: {"role": "administrateur"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    first.button(key="admin_rules_save").click().run()
    save_rules(second, [], deleted=[0])  # removes the rule the first one just changed
    # Addresses in messages carry a word joiner after « @ » (never a link): read without it.
    assert "La règle « email / a@exemple.fr » des droits d'accès a été modifiée par" in (
        errors(second).replace("\u2060", "")
    )
    assert rules() == [("email", "a@exemple.fr", "administrateur")]
