"""Signing in through the authority's identity provider, as managers do on a shared server.

A real OpenID Connect provider (oidc-provider-mock, on this machine) stands in for the
authority's; the dashboard is configured as a user configures it, with [auth] and [acces] in a
secrets file. A gestionnaire signs in, edits a table, finds the edit in the journal under their
address, signs out; a lecteur then signs in and finds no way to write.
"""

import secrets
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import oidc_provider_mock
import pytest
import werkzeug.serving
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import OUTPUT
from tests.browser.dom import alert, assert_no_error, open_from_sidebar, spaced, wait_idle
from tests.browser.server import Server, free_port, running_server
from tests.browser.test_data_edit import edit_credits_2022, open_table_editor
from tests.browser.test_screenshots import SHOTS

MANAGER = oidc_provider_mock.User(sub="agent-42", claims={"email": "g.martin@departement.fr"})
# Named by no rule: a lecteur, the default role.
READER = oidc_provider_mock.User(sub="agent-77", claims={"email": "l.durand@departement.fr"})


@pytest.fixture
def provider() -> Iterator[str]:
    """The identity provider on 127.0.0.1, in a thread; its issuer URL."""
    app = oidc_provider_mock.app(user_claims=[MANAGER, READER])
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def signed_server(tmp_path: Path, provider: str) -> Iterator[Server]:
    """The dashboard with sign-in configured as the README says, on its own seeded database."""
    port = free_port()
    config = tmp_path / "secrets.toml"
    config.write_text(
        f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "tableau-de-bord"
client_secret = "{secrets.token_hex(16)}"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[acces]
gestionnaires = ["{MANAGER.claims["email"]}"]
""",
        encoding="utf-8",
    )
    log = OUTPUT / "browser" / "logs" / "signed_server.log"
    with running_server(
        tmp_path / "spend.duckdb", log, port=port, options=("--secrets.files", str(config))
    ) as server:
        yield server


def sign_in(page: Page, server: Server, who: oidc_provider_mock.User) -> None:
    """From the sign-in screen to the dashboard, through the provider's form."""
    page.goto(server.url)
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("Connectez-vous avec le compte de votre collectivité.")
    # Nothing but the sign-in screen before signing in: no page list, no figures.
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    wait_idle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "connexion-1366x768.png")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_placeholder("sub").fill(who.sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{server.url}/**")
    expect(page.get_by_test_id("stSidebar")).to_contain_text(
        spaced(f"Connecté : {who.claims['email']}", whole=False)
    )
    wait_idle(page)


def sign_out(page: Page, server: Server) -> None:
    """Sign out: the provider is asked to end its session too, then the dashboard is back to
    its sign-in screen."""
    page.get_by_test_id("stSidebar").get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("button", name="End session").click()
    page.goto(server.url)
    expect(page.get_by_test_id("stMain")).to_contain_text("Connectez-vous")
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)


def test_a_manager_signs_in_edits_and_a_reader_cannot_write(
    new_context: Callable[..., BrowserContext], signed_server: Server
) -> None:
    page = new_context().new_page()
    sign_in(page, signed_server, MANAGER)
    expect(page.get_by_test_id("stSidebar")).to_contain_text("(gestionnaire)")
    # The administration page is for administrators only.
    expect(page.get_by_test_id("stSidebarNav").get_by_text("Administration")).to_have_count(0)

    editor = open_table_editor(page, signed_server)
    edit_credits_2022(page, editor, "3100.00")
    expect(alert(page, "Modifications enregistrées")).to_be_visible()

    open_from_sidebar(page, signed_server, "Journal")
    main = page.get_by_test_id("stMain")
    person = main.get_by_role("combobox", name="Personne")
    person.click()
    page.get_by_role("option", name=MANAGER.claims["email"], exact=True).click()
    wait_idle(page)
    # One edit: one operation, under the manager's address, in French words.
    expect(main).to_contain_text(spaced("1 opération(s).", whole=False))
    # The grid's accessible table, inside its canvas, holds the cells' text.
    grids = main.get_by_test_id("stDataFrame")
    operation = grids.nth(0).get_by_test_id("data-grid-canvas").locator("tbody tr").first
    for cell in (MANAGER.claims["email"], "modification", "Lignes budgétaires"):
        expect(operation).to_contain_text(cell)
    # Opened, its row before and after the edit, both in view (the grid draws only those).
    entry = grids.nth(1).get_by_test_id("data-grid-canvas").locator("tbody tr").first
    expect(entry).to_contain_text(spaced("Crédits : 3 000,00 €", whole=False))
    expect(entry).to_contain_text(spaced("Crédits : 3 100,00 €", whole=False))
    assert_no_error(page, "journal du gestionnaire")

    sign_out(page, signed_server)
    reader = new_context().new_page()
    sign_in(reader, signed_server, READER)
    sidebar = reader.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text("(lecteur)")
    open_from_sidebar(reader, signed_server, "Données")
    main = reader.get_by_test_id("stMain")
    expect(main).to_contain_text("Lecteur : consultation et téléchargements")
    tabs = main.get_by_role("tab")
    expect(tabs.filter(has_text="Exporter")).to_have_count(1)
    for writing in ("Importer", "Lire une délibération", "Modifier une table"):
        expect(tabs.filter(has_text=writing)).to_have_count(0)
    expect(reader.get_by_role("button", name="Enregistrer les modifications")).to_have_count(0)
    assert_no_error(reader, "données vues par un lecteur")
    assert "Traceback" not in signed_server.log_text(), signed_server.log_tail()
