"""Export next year's arbitrated budget in the SCDL « Budget » open-data format (OpenDataFrance).

Reference: schema 0.8.3 of https://schema.data.gouv.fr/scdl/budget/ (a copy, with its source,
in tests/fixtures/scdl/): 22 columns in a fixed order, amounts with a decimal point, missing
values empty, the SIRET checked by the schema's custom check. Validata and `frictionless`
accept what this module publishes (a test holds it, offline).

One row per budget line, as the budget primitif of the year: BGT_MTBUDGPREC the BP of the year
before, BGT_MTPROPNOUV and BGT_CREDOUV the amount retained (the arbitrated one, else the
proposal). The line's imputation gives the article (BGT_CONTNAT), its chapter (BGT_NATURE),
the section and the function as written; natures come from the M57 chart kept in
`data/m57_natures.json`. A line whose imputation cannot be read is left out, and said; nothing
is guessed.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from spend.domain.preparation import arbitrated_or_proposed
from spend.exchange.settings import siret_problem

CHART = Path(__file__).parent / "data" / "m57_natures.json"
BUDGET_COLUMNS: tuple[str, ...] = (
    "BGT_NATDEC", "BGT_ANNEE", "BGT_SIRET", "BGT_NOM", "BGT_CONTNAT", "BGT_CONTNAT_LABEL",
    "BGT_NATURE", "BGT_NATURE_LABEL", "BGT_FONCTION", "BGT_FONCTION_LABEL", "BGT_OPERATION",
    "BGT_SECTION", "BGT_OPBUDG", "BGT_CODRD", "BGT_MTREAL", "BGT_MTBUDGPREC", "BGT_MTRARPREC",
    "BGT_MTPROPNOUV", "BGT_MTPREV", "BGT_CREDOUV", "BGT_MTRAR3112", "BGT_ARTSPE",
)  # fmt: skip
PRIMITIVE_BUDGET = "budget primitif"

# The forms authorities write: « 6281/930202 » (article/function), « 011/6281 »
# (chapter/article), « chapitre 011, article 6281 », « 65-6281-020 » (chapter-article-function).
_ARTICLE_FUNCTION = re.compile(r"^(?P<article>[1-7]\d{2,5})\s*/\s*(?P<function>\d{1,9})$")
_CHAPTER_ARTICLE = re.compile(r"^(?P<chapter>0\d{1,2}|[1-9]\d?)\s*/\s*(?P<article>[1-7]\d{2,5})$")
_WORDS = re.compile(
    r"(?i)^chapitre\s*(?P<chapter>\d{2,3})\s*[,;]?\s*(?:article|nature|compte)\s*(?P<article>\d{3,6})"
    r"(?:\s*[,;]?\s*fonction\s*(?P<function>\d{1,9}))?$"
)
_DASHED = re.compile(r"^(?P<chapter>\d{2,3})-(?P<article>\d{3,6})(?:-(?P<function>\d{1,9}))?$")


@dataclass(frozen=True)
class Imputation:
    section: str
    chapter: str
    chapter_label: str
    article: str
    article_label: str
    function: str | None


@functools.cache
def _chart() -> dict:
    return json.loads(CHART.read_text(encoding="utf-8"))


def read_imputation(text: str) -> Imputation | str:
    """The imputation's parts, or why they cannot be read (French)."""
    written = " ".join(text.split())
    for form in (_ARTICLE_FUNCTION, _CHAPTER_ARTICLE, _WORDS, _DASHED):
        found = form.match(written)
        if found:
            break
    else:
        return (
            f"imputation « {written} » : forme non reconnue (attendue : « 6281/930202 », "
            "« 011/6281 », « chapitre 011, article 6281 » ou « 65-6281-020 »)"
        )
    parts = found.groupdict()
    nature = _chart()["natures"].get(parts["article"])
    if nature is None:
        return (
            f"imputation « {written} » : la nature {parts['article']} n'est pas dans le plan "
            "de comptes M57 retenu (spend/exchange/data/m57_natures.json)"
        )
    chapter = parts.get("chapter") or nature["chapter"]
    if chapter.lstrip("0") != nature["chapter"].lstrip("0"):
        return (f"imputation « {written} » : la nature {parts['article']} relève du chapitre "
                f"{nature['chapter']}, pas du chapitre {chapter}")  # fmt: skip
    known = _chart()["chapters"][nature["chapter"]]
    return Imputation(known["section"], nature["chapter"], known["label"], parts["article"],
                      nature["label"], parts.get("function"))  # fmt: skip


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
        problems.append("SIRET de la collectivité non renseigné (page Administration) : "
                        "obligatoire (BGT_SIRET).")  # fmt: skip
    elif why := siret_problem(siret):
        problems.append(why)
    if not name:
        problems.append("Nom de la collectivité non renseigné (page Administration) : "
                        "obligatoire (BGT_NOM).")  # fmt: skip
    if problems:
        return BudgetExport(_frame([]), [f"{p} Aucune ligne publiée." for p in problems], [])
    rows, notices = [], []
    for line in arbitrated_or_proposed(prepared).iter_rows(named=True):
        who = f"Ligne {line['operation_code'] or '(sans code)'} / {line['imputation'] or '?'}"
        if not line["operation_code"] or not line["imputation"]:
            problems.append(f"{who} : cotisations de conventions sans ligne budgétaire, non "
                            "publiées.")  # fmt: skip
            continue
        parts = read_imputation(line["imputation"])
        if isinstance(parts, str):
            problems.append(f"{who} : {parts} ; ligne non publiée.")
            continue
        if line["arbitrated"] is None:
            notices.append(f"{who} : non arbitrée, la proposition est publiée.")
        rows.append({
            "BGT_NATDEC": PRIMITIVE_BUDGET, "BGT_ANNEE": str(year), "BGT_SIRET": siret,
            "BGT_NOM": name, "BGT_CONTNAT": parts.article, "BGT_CONTNAT_LABEL": parts.article_label,
            "BGT_NATURE": parts.chapter, "BGT_NATURE_LABEL": parts.chapter_label,
            "BGT_FONCTION": parts.function, "BGT_OPERATION": line["operation_code"],
            "BGT_SECTION": parts.section, "BGT_OPBUDG": "réel", "BGT_CODRD": "dépense",
            "BGT_MTBUDGPREC": _amount(line["bp_prev"]),
            "BGT_MTPROPNOUV": _amount(line["retained"]), "BGT_CREDOUV": _amount(line["retained"]),
        })  # fmt: skip
    return BudgetExport(_frame(rows), problems, notices)


def _frame(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        [{c: row.get(c) for c in BUDGET_COLUMNS} for row in rows],
        schema=dict.fromkeys(BUDGET_COLUMNS, pl.String),
    )


def budget_csv_bytes(frame: pl.DataFrame) -> bytes:
    """The standard's CSV: UTF-8 without BOM, comma-separated, the schema's header."""
    return frame.select(BUDGET_COLUMNS).write_csv(separator=",").encode("utf-8")
