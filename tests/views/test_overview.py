"""The overview's alert boxes name a handful of items and a count; the list sorts and filters."""

import datetime as dt
import re

import duckdb
import polars as pl

from spend.domain.conventions import convention_table
from spend.domain.figures import compute
from spend.store import load_inputs
from spend.views.alerts import NAMED_IN_ALERT, WARNING, alert_summary, all_alerts
from spend.views.overview import AlertFilter, alert_box_text, alert_table, filter_alerts

CAIH = "CAIH-SO360-CD62"
MANY = 130


def alerts_with_many_conventions(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The seed with 130 more conventions on the CAIH agreement that ends on 16/07/2023."""
    inputs = load_inputs(con)
    caih = inputs.conventions.filter(pl.col("convention_id") == CAIH)
    copies = pl.concat(
        [caih.with_columns(pl.lit(f"{CAIH}-{i:03d}").alias("convention_id")) for i in range(MANY)]
    )
    inputs = inputs.with_changes(conventions=pl.concat([inputs.conventions, copies]))
    figures = compute(inputs)
    return all_alerts(
        figures.balance, convention_table(inputs), figures.titles, dt.date(2023, 2, 1)
    )


def named_conventions(text: str) -> list[str]:
    return re.findall(r"CAIH-SO360-CD62(?:-\d{3})?", text)


def test_an_alert_box_names_a_handful_of_conventions_and_a_count(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    alerts = alerts_with_many_conventions(seeded_db)
    boxes = {  # as read: the Markdown escapes of stored text removed
        k["kind"]: re.sub(r"\\(.)", r"\1", alert_box_text(k))
        for k in alert_summary(alerts).iter_rows(named=True)
    }
    ending = boxes["agreement_end"]
    assert len(named_conventions(ending)) <= NAMED_IN_ALERT
    assert (
        f"{MANY + 1} conventions : " in ending
        and f"et {MANY + 1 - NAMED_IN_ALERT} autre(s)" in ending
    )
    # Every box, whatever its kind: its count, and no flood of identifiers.
    for text in boxes.values():
        assert len(named_conventions(text)) <= NAMED_IN_ALERT, text
    notices = boxes["notice"]
    assert notices.startswith("**Préavis à donner (131)**")
    assert "(et 130 autre(s) : voir la liste)" in notices


def test_counts_are_grouped_by_thousands() -> None:
    kind = {"label": "Cotisations « sur devis »", "count": 10_000, "first": "x"}
    assert alert_box_text(kind).startswith("**Cotisations « sur devis » (10\u202f000)**")
    assert "(et 9\u202f999 autre(s)" in alert_box_text(kind)


def test_the_list_puts_the_chosen_year_and_the_nearest_deadlines_first(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    alerts = alerts_with_many_conventions(seeded_db)
    table = alert_table(alerts, 2023)
    assert table["year"][0] == 2023
    in_2023 = table.filter(pl.col("year") == 2023)
    deadlines = in_2023["deadline"].drop_nulls()
    assert deadlines.to_list() == sorted(deadlines.to_list())
    first_other = table["year"].to_list().index(next(y for y in table["year"] if y != 2023))
    assert set(table["year"][:first_other]) == {2023}
    # The whole sentence is kept (the table shows it in full when a row is chosen).
    assert all(m in alerts["message"].to_list() for m in table["message"].to_list())


def test_the_list_filters_by_kind_year_central_and_line(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    alerts = alerts_with_many_conventions(seeded_db)
    notices = filter_alerts(alerts, AlertFilter(kinds=("notice",)))
    assert notices.height == MANY + 1 and set(notices["level"]) == {WARNING}
    assert filter_alerts(alerts, AlertFilter(year=2022))["year"].unique().to_list() == [2022]
    assert filter_alerts(alerts, AlertFilter(body_id="RESAH"))["body_id"].unique().to_list() == [
        "RESAH"
    ]
    on_line = filter_alerts(alerts, AlertFilter(line="C06-020M02 / 6281/930202"))
    assert not on_line.is_empty()
    assert set(on_line["line"]) == {"C06-020M02 / 6281/930202"}
    assert filter_alerts(alerts, AlertFilter(kinds=("notice",), body_id="RESAH")).is_empty()


def test_a_box_says_the_chosen_year_first(seeded_db: duckdb.DuckDBPyConnection) -> None:
    alerts = alerts_with_many_conventions(seeded_db)
    payments = alerts.filter(pl.col("kind") == "payment")
    assert set(payments["year"]) == {2022, 2023}
    for year in (2022, 2023):
        first = alert_summary(payments, year).row(0, named=True)["first"]
        assert f" {year} de " in first
