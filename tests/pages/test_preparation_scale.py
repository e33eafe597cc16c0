"""The Préparation page at 2 000 budget lines draws what it draws on the seed's one line: no
widget, message or rendered row per line beyond the table's first page (the downloads hold
every line), and its drafted deliberation is made once per data version and year."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from spend.exchange.draft import draft_content
from spend.exchange.importer import import_folder
from spend.exchange.seed import open_database
from spend.ui import cache
from spend.ui import preparation as steps
from spend.ui.page import PageData
from spend.ui.widgets import PAGE_ROWS
from tests.conftest import ADMIN
from tests.pages.conftest import assert_clean, open_page, widget_counts

PAGE = "pages/preparation.py"
LINES = 2_000


def _add_budget_lines(db: Path, folder: Path, count: int) -> None:
    """`count` budget lines of 2022 beside the seed's, through the import as a user does it."""
    folder.mkdir()
    rows = [
        f"OP-{n:05d},6281/9302{n:02d},Ligne générée {n},2022,{1000 + n}.00" for n in range(count)
    ]
    (folder / "budget_lines.csv").write_text(
        "operation_code,imputation,label,year,credits\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    with open_database(db, seed_if_new=False) as con:
        import_folder(con, folder, actor=ADMIN, source="lignes générées")


def _page_of_2023() -> AppTest:
    at = open_page(PAGE)
    at.selectbox(key="preparation_year").set_value(2023).run()
    assert_clean(at)
    return at


def _sizes(at: AppTest) -> dict[str, int]:
    """The page's elements and the rows it sends: neither may grow with the lines."""
    counts = widget_counts(at)
    counts["download_button"] = len(at.get("download_button"))
    counts["markdown"] = len(at.markdown)
    counts["rows"] = sum(len(frame.value) for frame in at.dataframe)
    return counts


@pytest.mark.slow
def test_the_page_does_not_grow_with_the_budget_lines(app_db: Path, tmp_path: Path) -> None:
    seed = _sizes(_page_of_2023())
    assert seed["rows"] == 1 and seed["dataframe"] == 1

    _add_budget_lines(app_db, tmp_path / "generated", LINES)
    at = _page_of_2023()
    large = _sizes(at)
    assert large["rows"] == PAGE_ROWS  # the table's first page, not 2 001 rows
    # One page picker (and its caption) is all the table may add.
    expected = {**seed, "rows": PAGE_ROWS, "number_input": seed["number_input"] + 1}
    assert large == expected
    # The lines are all there: the picker offers every page, the arbitration every line.
    assert at.number_input(key="preparation_lines_page").max == -(-(LINES + 1) // PAGE_ROWS)
    assert len(at.selectbox(key="preparation_line").options) == LINES + 1


def test_the_draft_is_made_on_the_click_once_per_version_and_year(
    app_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[int] = []

    def counted(*args: object, **kwargs: object) -> object:
        made.append(args[2])  # type: ignore[arg-type]  # the year
        return draft_content(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "draft_content", counted)
    at = _page_of_2023()
    for year in (2022, 2023, 2022):
        at.selectbox(key="preparation_year").set_value(year).run()
        assert_clean(at)
    # No run drafts a deliberation (one article per convention): the Word file is offered.
    assert made == []
    assert [b.label for b in at.get("download_button")][-1] == "Projet de délibération (Word)"
    # The click makes it, once per version and year.
    context = PageData(
        at.session_state["filters"],
        at.session_state["store_state"].version,
        cache.cached_inputs(at.session_state["store_state"].version),
        cache.cached_baseline(at.session_state["store_state"].version),
        ADMIN,
    )
    first = steps.deliberation_docx(context, 2022, {})
    assert first[:2] == b"PK" and steps.deliberation_docx(context, 2022, {})[:2] == b"PK"
    assert made == [2022]
    # A year nothing bills in says why, as before.
    at.selectbox(key="preparation_year").set_value(2024).run()
    assert any("rien à délibérer" in info.value for info in at.info)
    assert "Projet de délibération (Word)" not in [b.label for b in at.get("download_button")]
