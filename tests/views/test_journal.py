"""The journal as a manager reads it: each change in French under the exchange format's French
column names, Paris time, operations in words, and what an undo will change."""

import datetime as dt

import polars as pl

from spend.domain.access import ACTIONS
from spend.store.writes import ACTION_WORDS
from spend.views.journal import (
    change_lines,
    change_text,
    operation_lines,
    paris_time,
    readable_key,
    undo_summary,
    utc_period,
)

LINE = '{"operation_code":"C06-020M02","imputation":"6281/930202","label":"Info","year":"2022",'
BEFORE = LINE + '"credits":"3000.00"}'
AFTER = LINE + '"credits":"3500.00"}'


def _plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def _rows(*images: tuple[str | None, str | None], table: str = "budget_lines") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": list(range(1, len(images) + 1)),
            "table_name": [table] * len(images),
            "row_key": ['["C06-020M02","6281/930202",2022]'] * len(images),
            "row_before": [b for b, _ in images],
            "row_after": [a for _, a in images],
        },
        schema_overrides={"row_before": pl.String, "row_after": pl.String},
    )


def test_every_write_action_is_journaled_in_french_words() -> None:
    assert set(ACTIONS) <= set(ACTION_WORDS)


def test_a_change_reads_in_french_with_the_columns_french_names() -> None:
    assert _plain(change_text("budget_lines", BEFORE, AFTER)) == "Crédits : 3 000,00 € → 3 500,00 €"


def test_codes_dates_and_booleans_read_as_words() -> None:
    before = '{"convention_id":"C1","status":"planned","start_date":"2022-12-13",'
    after = '{"convention_id":"C1","status":"active","start_date":"2023-01-02",'
    changed = change_text(
        "conventions",
        before + '"start_date_assumed":"true"}',
        after + '"start_date_assumed":"false"}',
    )
    assert "en projet → signée" in changed
    assert "13/12/2022 → 02/01/2023" in changed
    assert "oui → non" in changed
    assert "status" not in changed and "planned" not in changed


def test_rows_show_only_what_changed_before_and_after() -> None:
    lines = change_lines(_rows((BEFORE, AFTER), (None, AFTER), (BEFORE, None)), {})
    assert lines.columns == ["Table", "Clé", "Nature", "Avant", "Après"]
    assert lines["Clé"][0] == "C06-020M02 / 6281/930202 / 2022"
    assert lines["Nature"].to_list() == ["modifiée", "ajoutée", "supprimée"]
    assert _plain(lines["Avant"][0]) == "Crédits : 3 000,00 €"
    assert _plain(lines["Après"][0]) == "Crédits : 3 500,00 €"
    assert lines["Avant"][1] == "—" and "Libellé : Info" in lines["Après"][1]
    assert lines["Après"][2] == "—"


def test_a_setting_key_reads_as_its_label() -> None:
    labels = {"collectivity_name": "Nom de la collectivité"}
    assert readable_key('["collectivity_name"]', "settings", labels) == "Nom de la collectivité"
    assert readable_key('["A / B","C",2022]', "budget_lines", labels) == "A / B / C / 2022"


def test_times_are_paris_times_summer_and_winter() -> None:
    assert paris_time(dt.datetime(2026, 12, 2, 8, 41, 53)) == "02/12/2026 à 09:41:53"
    assert paris_time(dt.datetime(2026, 7, 1, 8, 0, 0)) == "01/07/2026 à 10:00:00"
    # A Paris day, as the journal's UTC times: 1 July from 30 June 22:00 to 1 July 22:00.
    since, until = utc_period(dt.date(2026, 7, 1), dt.date(2026, 7, 1))
    assert (since, until) == (dt.datetime(2026, 6, 30, 22), dt.datetime(2026, 7, 1, 22))


def test_an_operation_is_one_line_in_words() -> None:
    operations = pl.DataFrame(
        {
            "write_id": [12],
            "written_at": [dt.datetime(2026, 12, 2, 8, 41, 53)],
            "actor": ["g.martin@exemple.fr"],
            "source": ["tableau de bord"],
            "action": ["import"],
            "row_count": [11599],
            "tables": [["conventions", "budget_lines"]],
            "detail": [None],
            "description": ["import conventions.csv"],
        }
    )
    line = operation_lines(operations).row(0, named=True)
    assert line["Quand (heure de Paris)"] == "02/12/2026 à 09:41:53"
    assert line["Quoi"] == "import conventions.csv — Conventions, Lignes budgétaires"
    assert _plain(line["Lignes"]) == "11 599"


def test_the_undo_says_what_will_change_table_by_table() -> None:
    said = undo_summary(_rows((BEFORE, AFTER), (None, AFTER), (None, AFTER)))
    assert [_plain(s) for s in said] == [
        "Lignes budgétaires : 2 lignes ajoutées seront supprimées",
        "Lignes budgétaires : 1 ligne modifiée reprendra ses valeurs d'avant",
    ]
