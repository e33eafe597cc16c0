"""One dashboard process serving two authorities of a PostgreSQL server, seen by two signed-in
people in two browsers: a lecteur of Arras only, and an administrateur of both who chooses Lens
in the sidebar. Each page each of them opens shows their authority's figures, titles, journal,
backups and exports, and nothing of the other's.

The identity provider is the one of test_sign_in.py (oidc-provider-mock on this machine); the
server is a throw-away cluster (tests/store/postgres/cluster.py).
"""

import io
import secrets
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import oidc_provider_mock
import pytest
import werkzeug.serving
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import OUTPUT
from tests.browser.dom import (
    assert_no_error,
    nav_link,
    norm,
    sidebar_choice,
    spaced,
    wait_charts,
    wait_heading,
    wait_idle,
)
from tests.browser.server import Server, free_port, running_server
from tests.browser.test_sign_in import sign_in
from tests.store.postgres import cluster
from tests.store.postgres.conftest import pg_cluster  # noqa: F401 (a fixture, found by its name)
from tests.store.postgres.two_authorities import (
    ARRAS_MARKS,
    FIGURES,
    LENS_MARKS,
    LENS_STORED_MANAGER,
    NAMES,
    create_two_authorities,
)

pytestmark = pytest.mark.skipif(
    cluster.missing() is not None and not cluster.IN_CI, reason=str(cluster.missing())
)
ARRAS_READER = oidc_provider_mock.User(sub="agent-arras", claims={"email": "compta@arras.fr"})
BOTH_ADMIN = oidc_provider_mock.User(
    sub="agent-dept", claims={"email": "direction.achats@pasdecalais.fr"}
)
SHOTS = OUTPUT / "browser" / "authorities"


@pytest.fixture
def provider() -> Iterator[str]:
    app = oidc_provider_mock.app(user_claims=[ARRAS_READER, BOTH_ADMIN])
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def two_authority_server(
    pg_cluster: cluster.Cluster,  # noqa: F811 (the fixture imported above)
    provider: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Server]:
    """Arras and Lens on a new database, served by one dashboard with sign-in configured."""
    monkeypatch.setenv("SPEND_DATABASE_URL", pg_cluster.create_database("spend_browser_two"))
    monkeypatch.setenv("SPEND_PG_BACKUP_DIR", str(tmp_path / "backups"))
    monkeypatch.delenv("SPEND_AUTHORITY", raising=False)
    create_two_authorities(tmp_path)
    unused = tmp_path / "unused.duckdb"  # SPEND_DB: never opened on the server
    unused.touch()
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

[acces.collectivites.arras]
administrateurs = ["{BOTH_ADMIN.claims["email"]}"]
lecteurs = ["{ARRAS_READER.claims["email"]}"]

[acces.collectivites.lens]
administrateurs = ["{BOTH_ADMIN.claims["email"]}"]
""",
        encoding="utf-8",
    )
    log = OUTPUT / "browser" / "logs" / "two_authority_server.log"
    with running_server(unused, log, port=port, options=("--secrets.files", str(config))) as server:
        yield server
    assert unused.stat().st_size == 0


def open_in_sidebar(page: Page, title: str) -> str:
    """The page `title` from the sidebar, in the same session; all the main part's text (the
    hidden mirror of the grids' cells included)."""
    nav_link(page, title).click()
    wait_heading(page, title)
    wait_charts(page)
    return norm(page.get_by_test_id("stMain").text_content() or "")


def search_finds(page: Page, words: str, count: str) -> None:
    """The Conventions page's search, typed as a manager does, finds `count` of 6."""
    main = page.get_by_test_id("stMain")
    box = main.get_by_label("Rechercher (intitulé, accord-cadre, formule)")
    box.fill(words)
    box.press("Enter")
    expect(main).to_contain_text(spaced(f"{count} convention(s) sur 6", whole=False))
    wait_idle(page)


def exported(page: Page) -> str:
    """Données › Exporter › the zip of standard CSV files, downloaded: every file's text."""
    main = page.get_by_test_id("stMain")
    main.get_by_role("tab", name="Exporter").click()
    wait_idle(page)  # the tab's rerun: its buttons are disabled until it ends
    button = main.get_by_test_id("stDownloadButton").filter(has_text="Zip de CSV standard")
    with page.expect_download() as info:
        button.click()
    data = Path(info.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return " ".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())


def test_two_people_on_two_authorities_see_only_their_own(
    new_context: Callable[..., BrowserContext], two_authority_server: Server
) -> None:
    server = two_authority_server
    arras = new_context().new_page()
    sign_in(arras, server, ARRAS_READER)
    lens = new_context().new_page()
    sign_in(lens, server, BOTH_ADMIN)

    # One authority: its name, no choice. Two: « Collectivité », Lens chosen.
    expect(sidebar_choice(arras, "Collectivité")).to_have_count(0)
    expect(arras.get_by_test_id("stSidebar")).to_contain_text(f"Collectivité : {NAMES['arras']}")
    choice = sidebar_choice(lens, "Collectivité")
    expect(choice).to_have_value(NAMES["arras"])
    choice.click()
    lens.get_by_role("option", name=NAMES["lens"]).click()
    wait_idle(lens)
    expect(choice).to_have_value(NAMES["lens"])

    SHOTS.mkdir(parents=True, exist_ok=True)
    people = (
        (arras, "arras", LENS_MARKS, "Convention d'adhésion"),
        (lens, "lens", ARRAS_MARKS, "LENSOIS"),
    )
    for title, slug in (
        ("Vue d'ensemble", "vue"),
        ("Conventions", "conventions"),
        ("Journal", "journal"),
        ("Données", "donnees"),
        ("Administration", "admin"),
    ):
        for page, name, others, own in people:
            if title == "Administration" and name == "arras":
                expect(nav_link(page, title)).to_have_count(0)  # a lecteur's menu
                continue
            text = open_in_sidebar(page, title)
            page.screenshot(path=SHOTS / f"{name}-{slug}.png", full_page=True)
            assert_no_error(page, f"{title} de {name}")
            assert not [mark for mark in others if mark in text], (name, title)
            if title == "Vue d'ensemble":
                assert all(norm(value) in text for value in FIGURES[name]), (name, text[:600])
            if title == "Conventions":  # lens's titles say LENSOIS, arras's never
                search_finds(page, "LENSOIS", "6" if name == "lens" else "0")
                page.screenshot(path=SHOTS / f"{name}-conventions-recherche.png")
            if title == "Administration":  # its name, and the rule saved on its page
                main = page.get_by_test_id("stMain")
                expect(main.get_by_label("Nom de la collectivité")).to_have_value(NAMES[name])
                main.get_by_role("tab", name="Droits d'accès").click()
                wait_idle(page)
                rules = main.get_by_test_id("data-grid-canvas").locator("tbody")
                expect(rules).to_contain_text(LENS_STORED_MANAGER)
                page.screenshot(path=SHOTS / f"{name}-admin-droits.png")
            if title == "Données":
                files = exported(page)
                assert own in files
                assert not [mark for mark in others if mark in files], (name, "export")
    assert "Traceback" not in server.log_text(), server.log_tail()
