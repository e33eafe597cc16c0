"""Pages stay thin (widgets, calls, render) and the UI's steps short enough to read at once."""

import ast
from pathlib import Path

from spend.paths import ROOT

MAX_PAGE_LINES = 90
MAX_FUNCTION_LINES = 60


def long_functions(folder: Path) -> dict[str, int]:
    found = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found[f"{path.relative_to(folder)}:{node.name}"] = length
    return found


def test_no_page_is_longer_than_a_screen_description() -> None:
    long = {
        p.name: n
        for p in (ROOT / "pages").glob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_PAGE_LINES
    }
    assert long == {}


def test_pages_define_no_function_of_their_own() -> None:
    # A page's steps live in spend/ui with names; a page only calls them.
    defined = {
        p.name: [n.name for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
                 if isinstance(n, ast.FunctionDef)]
        for p in (ROOT / "pages").glob("*.py")
    }  # fmt: skip
    assert {name: functions for name, functions in defined.items() if functions} == {}


def test_ui_and_views_steps_are_short() -> None:
    assert long_functions(ROOT / "spend" / "ui") == {}
    assert long_functions(ROOT / "spend" / "views") == {}


def test_the_rule_sees_a_long_function(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    (tmp_path / "long.py").write_text(f"def long() -> None:\n{body}\n", encoding="utf-8")
    assert long_functions(tmp_path) == {"long.py:long": MAX_FUNCTION_LINES + 1}
