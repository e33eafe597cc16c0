"""An imputation read into section, chapitre, article and fonction, in the forms authorities
write; any other text kept as written with a French warning, never guessed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spend.domain.imputation import chart, parse_imputation


def test_the_seed_line_reads_as_nature_and_function() -> None:
    line = parse_imputation("6281/930202")
    assert (line.section, line.chapter, line.article, line.function) == (
        "fonctionnement", "930", "6281", "0202",
    )  # fmt: skip
    assert line.recognised and line.warnings == ()
    assert line.nature_label == "Concours divers (cotisations)"


@pytest.mark.parametrize(
    ("written", "parts"),
    [
        ("011/6281", ("fonctionnement", "011", "6281", None)),
        ("chapitre 011, article 6281", ("fonctionnement", "011", "6281", None)),
        ("Chap. 011 art. 6182 fonction 020", ("fonctionnement", "011", "6182", "020")),
        ("65-6574-020", ("fonctionnement", "65", "6574", "020")),
        ("2051/900202", ("investissement", "900", "2051", "0202")),
        ("6281 / 930202", ("fonctionnement", "930", "6281", "0202")),
    ],
)
def test_each_form_gives_its_parts(written: str, parts: tuple) -> None:
    line = parse_imputation(written)
    assert (line.section, line.chapter, line.article, line.function) == parts
    assert line.written == written and line.recognised


def test_a_nature_under_another_chapter_than_the_chart_says_is_warned() -> None:
    line = parse_imputation("65-6281-020")
    assert (line.chapter, line.article, line.function) == ("65", "6281", "020")
    assert line.warnings == (
        "imputation « 65-6281-020 » : la nature 6281 (Concours divers (cotisations)) relève du "
        "chapitre 011 dans le plan de comptes M57, pas du chapitre 65",
    )


def test_a_chapter_and_nature_of_different_sections_are_warned() -> None:
    (warning,) = parse_imputation("011/2051").warnings
    assert "section de fonctionnement, la nature 2051 de la section d'investissement" in warning


@pytest.mark.parametrize("written", ["Informatique", "6281", "C06-020M02", "6281/93", "011/62"])
def test_an_unknown_form_is_kept_as_written_with_a_warning(written: str) -> None:
    line = parse_imputation(written)
    assert not line.recognised
    assert (line.section, line.chapter, line.article, line.function) == (None,) * 4
    assert line.warnings == (
        f"imputation « {written} » : forme non reconnue (formes lues : 6281/930202, 011/6281, "
        "« chapitre 011, article 6281 » ou 65-6281-020) ; gardée telle quelle",
    )


def test_every_entry_of_the_chart_names_a_source_it_lists() -> None:
    data = chart()
    for part in ("chapters", "functional_chapter_prefixes", "nature_classes", "natures"):
        for code, entry in data[part].items():
            assert entry["source"] in data["sources"], (part, code)
    for code, nature in data["natures"].items():
        assert nature["chapter"] in data["chapters"], code


@given(st.text(max_size=40))
def test_any_text_is_read_or_kept_with_one_warning(written: str) -> None:
    line = parse_imputation(written)
    assert line.written == written
    if not line.recognised:
        assert len(line.warnings) == 1 and f"« {written} »" in line.warnings[0]
        assert line.chapter is None and line.article is None


digits = st.text(alphabet="0123456789", min_size=1, max_size=4)
# A nature of class 6 (an operating charge), three to six digits.
natures = st.text(alphabet="0123456789", min_size=2, max_size=5).map(lambda rest: "6" + rest)


@given(natures, digits)
def test_nature_and_function_read_back(article: str, function: str) -> None:
    line = parse_imputation(f"{article}/93{function}")
    assert (line.article, line.chapter, line.function) == (article, "93" + function[0], function)
    assert line.section == "fonctionnement" and line.recognised


@given(st.sampled_from(["011", "012", "65"]), natures, digits, st.sampled_from(["/", "-", "w"]))
def test_chapter_article_and_function_read_back(
    chapter: str, article: str, function: str, form: str
) -> None:
    written = {
        "/": f"{chapter}/{article}",
        "-": f"{chapter}-{article}-{function}",
        "w": f"chapitre {chapter}, article {article}, fonction {function}",
    }[form]
    line = parse_imputation(written)
    assert (line.chapter, line.article) == (chapter, article)
    assert line.function == (None if form == "/" else function)
    assert line.section == "fonctionnement" and line.recognised
