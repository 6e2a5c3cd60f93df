"""Layering: the core and the chart builders stay pure; no page renders HTML from data."""

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


@pytest.mark.parametrize("layer", ["core", "charts"])
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
