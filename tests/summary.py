"""The lines `make test` prints after the tests: the two corpora's counts and the browser tests'
time (or why they did not run).

A test records what a line counts in its report's `user_properties` (`record`): the properties
travel with the report from a pytest-xdist worker to the process that prints, where
`tests/conftest.py` hands every report to `collect` and the summary to `lines`.
"""

from collections import defaultdict
from pathlib import Path

import pytest

from tests.browser.tools import AXE_JS, CHROMIUM, IN_CI, NO_AXE, NO_CHROMIUM

PROPERTY = "ligne de synthèse"
BROWSER_DIR = "browser"

# topic → key → (value, whether the test passed)
_recorded: dict[str, dict[str, tuple[object, bool]]] = defaultdict(dict)
_browser = {"tests": 0, "seconds": 0.0}


def record(request: pytest.FixtureRequest, topic: str, key: str, value: object) -> None:
    """Count `value` under `topic` and `key` in the summary, if the test passes."""
    request.node.user_properties.append((PROPERTY, (topic, key, value)))


def collect(report: pytest.TestReport) -> None:
    if Path(report.nodeid.split("::")[0]).parts[1:2] == (BROWSER_DIR,):
        _browser["seconds"] += report.duration
        _browser["tests"] += report.when == "call"
    if report.when != "call":
        return
    for name, value in report.user_properties:
        if name == PROPERTY:
            topic, key, counted = value
            _recorded[topic][key] = (counted, report.passed)


def _passed(topic: str) -> dict[str, object]:
    return {key: value for key, (value, passed) in _recorded[topic].items() if passed}


def _failed(topic: str) -> int:
    return sum(not passed for _, passed in _recorded[topic].values())


def deliberations_line() -> str | None:
    """How many corpus texts were read as expected, in how many layouts, how many as PDF."""
    read = _passed("délibérations")
    if not read:
        return None
    layouts = {layout for layout, _ in read.values()}  # type: ignore[misc]
    total = max(total for _, total in read.values())  # type: ignore[misc]
    pdf = len(_passed("délibérations PDF"))
    missing = f" sur {total}" if len(read) < total else ""
    return (
        f"corpus : {len(read)} textes{missing} lus comme attendu (dont {pdf} aussi en PDF), "
        f"{len(layouts)} mises en page"
    )


def hostile_line() -> str | None:
    """How many hostile cases held: refused with nothing written, or accepted as inert text."""
    held = _passed("hostile")
    if not held and not _failed("hostile"):
        return None
    refused = sum(outcome == "refused" for outcome in held.values())
    line = (
        f"corpus hostile : {len(held)} cas, {refused} refus sans écriture, "
        f"{len(held) - refused} acceptés comme texte inerte"
    )
    failed = _failed("hostile")
    return line + (f", {failed} en échec" if failed else "")


def browser_lines() -> list[str]:
    """Why the browser tests did not run, or how long they took."""
    if not IN_CI and not CHROMIUM.exists():
        return [NO_CHROMIUM]
    lines = [NO_AXE] if not IN_CI and not AXE_JS.exists() else []
    if _browser["tests"]:
        lines.append(
            f"tests navigateur : {_browser['tests']}, {_browser['seconds']:.0f} s en tout "
            "(captures : test-output/screenshots/, accessibilité : test-output/accessibility/)"
        )
    return lines


def lines() -> list[str]:
    return [line for line in (deliberations_line(), hostile_line(), *browser_lines()) if line]
