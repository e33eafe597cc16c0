"""Accessibility (RGAA 4, i.e. WCAG 2.1 AA): axe-core on every page and on the states that
show more (open expanders, each tab, alerts, a scenario). Serious and critical violations made
by our code fail; Streamlit's own are reported. All of it goes to test-output/accessibility/.
And nothing a screen reader reads out is in English (a list of words kept in spoken.py)."""

import json
import urllib.parse
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import Audit, Finding, describe, run_axe
from tests.browser.dom import (
    PAGES,
    open_expanders,
    open_page,
    wait_charts,
    wait_idle,
    whole_content_in_view,
)
from tests.browser.server import Server
from tests.browser.spoken import english_in, spoken

NEGATIVE = urllib.parse.quote(json.dumps({"fee_change_pct": {"CAIH": 50}}))

# view name → (page title, query), each opened at its page's address.
VIEWS = {
    "vue-d-ensemble-2022": ("Vue d'ensemble", "?annee=2022"),
    "vue-d-ensemble-2023": ("Vue d'ensemble", "?annee=2023"),
    "conventions": ("Conventions", "?annee=2022"),
    "cotisations": ("Cotisations", "?annee=2022"),
    "budget-2023": ("Budget", "?annee=2023"),
    "simulation": ("Simulation", "?annee=2022"),
    "simulation-solde-negatif": ("Simulation", f"?annee=2022&scenario={NEGATIVE}"),
    "preparation": ("Préparation", "?annee=2022"),
    "donnees": ("Données", "?annee=2022"),
    "journal": ("Journal", ""),
    "administration": ("Administration", ""),
}


def audit_view(page: Page, axe_js: Path, audit: Audit, view: str) -> list[Finding]:
    with whole_content_in_view(page):
        findings = run_axe(page, axe_js, view)
        audit.add(view, page, findings)
    return findings


@pytest.mark.parametrize("view", list(VIEWS))
def test_no_serious_violation_of_ours(
    view: str,
    reader_page: Page,
    seed_server: Server,
    axe_js: Path,
    audit: Audit,
) -> None:
    title, query = VIEWS[view]
    page = reader_page
    open_page(page, seed_server, PAGES[title] + query, title=title)
    open_expanders(page)
    findings = audit_view(page, axe_js, audit, view)

    tabs = page.get_by_test_id("stMain").get_by_role("tab")
    for index in range(1, tabs.count()):
        tab = tabs.nth(index)
        name = tab.inner_text().strip()
        tab.click()
        expect(tab).to_have_attribute("aria-selected", "true")
        wait_idle(page)
        open_expanders(page)
        findings += audit_view(page, axe_js, audit, f"{view} / onglet {name}")

    ours = [f for f in findings if f.owner == "ours" and f.blocking]
    assert not ours, (
        f"{len(ours)} violation(s) graves ou critiques dans notre contenu "
        "(détail : test-output/accessibility/axe-report.md) :\n" + describe(ours)
    )


@pytest.mark.parametrize("view", list(VIEWS))
def test_a_screen_reader_hears_no_english(
    view: str, reader_page: Page, seed_server: Server
) -> None:
    # Streamlit's and Vega's own words (« Collapse sidebar », « Help for Solde », an axis
    # « for a linear scale with values from 0 to 3,000 », a mark's `top_value`) are French by
    # the time a reader gets there: names, descriptions, role descriptions and visible text.
    title, query = VIEWS[view]
    page = reader_page
    open_page(page, seed_server, PAGES[title] + query, title=title)
    open_expanders(page)
    with whole_content_in_view(page):
        wait_charts(page)
        heard = {f"{view} : {s}" for s in english_in(spoken(page))}
    tabs = page.get_by_test_id("stMain").get_by_role("tab")
    for index in range(1, tabs.count()):
        tab = tabs.nth(index)
        name = tab.inner_text().strip()
        tab.click()
        expect(tab).to_have_attribute("aria-selected", "true")
        wait_idle(page)
        open_expanders(page)
        with whole_content_in_view(page):
            heard |= {f"{view} / {name} : {s}" for s in english_in(spoken(page))}
    assert sorted(heard) == []
