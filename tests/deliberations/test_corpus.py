"""The corpus: deliberations of every kind of authority, each read as its expected reading says,
as text and as PDF, every value shown with the line it was read from."""

import unicodedata
from pathlib import Path

import pytest
from text_to_num import alpha2digit

from spend.deliberations.model import Confidence, DeliberationReading
from spend.deliberations.reader import read_deliberation_file
from spend.deliberations.text import collapsed, normalised
from tests.deliberations.conftest import CorpusLog, CorpusText, corpus
from tests.deliberations.pdfs import unicode_font, write_pdf
from tests.deliberations.word import write_docx, write_odt

CORPUS = corpus()


def _id(text: CorpusText) -> str:
    return text.path.stem


def test_corpus_holds_31_texts_in_26_layouts_12_published_10_as_pdf_2_as_word() -> None:
    assert len(CORPUS) >= 31
    assert len({text.layout for text in CORPUS}) >= 26
    assert sum(text.published for text in CORPUS) >= 12
    assert sum(text.pdf for text in CORPUS) >= 10
    assert sum(text.word for text in CORPUS) >= 2
    outcomes = {text.reading["outcome"] for text in CORPUS}
    assert outcomes == {"adopted", "rejected", None}  # adopted, rejected, and cut short


@pytest.mark.parametrize("text", CORPUS, ids=_id)
def test_corpus_text_reads_as_expected(text: CorpusText, corpus_log: CorpusLog) -> None:
    data = read_deliberation_file(text.path).to_json_dict()
    evidence = data.pop("evidence")

    assert data == text.reading
    assert {item["field"]: item["confidence"] for item in evidence} == text.confidence
    corpus_log.read(text)


@pytest.mark.parametrize("text", [t for t in CORPUS if t.pdf], ids=_id)
def test_corpus_pdf_reads_like_its_text(
    text: CorpusText, tmp_path: Path, corpus_log: CorpusLog
) -> None:
    font = unicode_font()
    if font is None:
        pytest.skip("aucune police DejaVuSans.ttf sur cette machine")
    pdf = tmp_path / f"{text.path.stem}.pdf"
    write_pdf(text.path.read_text(encoding="utf-8"), pdf, font=font)

    reading = read_deliberation_file(pdf)

    assert reading == read_deliberation_file(text.path)
    corpus_log.read_as_pdf(text)


@pytest.mark.parametrize("text", [t for t in CORPUS if t.word], ids=_id)
@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_corpus_word_file_reads_like_its_pdf(text: CorpusText, kind: str, tmp_path: Path) -> None:
    font = unicode_font()
    if font is None:
        pytest.skip("aucune police DejaVuSans.ttf sur cette machine")
    source = text.path.read_text(encoding="utf-8")
    document = tmp_path / f"{text.path.stem}.{kind}"
    (write_docx if kind == "docx" else write_odt)(source, document)
    pdf = tmp_path / f"{text.path.stem}.pdf"
    write_pdf(source, pdf, font=font)

    reading = read_deliberation_file(document).to_json_dict()

    # The same fields, the same evidence, as the PDF and the text.
    assert reading == read_deliberation_file(pdf).to_json_dict()
    evidence = reading.pop("evidence")
    assert reading == text.reading
    assert {item["field"]: item["confidence"] for item in evidence} == text.confidence


def _folded(text: str) -> str:
    """Lowercase without accents, to compare a value with the words it was read from."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


_MONTHS = ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
           "octobre", "novembre", "decembre"]  # fmt: skip


_SUBJECT_WORDS = ["centrale", "groupement", "adhesion", "marche", "subvention", "budget",
                  "fonds de", "credits", "modificative", "resah", "ugap", "caih",
                  "uniha", "approlys", "sipperec", "sigeif", "canut"]  # fmt: skip


def _source_words(reading: DeliberationReading, field: str) -> list[str]:
    """Words or digits of a field's value that the line it was read from must contain
    (folded: lowercase, no accents), any one of them when several are given."""
    kind, _, index = field.partition(".")
    if kind == "budget_rows":
        row = reading.budget_rows[int(index)]
        # A table one cell per line shows the row from its first cell (the operation code).
        parts = row.imputation.split("/")
        return [_folded(row.imputation), _folded(row.operation_code or row.imputation), parts[1]]
    if kind in ("fee_statements", "fees"):
        items = reading.fee_statements if kind == "fee_statements" else reading.fees
        return [f"digits:{int(items[int(index)].amount)}"]
    if kind == "proposed_centrals":
        name = reading.proposed_centrals[int(index)].removeprefix("Syndicat ")
        return [_folded(name.split()[0])]
    value = getattr(reading, field)
    if field == "subject_code":
        # The stated code, or the words the subject was proposed from.
        return [value, *_SUBJECT_WORDS]
    if field == "date":
        return [str(value.day), _MONTHS[value.month - 1], f"{value.month:02d}/{value.year}"]
    if field in ("votes_for", "votes_against", "abstentions"):
        return [str(value)]
    if field == "vote_kind":
        return ["unanimit", "majorit"]
    if field == "not_voting":
        return ["pas part", "participe"]
    if field == "outcome":
        return ["adopt", "rejet", "unanimit", "majorit", str(reading.votes_for)]
    if field == "title":
        return [" ".join(_folded(value).split()[:3])]
    if field == "assembly":
        return [_folded(value).split()[-1].removeprefix("d'")[:8]]
    if field == "authority":
        # A name over two lines shows its first line: any word of the name.
        return [w.removeprefix("d'") for w in _folded(value).split() if len(w) > 3]
    return [_folded(str(value))]


@pytest.mark.parametrize("text", CORPUS, ids=_id)
def test_every_value_shows_the_line_it_was_read_from(text: CorpusText) -> None:
    norm = normalised(text.path.read_text(encoding="utf-8"))
    lines = norm.split("\n")
    reading = read_deliberation_file(text.path)

    assert reading.evidence, "no evidence at all"
    for item in reading.evidence:
        if item.evidence is None:
            assert item.confidence is Confidence.MISSING, item.field
            continue
        line = item.evidence.line
        # The evidence is a line of the normalised text, where the value's words begin.
        assert lines[item.evidence.line_number - 1] == line, item.field
        assert item.evidence.source.split("\n")[0] in line, item.field
        words = _source_words(reading, item.field)
        folded = _folded(line)
        # An amount written in words counts as its digits.
        digits = _digits(line) + _digits(alpha2digit(line, "fr"))
        assert any(
            w.removeprefix("digits:") in digits if w.startswith("digits:") else w in folded
            for w in words
        ), f"{item.field}: {words} not in « {line} »"


@pytest.mark.parametrize("text", CORPUS, ids=_id)
def test_each_fee_comes_with_its_sentence_from_the_text(text: CorpusText) -> None:
    whole = collapsed(normalised(text.path.read_text(encoding="utf-8")))
    reading = read_deliberation_file(text.path)

    for fee in reading.fee_statements:
        assert fee.sentence in whole
        # An amount written in words counts as its digits.
        assert str(int(fee.amount)) in _digits(alpha2digit(fee.sentence, "fr")) + _digits(
            fee.sentence
        )
