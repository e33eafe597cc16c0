"""The assembly's deliberation drafted: a Word document from the conventions that bill in a year.

Modelled on the source deliberation (n° 2022-504 of the Pas-de-Calais): the heading (authority,
assembly, the date and number left to fill), the « Vu » clauses, one article per convention
(its central, agreement, fee grid row, HT or net, billing rule, payment delay and notice), the
article imputing the expense with the table of credits per line (operation, imputation, label,
credits of the year, fees and commitments of the year), and the vote left blank.

The layout comes from a template (`data/deliberation_template.docx`, or an authority's own):
its paragraphs keep their style; `{{collectivite}}`, `{{de_assemblee}}`, `{{assemblee}}`,
`{{objet}}` and `{{exercice}}` are replaced where they appear, and the paragraphs that hold only
`{{vus}}`, `{{articles}}`, `{{credits}}` or `{{vote}}` become those blocks. The wording is the one
the project's deliberation reader reads back (a test holds it): each fee in one sentence « la
cotisation annuelle est fixée à 1 500,00 € HT », the credits as a table.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import polars as pl

from spend.domain.fees import EngineInputs, convention_terms
from spend.domain.figures import Figures
from spend.domain.money import from_cents

TEMPLATE = Path(__file__).parent / "data" / "deliberation_template.docx"
BLOCKS = ("{{vus}}", "{{articles}}", "{{credits}}", "{{vote}}")
TO_FILL = "……………"
NBSP = "\u00a0"
COLUMN_WIDTHS_CM = (2.9, 2.9, 5.0, 2.6, 2.6)
CREDIT_HEADER = [
    "Code Opération",
    "Imputation budgétaire",
    "Libellé Opération",
    "CP €",
    "Dépense €",
]
BILLING = {
    "calendar_year": "elle est facturée par année civile",
    "anniversary_prorated": "elle est facturée par période de douze mois à la date anniversaire "
    "de la convention, la dernière période au prorata",
}
# Masculine assemblies take « du »; the others « de la » (« de la Commission Permanente »).
_MASCULINE = re.compile(r"(?i)^(conseil|bureau|comit[ée]|directoire|syndicat)\b")
_VOWEL = re.compile(r"(?i)^[aeiouyéèêâîôûh]")


class DraftError(ValueError):
    """Nothing to draft, or a template without its blocks; the message is French."""


@dataclass(frozen=True)
class Draft:
    """What the deliberation says, before it is laid out."""

    authority: str
    assembly: str
    year: int
    subject: str
    whereas: list[str] = field(default_factory=list)
    articles: list[tuple[str, str]] = field(default_factory=list)
    credits: list[list[str]] = field(default_factory=list)

    def text(self) -> str:
        """The draft as plain text, a line per paragraph and « | » between table cells."""
        lines = [self.authority.upper(), f"DÉLIBÉRATION {of_assembly(self.assembly).upper()}"]
        lines += [f"Objet : {self.subject}", f"{the_assembly(self.assembly)},", *self.whereas]
        lines += ["Après en avoir délibéré,", "DÉCIDE :"]
        for heading, body in self.articles:
            lines += [heading, body]
        lines += [" | ".join(row) for row in [CREDIT_HEADER, *self.credits]]
        return "\n".join([*lines, *VOTE_LINES])


VOTE_LINES = [
    "Dans les conditions de vote ci-dessous :",
    f"Pour : {TO_FILL} voix",
    f"Contre : {TO_FILL} voix",
    f"Abstention : {TO_FILL} voix",
]


def _grouped(value: Decimal) -> str:
    """1 500,00 € as a deliberation writes it, with no-break spaces: an amount never breaks
    across two lines of the printed page."""
    units, cents = f"{abs(value):.2f}".split(".")
    grouped = f"{int(units):,}".replace(",", NBSP)
    return f"{'-' if value < 0 else ''}{grouped},{cents}{NBSP}€"


def _quoted(title: str) -> str:
    """A title between French quotes; quotes inside it become “ ” (the French nesting)."""
    inner = re.sub(r"«\s*", "“", re.sub(r"\s*»", "”", title.strip()))
    return f"« {inner} »"


def of_assembly(assembly: str) -> str:
    """« du Conseil départemental », « de la Commission Permanente », « de l'Assemblée »."""
    if _VOWEL.match(assembly):
        return f"de l'{assembly}"
    return f"du {assembly}" if _MASCULINE.match(assembly) else f"de la {assembly}"


def the_assembly(assembly: str) -> str:
    """« Le Conseil départemental », « La Commission Permanente », « L'Assemblée »."""
    if _VOWEL.match(assembly):
        return f"L'{assembly}"
    return f"Le {assembly}" if _MASCULINE.match(assembly) else f"La {assembly}"


def draft_content(
    inputs: EngineInputs,
    figures: Figures,
    year: int,
    settings: dict[str, str],
    central: str | None = None,
) -> Draft:
    """The deliberation of `year`: the conventions that bill in it (of one central if given)."""
    titles = figures.titles.filter(pl.col("year") == year)
    if central is not None:
        titles = titles.filter(pl.col("body_id").str.to_lowercase() == central.lower())
    terms = _billed_terms(inputs, titles)
    if terms.is_empty():
        who = f" de la centrale {central}" if central else ""
        raise DraftError(
            f"Aucune convention{who} ne donne lieu à une cotisation en {year} : rien à délibérer."
        )
    cited = _cited(inputs, terms)
    articles = [
        (f"Article {n} :", _article(row)) for n, row in enumerate(terms.iter_rows(named=True), 1)
    ]
    count = len(articles)
    which = {1: "de l'article 1", 2: "des articles 1 et 2"}.get(count, f"des articles 1 à {count}")
    articles.append(
        (
            f"Article {count + 1} :",
            f"Les dépenses versées en application {which} de la présente délibération sont "
            f"imputées sur le budget de l'exercice {year} comme suit :",
        )
    )
    centrals = sorted(set(terms["body_id"].to_list()))
    return Draft(
        authority=settings.get("collectivity_name") or TO_FILL,
        assembly=_assembly(cited),
        year=year,
        subject=f"Adhésion aux centrales d'achat {_joined(centrals)} : conventions et "
        f"cotisations de l'exercice {year}"
        if len(centrals) > 1
        else f"Adhésion à la centrale d'achat {centrals[0]} : conventions et cotisations de "
        f"l'exercice {year}",
        whereas=_whereas(cited),
        articles=articles,
        credits=_budget_rows(figures, titles, year),
    )


def _billed_terms(inputs: EngineInputs, titles: pl.DataFrame) -> pl.DataFrame:
    """The terms of the conventions `titles` bill, with their central's and agreement's names."""
    billed = titles.select("convention_id").unique()
    return (
        convention_terms(inputs)
        .join(billed.lazy(), on="convention_id", how="semi")
        .join(
            inputs.bodies.lazy().select("body_id", pl.col("name").alias("body_name")),
            on="body_id",
            how="left",
        )
        .join(
            inputs.agreements.lazy().select(
                "agreement_id", "reference", pl.col("title").alias("agreement_title")
            ),
            on="agreement_id",
            how="left",
        )
        .with_columns(from_cents(pl.col("annual_fee_cents")).alias("annual_fee"))
        .sort("body_id", "convention_id")
        .collect()
    )


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} et {names[-1]}"


def _cited(inputs: EngineInputs, terms: pl.DataFrame) -> pl.DataFrame:
    """The recorded deliberations the conventions cite, oldest first."""
    if inputs.deliberations is None:
        return pl.DataFrame()
    ids = terms["deliberation_id"].drop_nulls().unique()
    return inputs.deliberations.filter(pl.col("deliberation_id").is_in(ids.implode())).sort(
        "date", "deliberation_id"
    )


def _assembly(cited: pl.DataFrame) -> str:
    """The assembly that deliberated on these conventions last, else left to fill."""
    named = cited["assembly"].drop_nulls().to_list() if not cited.is_empty() else []
    return named[-1] if named else f"Assemblée {TO_FILL}"


def _whereas(cited: pl.DataFrame) -> list[str]:
    lines = [
        "Vu le Code général des collectivités territoriales ;",
        "Vu le Code de la commande publique et, notamment, ses articles L.2113-2 à L.2113-5 ;",
    ]
    for row in cited.iter_rows(named=True):
        day = row["date"].strftime("%d/%m/%Y") if row["date"] else TO_FILL
        of = f" {of_assembly(row['assembly'])}" if row["assembly"] else ""
        lines.append(
            f"Vu la délibération n°{row['deliberation_id']}{of} en date du {day} "
            f"{_quoted(row['title'] or '')} ;"
        )
    lines.append(
        "Vu les conventions et les grilles tarifaires des centrales d'achat, ci-annexées ;"
    )
    lines.append("Vu le rapport de l'exécutif, ci-annexé ;")
    return lines


def _article(row: dict) -> str:
    """One convention: who, what, its fee grid row and the terms that cost money if missed."""
    body = row["body_name"] or row["body_id"]
    if row["body_name"] and row["body_id"].lower() not in row["body_name"].lower():
        body = f"{row['body_name']} ({row['body_id']})"
    body = f"la {body}" if body.lower().startswith("centrale") else f"la centrale d'achat {body}"
    agreement = _quoted(row["agreement_title"]) if row["agreement_title"] else row["agreement_id"]
    reference = f" ({row['reference']})" if row["reference"] else ""
    grid = f"formule « {row['formula']} », catégorie « {row['category']} »"
    if row["annual_fee"] is None:
        fee = "la cotisation annuelle est fixée sur devis"
    else:
        tax = "HT" if row["tax"] == "HT" else "nets de taxes"
        fee = f"la cotisation annuelle est fixée à {_grouped(row['annual_fee'])} {tax}"
    billing = BILLING.get(row["billing_rule"] or "", "ses modalités de facturation sont à préciser")
    payment = f", payable sous {row['payment_days']} jours" if row["payment_days"] else ""
    notice = f"{row['notice_months']} mois" if row["notice_months"] else "non précisé"
    return (
        f"D'autoriser la signature de la convention {_quoted(row['title'])} avec {body}, au titre "
        f"de l'accord-cadre {agreement}{reference}. Selon la grille "
        f"tarifaire ({grid}), {fee} ; {billing}{payment} ; préavis de résiliation : {notice}."
    )


def _budget_rows(figures: Figures, titles: pl.DataFrame, year: int) -> list[list[str]]:
    """The lines these fees are imputed on: the year's credits, fees and commitments."""
    lines = titles.select("operation_code", "imputation").drop_nulls().unique()
    rows = (
        figures.balance.filter(pl.col("year") == year)
        .join(lines, on=["operation_code", "imputation"], how="semi")
        .sort("operation_code", "imputation")
    )
    return [
        [
            r["operation_code"],
            r["imputation"],
            r["label"] or "",
            _grouped(r["credits"]),
            _grouped(r["committed"]),
        ]
        for r in rows.iter_rows(named=True)
    ]


def draft_docx(draft: Draft, template: Path | bytes = TEMPLATE) -> bytes:
    """The draft laid out in the template (a path or its bytes): a .docx file's bytes."""
    from docx import Document

    source = io.BytesIO(template) if isinstance(template, bytes) else str(template)
    document = Document(source)
    found = {p.text.strip() for p in document.paragraphs}
    missing = [b for b in BLOCKS if b not in found]
    if missing:
        raise DraftError(
            f"Le modèle de délibération n'a pas les paragraphes {', '.join(missing)} "
            "(chacun seul sur sa ligne) : rien n'a été produit."
        )
    words = {
        "{{collectivite}}": draft.authority.upper(),
        "{{de_assemblee}}": of_assembly(draft.assembly).upper(),
        "{{assemblee}}": the_assembly(draft.assembly),
        "{{objet}}": draft.subject,
        "{{exercice}}": str(draft.year),
    }
    for paragraph in list(document.paragraphs):
        marker = paragraph.text.strip()
        if marker == "{{vus}}":
            _paragraphs_before(paragraph, draft.whereas)
        elif marker == "{{articles}}":
            for heading, body in draft.articles:
                _paragraphs_before(paragraph, [heading], bold=True)
                _paragraphs_before(paragraph, [body])
        elif marker == "{{credits}}":
            _table_before(document, paragraph, [CREDIT_HEADER, *draft.credits])
        elif marker == "{{vote}}":
            _paragraphs_before(paragraph, VOTE_LINES)
        else:
            _replace_words(paragraph, words)
            continue
        paragraph._p.getparent().remove(paragraph._p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _paragraphs_before(anchor, texts: list[str], *, bold: bool = False) -> None:
    for text in texts:
        added = anchor.insert_paragraph_before(style=anchor.style)
        added.add_run(text).bold = bold


def _table_before(document, anchor, rows: list[list[str]]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    table = document.add_table(rows=len(rows), cols=len(CREDIT_HEADER))
    table.style = "Table Grid" if "Table Grid" in [s.name for s in document.styles] else None
    for cells, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(cells.cells, values, strict=True):
            cell.text = value
    for cell in table.rows[0].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in table.rows:  # amounts to the right, as a budget table prints them
        for cell in row.cells[3:]:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table.autofit = False
    for column, width in zip(table.columns, COLUMN_WIDTHS_CM, strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice reads
        for cell in column.cells:
            cell.width = Cm(width)  # each cell, which Word reads
    anchor._p.addprevious(table._tbl)
    anchor.insert_paragraph_before(style=anchor.style)  # a blank line after the table


def _replace_words(paragraph, words: dict[str, str]) -> None:
    """Replace the placeholders of a paragraph, its first run's style kept for the whole."""
    text = paragraph.text
    if "{{" not in text:
        return
    for word, value in words.items():
        text = text.replace(word, value)
    runs = paragraph.runs
    runs[0].text = text
    for run in runs[1:]:
        run._r.getparent().remove(run._r)
