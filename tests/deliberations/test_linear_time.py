"""The reader's time grows with the text's length, never with its square.

Regular expressions hold the GIL: a pattern that backtracks over a long run of digits or spaces
would block the whole server. Each case below once took seconds to minutes on a few dozen
kilobytes. Times are CPU times of this process (time.process_time), and every bound is a
multiple of the time the reader takes, in the same test, for an ordinary deliberation of
100 kB: CPU time itself grows by half when another process shares the core (0.37 to 0.65 s for
the same 50 kB, same code, minutes apart), so a bound in seconds fails under load whatever its
size. Each size is tried only if the smaller one was in time, so a regression fails in a
fraction of a second instead of hanging.
"""

import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spend.deliberations.reader import read_deliberation_bytes, read_deliberation_text
from tests.conftest import SOURCE_DOCUMENT
from tests.deliberations.conftest import corpus
from tests.deliberations.pdfs import write_pdf

# Bounds in units of the time the reader takes for 100 kB of the source deliberation repeated
# (about 0.04 s here). The fixed part covers the reader's bounded work: it looks at no more than
# 2 000 amounts in euros, and 2 000 fees cost 12 to 20 units (0.45 to 0.65 s here: 50 kB of
# repeated fees already hold 2 631 of them, so 50 kB and 400 kB cost the same); a text full of
# hostile pieces costs at most about 3 units per 100 kB on top of that. A reading that
# backtracks takes hundreds of units, one that looked at every amount of 400 kB about 150.
FIXED_UNITS = 40
UNITS_PER_100_KB = 6
REFERENCE_SIZE = 100_000


def _repeat(unit: str, prefix: str = "", suffix: str = "") -> Callable[[int], str]:
    def text(size: int) -> str:
        return prefix + unit * max(1, size // len(unit)) + suffix

    return text


_SOURCE = SOURCE_DOCUMENT.read_text(encoding="utf-8")
ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "chiffres": _repeat("1"),
    "milliers": _repeat(" 000", prefix="1"),
    "milliers à points": _repeat(".000", prefix="1"),
    "cotisations répétées": _repeat("CAIH 1 500 € HT/an\n"),
    "montants sans espace": _repeat("cotisation1€"),
    "euros seuls": _repeat("€"),
    "lignes budgétaires": _repeat(
        "C06-020M02 6281/930202 Info 3 000,00 € 2 800,00 €\n", prefix="DECIDE :\n"
    ),
    "imputations": _repeat("6281/"),
    "codes à tirets": _repeat("A-", suffix=" 6281/1 1 000,00 €"),
    "numéro sans fin": _repeat("1", prefix="(N°"),
    "numéros": _repeat("N° 1-"),
    "votes": _repeat("Pour : 1 voix pour contre 2 abstentions\n", prefix="DECIDE :\n"),
    "voix sans fin": _repeat("1 voix ", prefix="DECIDE :\n"),
    "table de vote": _repeat("1 ", prefix="DECIDE :\nPour Contre Abstentions\n"),
    "tirets": _repeat("-\n"),
    "espaces": _repeat(" \t\u00a0"),
    "visas": _repeat("Vu le code;\n"),
    "unanimité": _repeat("à l'unanimité "),
    "dates en lettres": _repeat("deux ", prefix="L'an deux "),
    "séances": _repeat("1 ", prefix="séance du "),
    "centrales": _repeat("centrale d'achat AAA "),
    "guillemets ouverts": _repeat("« de\n", prefix="Objet : "),
    "délibère": _repeat("décide : "),
    "source répétée": _repeat(_SOURCE),
}


def _seconds(text: str) -> float:
    start = time.process_time()
    read_deliberation_text(text)
    return time.process_time() - start


def _unit() -> float:
    """The time the reader takes for an ordinary deliberation of 100 kB, now: the larger of
    two readings, so that a moment of contention makes the bound looser, never tighter."""
    text = ADVERSARIAL["source répétée"](REFERENCE_SIZE)
    return max(_seconds(text), _seconds(text))


def _bound(size: int, unit: float) -> float:
    return unit * (FIXED_UNITS + UNITS_PER_100_KB * size / REFERENCE_SIZE)


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_hostile_text_is_read_in_time_proportional_to_its_length(name: str) -> None:
    make = ADVERSARIAL[name]
    unit = _unit()
    times = {}
    for size in (5_000, 15_000, 50_000, 400_000):
        times[size] = _seconds(make(size))
        assert times[size] <= _bound(size, unit), (
            f"{name}: {times[size]:.2f} s for {size} bytes, {times[size] / unit:.0f} times "
            f"the {unit:.3f} s of an ordinary 100 kB"
        )
    # Eight times the text, at most about eight times the time (not 64).
    assert times[400_000] <= 12 * times[50_000] + FIXED_UNITS * unit


_FRAGMENTS = [
    *(text.path.read_text(encoding="utf-8")[:3_000] for text in corpus()),
    "1" * 500,
    " 000" * 100,
    "CAIH 1 500 € HT/an\n",
    "Pour : 44 voix\nContre : 0 voix\n",
    "(N°",
    "Vu la délibération n° 2021-257 ;\n",
    "DÉCIDE :\n",
    "C06-020M02 6281/930202 ",
    "3 000,00 € ",
    "à l'unanimité ",
    "-\n",
    "l'an deux mille ",
    "séance du 13 ",
    "« ",
    "centrale d'achat ",
]


@settings(max_examples=15, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=40),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_any_mix_of_hostile_and_ordinary_pieces_is_read_in_linear_time(
    pieces: list[str], seed: int
) -> None:
    rng = random.Random(seed)
    parts, size = [], 0
    while size < 200_000:
        piece = rng.choice(pieces) * rng.randint(1, 50)
        parts.append(piece)
        size += len(piece)
    text = "".join(parts)

    unit = _unit()
    assert _seconds(text) <= _bound(len(text), unit)


def test_pdf_of_digits_is_read_in_time(tmp_path: Path) -> None:
    # A 12.5 KB PDF of digits once took 17 s.
    rng = random.Random(1)
    lines = ("".join(rng.choice("0123456789") for _ in range(200)) for _ in range(110))
    pdf = tmp_path / "chiffres.pdf"
    write_pdf("\n".join(lines), pdf, font=None)
    data = pdf.read_bytes()
    assert len(data) >= 12_500

    start = time.process_time()
    read_deliberation_bytes(data, pdf.name)
    assert time.process_time() - start <= 2.0


def _twenty_megabytes() -> str:
    """Deliberations of the corpus and the source, with hostile pieces between them."""
    texts = [text.path.read_text(encoding="utf-8") for text in corpus()] + [_SOURCE]
    hostile = [make(20_000) for make in ADVERSARIAL.values()]
    rng = random.Random(13)
    parts, size = [], 0
    while size < 20_000_000:
        part = rng.choice(texts) if rng.random() < 0.7 else rng.choice(hostile)
        parts.append(part)
        size += len(part) + 1
    return "\n".join(parts)


@pytest.mark.slow
def test_twenty_megabytes_are_read_within_ten_seconds() -> None:
    text = _twenty_megabytes()
    assert len(text) >= 20_000_000

    assert _seconds(text) <= 10.0
