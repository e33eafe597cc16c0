"""On the embedded file (one authority, no server) `[acces]`'s own keys hold as before, whether
or not the file also names `[acces.collectivites.…]` sub-tables for a later move to a server:
the rule that closes an authority without a sub-table is the server's only."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from spend.domain.access import Role
from tests.pages.conftest import APP, assert_clean
from tests.ui.test_access import AUTH

ACCES = {
    "administrateurs": ["dsi.admin@exemple.fr"],
    "collectivites": {"arras": {"administrateurs": ["a@arras.fr"]}},
}


def _visit(email: str, acces: dict[str, object]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.secrets["acces"] = acces
    at.user = {"is_logged_in": True, "sub": "x", "email": email, "email_verified": True}
    at.run()
    return at


def test_the_files_keys_hold_beside_sub_tables(app_db: Path) -> None:
    at = _visit("dsi.admin@exemple.fr", ACCES)
    assert_clean(at)
    assert at.session_state.actor.role == Role.ADMIN
    assert at.metric, "the overview's cards are shown"
    # A stranger is a lecteur there, as `inconnus` says by default on the file.
    at = _visit("passant@ailleurs.fr", ACCES)
    assert_clean(at)
    assert at.session_state.actor.role == Role.READER
    # A sub-table's person is no one on the file: the file is not « arras ».
    at = _visit("a@arras.fr", {**ACCES, "inconnus": "refuser"})
    assert not at.metric
    assert "n'a pas accès" in " ".join(e.value for e in at.error)


def test_the_file_says_nothing_of_a_missing_sub_table(app_db: Path) -> None:
    at = _visit("dsi.admin@exemple.fr", {"administrateurs": ["dsi.admin@exemple.fr"]})
    at.switch_page("pages/admin.py").run()
    assert_clean(at)
    assert not [w for w in at.warning if "collectivites" in w.value]
    assert not at.sidebar.caption or "collectivites" not in " ".join(
        c.value for c in at.sidebar.caption
    )
