"""A budget line's imputation, read into section, chapitre, article (nature) and fonction.

Authorities write one imputation in several forms:

- `6281/930202`: nature / functional chapter and fonction (vote by function: the chapter is
  the three-digit class 9 account, 930 = « 93 » + the fonction's first digit, here fonction 0202);
- `011/6281`: chapitre / article (vote by nature);
- « chapitre 011, article 6281 » (and « fonction 020 » when given);
- `65-6281-020`: chapitre - article - fonction.

The text stays the line's key, as written; the parts are read from it, checked against the
part of the M57 chart this domain uses (`data/m57.json`, with its sources). A form not
recognised is kept as written with a French warning: nothing is guessed.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

DATA_FILE = Path(__file__).parent / "data" / "m57.json"
FORMS = "6281/930202, 011/6281, « chapitre 011, article 6281 » ou 65-6281-020"

_SPACES = r"[\s\u00a0\u202f]*"
_NATURE_FUNCTION = re.compile(
    rf"^(?P<article>[1-7]\d{{2,5}}){_SPACES}/{_SPACES}(?P<chapter_fn>9[03]\d{{1,4}})$"
)
_CHAPTER_ARTICLE = re.compile(
    rf"^(?P<chapter>0\d{{2}}|[1-7]\d{{1,2}}){_SPACES}/{_SPACES}(?P<article>[1-7]\d{{2,5}})$"
)
_DASHED = re.compile(
    rf"^(?P<chapter>0\d{{2}}|[1-9]\d{{1,2}}){_SPACES}-{_SPACES}(?P<article>[1-7]\d{{2,5}})"
    rf"(?:{_SPACES}-{_SPACES}(?P<function>\d{{1,4}}))?$"
)
_WORDS = re.compile(
    r"^chap(?:itre|\.)?\s*(?:n°\s*)?(?P<chapter>\d{2,3})\s*[,;/-]?\s*"
    r"art(?:icle|\.)?\s*(?:n°\s*)?(?P<article>\d{3,6})"
    r"(?:\s*[,;/-]?\s*fonct(?:ion|\.)?\s*(?:n°\s*)?(?P<function>\d{1,4}))?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Imputation:
    """What an imputation says: its parts (None when the form does not give them)."""

    written: str
    section: str | None = None  # « fonctionnement » or « investissement »
    chapter: str | None = None  # « 011 », « 65 », « 930 »
    article: str | None = None  # the nature: « 6281 »
    function: str | None = None  # « 0202 », « 020 »
    recognised: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def nature_label(self) -> str | None:
        known = chart()["natures"].get(self.article or "")
        return known["label"] if known else None


@cache
def chart() -> dict[str, Any]:
    """The natures and chapters checked, with the sources they come from."""
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


def parse_imputation(written: str) -> Imputation:
    """The parts of an imputation written in one of the known forms, checked against the
    chart; any other text kept as written, with a warning."""
    text = " ".join(written.split())
    match = _NATURE_FUNCTION.match(text)
    if match:
        chapter_fn = match["chapter_fn"]
        return _checked(
            written, chapter=chapter_fn[:3], article=match["article"], function=chapter_fn[2:]
        )
    for pattern in (_CHAPTER_ARTICLE, _DASHED, _WORDS):
        match = pattern.match(text)
        if match:
            groups = match.groupdict()
            return _checked(
                written,
                chapter=groups["chapter"],
                article=groups["article"],
                function=groups.get("function"),
            )
    return Imputation(
        written=written,
        warnings=(
            f"imputation « {written} » : forme non reconnue (formes lues : {FORMS}) ; "
            "gardée telle quelle",
        ),
    )


def _checked(written: str, chapter: str, article: str, function: str | None) -> Imputation:
    """The parts, their section, and what contradicts the chart."""
    data = chart()
    warnings: list[str] = []
    by_chapter = _chapter_section(chapter)
    by_nature = data["nature_classes"].get(article[0], {}).get("section")
    if by_chapter and by_nature and by_chapter != by_nature:
        warnings.append(
            f"imputation « {written} » : le chapitre {chapter} relève de la section "
            f"{_of(by_chapter)}, la nature {article} de la section {_of(by_nature)}"
        )
    nature = data["natures"].get(article)
    functional = chapter[:2] in data["functional_chapter_prefixes"] and len(chapter) == 3
    if nature and not functional and nature["chapter"] != chapter:
        warnings.append(
            f"imputation « {written} » : la nature {article} ({nature['label']}) relève du "
            f"chapitre {nature['chapter']} dans le plan de comptes M57, pas du chapitre {chapter}"
        )
    return Imputation(
        written=written,
        section=by_chapter or by_nature,
        chapter=chapter,
        article=article,
        function=function,
        recognised=True,
        warnings=tuple(warnings),
    )


def _of(section: str) -> str:
    """« de fonctionnement », « d'investissement »."""
    return f"d'{section}" if section[0] in "aeiou" else f"de {section}"


def _chapter_section(chapter: str) -> str | None:
    data = chart()
    if chapter in data["chapters"]:
        section: str = data["chapters"][chapter]["section"]
        return section
    prefix = data["functional_chapter_prefixes"].get(chapter[:2])
    if prefix and len(chapter) == 3:
        return str(prefix["section"])
    return None


PARTS_SCHEMA = {
    "imputation": pl.String,
    "section": pl.String,
    "chapter": pl.String,
    "article": pl.String,
    "function": pl.String,
    "recognised": pl.Boolean,
    "warning": pl.String,  # the warnings joined, none when the imputation reads cleanly
}


def imputation_parts(imputations: pl.Series) -> pl.DataFrame:
    """One row per distinct imputation: its parts and its warnings (a handful of distinct
    texts, however many rows carry them)."""
    parsed = [parse_imputation(text) for text in imputations.drop_nulls().unique().sort()]
    return pl.DataFrame(
        {
            "imputation": [p.written for p in parsed],
            "section": [p.section for p in parsed],
            "chapter": [p.chapter for p in parsed],
            "article": [p.article for p in parsed],
            "function": [p.function for p in parsed],
            "recognised": [p.recognised for p in parsed],
            "warning": [" ; ".join(p.warnings) or None for p in parsed],
        },
        schema=PARTS_SCHEMA,
    )
