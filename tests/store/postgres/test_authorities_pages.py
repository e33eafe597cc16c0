"""One dashboard serving two authorities of a server: each signed-in person gets the authorities
their rules name (the configuration's per authority, and those saved on an authority's
Administration page), chooses among several in the sidebar, and never sees anything of another.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from spend import store
from spend.domain.access import Role
from spend.store import backend
from tests.pages.conftest import APP, PAGE_SCRIPTS, assert_clean
from tests.store.postgres.conftest import spend
from tests.store.postgres.two_authorities import (
    ARRAS,
    ARRAS_MARKS,
    FIGURES,
    LENS,
    LENS_MARKS,
    LENS_STORED_MANAGER,
    NAMES,
    create_two_authorities,
)
from tests.ui.test_access import AUTH

BOTH = "direction.achats@pasdecalais.fr"  # administrateur of both
ARRAS_ONLY = "compta@arras.fr"  # lecteur of arras only
NOBODY = "passant@ailleurs.fr"
ACCES = {
    "administrateurs": [NOBODY],  # the [acces] keys: for an authority without its own section
    "collectivites": {
        ARRAS: {"administrateurs": [BOTH], "lecteurs": [ARRAS_ONLY]},
        LENS: {"administrateurs": [BOTH], "groupes_lecteurs": ["elus-lens"]},
    },
}
EVERY_PAGE = [*PAGE_SCRIPTS, "pages/preparation.py"]


@pytest.fixture(scope="module")
def server(
    pg_cluster: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """Both authorities, made once for the module's tests (they only read)."""
    tmp = tmp_path_factory.mktemp("two_authorities")
    url = pg_cluster.create_database("spend_two_authorities")  # type: ignore[attr-defined]
    env = {"SPEND_DATABASE_URL": url, "SPEND_PG_BACKUP_DIR": str(tmp / "backups")}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        patch.delenv("SPEND_AUTHORITY", raising=False)
        create_two_authorities(tmp)
    yield {**env, "SPEND_DB": str(tmp / "no-file.duckdb")}


@pytest.fixture
def on_server(server: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in server.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SPEND_AUTHORITY", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
    assert not Path(server["SPEND_DB"]).exists()


def signed_in(email: str, **claims: object) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.secrets["auth"] = AUTH
    at.secrets["acces"] = ACCES
    at.user = {
        "is_logged_in": True,
        "sub": email,
        "email": email,
        "email_verified": True,
        **claims,
    }
    at.run()
    return at


def cards(at: AppTest) -> list[str]:
    return [m.value.replace("\u202f", " ").replace("\xa0", " ") for m in at.metric][:3]


def shown_text(at: AppTest, part: str = "") -> str:
    """Everything the page shows (or its `main` part): texts, labels, options, and every
    table's cells."""
    found: list[str] = []

    def walk(node: object) -> None:
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)
            return
        for attribute in ("label", "value", "body", "options", "placeholder", "help"):
            try:
                value = getattr(node, attribute, None)
            except Exception:  # an element without that part
                continue
            if hasattr(value, "to_csv"):
                value = value.to_csv()
            if value is not None:
                found.append(str(value))

    walk(getattr(at, part) if part else at._tree)
    return re.sub(r"\\(.)", r"\1", "\n".join(found))


def test_a_person_with_rules_in_both_chooses_and_sees_each_ones_figures(on_server: None) -> None:
    at = signed_in(BOTH)
    assert_clean(at)
    choice = at.selectbox(key="authority_choice")
    assert choice.label == "Collectivité"
    assert choice.options == [NAMES[ARRAS], NAMES[LENS]]  # the names of their settings
    assert at.session_state["authority"] == ARRAS
    assert cards(at) == FIGURES[ARRAS]
    assert at.session_state.actor.role == Role.ADMIN
    assert at.session_state.store_state.version.startswith(f"{ARRAS}@")

    choice.set_value(LENS).run()
    assert_clean(at)
    assert cards(at) == FIGURES[LENS]
    assert at.session_state.store_state.version.startswith(f"{LENS}@")
    at.switch_page("pages/conventions.py").run()
    assert_clean(at)
    text = shown_text(at)
    assert "LENSOIS" in text and "Convention d'adhésion" not in text
    assert not [mark for mark in ARRAS_MARKS if mark in shown_text(at, "main")]

    at.selectbox(key="authority_choice").set_value(ARRAS).run()
    at.switch_page("pages/overview.py").run()
    assert cards(at) == FIGURES[ARRAS]


def test_a_person_with_a_rule_in_one_never_sees_the_other(on_server: None) -> None:
    at = signed_in(ARRAS_ONLY)
    assert_clean(at)
    assert not [s for s in at.selectbox if s.key == "authority_choice"], "no choice of one"
    assert f"**Collectivité** : {NAMES[ARRAS]}" in [m.value for m in at.sidebar.markdown]
    assert at.session_state.actor.role == Role.READER
    assert cards(at) == FIGURES[ARRAS]
    for page in EVERY_PAGE:
        at.switch_page(page).run()
        assert_clean(at)
        text = shown_text(at)
        assert not [mark for mark in LENS_MARKS if mark in text], page
    # The journal names arras's own writes; the Administration page is not theirs to see.
    at.switch_page("pages/journal.py").run()
    assert "Commune d'Arras" in shown_text(at)


def test_the_administrators_pages_list_only_their_authoritys_backups_and_rules(
    on_server: None,
) -> None:
    at = signed_in(BOTH)
    at.switch_page("pages/admin.py").run()
    assert_clean(at)
    text = shown_text(at, "main")  # the sidebar offers the other authority by name
    assert "arras-2" in text, "arras's pg_dump is listed"
    assert not [mark for mark in LENS_MARKS if mark in text]
    at.selectbox(key="authority_choice").set_value(LENS).run()
    at.switch_page("pages/admin.py").run()
    assert_clean(at)
    text = shown_text(at, "main")
    assert "lens-2" in text and LENS_STORED_MANAGER in text
    assert not [mark for mark in ARRAS_MARKS if mark in text]


def test_a_rule_saved_on_an_authoritys_page_lets_its_person_in_there_only(
    on_server: None,
) -> None:
    at = signed_in(LENS_STORED_MANAGER)
    assert_clean(at)
    assert at.session_state["authority"] == LENS
    assert at.session_state.actor.role == Role.MANAGER
    assert cards(at) == FIGURES[LENS]
    assert not [s for s in at.selectbox if s.key == "authority_choice"]


def test_a_group_named_by_one_authority_lets_its_members_in_there(on_server: None) -> None:
    at = signed_in("elu@lens.fr", groups=["elus-lens"])
    assert_clean(at)
    assert at.session_state["authority"] == LENS
    assert at.session_state.actor.role == Role.READER
    assert cards(at) == FIGURES[LENS]
    refused = signed_in("elu@lens.fr", groups=["elus-arras"])
    assert "aucune collectivité" in " ".join(e.value for e in refused.error)


def test_a_person_with_no_rule_anywhere_is_refused(on_server: None) -> None:
    # Named by the [acces] keys, which apply only to an authority without its own section.
    at = signed_in(NOBODY)
    assert_clean(at)
    assert [b.label for b in at.button] == ["Se déconnecter"]
    assert not at.metric
    assert "aucune collectivité" in " ".join(e.value for e in at.error)


def test_an_authority_forced_into_the_session_is_refused_by_the_store(on_server: None) -> None:
    at = signed_in(ARRAS_ONLY)
    assert cards(at) == FIGURES[ARRAS]
    at.session_state["authority"] = LENS
    at.run()
    assert not at.exception
    assert not at.metric, "nothing of lens is shown"
    said = " ".join(e.value for e in at.error)
    assert "Collectivité « lens » refusée" in said
    assert not [mark for mark in LENS_MARKS if mark in shown_text(at)]
    # The next run is back on the one authority this person may use.
    at.run()
    assert cards(at) == FIGURES[ARRAS]


def test_the_store_refuses_an_authority_outside_the_scope(on_server: None) -> None:
    with backend.scope(LENS, {ARRAS}), pytest.raises(store.StoreError, match="refusée"):
        store.session(Path("unused.duckdb")).__enter__()
    with backend.scope("", set()), pytest.raises(store.StoreError, match="Aucune collectivité"):
        store.connect(Path("unused.duckdb"))
    with backend.scope(LENS, {ARRAS, LENS}), store.session(Path("unused.duckdb")) as con:
        assert store.settings(con)["collectivity_name"] == NAMES[LENS]


def test_the_local_user_may_choose_any_authority(on_server: None) -> None:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert_clean(at)
    assert at.selectbox(key="authority_choice").options == [NAMES[ARRAS], NAMES[LENS]]
    assert cards(at) == FIGURES[ARRAS]
    at.selectbox(key="authority_choice").set_value(LENS).run()
    assert cards(at) == FIGURES[LENS]


def test_the_address_opens_the_chosen_authority_and_a_forbidden_one_is_refused(
    on_server: None,
) -> None:
    at = AppTest.from_file(APP, default_timeout=90)
    at.secrets["auth"] = AUTH
    at.secrets["acces"] = ACCES
    at.user = {"is_logged_in": True, "sub": "x", "email": BOTH, "email_verified": True}
    at.query_params["collectivite"] = LENS
    at.run()
    assert cards(at) == FIGURES[LENS]
    at.selectbox(key="authority_choice").set_value(ARRAS).run()
    assert at.query_params["collectivite"] == ARRAS
    assert cards(at) == FIGURES[ARRAS]

    at = AppTest.from_file(APP, default_timeout=90)
    at.secrets["auth"] = AUTH
    at.secrets["acces"] = ACCES
    at.user = {"is_logged_in": True, "sub": "x", "email": ARRAS_ONLY, "email_verified": True}
    at.query_params["collectivite"] = LENS
    at.run()
    assert not at.metric
    assert "Collectivité « lens » refusée" in " ".join(e.value for e in at.error)
    at.run()
    assert cards(at) == FIGURES[ARRAS]


@pytest.mark.slow
def test_a_restore_from_the_page_puts_back_the_chosen_authoritys_backup_only(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEND_PG_BACKUP_DIR", str(tmp_path / "backups"))
    monkeypatch.setenv("SPEND_DB", str(tmp_path / "no-file.duckdb"))
    create_two_authorities(tmp_path)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = signed_in(BOTH)
    at.selectbox(key="authority_choice").set_value(LENS).run()
    at.switch_page("pages/admin.py").run()
    picked = at.selectbox(key="data_backup_pick")
    assert picked.value.startswith("lens-") and len(picked.options) == 1, picked.options
    at.checkbox(key="data_backup_confirm").check().run()
    at.button(key="data_restore").click().run()
    assert_clean(at)
    assert [s.value for s in at.success if "restaurée" in s.value], [e.value for e in at.error]
    journals = {name: spend("journal", "--authority", name).stdout for name in (ARRAS, LENS)}
    assert "restauration" in journals[LENS].lower()
    assert "restauration" not in journals[ARRAS].lower()
    assert at.session_state["authority"] == LENS
