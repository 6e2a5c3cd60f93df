"""Shared fixtures: the dashboard on the import path, the real evidence, a broken-copy helper."""

from __future__ import annotations

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
settings.load_profile("deterministic")


@pytest.fixture(scope="session")
def evidence() -> Evidence:
    return load_evidence(DATA)


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
