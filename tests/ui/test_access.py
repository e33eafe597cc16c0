"""Sign-in as the dashboard applies it: an unverified or missing e-mail is refused, `inconnus`
fails closed, and a rule saved on the Administration page never demotes one of the file's."""

import logging
import re
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from spend import store, ui
from spend.domain.access import Actor, Role
from tests.pages.conftest import APP, assert_clean

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "0123456789abcdef0123456789abcdef",
    "client_id": "tableau-de-bord",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ADMIN_OF_THE_FILE = "dsi.admin@exemple.fr"


def signed_in(claims: dict[str, object], **access: object) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.secrets["acces"] = {"administrateurs": [ADMIN_OF_THE_FILE], **access}
    at.user = {"is_logged_in": True, **claims}
    at.run()
    return at


def refusal(at: AppTest) -> str:
    assert_clean(at)
    assert [b.label for b in at.button] == ["Se déconnecter"], "a refused visitor sees no page"
    assert not at.metric
    # As the reader sees it: the escapes that keep an address from being Markdown removed.
    return re.sub(r"\\(.)", r"\1", " ".join(e.value for e in at.error))


def test_an_unverified_email_is_refused_even_an_administrators(app_db: Path) -> None:
    at = signed_in({"sub": "x", "email": ADMIN_OF_THE_FILE, "email_verified": False})
    assert "n'est pas vérifiée" in refusal(at)


def test_a_verified_email_enters(app_db: Path) -> None:
    at = signed_in({"sub": "x", "email": ADMIN_OF_THE_FILE, "email_verified": True})
    assert_clean(at)
    assert at.session_state.actor.role == Role.ADMIN
    assert at.metric, "the overview's cards are shown"


def test_no_email_claim_is_refused_and_sub_is_not_a_name(app_db: Path) -> None:
    # Named as an administrator by its `sub`: still refused, for lack of an e-mail.
    at = signed_in({"sub": ADMIN_OF_THE_FILE})
    assert "pas transmis d'adresse e-mail" in refusal(at)


@pytest.mark.parametrize("word", ["refuser", "refusé", "Refusée"])
def test_strangers_are_refused_whatever_the_form_of_the_word(app_db: Path, word: str) -> None:
    at = signed_in({"sub": "x", "email": "inconnu@ailleurs.fr"}, inconnus=word)
    assert "n'a pas accès" in refusal(at)


def test_an_unknown_inconnus_word_refuses_strangers_and_says_why(
    app_db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="spend"):
        at = signed_in({"sub": "x", "email": "inconnu@ailleurs.fr"}, inconnus="refus total")
    said = refusal(at)
    assert "n'a pas accès" in said and "n'est pas compris" in said
    assert any("inconnus" in r.getMessage() for r in caplog.records)
    # Those the file names still enter.
    at = signed_in({"sub": "x", "email": ADMIN_OF_THE_FILE}, inconnus="refus total")
    assert_clean(at)
    assert at.session_state.actor.role == Role.ADMIN


def test_a_rule_saved_on_the_page_never_demotes_an_administrator_of_the_file(
    app_db: Path,
) -> None:
    demoting = pl.DataFrame({"kind": ["email"], "name": [ADMIN_OF_THE_FILE], "role": ["lecteur"]})
    with ui.session() as con:
        store.replace_access_rules(con, demoting, actor=Actor("tests", Role.ADMIN, "tests"))
    at = signed_in({"sub": "x", "email": ADMIN_OF_THE_FILE, "email_verified": True})
    assert_clean(at)
    assert at.session_state.actor.role == Role.ADMIN
