"""The load benchmark's client still speaks Streamlit's protocol: 2 sessions for 5 s on the real server.

No time is asserted (the figures belong to ``python benchmarks/load.py``); only that every
rerun finished successfully, no session failed, and every session got reruns done.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

import load  # noqa: E402

pytestmark = pytest.mark.slow  # a real server: run with -m slow or the whole suite


@pytest.mark.parametrize("app", [load.minimal_app(), load.project_app("weigh")], ids=["minimal", "weigh"])
def test_two_sessions_move_sliders_on_the_real_server(app: load.AppSpec) -> None:
    result = load.measure(app, sessions=2, seconds=5)
    assert result.failures == []
    assert len(result.reruns_per_session) == 2
    assert all(n > 0 for n in result.reruns_per_session), result.reruns_per_session
    assert all(t > 0 for t in result.latencies)
    assert len(result.page_loads) == 2
    assert result.cpu_s >= 0 and result.rss_end_mb > 0
