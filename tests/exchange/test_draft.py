"""The drafted deliberation: laid out in the template, and read back by the project's reader with
the seed's figures (3 000,00 € and 2 800,00 € on C06-020M02, CAIH 1 500,00 € HT, Resah 1 000,00 €
net)."""

import io
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest
from docx import Document

from spend import store
from spend.deliberations.reader import read_deliberation_bytes
from spend.domain.figures import compute
from spend.exchange.draft import (
    BLOCKS,
    TEMPLATE,
    DraftError,
    draft_content,
    draft_docx,
    of_assembly,
    the_assembly,
)

NBSP = "\u00a0"


def _draft(con: duckdb.DuckDBPyConnection, year: int, central: str | None = None):
    inputs = store.load_inputs(con)
    return draft_content(inputs, compute(inputs), year, store.settings(con), central)


def _reading(content: bytes):
    return read_deliberation_bytes(content, "projet.docx")


def test_the_2022_draft_reads_back_with_the_seeds_figures(seeded_db) -> None:
    content = draft_docx(_draft(seeded_db, 2022))
    reading = _reading(content)

    rows = [(r.operation_code, r.imputation, r.label, r.credits, r.amount)
            for r in reading.budget_rows]  # fmt: skip
    assert rows == [("C06-020M02", "6281/930202", "Informatique-Fonctionnement",
                     Decimal("3000.00"), Decimal("2800.00"))]  # fmt: skip
    assert [(f.body, f.amount, f.tax) for f in reading.fees] == [
        ("CAIH", Decimal("1500.00"), "HT"),
        ("Resah", Decimal("1000.00"), "net"),
    ]
    assert reading.assembly == "Commission Permanente"
    assert reading.authority == "Département du Pas-de-Calais"
    # Left to fill: the number, the date and the vote.
    assert reading.deliberation_id is None and reading.date is None
    assert reading.votes_for is None and reading.outcome is None


def test_the_draft_has_heading_whereas_articles_table_and_a_blank_vote(seeded_db) -> None:
    document = Document(io.BytesIO(draft_docx(_draft(seeded_db, 2022))))
    text = [p.text.replace(NBSP, " ") for p in document.paragraphs]

    assert text[:2] == ["DÉPARTEMENT DU PAS-DE-CALAIS", "DÉLIBÉRATION DE LA COMMISSION PERMANENTE"]
    assert "La Commission Permanente," in text
    assert sum(t.startswith("Vu ") for t in text) == 5  # codes, the cited deliberation, annexes
    assert [t for t in text if t.startswith("Article ")] == [
        "Article 1 :", "Article 2 :", "Article 3 :"
    ]  # fmt: skip
    caih = next(t for t in text if "CAIH" in t and "fixée" in t)
    assert "1 500,00 € HT" in caih and "année civile" in caih and "50 jours" in caih
    assert "préavis de résiliation : 3 mois" in caih
    assert "« Convention d'adhésion “Services de sécurité opérés à 360°” (tiers" in caih
    resah = next(t for t in text if "Resah" in t and "fixée" in t)
    assert "1 000,00 € nets de taxes" in resah and "date anniversaire" in resah
    assert "Pour : …………… voix" in text
    assert not any("{{" in t for t in text)
    (table,) = document.tables
    assert [c.text.replace(NBSP, " ") for c in table.rows[1].cells] == [
        "C06-020M02", "6281/930202", "Informatique-Fonctionnement", "3 000,00 €", "2 800,00 €"
    ]  # fmt: skip


def test_one_central_drafts_its_conventions_only(seeded_db) -> None:
    draft = _draft(seeded_db, 2022, central="resah")
    assert len(draft.articles) == 2  # its convention, and the imputation
    assert "Resah" in draft.articles[0][1] and "CAIH" not in draft.text().split("DÉCIDE")[1]
    assert "centrale d'achat RESAH" in draft.subject


def test_a_year_without_fees_is_said_not_drafted(seeded_db) -> None:
    with pytest.raises(
        DraftError, match="Aucune convention ne donne lieu à une cotisation en 2030"
    ):
        _draft(seeded_db, 2030)
    with pytest.raises(DraftError, match="de la centrale UGAP"):
        _draft(seeded_db, 2022, central="UGAP")


def test_an_authority_template_keeps_its_own_wording(seeded_db, tmp_path: Path) -> None:
    own = Document(str(TEMPLATE))
    own.paragraphs[0].insert_paragraph_before("Ville de Montreuil-sur-Mer — modèle maison")
    path = tmp_path / "modele.docx"
    own.save(str(path))
    text = [
        p.text for p in Document(io.BytesIO(draft_docx(_draft(seeded_db, 2022), path))).paragraphs
    ]
    assert text[0] == "Ville de Montreuil-sur-Mer — modèle maison"
    assert text[1] == "DÉPARTEMENT DU PAS-DE-CALAIS"


def test_a_template_without_its_blocks_is_refused_in_french(seeded_db, tmp_path: Path) -> None:
    empty = Document()
    empty.add_paragraph("{{vus}}")
    path = tmp_path / "incomplet.docx"
    empty.save(str(path))
    with pytest.raises(DraftError, match=r"\{\{articles\}\}, \{\{credits\}\}, \{\{vote\}\}"):
        draft_docx(_draft(seeded_db, 2022), path)


def test_the_shipped_template_has_every_block() -> None:
    paragraphs = {p.text.strip() for p in Document(str(TEMPLATE)).paragraphs}
    assert set(BLOCKS) <= paragraphs


@pytest.mark.parametrize(
    ("assembly", "of", "the"),
    [
        ("Commission Permanente", "de la Commission Permanente", "La Commission Permanente"),
        ("Conseil départemental", "du Conseil départemental", "Le Conseil départemental"),
        ("Assemblée plénière", "de l'Assemblée plénière", "L'Assemblée plénière"),
    ],
)
def test_the_assembly_is_named_in_good_french(assembly: str, of: str, the: str) -> None:
    assert (of_assembly(assembly), the_assembly(assembly)) == (of, the)


def test_the_credits_table_is_the_balance_of_the_year(seeded_db) -> None:
    inputs = store.load_inputs(seeded_db)
    figures = compute(inputs)
    draft = draft_content(inputs, figures, 2023, store.settings(seeded_db))
    line = figures.balance.filter(pl.col("year") == 2023).row(0, named=True)
    assert line["committed"] == Decimal("2508.33")
    # No-break spaces: an amount never breaks across two lines of the printed page.
    assert draft.credits == [
        [
            "C06-020M02",
            "6281/930202",
            "Informatique-Fonctionnement",
            "0,00\xa0€",
            "2\xa0508,33\xa0€",
        ]
    ]
