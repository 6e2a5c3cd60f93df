"""Whatever the app writes, it reads back to the same state on every page, in a fresh session.

For generated scenarios (every setting, edits, own options, limits, displacement on and off), the
scenario file and the share link are loaded in a fresh AppTest session, and every page is opened:
no page raises, and the session holds the same scenario. Numbers are written both as whole numbers
and as decimals (``3`` and ``3.0``), as another program or a hand edit may write them.
"""

from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, Phase, given, settings
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


def _other_number_forms(value, rng: random.Random):
    """The same JSON with each whole number written at random as ``3`` or ``3.0``."""
    if isinstance(value, dict):
        return {k: _other_number_forms(v, rng) for k, v in value.items()}
    if isinstance(value, list):
        return [_other_number_forms(v, rng) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return float(value) if rng.random() < 0.5 else int(value)
    return value


def _every_page_runs(at: AppTest) -> None:
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        if page.endswith("present.py"):  # every scene of the deck the scenario carries
            for _ in range(len(at.session_state["scenario"].scenes) - 1):
                next(b for b in at.button if b.key == "scene_next").click().run()
                assert not at.exception, (page, [e.value for e in at.exception])


# Each example opens a fresh session and every page (about 3 s): no shrinking, a failure is shown as drawn.
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=QUICK)
@given(scenarios(), st.integers(0, 2**16))
def test_a_saved_scenario_file_loads_on_every_page_in_a_fresh_session(scenario, seed):
    data = _other_number_forms(json.loads(to_json(scenario, EVIDENCE)), random.Random(seed))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/scenarios.py").run()
    at.file_uploader(key="scenario_upload").upload("scenario.json", json.dumps(data).encode()).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["scenario"] == scenario
    _every_page_runs(at)
    assert at.session_state["scenario"] == scenario


# Each example opens a fresh session and every page (about 3 s): no shrinking, a failure is shown as drawn.
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=QUICK)
@given(scenarios())
def test_a_share_link_opens_on_every_page_in_a_fresh_session(scenario):
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in to_query(scenario, EVIDENCE).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["scenario"] == scenario
    assert not at.warning, [w.value for w in at.warning]  # a faithful link gives no notice
    _every_page_runs(at)
    assert at.session_state["scenario"] == scenario
