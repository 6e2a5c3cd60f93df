"""Saved scenarios compared side by side: each ranked on its own evidence date, with its packages."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.evidence import MARCH_2022
from core.hindsight import as_of
from core.packages import combine
from core.problem import build_problem
from core.ranking import rank_options
from core.scenario import Scenario
from core.scenario_compare import compare_scenarios


def _first(evidence, scenario):
    ranking = rank_options(build_problem(evidence, scenario))
    return ranking.names[0]


def test_each_saved_scenario_is_ranked_on_its_own_evidence_date(evidence):
    # Weight only durability, where the March 2022 view differs most from today's scores.
    weights = tuple((c, 1.0 if c == "durability" else 0.0) for c in evidence.criterion_ids)
    today = Scenario(weights=weights, lens=None)
    then = replace(today, evidence_date=MARCH_2022)
    comparison = compare_scenarios(evidence, [("today", today), ("then", then)])
    assert comparison.table.loc["Rank 1", "today"] == _first(evidence, today)
    assert comparison.table.loc["Rank 1", "then"] == _first(as_of(evidence, MARCH_2022), then)
    # The two dates put different options first here, so a comparison on one date would show it.
    assert comparison.table.loc["Rank 1", "today"] != comparison.table.loc["Rank 1", "then"]
    assert comparison.table.loc["Evidence", "then"] == "Only what was knowable in March 2022"
    assert any("evidence" in d for d in comparison.differences)


def test_a_scenario_with_packages_shows_their_scores(evidence):
    plain = Scenario(weights=tuple((c, 1.0) for c in evidence.criterion_ids), lens=None)
    packed = replace(plain, packages=(("encourage_aml", "law_enforcement_cooperation"),))
    comparison = compare_scenarios(evidence, [("plain", plain), ("packed", packed)])
    assert comparison.table.loc["Packages", "plain"] == "none"
    cell = comparison.table.loc["Packages", "packed"]
    assert cell.startswith("Anti-money-laundering + Law-enforcement cooperation ")
    problem = build_problem(evidence, packed)
    expected = combine(problem, ("encourage_aml", "law_enforcement_cooperation")).score * 100
    assert float(cell.rsplit(" ", 1)[1]) == pytest.approx(expected, abs=0.05)
    assert "your packages of options" in comparison.differences
