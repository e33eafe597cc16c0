"""The reader's shape: its parts take the text object (or a window of it), never the bare
strings and positions, and return their warnings instead of appending to a list passed in."""

import ast
from pathlib import Path

import pytest

from spend.paths import ROOT

PACKAGE = ROOT / "spend" / "deliberations"
# text.py builds the text object from raw characters: the one place the bare strings are taken.
RAW_TEXT_MODULE = "text.py"
BARE_TEXT_PARAMETERS = {"norm", "low", "heading_end", "quote_end", "unit_start", "unit_end"}
MAX_FUNCTION_LINES = 60


def _functions(path: Path) -> list[ast.FunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]


def _parameters(function: ast.FunctionDef) -> list[ast.arg]:
    arguments = function.args
    return [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]


MODULES = sorted(PACKAGE.glob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_readers_take_the_text_object_not_its_strings(path: Path) -> None:
    if path.name == RAW_TEXT_MODULE:
        pytest.skip("the text object's own module")
    bare = [
        f"{function.name}({parameter.arg})"
        for function in _functions(path)
        for parameter in _parameters(function)
        if parameter.arg in BARE_TEXT_PARAMETERS
    ]
    assert bare == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_part_appends_to_a_warnings_list_passed_in(path: Path) -> None:
    lists_in = [
        f"{function.name}({parameter.arg})"
        for function in _functions(path)
        for parameter in _parameters(function)
        if parameter.annotation is not None
        and ast.unparse(parameter.annotation).startswith("list[")
        and "warning" in parameter.arg
    ]
    assert lists_in == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_function_is_longer_than_sixty_lines(path: Path) -> None:
    long = [
        f"{function.name}: {function.end_lineno - function.lineno + 1} lignes"
        for function in _functions(path)
        if function.end_lineno is not None
        and function.end_lineno - function.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []
