"""Whatever the app writes, it reads back to the same state on every page, in a fresh session.

For generated scenarios (every setting, edits, own options, limits, displacement on and off), the
scenario file and the share link are loaded in a fresh AppTest session and a page is opened (the
presenter is stepped through every scene): the page does not raise, and the session holds the same
scenario before and after. Numbers are written both as whole numbers and as decimals (``3`` and
``3.0``), as another program or a hand edit may write them.

Each page is its own test case, so ``pytest -n 2`` spreads them over workers. A few scenarios per page
run in the fast suite (``quick``); the ``deep`` cases draw 20 other scenarios per page and are marked
``slow`` (the whole suite runs them). Each page draws its own scenarios, so the pages between them try
many more than one page does.
"""

from __future__ import annotations

import json
import random
import zlib
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from conftest import DASHBOARD
from core.scenario_io import to_json
from core.scenario_link import to_query
from strategies import EVIDENCE, scenarios

APP = str(DASHBOARD / "app.py")
QUICK = (Phase.explicit, Phase.reuse, Phase.generate)
PAGES = (
    "app_pages/weigh.py",
    "app_pages/robustness.py",
    "app_pages/supply_chain.py",
    "app_pages/overview.py",
    "app_pages/present.py",
    "app_pages/room.py",
    "app_pages/join.py",
)
SCENARIOS_PAGE = "app_pages/scenarios.py"
# Scenarios drawn per page: a few in the fast suite, as many as a whole tour once drew in the slow one.
DEPTHS = (
    pytest.param(2, id="quick"),
    pytest.param(20, id="deep", marks=pytest.mark.slow),
)


def _other_number_forms(value, rng: random.Random):
    """The same JSON with each whole number written at random as ``3`` or ``3.0``."""
    if isinstance(value, dict):
        return {k: _other_number_forms(v, rng) for k, v in value.items()}
    if isinstance(value, list):
        return [_other_number_forms(v, rng) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return float(value) if rng.random() < 0.5 else int(value)
    return value


def _page_runs(at: AppTest, page: str) -> None:
    at.switch_page(page).run()
    assert not at.exception, (page, [e.value for e in at.exception])
    if page.endswith("present.py"):  # every scene of the deck the scenario carries
        for _ in range(len(at.session_state["scenario"].scenes) - 1):
            next(b for b in at.button if b.key == "scene_next").click().run()
            assert not at.exception, (page, [e.value for e in at.exception])


def _drawn(page: str, examples: int, *strategies: st.SearchStrategy) -> Callable:
    """Run the decorated check on ``examples`` scenarios drawn for this page and depth (reproducibly).

    Each example opens a fresh session (about half a second): no shrinking, a failure is shown as drawn.
    """

    def decorate(check: Callable) -> Callable:
        drawn = given(*strategies)(check)
        drawn = settings(
            max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=QUICK
        )(drawn)
        return seed(zlib.crc32(f"{page} {examples}".encode()))(drawn)

    return decorate


@pytest.mark.parametrize("examples", DEPTHS)
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.removeprefix("app_pages/").removesuffix(".py"))
def test_a_saved_scenario_file_loads_on_each_page_in_a_fresh_session(page: str, examples: int) -> None:
    @_drawn(page, examples, scenarios(), st.integers(0, 2**16))
    def check(scenario, number_seed):
        data = _other_number_forms(json.loads(to_json(scenario, EVIDENCE)), random.Random(number_seed))
        at = AppTest.from_file(APP, default_timeout=60)
        at.switch_page(SCENARIOS_PAGE).run()  # a fresh session opened on the page with the upload
        at.file_uploader(key="scenario_upload").upload("scenario.json", json.dumps(data).encode()).run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.session_state["scenario"] == scenario
        _page_runs(at, page)
        assert at.session_state["scenario"] == scenario

    check()


@pytest.mark.parametrize("examples", DEPTHS)
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.removeprefix("app_pages/").removesuffix(".py"))
def test_a_share_link_opens_on_each_page_in_a_fresh_session(page: str, examples: int) -> None:
    @_drawn(page, examples, scenarios())
    def check(scenario):
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in to_query(scenario, EVIDENCE).items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.session_state["scenario"] == scenario
        assert not at.warning, [w.value for w in at.warning]  # a faithful link gives no notice
        _page_runs(at, page)
        assert at.session_state["scenario"] == scenario

    check()
