"""Flow 6: a link copied from the address bar opens the same page, filters and scenario."""

import json
import re
import urllib.parse

from playwright.sync_api import Page, expect

from tests.browser.dom import (
    PAGES,
    assert_no_error,
    dataframe_after,
    expect_metric,
    nav_link,
    norm,
    open_page,
    sidebar_choice,
    spaced,
    table_rows,
    wait_idle,
)
from tests.browser.server import Server

CAIH_PLUS_10 = {"fee_pct": 10, "scope_kind": "body", "scope_value": "CAIH"}


def test_each_page_answers_at_its_address(page: Page, fresh_server: Server) -> None:
    """Straight from the address bar, on a server nobody has visited yet (the first visit of
    a process is the one Streamlit serves before the router has ever run)."""
    order = ["Cotisations", *(t for t in PAGES if t != "Cotisations")]
    addresses = [(title, PAGES[title]) for title in order]
    # The overview's own name, as a bookmark keeps it, cold and warm.
    addresses += [("Vue d'ensemble", "/overview")]
    wrong = []
    for title, path in [("Vue d'ensemble", "/overview"), *addresses]:
        page.goto(fresh_server.url + path)
        wait_idle(page)
        expect(page.locator("h1").first).to_be_visible()
        shown = page.locator("h1").first.inner_text()
        dialogs = [norm(d) for d in page.get_by_role("dialog").all_inner_texts()]
        if shown != title or dialogs:
            wrong.append(f"{path} → page « {shown} », URL {page.url}, dialogues {dialogs}")
        else:
            assert_no_error(page, path)
    assert not wrong, "adresses qui n'ouvrent pas leur page :\n" + "\n".join(wrong)


def test_shared_link_opens_the_same_filters(page: Page, seed_server: Server) -> None:
    # The page's own address, as the sidebar links to it, with the filters of the link.
    open_page(page, seed_server, "/")
    href = nav_link(page, "Cotisations").get_attribute("href") or ""
    path = urllib.parse.urlsplit(href).path
    open_page(page, seed_server, f"{path}?annee=2023&centrale=RESAH", title="Cotisations")
    expect(sidebar_choice(page, "Exercice budgétaire")).to_have_value("2023")
    expect(sidebar_choice(page, "Centrale d'achat")).to_have_value(
        spaced("RESAH — GIP Réseau des acheteurs hospitaliers (Resah)")
    )
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert query.get("annee") == ["2023"] and query.get("centrale") == ["RESAH"], page.url

    for heading in ("Totaux par centrale et par exercice", "Titres de l'exercice 2023"):
        headers, rows = table_rows(dataframe_after(page, heading))
        assert rows, f"« {heading} » : aucune ligne"
        column = headers.index("Identifiant centrale")
        assert {row[column] for row in rows} == {"RESAH"}, (heading, rows)
    # Only the Resah agreement's fee grid, not the CAIH one.
    expect(page.get_by_role("combobox", name="Accord-cadre")).to_have_value(
        re.compile("Hébergement cloud hybride")
    )
    page.get_by_role("combobox", name="Accord-cadre").click()
    options = norm(" ".join(page.get_by_role("option").all_inner_texts()))
    page.keyboard.press("Escape")
    assert "360°" not in options, options
    assert_no_error(page, "cotisations RESAH 2023")


def test_shared_link_opens_the_same_scenario(page: Page, seed_server: Server) -> None:
    scenario = urllib.parse.quote(json.dumps(CAIH_PLUS_10, separators=(",", ":")))
    open_page(page, seed_server, f"/simulation?annee=2022&scenario={scenario}", "Simulation")
    expect(page.get_by_role("slider", name="Cotisations du périmètre")).to_have_attribute(
        "aria-valuetext", spaced("+10 %")
    )
    expect_metric(page, "Engagé scénario", "2 980,00 €")
    expect_metric(page, "Engagé enregistré", "2 800,00 €")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert json.loads(query["scenario"][0]) == CAIH_PLUS_10, page.url
    assert_no_error(page, "simulation partagée")
