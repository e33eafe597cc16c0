"""Who may change what, in the dashboard: each role sees the actions it may take, and a write
with a role that does not allow it is refused below the pages."""

from decimal import Decimal
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from spend import store, ui
from spend.domain.access import AccessRefused, Actor, Role
from spend.exchange.importer import import_raw_tables, read_files
from tests.pages.conftest import APP, assert_clean

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "0123456789abcdef0123456789abcdef",
    "client_id": "tableau-de-bord",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ACCESS = {
    "administrateurs": ["dsi@exemple.fr"],
    "gestionnaires": ["finances@exemple.fr"],
    "groupes_gestionnaires": ["achats"],
}
CREDITS = (
    "operation_code,imputation,label,year,credits\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2022,3100.00\n"
)


def as_user(
    page: str | None = None, *, email: str | None, groups: list[str] = (), **access
) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.secrets["acces"] = {**ACCESS, **access}
    at.user = (
        {"is_logged_in": True, "email": email, "groups": list(groups)}
        if email
        else {"is_logged_in": False}
    )
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def labels(at: AppTest, kind: str) -> list[str]:
    return [w.label for w in at.get(kind)]


def test_a_visitor_who_has_not_signed_in_sees_only_the_sign_in(app_db: Path) -> None:
    at = as_user(email=None)
    assert not at.exception
    assert labels(at, "button") == ["Se connecter"]
    assert not at.metric and not at.get("vega_lite_chart")


def test_a_reader_sees_every_page_and_no_write_action(app_db: Path) -> None:
    at = as_user(email="quelquun@exemple.fr")
    assert_clean(at)
    assert "lecteur" in " ".join(t.value for t in at.sidebar.text)  # the who line, plain text
    at.switch_page("pages/data.py").run()
    assert_clean(at)
    assert [t.label for t in at.tabs] == ["Exporter"]
    assert not at.file_uploader
    assert "Enregistrer les modifications" not in labels(at, "button")
    at.switch_page("pages/simulation.py").run()
    assert "Enregistrer" not in labels(at, "button")
    at.switch_page("pages/journal.py").run()
    assert "Annuler" not in labels(at, "button")
    at.switch_page("pages/admin.py").run()
    assert any("réservée aux administrateurs" in i.value for i in at.info)
    assert not at.text_input


def test_a_reader_calling_a_write_is_refused_and_nothing_changes(app_db: Path) -> None:
    as_user(email="quelquun@exemple.fr")  # the file exists, seeded
    reader = Actor("quelquun@exemple.fr", Role.READER)
    with ui.session() as con:
        before = store.read_all(con)
        with pytest.raises(AccessRefused, match=r"lecteur.*ne peut pas importer"):
            import_raw_tables(
                con, read_files([("budget_lines.csv", CREDITS.encode())]), actor=reader,
                source="essai",
            )  # fmt: skip
        with pytest.raises(AccessRefused, match="changer les paramètres"):
            store.update_settings(con, {"vat_rate": "5.50"}, actor=reader, source="essai")
        with pytest.raises(AccessRefused, match="scénario"):
            store.save_scenario(con, "x", "{}", actor=reader)
        assert {k: v.rows() for k, v in store.read_all(con).items()} == {
            k: v.rows() for k, v in before.items()
        }


def test_a_manager_by_group_edits_and_the_journal_names_them(app_db: Path) -> None:
    at = as_user("pages/data.py", email="agent@exemple.fr", groups=["achats"])
    assert_clean(at)
    assert [t.label for t in at.tabs] == [
        "Importer", "Lire une délibération", "Modifier une table", "Exporter",
    ]  # fmt: skip
    at.file_uploader(key="data_upload_0").set_value(
        ("budget_lines.csv", CREDITS.encode(), "text/csv")
    )
    at.run()
    at.button(key="data_import").click().run()
    assert any("Import réussi" in s.value for s in at.success)
    at.switch_page("pages/journal.py").run()
    operation = at.dataframe[0].value.iloc[0]  # the newest: the import, opened below
    assert operation["Qui"] == "agent@exemple.fr"
    assert operation["Origine"] == "tableau de bord"
    row = at.dataframe[1].value.iloc[0]
    assert row["Table"] == "Lignes budgétaires"
    spaced = {k: row[k].replace("\u202f", " ").replace("\u00a0", " ") for k in ("Avant", "Après")}
    assert spaced == {"Avant": "Crédits : 3 000,00 €", "Après": "Crédits : 3 100,00 €"}
    at.switch_page("pages/admin.py").run()
    assert any("réservée aux administrateurs" in i.value for i in at.info)


def test_an_administrator_undoes_and_the_figures_come_back(app_db: Path) -> None:
    at = as_user("pages/data.py", email="dsi@exemple.fr")
    at.file_uploader(key="data_upload_0").set_value(
        ("budget_lines.csv", CREDITS.encode(), "text/csv")
    )
    at.run()
    at.button(key="data_import").click().run()
    with ui.session() as con:
        credits = store.read_table(con, "budget_lines")["credits"].to_list()
    assert Decimal("3100.00") in credits
    at.switch_page("pages/journal.py").run()
    # The newest operation (the import) is opened first; its undo asks for a confirmation.
    at.button(key="journal_undo_ask").click().run()
    at.checkbox(key="journal_undo_confirm").check().run()
    at.button(key="journal_undo").click().run()
    assert_clean(at)
    assert any("annulée : 1 ligne(s)" in s.value for s in at.success)
    with ui.session() as con:
        credits = store.read_table(con, "budget_lines")["credits"].to_list()
    assert Decimal("3000.00") in credits and Decimal("3100.00") not in credits


def test_a_person_named_nowhere_is_refused_when_the_rules_say_so(app_db: Path) -> None:
    at = as_user(email="inconnu@ailleurs.fr", inconnus="refuser")
    assert not at.exception
    assert any("n'a pas accès" in e.value for e in at.error)
    assert labels(at, "button") == ["Se déconnecter"]
