"""The corpus of deliberations: each text with its expected reading, and a line in the terminal
summary saying how many texts and layouts were read as expected."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from spend.paths import ROOT
from tests import summary

CORPUS_DIR = ROOT / "tests" / "fixtures" / "deliberations"


@dataclass(frozen=True)
class CorpusText:
    """A text of the corpus and what reading it must give (`NAME.expected.json` beside it)."""

    path: Path
    layout: str
    pdf: bool
    reading: dict[str, Any]
    confidence: dict[str, str]
    # Read also as a Word and an OpenDocument file, written at test time.
    word: bool = False
    # Built from a published deliberation: its source beside it (NAME.source.md).
    published: bool = False

    @property
    def name(self) -> str:
        return self.path.name


def corpus() -> list[CorpusText]:
    texts = []
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
        texts.append(
            CorpusText(
                path,
                expected["layout"],
                expected["pdf"],
                expected["reading"],
                expected["confidence"],
                expected.get("word", False),
                path.with_suffix(".source.md").exists(),
            )
        )
    return texts


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: long tests (a 20 MB text); -m 'not slow' skips them")


@pytest.fixture
def corpus_log(request: pytest.FixtureRequest) -> "CorpusLog":
    return CorpusLog(request)


class CorpusLog:
    """Where a corpus test records a text it read as expected (counted in the summary line of
    tests/summary.py when the test passes)."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request

    def read(self, text: CorpusText) -> None:
        summary.record(self._request, "délibérations", text.name, (text.layout, len(corpus())))

    def read_as_pdf(self, text: CorpusText) -> None:
        summary.record(self._request, "délibérations PDF", text.name, True)
