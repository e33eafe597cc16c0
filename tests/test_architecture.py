"""The project's shape: UI only in ui.py and pages/, SQL only in queries/, every query used."""

import ast
import re
from pathlib import Path

from spend.paths import QUERIES_DIR, ROOT
from spend.tables import TABLES

PACKAGE = ROOT / "spend"
PAGES = ROOT / "pages"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_package_never_imports_streamlit_except_ui() -> None:
    offenders = [
        p.name
        for p in PACKAGE.glob("*.py")
        if p.name != "ui.py" and "streamlit" in imported_modules(p)
    ]
    assert offenders == []


def test_pages_hold_no_sql_and_no_database_access() -> None:
    sql = re.compile(r"\b(select|insert|update|delete)\b.+\b(from|into|set)\b", re.IGNORECASE)
    for page in PAGES.glob("*.py"):
        text = page.read_text(encoding="utf-8")
        assert "duckdb" not in imported_modules(page), page.name
        strings = [
            node.value
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        ]
        assert not [s for s in strings if sql.search(s)], page.name


def test_every_query_file_is_used_and_every_used_query_exists() -> None:
    sources = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.glob("*.py"))
    files = {p.stem for p in QUERIES_DIR.glob("*.sql")}
    # Table queries are named from the table list: read_<t>, upsert_<t>, clear_<t>.
    generated = {f"{verb}_{t}" for t in TABLES for verb in ("read", "upsert", "clear")}
    named = set(re.findall(r'"([a-z_]+)"', sources)) & files
    assert files - generated - named - {"schema"} == set()
    assert generated <= files


def test_package_speaks_english_in_code() -> None:
    # French belongs to what users read; identifiers stay English (a cheap, useful tripwire).
    french_words = re.compile(r"\bdef (\w*(?:cotisation|credit_|engage|solde)\w*)\(")
    hits = [
        (p.name, m.group(1))
        for p in PACKAGE.glob("*.py")
        for m in french_words.finditer(p.read_text(encoding="utf-8"))
    ]
    assert hits == []
