"""Which ranks change between the two additive models: the weighted sum (criteria independent) and expected
impact (durability and time to effect qualify the effect). Everything else is the scenario's."""

from __future__ import annotations

from dataclasses import replace

from core.evidence import Evidence
from core.problem import build_problem
from core.ranking import RankChange, rank_change
from core.scenario import Scenario


def model_change(evidence: Evidence, scenario: Scenario) -> RankChange:
    """Each option's rank under the weighted sum and under expected impact, and which ranks change, in words."""
    return rank_change(
        build_problem(evidence, replace(scenario, method="weighted_sum")),
        build_problem(evidence, replace(scenario, method="expected_impact")),
        ("Rank: weighted sum", "Rank: expected impact"),
        "letting durability and time to effect qualify the effect (expected impact)",
    )
