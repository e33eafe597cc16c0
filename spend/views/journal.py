"""The journal as a manager reads it: one line per operation, each row's change in French words
(« Crédits : 3 000,00 € → 3 500,00 € ») under the exchange format's French column names, in
Paris time, and what undoing an operation will change, said before it is done.

Everything here works on one page of rows (the store reads no more): its cost does not grow
with the journal.
"""

import datetime as dt
import json
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import polars as pl

from spend.domain.french import PARIS
from spend.domain.keys import key_values
from spend.domain.keys import readable_key as plain_key
from spend.domain.records import TABLES
from spend.views.formatting import euros, french_date, inert, thousands

EMPTY = "—"  # a value that was blank, or a row that did not exist
OTHER_TABLES = {
    "settings": "Paramètres",
    "scenarios": "Scénarios",
    "access_rules": "Droits d'accès",
    "arbitrations": "Arbitrages budgétaires",
}
# The columns of the tables outside the exchange format, in French.
OTHER_COLUMNS = {
    "key": "Paramètre",
    "value": "Valeur",
    "name": "Nom",
    "settings_json": "Réglages",
    "saved_at": "Enregistré le",
    "kind": "Type",
    "role": "Rôle",
}
# Tables whose entries only those who may change them read: the access rules name people by
# their e-mail address, with their role.
RESTRICTED_TABLES = {"access_rules": "roles"}
NATURES = {"added": "ajoutée", "changed": "modifiée", "removed": "supprimée"}
OPERATION_HEADERS = {
    "write_id": "N°",
    "when": "Quand (heure de Paris)",
    "action": "Opération",
    "what": "Quoi",
    "rows": "Lignes",
    "actor": "Qui",
    "source": "Origine",
}
ROW_HEADERS = {
    "table": "Table",
    "key": "Clé",
    "nature": "Nature",
    "before": "Avant",
    "after": "Après",
}


def french_names() -> dict[str, str]:
    return {name: spec.french for name, spec in TABLES.items()} | OTHER_TABLES


def table_choices(may: Callable[[str], bool]) -> dict[str, str]:
    """The tables the Journal filters on, in French ("" for all), those a person may read."""
    hidden = {t for t, right in RESTRICTED_TABLES.items() if not may(right)}
    shown = {t: f for t, f in french_names().items() if t not in hidden}
    return {"": "Toutes", **dict(sorted(shown.items(), key=lambda item: item[1]))}


def shows_access_rules(may: Callable[[str], bool]) -> bool:
    return all(may(right) for right in RESTRICTED_TABLES.values())


def utc_period(start: dt.date | None, end: dt.date | None) -> tuple[dt.datetime | None, ...]:
    """The days from `start` to `end` (both included, Paris days) as UTC times: from the first
    inclusive to the second exclusive, as the journal stores them."""

    def utc_midnight(day: dt.date) -> dt.datetime:
        local = dt.datetime.combine(day, dt.time(), tzinfo=PARIS)
        return local.astimezone(dt.UTC).replace(tzinfo=None)

    since = utc_midnight(start) if start else None
    until = utc_midnight(end + dt.timedelta(days=1)) if end else None
    return since, until


def paris_time(utc: dt.datetime) -> str:
    """« 02/12/2026 à 09:41:53 », Paris time, from a UTC time as the journal stores it."""
    local = utc.replace(tzinfo=dt.UTC).astimezone(PARIS)
    return f"{french_date(local.date())} à {local:%H:%M:%S}"


def readable_key(key: str | None, table: str | None, setting_labels: Mapping[str, str]) -> str:
    """A stored key (a JSON array of its values) as read: « C06-020M02 / 6281/930202 / 2022 »;
    a setting by its French label."""
    values = key_values(key)
    if table == "settings" and values is not None and len(values) == 1:
        return setting_labels.get(str(values[0]), str(values[0]))
    return plain_key(key)


def _value_in_words(table: str, column: str, value: object) -> str:
    """A value of the journal's images (text, as the exchange format writes it) in French."""
    if value is None or value == "":
        return EMPTY
    text = str(value)
    spec = TABLES.get(table)
    if spec is None or column not in spec.column_names:
        return text
    col = spec.column(column)
    if col.codes:
        return col.labels.get(text, text)
    if col.kind == "money":
        try:
            return euros(Decimal(text))
        except InvalidOperation:
            return text
    if col.kind == "date":
        try:
            return french_date(dt.date.fromisoformat(text[:10]))
        except ValueError:
            return text
    if col.kind == "bool":
        return {"true": "oui", "false": "non"}.get(text.lower(), text)
    return text


def _column_in_words(table: str, column: str) -> str:
    spec = TABLES.get(table)
    if spec is not None and column in spec.column_names:
        return spec.column(column).french
    return OTHER_COLUMNS.get(column, column)


def _image(text: str | None) -> dict[str, object]:
    if not text:
        return {}
    try:
        image = json.loads(text)
    except ValueError:
        return {}
    return image if isinstance(image, dict) else {}


def _changed_columns(table: str, before: dict, after: dict) -> list[str]:
    """The columns a change touched, in the table's order; every column with a value for a row
    added or removed."""
    order = list(TABLES[table].column_names) if table in TABLES else []
    names = order + [c for c in {**before, **after} if c not in order]
    if before and after:
        return [c for c in names if before.get(c) != after.get(c)]
    return [c for c in names if (before or after).get(c) not in (None, "")]


def change_text(table: str, before: str | None, after: str | None) -> str:
    """« Crédits : 3 000,00 € → 3 500,00 € ; Libellé : — → Informatique »."""
    old, new = _image(before), _image(after)
    return " ; ".join(
        f"{_column_in_words(table, c)} : {_value_in_words(table, c, old.get(c))} → "
        f"{_value_in_words(table, c, new.get(c))}"
        for c in _changed_columns(table, old, new)
    )


def _side_text(table: str, image: dict, columns: list[str]) -> str:
    if not image:
        return EMPTY
    return " ; ".join(
        f"{_column_in_words(table, c)} : {_value_in_words(table, c, image.get(c))}" for c in columns
    )


def nature(before: str | None, after: str | None) -> str:
    if before is None and after is None:
        return ""
    return NATURES["added" if before is None else "removed" if after is None else "changed"]


def operation_lines(operations: pl.DataFrame) -> pl.DataFrame:
    """One line per operation, the newest first, with French headers."""
    french = french_names()
    lines = []
    for op in operations.iter_rows(named=True):  # one page of operations
        tables = sorted(french.get(t, t) for t in op["tables"] or [])
        what = op.get("description") or op.get("detail") or ""
        what = "" if what == "seed" else what  # the initial data set: its action says so
        if tables and not any(t in what for t in tables):  # « import x.csv — Conventions »
            what = f"{what} — {', '.join(tables)}" if what else ", ".join(tables)
        lines.append(
            {
                "write_id": op["write_id"],
                "when": paris_time(op["written_at"]),
                "action": op["action"],
                "what": what,
                "rows": thousands(op["row_count"]),
                "actor": op["actor"],
                "source": op["source"],
            }
        )
    frame = pl.DataFrame(lines, schema=dict.fromkeys(OPERATION_HEADERS, pl.String))
    return frame.with_columns(pl.col("write_id").cast(pl.Int64)).rename(OPERATION_HEADERS)


def operation_label(op: Mapping[str, Any]) -> str:
    """« n° 12 — import du 02/12/2026 à 09:41:53 par g.martin@exemple.fr, 11 599 lignes »."""
    count = int(op["row_count"])
    rows = f", {thousands(count)} ligne{'s' if count > 1 else ''}" if count else ""
    when = paris_time(op["written_at"])
    return f"n° {op['write_id']} — {op['action']} du {when} par {op['actor']}{rows}"


def change_lines(rows: pl.DataFrame, setting_labels: Mapping[str, str]) -> pl.DataFrame:
    """An operation's rows, each change in French: the columns it touched, before and after."""
    french = french_names()
    lines = []
    for row in rows.iter_rows(named=True):  # one page of rows
        table = row["table_name"]
        old, new = _image(row["row_before"]), _image(row["row_after"])
        if table is None:  # a write without rows (a restore): its detail
            lines.append(
                dict.fromkeys(ROW_HEADERS, "") | {"id": row["id"], "after": row["row_after"]}
            )
            continue
        columns = _changed_columns(table, old, new)
        lines.append(
            {
                "table": french.get(table, table),
                "key": readable_key(row["row_key"], table, setting_labels),
                "nature": nature(row["row_before"], row["row_after"]),
                "before": _side_text(table, old, columns),
                "after": _side_text(table, new, columns),
            }
        )
    return pl.DataFrame(lines, schema=dict.fromkeys(ROW_HEADERS, pl.String)).rename(ROW_HEADERS)


def undo_summary(rows: pl.DataFrame) -> list[str]:
    """What undoing these rows (each as before the operation) will change, table by table:
    « Conventions : 10 000 lignes ajoutées seront supprimées »."""
    french = french_names()
    counted = (
        rows.filter(pl.col("table_name").is_not_null())
        .with_columns(
            pl.when(pl.col("row_before").is_null())
            .then(pl.lit("added"))
            .when(pl.col("row_after").is_null())
            .then(pl.lit("removed"))
            .otherwise(pl.lit("changed"))
            .alias("nature")
        )
        .group_by("table_name", "nature")
        .len()
        .sort("table_name", "nature")
    )
    outcome = {
        "added": ("ajoutée", "ajoutées", "sera supprimée", "seront supprimées"),
        "changed": (
            "modifiée",
            "modifiées",
            "reprendra ses valeurs d'avant",
            "reprendront leurs valeurs d'avant",
        ),
        "removed": ("supprimée", "supprimées", "sera remise", "seront remises"),
    }
    sentences = []
    for table, kind, count in counted.iter_rows():
        one, many, will_one, will_many = outcome[kind]
        said = (
            f"1 ligne {one} {will_one}"
            if count == 1
            else (f"{thousands(count)} lignes {many} {will_many}")
        )
        sentences.append(f"{french.get(table, table)} : {said}")
    return sentences


def undo_examples(
    rows: pl.DataFrame, setting_labels: Mapping[str, str], limit: int = 5
) -> list[str]:
    """The first changes an undo makes, in words: each row from its state after the operation
    back to its state before (« Crédits : 3 500,00 € → 3 000,00 € »)."""
    french = french_names()
    examples = []
    for row in rows.filter(pl.col("table_name").is_not_null()).head(limit).iter_rows(named=True):
        table = row["table_name"]
        key = readable_key(row["row_key"], table, setting_labels)
        if row["row_before"] is None:
            change = "supprimée"
        elif row["row_after"] is None:
            change = "remise : " + change_text(table, None, row["row_before"])
        else:
            change = change_text(table, row["row_after"], row["row_before"])
        examples.append(f"{french.get(table, table)} « {key} » : {change}")
    return examples


def undo_warning(
    op: Mapping[str, Any], rows: pl.DataFrame, setting_labels: Mapping[str, str]
) -> str:
    """The confirmation's text (Markdown, stored text made inert): the operation, what its undo
    will change table by table, and its first changes in words."""
    count = int(op["row_count"])
    lines = "\n".join(f"- {inert(s)}" for s in undo_summary(rows))
    examples = "\n".join(f"- {inert(e)}" for e in undo_examples(rows, setting_labels))
    shown = min(count, 5)
    return (
        f"Annuler l'opération n° {op['write_id']} ({inert(op['action'])} du "
        f"{inert(paris_time(op['written_at']))} par {inert(op['actor'])}) remettra ses "
        f"{thousands(count)} ligne(s) dans leur état d'avant :\n\n{lines}\n\n"
        f"{'Ses premières lignes' if count > shown else 'Ligne par ligne'} :\n\n{examples}\n\n"
        "L'annulation passe par les contrôles d'un import, et figurera au journal comme une "
        "opération."
    )
