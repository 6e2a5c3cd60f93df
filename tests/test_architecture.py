"""Layering: the core, the chart builders and the exports stay pure and import only downwards; a view
imports no other view; no module reaches into another's private names; no page renders HTML from data."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

from conftest import DASHBOARD, ROOT


@functools.cache
def parsed(path: Path) -> ast.Module:
    """A module's syntax tree, read once per run (every rule below walks the same files)."""
    return ast.parse(path.read_text(encoding="utf-8"))


def imported_modules(path):
    tree = parsed(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def imported_targets(path):
    """Every module an import may name: ``from ui import weigh_view`` names ``ui`` and ``ui.weigh_view``."""
    yield from imported_modules(path)
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


# Each layer, and the layers above it that it must never import: the core is at the bottom, the chart
# builders, the exports and the store sit on it, and the Streamlit views and pages on top of everything.
UPPER_LAYERS = {
    "core": {"ui", "charts", "exports", "store", "app_pages"},
    "charts": {"ui", "exports", "store", "app_pages"},
    "exports": {"ui", "store", "app_pages"},
    "store": {"ui", "charts", "exports", "app_pages"},
}


@pytest.mark.parametrize("layer", ["core", "charts", "exports", "store"])
def test_pure_layers_do_not_import_streamlit(layer):
    files = sorted((DASHBOARD / layer).glob("*.py"))
    assert files
    for path in files:
        for module in imported_modules(path):
            assert module.split(".")[0] != "streamlit", f"{path.name} imports {module}"


def test_no_html_is_rendered_from_anywhere():
    for path in DASHBOARD.rglob("*.py"):
        tree = parsed(path)
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
        for name, call in _cache_calls(parsed(path)):
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


@pytest.mark.parametrize("layer", sorted(UPPER_LAYERS))
def test_layers_import_only_downwards(layer):
    files = sorted((DASHBOARD / layer).rglob("*.py"))
    assert files
    for path in files:
        for module in imported_modules(path):
            assert module.split(".")[0] not in UPPER_LAYERS[layer], f"{layer}/{path.name} imports {module}"


def test_no_view_imports_another_view():
    """A view (``ui/*_view.py``) draws one page's sections; what two views share lives in a module of its own."""
    views = sorted((DASHBOARD / "ui").glob("*_view.py"))
    assert len(views) >= 5
    names = {f"ui.{path.stem}" for path in views}
    for path in views:
        others = names - {f"ui.{path.stem}"}
        for target in imported_targets(path):
            assert target not in others, f"{path.name} imports the view {target}"


def _project_modules() -> set[str]:
    """The dotted names of the project's own modules and packages: the dashboard's (its folders on the path),
    the tests' helpers and the benchmarks' (each folder on the path of its own scripts)."""
    names = set()
    for path in DASHBOARD.rglob("*.py"):
        parts = path.relative_to(DASHBOARD).with_suffix("").parts
        names.update(".".join(parts[:k]) for k in range(1, len(parts) + 1))
    for folder in (ROOT / "tests", ROOT / "benchmarks"):
        names.update(path.stem for path in folder.glob("*.py"))
    names.discard("__init__")
    return {name.removesuffix(".__init__") for name in names}


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_module_imports_another_modules_private_names():
    """A name with a leading underscore is its module's own: a module that needs another's makes it public."""
    project = _project_modules()
    assert {"core.seminar", "ui", "load", "app_kit", "conftest"} <= project
    files = [path for folder in ("dashboard", "tests", "benchmarks") for path in sorted((ROOT / folder).rglob("*.py"))]
    for path in files:
        tree = parsed(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.level or node.module in project):
                private = [alias.name for alias in node.names if _is_private(alias.name)]
                assert not private, f"{path.relative_to(ROOT)} imports {private} from {node.module}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    assert not (parts[0] in project and any(map(_is_private, parts[1:]))), (
                        f"{path.relative_to(ROOT)} imports {alias.name}"
                    )
