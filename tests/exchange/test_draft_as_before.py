"""The draft written with Polars expressions and one piece of XML is the one written before,
row by row and paragraph by paragraph (tests/exchange/draft_before.py): the same articles,
text for text, and the same document.xml, byte for byte, on the seed, on generated data, on
texts python-docx writes with tabs, breaks and spaces kept, and in a template whose blocks
have a style of their own."""

import io
import zipfile
from pathlib import Path

import duckdb
import polars as pl
from docx import Document

from spend import store
from spend.domain.fees import DEFAULT_VAT_RATE, EngineInputs
from spend.domain.figures import compute
from spend.exchange import draft as drafting
from spend.exchange.demo import demo_tables
from tests.exchange import draft_before


def _inputs(tables: dict[str, pl.DataFrame]) -> EngineInputs:
    return EngineInputs(
        bodies=tables["bodies"],
        agreements=tables["agreements"],
        fee_grid=tables["fee_grid"],
        conventions=tables["conventions"],
        budget_lines=tables["budget_lines"],
        commitments=tables["commitments"],
        vat_rate=DEFAULT_VAT_RATE,
        deliberations=tables["deliberations"],
    )


def _cycled(frame: pl.DataFrame, column: str, values: list[object]) -> pl.DataFrame:
    """`column` takes `values` in turn, row after row (the others keep theirs)."""
    index = pl.int_range(pl.len()) % len(values)
    picked = pl.lit(pl.Series(values, dtype=frame.schema[column])).gather(index)
    return frame.with_columns(picked.alias(column))


HOSTILE_TITLES = [
    "  « Services »  en «  ligne » \u00a0",
    "A & B <c> « d »",
    "Ligne\tpuis\nsuite\r\nfin",
    "\u2003Espace cadratin\u202f",
    "Achats mutualisés",
]


def _generated(conventions: int) -> EngineInputs:
    """Demo tables, their texts made hard: quotes and spaces, markup characters, tabs and line
    breaks, names with and without their central's id, « Centrale … », no reference, no delay."""
    tables = demo_tables(conventions, seed=2022)
    conventions_ = tables["conventions"]
    titles = [*HOSTILE_TITLES, conventions_["title"][0]]
    tables["conventions"] = _cycled(
        _cycled(conventions_, "title", titles), "notice_months", [None, 0, 3, 12]
    )
    bodies = tables["bodies"]
    ids = bodies["body_id"].to_list()
    names = [f"Centrale {ids[0]}", None, "", f"Groupement {ids[0].lower()} régional"]
    tables["bodies"] = _cycled(bodies, "name", [*names, "Réseau « achats »"])
    tables["agreements"] = _cycled(
        _cycled(tables["agreements"], "reference", [None, "", "AC-2022/07 & suite"]),
        "title",
        [None, "", " «Accord» cadre ", "Accord-cadre\ttabulé"],
    )
    tables["fee_grid"] = _cycled(tables["fee_grid"], "payment_days", [None, 0, 30, 45])
    return _inputs(tables)


def _drafted(inputs: EngineInputs, year: int) -> drafting.Draft:
    return drafting.draft_content(inputs, compute(inputs), year, {"collectivity_name": "Ville"})


def _articles_before(inputs: EngineInputs, year: int) -> list[str]:
    titles = compute(inputs).titles.filter(pl.col("year") == year)
    terms = drafting._billed_terms(inputs, titles)
    return [draft_before.article(row) for row in terms.iter_rows(named=True)]


def _document_xml(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as docx:
        return docx.read("word/document.xml")


def _same_document(draft: drafting.Draft, template: Path | bytes = drafting.TEMPLATE) -> None:
    now = _document_xml(drafting.draft_docx(draft, template))
    before = _document_xml(draft_before.draft_docx(draft, template))
    assert now == before


def test_the_seeds_draft_is_the_one_written_before(seeded_db: duckdb.DuckDBPyConnection) -> None:
    inputs = store.load_inputs(seeded_db)
    for year in (2022, 2023):
        draft = drafting.draft_content(inputs, compute(inputs), year, store.settings(seeded_db))
        assert [body for _, body in draft.articles[:-1]] == _articles_before(inputs, year)
        _same_document(draft)


def test_generated_articles_are_those_written_row_by_row() -> None:
    inputs = _generated(2_000)
    for year in (2023, 2025):
        draft = _drafted(inputs, year)
        before = _articles_before(inputs, year)
        assert len(before) > 100
        assert [body for _, body in draft.articles[:-1]] == before
        headings = [heading for heading, _ in draft.articles]
        assert headings == [f"Article {n} :" for n in range(1, len(before) + 2)]
    texts = " ".join(body for _, body in draft.articles)
    for hard in (
        "« “Services”  en “ligne” »",
        "« A & B <c> “d” »",
        "« Ligne\tpuis\nsuite\r\nfin »",
    ):
        assert hard in texts  # the hard texts did reach the articles
    assert "centrale d'achat la Centrale" not in texts and "la Centrale " in texts


def test_a_generated_document_is_the_one_written_before() -> None:
    draft = _drafted(_generated(300), 2023)
    assert len(draft.articles) > 20
    _same_document(draft)


def test_texts_with_tabs_breaks_and_spaces_are_written_as_python_docx_writes_them() -> None:
    hard = [
        *HOSTILE_TITLES,
        "",
        " ",
        "\t",
        "\n\n",
        "a\r\nb",
        " début",
        "fin ",
        "\"guillemets\" et 'apostrophes'",
        "x" * 10_000,
    ]
    draft = drafting.Draft(
        authority="Ville",
        assembly="Conseil municipal",
        year=2023,
        subject="Objet & <sujet>",
        whereas=hard,
        articles=[(f"Article {n} :", text) for n, text in enumerate(hard, 1)],
        credits=[["C1", "6281", "Libellé & co", "1\u00a0000,00\u00a0€", "0,00\u00a0€"]],
    )
    _same_document(draft)


def test_blocks_of_a_style_of_their_own_keep_it(
    seeded_db: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    own = Document(str(drafting.TEMPLATE))
    styled = {"{{articles}}": "Quote", "{{vote}}": "Heading 2"}
    for paragraph in own.paragraphs:
        if (style := styled.get(paragraph.text.strip())) is not None:
            paragraph.style = own.styles[style]
    path = tmp_path / "modele.docx"
    own.save(str(path))
    inputs = store.load_inputs(seeded_db)
    draft = drafting.draft_content(inputs, compute(inputs), 2022, store.settings(seeded_db))
    _same_document(draft, path)
    styles = {
        p.style.name for p in Document(io.BytesIO(drafting.draft_docx(draft, path))).paragraphs
    }
    assert {"Quote", "Heading 2"} <= styles


def test_the_spaces_stripped_are_pythons() -> None:
    assert set(drafting.SPACES) == {chr(c) for c in range(0x110000) if chr(c).isspace()}
