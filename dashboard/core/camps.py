"""The other camp: the ranking under a China hawk's weights and under an engagement advocate's.

Both weightings are lenses in ``data/lenses.csv``, each an assumption that reads a named source (the House Select
Committee on the CCP's working group, December 2024; Felbab-Brown, Brookings 2024). Everything else (the scores,
the evidence date, the limits, the user's own edits) is the scenario's, so only the weights differ.
"""

from __future__ import annotations

from dataclasses import replace

from core.evidence import Evidence
from core.problem import build_problem
from core.ranking import RankChange, rank_change
from core.scenario import Scenario

HAWK, ENGAGEMENT = "hawk", "engagement"


def camp_scenario(evidence: Evidence, scenario: Scenario, lens_id: str) -> Scenario:
    """The scenario with one camp's weights (its lens), all else kept."""
    weights = evidence.lens_weights(lens_id)
    return replace(scenario, weights=tuple((c, float(weights[c])) for c in evidence.criterion_ids), lens=lens_id)


def camps_change(evidence: Evidence, scenario: Scenario) -> RankChange | None:
    """Each option's rank with the hawk's weights and with the engagement advocate's, and which ranks change;
    None when the evidence has no such lenses."""
    if not {HAWK, ENGAGEMENT} <= set(evidence.lens_table):
        return None
    return rank_change(
        build_problem(evidence, camp_scenario(evidence, scenario, HAWK)),
        build_problem(evidence, camp_scenario(evidence, scenario, ENGAGEMENT)),
        ("Rank: a China hawk's weights", "Rank: an engagement advocate's weights"),
        "moving from a China hawk's weights to an engagement advocate's",
    )
