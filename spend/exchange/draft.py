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
from xml.sax.saxutils import escape

import polars as pl

from spend.domain.fees import EngineInputs, convention_terms
from spend.domain.figures import Figures
from spend.domain.french import THIN, grouped_digits
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
UNKNOWN_BILLING = "ses modalités de facturation sont à préciser"
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
    texts = terms.select(
        pl.format("Article {} :", pl.int_range(1, pl.len() + 1)).alias("heading"),
        _article().alias("body"),
    )
    articles = list(zip(texts["heading"], texts["body"], strict=True))
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


# What Python's str.strip() and the \s of its re take for a space: Unicode's White_Space,
# which Polars' \s is, and the four separators U+001C to U+001F besides.
SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)
_SPACE = r"[\s\x1c-\x1f]"


def _quoted_expr(title: pl.Expr) -> pl.Expr:
    """`_quoted` over a column (a missing title as an empty one)."""
    inner = (
        title.fill_null("")
        .str.strip_chars(SPACES)
        .str.replace_all(f"{_SPACE}*»", "”")
        .str.replace_all(f"«{_SPACE}*", "“")
    )
    return pl.concat_str(pl.lit("« "), inner, pl.lit(" »"))


def _given(column: str) -> pl.Expr:
    """A text column holds something (Python's truth of a string: neither None nor "")."""
    return pl.col(column).is_not_null() & (pl.col(column) != "")


def _grouped_expr(cents: pl.Expr) -> pl.Expr:
    """`_grouped` over a column of cents: 1 500,00 € with no-break spaces."""
    units = grouped_digits((cents.abs() // 100).cast(pl.String)).str.replace_all(
        THIN, NBSP, literal=True
    )
    return pl.concat_str(
        pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit("")),
        units,
        pl.lit(","),
        (cents.abs() % 100).cast(pl.String).str.zfill(2),
        pl.lit(f"{NBSP}€"),
    )


def _article() -> pl.Expr:
    """Each convention's article: who, what, its fee grid row and the terms that cost money if
    missed (one expression over the billed terms: at 10⁵ conventions a row-by-row loop took
    seconds)."""
    agreement = (
        pl.when(_given("agreement_title"))
        .then(_quoted_expr(pl.col("agreement_title")))
        .otherwise(pl.col("agreement_id"))
    )
    reference = (
        pl.when(_given("reference"))
        .then(pl.concat_str(pl.lit(" ("), pl.col("reference"), pl.lit(")")))
        .otherwise(pl.lit(""))
    )
    return pl.concat_str(
        pl.lit("D'autoriser la signature de la convention "),
        _quoted_expr(pl.col("title")),
        pl.lit(" avec "),
        _central(),
        pl.lit(", au titre de l'accord-cadre "),
        agreement,
        reference,
        pl.lit(". Selon la grille tarifaire (formule « "),
        pl.col("formula").fill_null(""),
        pl.lit(" », catégorie « "),
        pl.col("category").fill_null(""),
        pl.lit(" »), "),
        _fee(),
        pl.lit(" ; "),
        _terms(),
        pl.lit("."),
    )


def _central() -> pl.Expr:
    """« la centrale d'achat Resah », « la Centrale X », its id after a name that lacks it."""
    name, central = pl.col("body_name"), pl.col("body_id")
    body = (
        pl.when(~_given("body_name"))
        .then(central)
        .when(name.str.to_lowercase().str.contains(central.str.to_lowercase(), literal=True))
        .then(name)
        .otherwise(pl.concat_str(name, pl.lit(" ("), central, pl.lit(")")))
    )
    return pl.concat_str(
        pl.when(body.str.to_lowercase().str.starts_with("centrale"))
        .then(pl.lit("la "))
        .otherwise(pl.lit("la centrale d'achat ")),
        body,
    )


def _fee() -> pl.Expr:
    """« la cotisation annuelle est fixée à 1 500,00 € HT », or « … sur devis »."""
    cents = pl.col("annual_fee_cents")
    tax = pl.when(pl.col("tax") == "HT").then(pl.lit(" HT")).otherwise(pl.lit(" nets de taxes"))
    return (
        pl.when(cents.is_null())
        .then(pl.lit("la cotisation annuelle est fixée sur devis"))
        .otherwise(
            pl.concat_str(pl.lit("la cotisation annuelle est fixée à "), _grouped_expr(cents), tax)
        )
    )


def _terms() -> pl.Expr:
    """How it is billed, the payment delay when there is one, and the notice."""
    billing = (
        pl.col("billing_rule")
        .replace_strict(BILLING, default=UNKNOWN_BILLING, return_dtype=pl.String)
        .fill_null(UNKNOWN_BILLING)
    )
    days, months = pl.col("payment_days"), pl.col("notice_months")
    payment = (
        pl.when(days.is_not_null() & (days != 0))
        .then(pl.concat_str(pl.lit(", payable sous "), days.cast(pl.String), pl.lit(" jours")))
        .otherwise(pl.lit(""))
    )
    notice = (
        pl.when(months.is_not_null() & (months != 0))
        .then(pl.concat_str(months.cast(pl.String), pl.lit(" mois")))
        .otherwise(pl.lit("non précisé"))
    )
    return pl.concat_str(billing, payment, pl.lit(" ; préavis de résiliation : "), notice)


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
            _paragraphs_before(paragraph, [(text, False) for text in draft.whereas])
        elif marker == "{{articles}}":
            pairs = [((heading, True), (body, False)) for heading, body in draft.articles]
            _paragraphs_before(paragraph, [one for pair in pairs for one in pair])
        elif marker == "{{credits}}":
            _table_before(document, paragraph, [CREDIT_HEADER, *draft.credits])
        elif marker == "{{vote}}":
            _paragraphs_before(paragraph, [(text, False) for text in VOTE_LINES])
        else:
            _replace_words(paragraph, words)
            continue
        paragraph._p.getparent().remove(paragraph._p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _paragraphs_before(anchor, paragraphs: list[tuple[str, bool]]) -> None:
    """Paragraphs of the anchor's style (each a text and whether it is bold) before it, as
    python-docx's `insert_paragraph_before(style=…)` and `add_run(text).bold = …` write them,
    but made as one piece of XML: python-docx looks the style up in the styles part for each
    paragraph, 5 ms apiece (minutes for 10⁵ conventions' articles)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.parser import parse_xml

    style = anchor.part.get_style_id(anchor.style, WD_STYLE_TYPE.PARAGRAPH)
    properties = "<w:pPr/>"
    if style:
        properties = f'<w:pPr><w:pStyle w:val="{escape(style, QUOTE)}"/></w:pPr>'
    frame = pl.DataFrame(paragraphs, schema={"text": pl.String, "bold": pl.Boolean}, orient="row")
    xml = frame.select(
        pl.concat_str(
            pl.lit(f"<w:p>{properties}<w:r>"),
            pl.when(pl.col("bold")).then(pl.lit(BOLD)).otherwise(pl.lit(NOT_BOLD)),
            _run_content(pl.col("text")),
            pl.lit("</w:r></w:p>"),
        ).str.join("")
    ).item()
    made = list(parse_xml(f'<w:body xmlns:w="{W_NS}">{xml}</w:body>'))
    parent = anchor._p.getparent()
    at = parent.index(anchor._p)
    parent[at:at] = made


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BOLD, NOT_BOLD = "<w:rPr><w:b/></w:rPr>", '<w:rPr><w:b w:val="0"/></w:rPr>'
QUOTE = {'"': "&quot;"}


def _run_content(text: pl.Expr) -> pl.Expr:
    """A run's content as python-docx writes a text (`_RunContentAppender`): a tab as
    <w:tab/>, a line break or a carriage return as <w:br/>, the rest in <w:t>, its spaces kept
    when it begins or ends with one (a <w:t> holds no « < » once escaped)."""
    return (
        text.str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
        .str.replace_all("\t", "</w:t><w:tab/><w:t>", literal=True)
        .str.replace_all(r"[\r\n]", "</w:t><w:br/><w:t>")
        .pipe(lambda inner: pl.concat_str(pl.lit("<w:t>"), inner, pl.lit("</w:t>")))
        .str.replace_all("<w:t></w:t>", "", literal=True)
        .str.replace_all(
            r"<w:t>([\s\x1c-\x1f][^<]*|[^<]*[\s\x1c-\x1f])</w:t>",
            '<w:t xml:space="preserve">$1</w:t>',
        )
    )


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
