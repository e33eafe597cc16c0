"""Never a lost update, below the pages: a table edit sends only the rows changed from the page
as loaded and is refused when one of them (or the table, after an import; or the file, after a
restore) changed since; settings and access rules write only what the form changed."""

from pathlib import Path

import duckdb
import polars as pl
import pytest

from spend import store
from spend.domain.access import Actor, Role
from spend.domain.records import TABLES
from spend.exchange.editing import EditPage, edit_page, page_changes
from spend.exchange.importer import import_raw_tables, read_files
from spend.exchange.undo import undo
from spend.store.journal import journal_frame
from spend.store.restore import restore
from spend.store.writes import StoreConflict
from tests.conftest import ADMIN, copy_of_seeded

TABLE = TABLES["budget_lines"]
ALICE = Actor("alice@exemple.fr", Role.MANAGER)
BRUNO = Actor("bruno@exemple.fr", Role.MANAGER)
LINES = (
    "operation_code,imputation,label,year,credits\n"
    "C06-020M02,6281/930202,Informatique-Fonctionnement,2022,3000.00\n"
    "C07-001,6288/930,Autre ligne,2022,500.00\n"
)


@pytest.fixture
def two_lines(seeded_db: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    import_raw_tables(seeded_db, read_files([("budget_lines.csv", LINES.encode())]),
                      actor=ADMIN, source="lignes")  # fmt: skip
    return seeded_db


def load(con: duckdb.DuckDBPyConnection) -> tuple[EditPage, int]:
    """The editor's page as loaded, and the journal's last entry then."""
    since = int(store.query(con, "last_journal_id", table_name=None)["last_id"][0])
    return edit_page(store.read_table(con, "budget_lines"), TABLE, "", 1), since


def save(
    con: duckdb.DuckDBPyConnection,
    loaded: tuple[EditPage, int],
    column: str,
    row: str,
    text: str,
    actor: Actor,
) -> None:
    page, since = loaded
    edited = page.rows.with_columns(
        pl.when(pl.col("operation_code") == row)
        .then(pl.lit(text))
        .otherwise(pl.col(column))
        .alias(column)
    )
    changes = page_changes(page, TABLE, edited, "Lignes budgétaires (édition)")
    assert changes.raw.rows.height == 1  # only the row changed is sent
    import_raw_tables(con, [changes.raw], actor=actor, action="edit", source="édition",
                      remove={"budget_lines": changes.removed},
                      unchanged_since={"budget_lines": since})  # fmt: skip


def lines(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    rows = store.read_table(con, "budget_lines").filter(pl.col("year") == 2022).rows()
    return {code: (label, str(credits)) for code, _, label, _, credits, *_ in rows}


def test_edits_of_different_rows_from_one_page_both_count(two_lines) -> None:
    alice, bruno = load(two_lines), load(two_lines)
    save(two_lines, bruno, "credits", "C07-001", "650,00", BRUNO)
    save(two_lines, alice, "label", "C06-020M02", "Informatique", ALICE)
    assert lines(two_lines) == {
        "C06-020M02": ("Informatique", "3000.00"),
        "C07-001": ("Autre ligne", "650.00"),
    }


def test_an_edit_of_a_row_changed_since_is_refused_naming_who(two_lines) -> None:
    alice, bruno = load(two_lines), load(two_lines)
    save(two_lines, bruno, "credits", "C07-001", "650,00", BRUNO)
    with pytest.raises(
        StoreConflict, match=r"« C07-001 / 6288/930 / 2022 / BP ».*bruno@exemple\.fr le"
    ):
        save(two_lines, alice, "label", "C07-001", "Autre", ALICE)
    assert lines(two_lines)["C07-001"] == ("Autre ligne", "650.00")


def test_a_removed_row_is_sent_as_its_key(two_lines) -> None:
    page, since = load(two_lines)
    edited = page.rows.filter(pl.col("operation_code") != "C07-001")
    changes = page_changes(page, TABLE, edited, "édition")
    assert changes.raw.rows.is_empty()
    assert changes.removed.rows() == [("C07-001", "6288/930", 2022, "BP")]
    import_raw_tables(two_lines, [changes.raw], actor=ALICE, action="edit", source="édition",
                      remove={"budget_lines": changes.removed},
                      unchanged_since={"budget_lines": since})  # fmt: skip
    assert set(lines(two_lines)) == {"C06-020M02"}


def test_an_import_since_counts_for_the_whole_table(two_lines) -> None:
    alice = load(two_lines)
    other = LINES.replace("500.00", "510.00")
    import_raw_tables(two_lines, read_files([("budget_lines.csv", other.encode())]),
                      actor=BRUNO, source="import")  # fmt: skip
    with pytest.raises(StoreConflict, match=r"« Lignes budgétaires » a été modifiée par bruno"):
        save(two_lines, alice, "label", "C06-020M02", "Informatique", ALICE)


def test_an_edit_loaded_before_a_restore_is_refused(tmp_path: Path, seeded_file: Path) -> None:
    db = copy_of_seeded(seeded_file, tmp_path / "spend.duckdb")
    con = store.connect(db)
    try:
        import_raw_tables(con, read_files([("budget_lines.csv", LINES.encode())]),
                          actor=ADMIN, source="lignes")  # fmt: skip
        before_second = store.latest_backup(db)
        other = LINES.replace("3000.00", "3100.00")
        import_raw_tables(con, read_files([("budget_lines.csv", other.encode())]),
                          actor=ADMIN, source="crédits")  # fmt: skip
        alice = load(con)  # at 3 100,00
    finally:
        con.close()
    restore(db, before_second.path, actor=Actor("dsi@exemple.fr", Role.ADMIN))
    con = store.connect(db)
    try:
        with pytest.raises(StoreConflict, match=r"La base a été restaurée par dsi@exemple\.fr le"):
            save(con, alice, "label", "C06-020M02", "Informatique", ALICE)
        assert lines(con)["C06-020M02"] == ("Informatique-Fonctionnement", "3000.00")
        # An undo of an entry from before the restore is refused too: the rows are not what
        # the journal says.
        entry = int(journal_frame(con).filter(pl.col("source") == ADMIN.source)["id"][0])
        with pytest.raises(store.StoreError, match=r"restaurée depuis par dsi@exemple\.fr"):
            undo(con, entry, actor=ADMIN)
    finally:
        con.close()


def test_settings_changed_apart_both_count_the_same_one_is_refused(
    seeded_db: duckdb.DuckDBPyConnection,
) -> None:
    loaded = store.settings(seeded_db)  # both forms, at the same version
    first = Actor("a@exemple.fr", Role.ADMIN)
    store.update_settings(seeded_db, {"vat_rate": "82.50"}, actor=first, source="paramètres",
                          loaded={"vat_rate": loaded.get("vat_rate")})  # fmt: skip
    siret = {"collectivity_siret": "22620001200012"}
    at_load = {"collectivity_siret": loaded.get("collectivity_siret")}
    store.update_settings(seeded_db, siret, actor=ADMIN, source="paramètres", loaded=at_load)
    assert store.settings(seeded_db)["vat_rate"] == "82.50"
    assert store.settings(seeded_db)["collectivity_siret"] == "22620001200012"
    with pytest.raises(
        StoreConflict, match=r"Le paramètre « taux de TVA » a été modifié par a@exemple\.fr"
    ):
        store.update_settings(seeded_db, {"vat_rate": "300.00"}, actor=ADMIN,
                              source="paramètres",
                              loaded={"vat_rate": loaded.get("vat_rate")})  # fmt: skip
    assert store.settings(seeded_db)["vat_rate"] == "82.50"


def rules(*rows: tuple[str, str, str]) -> pl.DataFrame:
    schema = {"kind": pl.String, "name": pl.String, "role": pl.String}
    return pl.DataFrame(list(rows), schema=schema, orient="row")


def test_access_rules_added_at_once_are_both_kept(seeded_db: duckdb.DuckDBPyConnection) -> None:
    store.replace_access_rules(seeded_db, rules(("email", "a@exemple.fr", "lecteur")), actor=ADMIN)
    loaded = store.query(seeded_db, "read_access_rules")
    store.replace_access_rules(
        seeded_db, pl.concat([loaded, rules(("groupe", "achats", "gestionnaire"))]),
        actor=ADMIN, loaded=loaded,
    )  # fmt: skip
    store.replace_access_rules(
        seeded_db, pl.concat([loaded, rules(("email", "b@exemple.fr", "administrateur"))]),
        actor=ADMIN, loaded=loaded,
    )  # fmt: skip
    assert store.query(seeded_db, "read_access_rules").rows() == [
        ("email", "a@exemple.fr", "lecteur"),
        ("email", "b@exemple.fr", "administrateur"),
        ("groupe", "achats", "gestionnaire"),
    ]
    # Changing a rule another administrator changed since is refused.
    store.replace_access_rules(
        seeded_db, rules(("email", "a@exemple.fr", "gestionnaire")), actor=ADMIN,
        loaded=rules(("email", "a@exemple.fr", "lecteur")),
    )  # fmt: skip
    with pytest.raises(
        StoreConflict, match=r"La règle « email / a@exemple\.fr » des droits d'accès"
    ):
        store.replace_access_rules(seeded_db, rules(), actor=ADMIN, loaded=loaded)
    assert ("email", "a@exemple.fr", "gestionnaire") in store.query(
        seeded_db, "read_access_rules"
    ).rows()
