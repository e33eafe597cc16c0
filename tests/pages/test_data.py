"""The Données page refuses a bad file with French errors, and a good file changes the figures."""

from decimal import Decimal
from pathlib import Path

from streamlit.testing.v1 import AppTest

from spend import store, ui
from tests.conftest import SOURCE_DOCUMENT
from tests.pages.conftest import assert_clean, open_page

THIN, NBSP = "\u202f", "\u00a0"
HEADER = "operation_code,imputation,label,year,credits\n"


def data_page() -> AppTest:
    return open_page("pages/data.py")


def budget_rows() -> list[tuple]:
    with ui.session() as con:
        return store.read_table(con, "budget_lines").drop("stage", "deliberation_id").rows()


def test_bad_upload_lists_errors_and_changes_nothing(app_db: Path) -> None:
    at = data_page()
    before = budget_rows()
    bad = HEADER + 'C06-020M02,6281/930202,Informatique,2023,"-5,00"\nC06,6281,X,20x3,10\n'
    at.file_uploader[0].set_value(("budget_lines.csv", bad.encode(), "text/csv")).run()
    # Shown as soon as the file is read, without « Valider », which is not offered then.
    assert not [b for b in at.button if b.key == "data_import"]
    assert_clean(at)
    assert any("Rien n'a été enregistré" in e.value for e in at.error)
    report = at.code[0].value
    assert "budget_lines.csv, ligne 2, Crédits : valeur négative « -5,00 » refusée" in report
    assert "budget_lines.csv, ligne 3, Exercice : nombre entier illisible « 20x3 »" in report
    assert budget_rows() == before


def test_good_upload_changes_the_figures(app_db: Path) -> None:
    at = data_page()
    # The French Excel dialect: Windows-1252, ';', decimal comma, thousands space, euro sign.
    good = (
        "operation_code;imputation;label;year;credits\r\n"
        "C06-020M02;6281/930202;Informatique-Fonctionnement;2023;2 600,00 €\r\n"
    )
    at.file_uploader[0].set_value(("budget_lines.csv", good.encode("cp1252"), "text/csv")).run()
    at.button(key="data_import").click().run()
    assert_clean(at)
    assert any("Import réussi" in s.value for s in at.success)
    at.switch_page("pages/overview.py")
    at.query_params["annee"] = "2023"
    at.selectbox(key="filter_year").set_value(2023)
    at.run()
    credits = next(m.value for m in at.metric if m.label == "Crédits disponibles")
    balance = next(m.value for m in at.metric if m.label == "Solde")
    assert credits == f"2{THIN}600,00{NBSP}€"
    assert balance == f"91,67{NBSP}€"


def test_unknown_file_is_refused_with_its_name(app_db: Path) -> None:
    at = data_page()
    at.file_uploader[0].set_value(("budget.csv", b"a,b\n1,2\n", "text/csv")).run()
    assert any("Rien n'a été enregistré" in e.value for e in at.error)
    assert "budget.csv : fichier inconnu" in at.code[0].value


def test_reading_a_deliberation_proposes_then_saves(app_db: Path) -> None:
    at = data_page()
    content = SOURCE_DOCUMENT.read_bytes()
    at.file_uploader(key="data_deliberation_0").set_value(
        ("deliberation.txt", content, "text/plain")
    ).run()
    assert_clean(at)
    assert any("nets de taxes" in w.value for w in at.warning)
    statuses = [frame.value for frame in at.dataframe if "État" in frame.value.columns]
    # The stored title, written by a manager, is not replaced by the text's ALL-CAPS heading.
    assert [s["État"].tolist() for s in statuses] == [["identique"], ["identique"]]
    review = next(f.value for f in at.dataframe if "Confiance" in f.value.columns)
    assert "2022-504" in review["Valeur"].tolist()
    at.button(key="data_reading_save").click().run()
    # Everything read is stored as it is: nothing is written again, and the page says so.
    assert not at.success
    assert any("Rien n'a changé" in i.value for i in at.info)
    with ui.session() as con:
        stored = store.read_table(con, "deliberations")
    title = stored.filter(stored["deliberation_id"] == "2022-504")["title"][0]
    assert title.startswith("Convention d'adhésion au domaine d'achat « Services en ligne")


def admin_page() -> AppTest:
    return open_page("pages/admin.py")


def test_settings_are_checked_before_saving(app_db: Path) -> None:
    at = admin_page()
    at.text_input(key="data_coll_siret").input("123").run()
    at.button(key="data_settings_save").click().run()
    assert any("14 chiffres" in e.value for e in at.error)
    with ui.session() as con:
        assert store.settings(con).get("collectivity_siret") is None
    at.text_input(key="data_coll_siret").input("226 200 012 00012").run()
    at.text_input(key="data_vat").input("5,5").run()
    at.button(key="data_settings_save").click().run()
    with ui.session() as con:
        settings = store.settings(con)
    assert settings["collectivity_siret"] == "22620001200012"
    assert settings["vat_rate"] == "5.50"


def test_a_backup_is_restored_from_the_page(app_db: Path) -> None:
    at = data_page()
    good = HEADER + "C06-020M02,6281/930202,Informatique,2022,3100.00\n"
    at.file_uploader(key="data_upload_0").set_value(("budget_lines.csv", good.encode(), "text/csv"))
    at.run()
    at.button(key="data_import").click().run()
    assert ("C06-020M02", "6281/930202", "Informatique", 2022, Decimal("3100.00")) in budget_rows()
    at = admin_page()
    # The backup taken before the import is the newest; restoring it takes the import back.
    pick = at.selectbox(key="data_backup_pick")
    assert pick.options[0].endswith("— import budget_lines.csv")  # its reason, read whole
    assert at.button(key="data_restore").disabled
    at.checkbox(key="data_backup_confirm").check().run()
    at.button(key="data_restore").click().run()
    assert_clean(at)
    assert any("restaurée" in s.value for s in at.success)
    rows = budget_rows()
    assert (
        "C06-020M02",
        "6281/930202",
        "Informatique-Fonctionnement",
        2022,
        Decimal("3000.00"),
    ) in rows
