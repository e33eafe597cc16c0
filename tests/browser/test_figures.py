"""Flows 2 and 3: the figures of the deliberation, and a scenario that leaves them alone."""

import json
import urllib.parse

from playwright.sync_api import Page, expect

from tests.browser.dom import (
    assert_no_error,
    dataframe_after,
    expect_metric,
    metric_delta,
    nav_link,
    norm,
    open_page,
    sidebar_choice,
    spaced,
    table_rows,
    wait_charts,
    wait_idle,
)
from tests.browser.server import Server


def test_overview_shows_the_deliberation_figures(page: Page, seed_server: Server) -> None:
    open_page(page, seed_server, "/?annee=2022", title="Vue d'ensemble")
    expect(sidebar_choice(page, "Exercice budgétaire")).to_have_value("2022")
    expect_metric(page, "Crédits disponibles", "3 000,00 €")
    expect_metric(page, "Engagé (TTC)", "2 800,00 €")
    expect_metric(page, "Solde", "200,00 €")
    assert_no_error(page, "vue d'ensemble 2022")


def test_scenario_changes_the_simulation_only(page: Page, seed_server: Server) -> None:
    scope = urllib.parse.quote(json.dumps({"scope_kind": "body", "scope_value": "CAIH"}))
    open_page(page, seed_server, f"/simulation?annee=2022&scenario={scope}", title="Simulation")
    expect_metric(page, "Engagé enregistré", "2 800,00 €")
    expect_metric(page, "Engagé scénario", "2 800,00 €")

    slider = page.get_by_role("slider", name="Cotisations du périmètre")
    slider.focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    expect(slider).to_have_attribute("aria-valuetext", spaced("+10 %"))
    # CAIH 1 500 € HT + 10 % = 1 650 € HT = 1 980 € TTC, plus Resah 1 000 € net.
    expect_metric(page, "Engagé scénario", "2 980,00 €")
    expect_metric(page, "Engagé enregistré", "2 800,00 €")
    expect_metric(page, "Solde scénario", "20,00 €")
    # A lower balance and a higher commitment are bad news: red, whatever the arrow.
    assert metric_delta(page, "Solde scénario") == ("−180,00 €", "rouge")
    assert metric_delta(page, "Engagé scénario") == ("+180,00 €", "rouge")
    wait_idle(page)
    assert_no_error(page, "simulation CAIH +10 %")

    # Same session, another page: the recorded figures are untouched.
    nav_link(page, "Budget").click()
    expect(page.locator("h1").first).to_have_text("Budget")
    wait_idle(page)
    wait_charts(page)
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text(
        spaced("Total engagé : 2 800,00 € sur 3 000,00 € de crédits ; solde 200,00 €", whole=False)
    )
    headers, rows = table_rows(dataframe_after(page, "Budget"))
    recorded = {
        row[headers.index("Exercice")]: dict(zip(headers, row, strict=True)) for row in rows
    }
    assert recorded["2022"]["Crédits"] == "3 000,00 €", recorded
    assert recorded["2022"]["Engagé"] == "2 800,00 €", recorded
    assert recorded["2022"]["Solde"] == "200,00 €", recorded
    assert_no_error(page, "budget après simulation")
    text = norm(main.inner_text())
    assert "2 980,00 €" not in text, "le scénario a déteint sur la page Budget"
    assert "1 980,00 €" not in text, "le scénario a déteint sur la page Budget"
