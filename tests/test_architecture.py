"""Layering: the core, the chart builders and the exports stay pure; no page renders HTML from data."""

from __future__ import annotations

import ast

import pytest

from conftest import DASHBOARD


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


@pytest.mark.parametrize("layer", ["core", "charts", "exports", "store"])
def test_pure_layers_do_not_import_streamlit(layer):
    files = sorted((DASHBOARD / layer).glob("*.py"))
    assert files
    for path in files:
        for module in imported_modules(path):
            assert module.split(".")[0] != "streamlit", f"{path.name} imports {module}"


def test_no_html_is_rendered_from_anywhere():
    for path in DASHBOARD.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "unsafe_allow_html":
                assert isinstance(node.value, ast.Constant) and node.value.value is False, path.name
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "st.html":
                # The one st.html is the app's own constant style sheet.
                assert path.name == "style.py" and ast.unparse(node.args[0]) == "CSS", f"st.html in {path.name}"


def test_the_style_sheet_is_only_a_style_sheet():
    from ui import style

    css = style.CSS.strip()
    assert css.startswith("<style>") and css.endswith("</style>")
    assert css.count("<") == 2 and "url(" not in css  # no markup, and nothing fetched


def _cache_calls(tree):
    """Every cache decorator or store in a module's syntax tree, as (name, call or None)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if name.split(".")[-1] in {"cache_data", "cache_resource", "lru_cache", "Memo", "cache"}:
                yield name, node
    for node in ast.walk(tree):
        # A bare decorator (``@functools.cache`` or ``@st.cache_data`` without a call) has no bound.
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for deco in node.decorator_list:
                if not isinstance(deco, ast.Call) and ast.unparse(deco).split(".")[-1] in {
                    "cache",
                    "cache_data",
                    "cache_resource",
                    "lru_cache",
                }:
                    yield ast.unparse(deco), None


def test_every_cache_has_a_bound():
    """A room of users must not grow the server's memory without limit: each cache names its size."""
    bounds = {"cache_data": "max_entries", "cache_resource": "max_entries", "lru_cache": "maxsize"}
    found = 0
    for path in DASHBOARD.rglob("*.py"):
        for name, call in _cache_calls(ast.parse(path.read_text(encoding="utf-8"))):
            found += 1
            short = name.split(".")[-1]
            assert call is not None and short != "cache", f"{path.name}: {name} has no bound"
            if short == "Memo":
                continue  # bounded by construction (256 entries unless told otherwise)
            given = {k.arg: k.value for k in call.keywords}
            bound = bounds[short]
            assert bound in given, f"{path.name}: {name} without {bound}"
            assert not (isinstance(given[bound], ast.Constant) and given[bound].value is None), path.name
    assert found >= 5  # the scan sees the app's caches


def test_only_the_store_talks_to_the_database():
    """One small repository module holds every SQL statement: nothing else imports SQLAlchemy or a driver."""
    for path in DASHBOARD.rglob("*.py"):
        if path.parent.name == "store":
            continue
        for module in imported_modules(path):
            assert module.split(".")[0] not in {"sqlalchemy", "sqlite3", "psycopg"}, f"{path.name} imports {module}"
