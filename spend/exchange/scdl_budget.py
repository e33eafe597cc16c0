"""Export next year's arbitrated budget in the SCDL « Budget » open-data format (OpenDataFrance).

Reference: schema 0.8.3 of https://schema.data.gouv.fr/scdl/budget/ (a copy, with its source,
in tests/fixtures/scdl/): 22 columns in a fixed order, amounts with a decimal point, missing
values empty, the SIRET checked by the schema's custom check. Validata and `frictionless`
accept what this module publishes (a test holds it, offline).

One row per budget line, as the budget primitif of the year: BGT_MTBUDGPREC the BP of the year
before, BGT_MTPROPNOUV and BGT_CREDOUV the amount retained (the arbitrated one, else the
proposal). The line's imputation, read by `spend.domain.imputation`, gives the article
(BGT_CONTNAT), its chapter (BGT_NATURE), the section and the function; labels come from the M57
chart kept there. A line whose imputation cannot be read, contradicts the chart or names a
nature the chart lacks is left out, and said; nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from spend.domain.imputation import chart, parse_imputation
from spend.domain.preparation import arbitrated_or_proposed
from spend.exchange.settings import siret_problem

BUDGET_COLUMNS: tuple[str, ...] = (
    "BGT_NATDEC", "BGT_ANNEE", "BGT_SIRET", "BGT_NOM", "BGT_CONTNAT", "BGT_CONTNAT_LABEL",
    "BGT_NATURE", "BGT_NATURE_LABEL", "BGT_FONCTION", "BGT_FONCTION_LABEL", "BGT_OPERATION",
    "BGT_SECTION", "BGT_OPBUDG", "BGT_CODRD", "BGT_MTREAL", "BGT_MTBUDGPREC", "BGT_MTRARPREC",
    "BGT_MTPROPNOUV", "BGT_MTPREV", "BGT_CREDOUV", "BGT_MTRAR3112", "BGT_ARTSPE",
)  # fmt: skip  # several names to a line: a list, not a column
PRIMITIVE_BUDGET = "budget primitif"


def published_parts(written: str) -> dict[str, str | None] | str:
    """The BGT_ columns an imputation gives, or why it cannot be published (French).

    The nature's chapter (BGT_NATURE) is the chapter written when the vote is by nature
    (`011/6281`), else the one the chart gives the nature (`6281/930202`: 011); both labels are
    required by the schema, so a nature or chapter the chart does not list is not published.
    """
    parts = parse_imputation(written)
    if not parts.recognised or parts.warnings:
        return "; ".join(parts.warnings)
    nature = chart()["natures"].get(parts.article or "")
    if nature is None:
        return (
            f"imputation « {written} » : la nature {parts.article} n'est pas dans le plan de "
            "comptes M57 retenu (spend/domain/data/m57.json), son libellé est inconnu"
        )
    chapter = parts.chapter if parts.chapter in chart()["chapters"] else nature["chapter"]
    return {
        "BGT_CONTNAT": parts.article,
        "BGT_CONTNAT_LABEL": nature["label"],
        "BGT_NATURE": chapter,
        "BGT_NATURE_LABEL": chart()["chapters"][chapter]["label"],
        "BGT_FONCTION": parts.function,
        "BGT_SECTION": parts.section,
    }


@dataclass(frozen=True)
class BudgetExport:
    """The rows a validator accepts (the file), and why the others are left out."""

    published: pl.DataFrame
    problems: list[str]
    notices: list[str]

    def csv_bytes(self) -> bytes:
        return budget_csv_bytes(self.published)


def _amount(value: object) -> str | None:
    return None if value is None else f"{value:.2f}"


def budget_export(prepared: pl.DataFrame, year: int, settings: dict[str, str]) -> BudgetExport:
    """The year's budget primitif, one row per budget line (`preparation`'s frame)."""
    siret = "".join((settings.get("collectivity_siret") or "").split())
    name = (settings.get("collectivity_name") or "").strip()
    problems = []
    if not siret:
        problems.append(
            "SIRET de la collectivité non renseigné (page Administration) : "
            "obligatoire (BGT_SIRET)."
        )
    elif why := siret_problem(siret):
        problems.append(why)
    if not name:
        problems.append(
            "Nom de la collectivité non renseigné (page Administration) : obligatoire (BGT_NOM)."
        )
    if problems:
        return BudgetExport(_frame([]), [f"{p} Aucune ligne publiée." for p in problems], [])
    rows, notices = [], []
    for line in arbitrated_or_proposed(prepared).iter_rows(named=True):
        who = f"Ligne {line['operation_code'] or '(sans code)'} / {line['imputation'] or '?'}"
        if not line["operation_code"] or not line["imputation"]:
            problems.append(
                f"{who} : cotisations de conventions sans ligne budgétaire, non publiées."
            )
            continue
        parts = published_parts(line["imputation"])
        if isinstance(parts, str):
            problems.append(f"{who} : {parts} ; ligne non publiée.")
            continue
        if line["arbitrated"] is None:
            notices.append(f"{who} : non arbitrée, la proposition est publiée.")
        rows.append(
            {
                "BGT_NATDEC": PRIMITIVE_BUDGET,
                "BGT_ANNEE": str(year),
                "BGT_SIRET": siret,
                "BGT_NOM": name,
                **parts,
                "BGT_OPERATION": line["operation_code"],
                "BGT_OPBUDG": "réel",
                "BGT_CODRD": "dépense",
                "BGT_MTBUDGPREC": _amount(line["bp_prev"]),
                "BGT_MTPROPNOUV": _amount(line["retained"]),
                "BGT_CREDOUV": _amount(line["retained"]),
            }
        )
    return BudgetExport(_frame(rows), problems, notices)


def _frame(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        [{c: row.get(c) for c in BUDGET_COLUMNS} for row in rows],
        schema=dict.fromkeys(BUDGET_COLUMNS, pl.String),
    )


def budget_csv_bytes(frame: pl.DataFrame) -> bytes:
    """The standard's CSV: UTF-8 without BOM, comma-separated, the schema's header."""
    return frame.select(BUDGET_COLUMNS).write_csv(separator=",").encode("utf-8")
