"""An address is read strictly: a crafted year, central or date is ignored with a French notice,
and every page still renders (never « Une erreur inattendue »)."""

import datetime as dt
import re
from pathlib import Path

import pytest

from spend.ui.sidebar import address_filters, address_notice
from tests.pages.conftest import PAGE_SCRIPTS, assert_clean, open_page

YEARS = [2022, 2023]
BODIES = ["CAIH", "RESAH"]
HUGE_YEAR = "9" * 5000  # int() refuses over 4 300 digits: a ValueError on main


@pytest.mark.parametrize(
    "year",
    ["²", "２０２２", "٢٠٢٢", "2022²", " 2022", "+2022", "2022.0", "0x7e6", "1999", HUGE_YEAR],
)
def test_a_year_that_is_not_four_ascii_digits_of_the_data_is_ignored_and_said(year: str) -> None:
    asked = address_filters({"annee": year}, YEARS, BODIES)
    assert asked.year is None
    [notice] = asked.notices
    assert "l'exercice" in notice and len(notice) < 200  # a 5 000-digit value is cut


def test_the_values_of_the_data_are_taken() -> None:
    asked = address_filters(
        {"annee": "2023", "centrale": "RESAH", "date": "2024-02-29"}, YEARS, BODIES
    )
    assert (asked.year, asked.body, asked.today, asked.notices) == (
        2023,
        "RESAH",
        dt.date(2024, 2, 29),
        [],
    )
    assert address_notice([]) is None


@pytest.mark.parametrize(
    "date", ["2024-02-30", "20240101", "2024-W01-1", "1989-12-31", "2101-01-01", "２０２４-01-01"]
)
def test_a_date_out_of_form_or_range_is_ignored_and_said(date: str) -> None:
    asked = address_filters({"date": date}, YEARS, BODIES)
    assert asked.today is None and len(asked.notices) == 1


def test_an_unknown_central_is_ignored_and_said() -> None:
    asked = address_filters({"centrale": "caih"}, YEARS, BODIES)
    assert asked.body is None
    assert "la centrale « caih » n'est pas enregistrée" in address_notice(asked.notices)


def _notice(at) -> str:
    shown = " ".join(w.value for w in at.sidebar.warning)
    return re.sub(r"\\(.)", r"\1", shown)


@pytest.mark.parametrize("page", PAGE_SCRIPTS)
def test_every_page_renders_a_crafted_year_with_a_notice(app_db: Path, page: str) -> None:
    at = open_page(page, annee="²")
    assert_clean(at)
    assert at.title, "the page drew its heading"
    assert "l'exercice « ² » n'existe pas" in _notice(at)
    # The seed's year with credits is shown instead, and the address now says it.
    assert at.session_state.filter_year == 2022


def test_a_five_thousand_digit_year_and_junk_everywhere_render(app_db: Path) -> None:
    at = open_page(None, annee=HUGE_YEAR, centrale="x" * 5000, date="٢٠٢٤-01-01")
    assert_clean(at)
    notice = _notice(at)
    assert "l'exercice" in notice and "la centrale" in notice and "la date" in notice
    assert len(notice) < 600
    assert at.metric, "the overview's cards are shown"
    # The address is rewritten with what is shown: a reload reads a valid one.
    assert at.query_params["annee"] in ("2022", ["2022"])
    assert "centrale" not in at.query_params and "date" not in at.query_params
