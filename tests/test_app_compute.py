"""Each run computes its problem once: a session with its own score edits no longer rebuilds it for every part."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app_kit import ROBUSTNESS, SCENARIOS, SUPPLY, WEIGH, launch
from core import problem as problem_module
from core.scenario import ScoreOverride


@pytest.fixture
def builds(monkeypatch):
    """Count the problems built, whatever calls for them."""
    calls = []
    real = problem_module.build_problem

    def counted(evidence, scenario):
        calls.append(evidence.user_edited)
        return real(evidence, scenario)

    monkeypatch.setattr(problem_module, "build_problem", counted)
    return calls


@pytest.mark.parametrize("page", [WEIGH, ROBUSTNESS, SUPPLY, SCENARIOS])
@pytest.mark.parametrize("edited", [True, False], ids=["own-edits", "sourced"])
def test_a_run_builds_its_problem_at_most_once(page, edited, builds):
    at = launch(page)
    scenario = at.session_state["scenario"]
    # Weights no other test uses, so the shared store cannot already hold this problem.
    weights = tuple((c, 7.0 + k) for k, (c, _) in enumerate(scenario.weights))
    edit = ScoreOverride("encourage_aml", "durability", 3.0, 2.0, 4.0, "My reading")
    at.session_state["scenario"] = replace(scenario, weights=weights, overrides=(edit,) if edited else ())
    builds.clear()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    # The page ranks the scenario once (a second run of the same scenario may build nothing at all).
    assert builds.count(edited) <= 1, f"{page}: {len(builds)} problems built in one run"
    builds.clear()
    at.run()
    assert builds.count(edited) == 0, f"{page}: the same scenario was built again on the next run"
