"""The project's shape: imports flow one way, UI only in spend/ui and pages/, SQL only in
queries/, every query used, no module too long to read."""

import ast
import re
from pathlib import Path

import pytest

from spend.domain.records import TABLES
from spend.paths import QUERIES_DIR, ROOT

PACKAGE = ROOT / "spend"
PAGES = ROOT / "pages"
SUBPACKAGES = ("domain", "store", "exchange", "deliberations", "views", "ui", "cli")

# Which of the package's parts each part may import (besides itself). The domain imports none:
# it computes from frames, knows no file, database or screen.
ALLOWED = {
    "domain": set(),
    "store": {"domain"},
    "exchange": {"domain", "store"},
    "deliberations": {"domain", "exchange", "views"},
    "views": {"domain"},
    "ui": {"domain", "store", "exchange", "deliberations", "views"},
    "cli": {"domain", "store", "exchange", "deliberations", "views"},
}
MAX_LINES = 600


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, with its full dotted name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def top_level(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def part_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def package_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def spend_parts_imported(path: Path) -> set[str]:
    """The parts of the package (domain, store, …) a file imports from."""
    parts = set()
    for name in imported_modules(path):
        pieces = name.split(".")
        if pieces[0] == "spend" and len(pieces) > 1 and pieces[1] in SUBPACKAGES:
            parts.add(pieces[1])
    return parts


def test_every_module_lives_in_a_part_with_a_docstring() -> None:
    loose = [p.name for p in PACKAGE.glob("*.py")]
    assert sorted(loose) == ["__init__.py", "__main__.py", "paths.py"]
    for part in SUBPACKAGES:
        init = PACKAGE / part / "__init__.py"
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), part


@pytest.mark.parametrize("part", SUBPACKAGES)
def test_imports_flow_one_way(part: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(spend_parts_imported(path) - ALLOWED[part] - {part})
        for path in (PACKAGE / part).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_import_rule_catches_a_domain_that_reads_the_store(tmp_path: Path) -> None:
    # The rule above must see the very mistake it is there for, however it is written.
    sneaky = tmp_path / "sneaky.py"
    for source in (
        "from spend import store\nfrom spend.ui import cache\n",
        "from spend.store import query\nimport spend.ui.cache\n",
    ):
        sneaky.write_text(source, encoding="utf-8")
        assert spend_parts_imported(sneaky) == {"store", "ui"}


def test_package_never_imports_streamlit_except_ui() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in package_files()
        if part_of(p) != "ui" and "streamlit" in top_level(imported_modules(p))
    ]
    assert offenders == []


def test_domain_and_views_touch_no_database_or_file_format() -> None:
    forbidden = {"duckdb", "xlsxwriter", "fastexcel", "pypdf", "streamlit"}
    offenders = {
        str(p.relative_to(ROOT)): sorted(top_level(imported_modules(p)) & forbidden)
        for part in ("domain", "views")
        for p in (PACKAGE / part).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_module_is_too_long_to_read() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in package_files()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_pages_hold_no_sql_and_no_database_access() -> None:
    sql = re.compile(r"\b(select|insert|update|delete)\b.+\b(from|into|set)\b", re.IGNORECASE)
    for page in PAGES.glob("*.py"):
        text = page.read_text(encoding="utf-8")
        assert "duckdb" not in top_level(imported_modules(page)), page.name
        strings = [
            node.value
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        ]
        assert not [s for s in strings if sql.search(s)], page.name


def test_every_query_file_is_used_and_every_used_query_exists() -> None:
    sources = "\n".join(p.read_text(encoding="utf-8") for p in package_files())
    files = {p.stem for p in QUERIES_DIR.glob("*.sql")}
    # Table queries are named from the table list: read_<t>, upsert_<t>, clear_<t>, delete_<t>.
    generated = {f"{verb}_{t}" for t in TABLES for verb in ("read", "upsert", "clear", "delete")}
    named = set(re.findall(r'"([a-z_]+)"', sources)) & files
    assert files - generated - named == set()
    assert generated <= files


def test_package_speaks_english_in_code() -> None:
    # French belongs to what users read; identifiers stay English (a cheap, useful tripwire).
    french_words = re.compile(r"\bdef (\w*(?:cotisation|credit_|engage|solde)\w*)\(")
    hits = [
        (p.name, m.group(1))
        for p in package_files()
        for m in french_words.finditer(p.read_text(encoding="utf-8"))
    ]
    assert hits == []


MAX_FUNCTION_LINES = 60


def declarative_tables() -> set[str]:
    """The functions the README's « Declarative tables » section lets run past 60 lines."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Declarative tables", 1)[1].split("\n#", 1)[0]
    return set(re.findall(r"`([a-z_.]+)`", section))


def long_functions(package: Path = PACKAGE) -> dict[str, int]:
    """Every function of the package over MAX_FUNCTION_LINES, as `part.module.function`."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        module = ".".join(path.relative_to(package).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1 if node.end_lineno else 0
                if lines > MAX_FUNCTION_LINES:
                    found[f"{module}.{node.name}"] = lines
    return found


def test_no_function_runs_past_60_lines_but_the_readmes_declarative_tables() -> None:
    named = declarative_tables()
    assert "cli._parser" in named  # the section is read: a renamed heading fails here
    long = long_functions()
    assert {name: n for name, n in long.items() if name not in named} == {}
    assert named - set(long) == set(), "a table back under 60 lines leaves the README's list"


def test_the_long_function_rule_finds_a_planted_one(tmp_path: Path) -> None:
    body = "\n".join(f"        x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "__init__.py").write_text(f"class A:\n    def planted(self):\n{body}\n")
    (tmp_path / "store" / "short.py").write_text("def fine():\n    return 1\n")
    assert long_functions(tmp_path) == {"store.planted": MAX_FUNCTION_LINES + 1}


def orders_inside(sql: str) -> list[int]:
    """Lines of an `order by` that sorts a CTE or a subquery (not a window or an aggregate)."""
    text = re.sub(r"--[^\n]*", "", sql).lower()
    text = re.sub(r"'(?:[^']|'')*'", "''", text)
    opened: list[int] = []
    inside = []
    for match in re.finditer(r"\(|\)|\border\s+by\b", text):
        if match.group(0) == "(":
            opened.append(match.end())
        elif match.group(0) == ")":
            if opened:
                opened.pop()
        elif opened and re.match(r"\s*(select|with|from)\b", text[opened[-1] :]):
            inside.append(text[: match.start()].count("\n") + 1)
    return inside


def test_order_by_comes_last_in_every_duckdb_query() -> None:
    files = [p for p in QUERIES_DIR.rglob("*.sql") if "postgresql" not in p.parts]
    assert len(files) > 50
    inside = {
        str(p.relative_to(QUERIES_DIR)): lines
        for p in files
        if (lines := orders_inside(p.read_text(encoding="utf-8")))
    }
    assert inside == {}


def test_the_order_by_rule_tells_a_cte_from_a_window() -> None:
    in_cte = "with final as (\n    select id from t\n    order by id\n)\n\nselect * from final\n"
    window = "with final as (\n    select row_number() over (order by id) as n from t\n)\n"
    aggregate = "select string_agg(name, ', ' order by name) as names from t\norder by 1\n"
    assert orders_inside(in_cte) == [3]
    assert orders_inside(window) == []
    assert orders_inside(aggregate) == []


def test_every_fmt_skip_says_why_on_its_line() -> None:
    """A line kept out of the formatter says why beside it (« a palette, not a column »)."""
    files = [*ROOT.joinpath("spend").rglob("*.py"), *ROOT.joinpath("pages").glob("*.py")]
    files.append(ROOT / "app.py")
    bare = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"# fmt: skip\s*$", line)
    ]
    assert len(files) > 100
    assert bare == []
