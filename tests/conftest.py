"""Shared fixtures: the dashboard on the import path, the real evidence and supply chain, a broken-copy helper."""

from __future__ import annotations

import functools
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "dashboard"
DATA = ROOT / "data"
# A copy of the seed article (The Epoch Times, 14 March 2022), so the quote checks run in any checkout.
SEED = ROOT / "tests" / "fixtures" / "article-2022-03-14-epoch-times.txt"
if str(DASHBOARD) not in sys.path:
    sys.path.insert(0, str(DASHBOARD))

from core.evidence import Evidence, load_evidence  # noqa: E402

# Property tests draw the same examples on every run, so a failure is reproducible.
settings.register_profile("deterministic", derandomize=True, deadline=None)
settings.register_profile("fast", derandomize=True, deadline=None, max_examples=20)
settings.load_profile("deterministic")
# The whole suite (the README's test command, which CI runs) draws every generated case each property test asks
# for; the fast suite a developer runs between edits (-m "not browser and not slow") draws a fifth of them.
THOROUGH = True


def examples(n: int) -> int:
    """How many generated cases a property test that asks for ``n`` draws in this run."""
    return n if THOROUGH else max(5, n // 5)


@pytest.fixture(scope="session", autouse=True)
def _installed_components_scanned_once():
    """Scan the installed packages for Streamlit components once per run, not once per AppTest.

    Each new AppTest reads the metadata of every installed distribution to find components (about a quarter
    of a second of CPU, and the suite opens hundreds of fresh sessions); what is installed does not change
    during a run, so the first scan's answer stands for all. The app's own components are declared in its
    code and registered as it runs, as before.
    """
    if "streamlit.testing.v1" not in sys.modules:
        yield  # no AppTest among the collected tests
        return
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    manifest_scanner.scan_component_manifests = functools.cache(scan)
    yield
    manifest_scanner.scan_component_manifests = scan


def _distributed(config: pytest.Config) -> bool:
    return config.pluginmanager.hasplugin("xdist")


def pytest_configure(config: pytest.Config) -> None:
    global THOROUGH
    THOROUGH = "not slow" not in (config.getoption("markexpr") or "")
    if not THOROUGH:
        settings.load_profile("fast")
    # Under ``pytest -n N`` (pytest-xdist), honour the groups below: xdist's "loadgroup" is its plain "load"
    # (any test to any idle worker) except that a group's tests share one worker.
    if _distributed(config) and getattr(config.option, "dist", "no") == "load":
        config.option.dist = "loadgroup"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``pytest -n``, keep on one worker the tests that share something other than their own files.

    A browser test module shares one server and one Chromium (module fixtures), and writes
    ``tests/screenshots/timings.json`` once at its end; the PostgreSQL cases share one database that each
    empties first. Everything else (SQLite files in ``tmp_path``, servers on free ports) runs anywhere.
    """
    if not _distributed(config):
        return
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
        elif getattr(item, "callspec", None) and item.callspec.params.get("url") == "postgresql":
            item.add_marker(pytest.mark.xdist_group("postgresql"))


@pytest.fixture(scope="session")
def evidence() -> Evidence:
    return load_evidence(DATA)


@pytest.fixture(scope="module")
def chain(evidence: Evidence):
    """The supply chain read from ``data/``, for the tests of the tables and of the charts drawn from them."""
    from core.supply_chain import load_supply_chain

    return load_supply_chain(evidence, DATA)


@pytest.fixture
def data_copy(tmp_path: Path) -> Callable[..., Path]:
    """Copy ``data/`` and apply text edits: ``data_copy(scores=lambda text: ...)``."""

    counter = iter(range(1000))

    def make(**edits: Callable[[str], str]) -> Path:
        target = tmp_path / f"data{next(counter)}"
        shutil.copytree(DATA, target)
        for name, edit in edits.items():
            path = target / f"{name}.csv"
            path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
        return target

    return make
