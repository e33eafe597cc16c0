"""The drafted deliberation as it was written before the articles became Polars expressions
and the paragraphs one piece of XML: row by row, and python-docx paragraph by paragraph. The
reference the new writing is held to, text for text and byte for byte."""

import io
from pathlib import Path

from docx import Document

from spend.exchange.draft import (
    BILLING,
    CREDIT_HEADER,
    TEMPLATE,
    VOTE_LINES,
    Draft,
    _grouped,
    _quoted,
    _replace_words,
    _table_before,
    of_assembly,
    the_assembly,
)


def article(row: dict) -> str:
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


def draft_docx(draft: Draft, template: Path | bytes = TEMPLATE) -> bytes:
    """The layout of before (the template's checks left out: they have not changed)."""
    source = io.BytesIO(template) if isinstance(template, bytes) else str(template)
    document = Document(source)
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
