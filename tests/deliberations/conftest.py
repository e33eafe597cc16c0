"""The corpus of deliberations: each text with its expected reading, and a line in the terminal
summary saying how many texts and layouts were read as expected."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from spend.paths import ROOT

CORPUS_DIR = ROOT / "tests" / "fixtures" / "deliberations"


@dataclass(frozen=True)
class CorpusText:
    """A text of the corpus and what reading it must give (`NAME.expected.json` beside it)."""

    path: Path
    layout: str
    pdf: bool
    reading: dict[str, Any]
    confidence: dict[str, str]

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
            )
        )
    return texts


# What the corpus tests read as expected, for the terminal summary.
_READ = pytest.StashKey[dict[str, str]]()
_READ_AS_PDF = pytest.StashKey[set[str]]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: long tests (a 20 MB text); -m 'not slow' skips them")


@pytest.fixture
def corpus_log(request: pytest.FixtureRequest) -> "CorpusLog":
    return CorpusLog(request.config)


class CorpusLog:
    """Where a corpus test records a text it read as expected."""

    def __init__(self, config: pytest.Config) -> None:
        self._config = config

    def read(self, text: CorpusText) -> None:
        self._config.stash.setdefault(_READ, {})[text.name] = text.layout

    def read_as_pdf(self, text: CorpusText) -> None:
        self._config.stash.setdefault(_READ_AS_PDF, set()).add(text.name)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    read = config.stash.get(_READ, {})
    if not read:
        return
    pdf = len(config.stash.get(_READ_AS_PDF, set()))
    total = len(corpus())
    missing = f" sur {total}" if len(read) < total else ""
    terminalreporter.write_line(
        f"corpus : {len(read)} textes{missing} lus comme attendu (dont {pdf} aussi en PDF), "
        f"{len(set(read.values()))} mises en page"
    )
