"""Packages: combined under stated, conservative rules, with the best pair and what each option adds."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from core.packages import best_pair, best_pair_sentence, combine, package_ranking, step_sentence, steps
from core.problem import build_problem
from core.ranking import rank_options
from core.scenario import Scenario
from core.scoring import Gate
from synthetic import make_evidence

# Three options on three criteria (benefit, benefit, cost); the last option is the status quo.
LIKELY = [[4, 0, 3], [0, 4, 1], [2, 2, 0], [1, 1, 1]]


def problem_for(weights=(1, 1, 1), likely=LIKELY, **changes):
    evidence = make_evidence(likely, benefit=[True, True, False])
    scenario = Scenario(weights=tuple(zip(evidence.criterion_ids, map(float, weights), strict=True)), lens=None)
    return build_problem(evidence, replace(scenario, **changes))


def test_a_package_is_as_good_as_its_best_member_and_as_costly_as_its_costliest():
    package = combine(problem_for(), ("o0", "o1"))
    assert package.likely.tolist() == [4, 4, 3]  # best on each benefit; the higher cost
    # Values: 1 and 1 on the benefits, 1 - 3/4 on the cost; equal weights.
    assert package.score == pytest.approx((1 + 1 + 0.25) / 3)
    assert package.contributions.sum() == pytest.approx(package.score)
    assert package.name == "Option 0 + Option 1"


def test_no_synergy_a_package_of_equal_members_is_that_member():
    problem = problem_for(likely=[[2, 2, 2], [2, 2, 2], [1, 1, 1], [1, 1, 1]])
    assert combine(problem, ("o0", "o1")).score == pytest.approx(combine(problem, ("o0",)).score)


def test_limits_apply_to_the_combined_scores():
    problem = problem_for(gates=(Gate("c2", 1),))  # at most 1 on the cost
    assert problem.ruled_out[0]  # option 0 alone (cost 3) is out...
    package = combine(problem, ("o0", "o2"))
    assert package.ruled_out and "above your limit" in package.reason  # ...and so is any package it is in
    assert not combine(problem, ("o1", "o2")).ruled_out


def test_the_best_pair_leaves_out_ruled_out_members_and_names_ties_in_order():
    problem = problem_for()
    best = best_pair(problem)
    pairs = {("o0", "o1"), ("o0", "o2"), ("o1", "o2")}
    scores = {p: combine(problem, p).score for p in pairs}
    assert best.members in pairs and best.score == pytest.approx(max(scores.values()))
    gated = best_pair(problem_for(gates=(Gate("c2", 1),)))
    assert gated.members == ("o1", "o2")  # the only pair without the ruled-out option
    assert "o3" not in best.members  # the status quo is the baseline, never in a package search


def test_each_added_option_says_what_it_brings():
    problem = problem_for()
    built = steps(problem, ("o1", "o0"))
    alone = {o: combine(problem, (o,)).score for o in ("o0", "o1")}
    assert built[0].added == max(alone, key=alone.get)  # starts from the member best alone
    assert built[-1].score == pytest.approx(combine(problem, ("o0", "o1")).score)
    # What each step adds, criterion by criterion, sums to the package's score.
    assert sum(s.gain.sum() for s in built) == pytest.approx(built[-1].score * 100)
    sentence = step_sentence(problem, ("o0", "o1"))
    assert sentence.startswith(f"Option {built[0].added[-1]} alone scores") and "adding Option" in sentence
    total = built[-1].gain.sum()
    said = f"adds {total:.1f} points" if total > 0 else f"takes away {-total:.1f} points"
    assert said in sentence or abs(total) < 0.05  # the sign is said in words, never as "+-"


def test_packages_are_ranked_next_to_single_options():
    problem = problem_for()
    ranking = rank_options(problem)
    combined = package_ranking(problem, ranking, (("o0", "o1"),))
    assert "Option 0 + Option 1 (package)" in combined.names
    i = combined.names.index("Option 0 + Option 1 (package)")
    assert combined.roles[i] == "package" and combined.score[i] == pytest.approx(combine(problem, ("o0", "o1")).score)
    assert np.nansum(combined.rank >= 1) == ranking.n_ranked + 1  # the package competes, the baseline does not


def test_the_best_pair_sentence_is_honest_when_no_pair_beats_its_member():
    # A dominant option: adding anything only adds cost.
    problem = problem_for(likely=[[4, 4, 0], [1, 1, 4], [1, 1, 4], [1, 1, 1]])
    assert best_pair_sentence(problem).startswith("Under these conservative rules no package of two scores more")
    problem = problem_for()
    assert best_pair_sentence(problem).startswith("The best package of two for these weights")
