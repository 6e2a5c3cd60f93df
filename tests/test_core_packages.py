"""Packages: combined under stated rules (benefits of the best member, the fastest member's timing, costs that
add, sourced interactions), with the best pair and what each option adds."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from core.evidence import split_quote_ids
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


def test_a_package_is_as_good_as_its_best_member_and_its_costs_add():
    package = combine(problem_for(), ("o0", "o1"))
    assert package.likely.tolist() == [4, 4, 4]  # best on each benefit; the costs 3 and 1 add up to 4
    # Measured from doing nothing new: 1 and 1 gained on the benefits, the whole cost (-1) lost; equal weights.
    assert package.score == pytest.approx((1 + 1 - 1) / 3)
    assert package.contributions.sum() == pytest.approx(package.score)
    assert package.name == "Option 0 + Option 1"
    # Scored out of 100 instead, the cost counts as a value from 1 (none) to 0 (the top of the scale).
    assert combine(problem_for(reference="scored"), ("o0", "o1")).score == pytest.approx((1 + 1 + 0) / 3)


def test_costs_add_to_the_top_of_the_scale_at_most():
    assert combine(problem_for(), ("o0", "o2")).likely.tolist() == [4, 2, 3]  # 3 + 0
    heavy = problem_for(likely=[[1, 1, 3], [1, 1, 3], [1, 1, 1], [1, 1, 1]])
    assert combine(heavy, ("o0", "o1")).likely.tolist() == [1, 1, 4]  # 3 + 3, capped at 4


def test_a_package_acts_as_soon_as_its_fastest_member(evidence):
    problem = build_problem(evidence, Scenario(weights=tuple((c, 1.0) for c in evidence.criterion_ids)))
    j = evidence.criterion_ids.index("time_to_effect")
    members = ("global_industry_self_regulation", "sanctions_and_indictments")
    times = [evidence.likely[evidence.option_ids.index(m), j] for m in members]
    assert times[0] != times[1]
    assert combine(problem, members).likely[j] == min(times)


def test_no_synergy_a_package_of_equal_cost_free_members_is_that_member_but_costs_never_cancel():
    problem = problem_for(likely=[[2, 2, 0], [2, 2, 0], [1, 1, 1], [1, 1, 1]])
    assert combine(problem, ("o0", "o1")).score == pytest.approx(combine(problem, ("o0",)).score)
    costly = problem_for(likely=[[2, 2, 1], [2, 2, 1], [1, 1, 1], [1, 1, 1]])
    assert combine(costly, ("o0", "o1")).score < combine(costly, ("o0",)).score  # two measures, two costs


def test_sourced_interactions_move_a_package_and_can_be_switched_off():
    rows = "undermines,o0,o1,c0,-2,Q1,sanctions undermined cooperation\n"
    evidence = make_evidence(LIKELY, benefit=[True, True, False], interactions=rows)
    scenario = Scenario(weights=tuple((c, 1.0) for c in evidence.criterion_ids), lens=None)
    on = combine(build_problem(evidence, scenario), ("o0", "o1"))
    off = combine(build_problem(evidence, replace(scenario, interactions=False)), ("o0", "o1"))
    assert on.likely[0] == 2 and off.likely[0] == 4  # 4 - 2 with the interaction; the best member's 4 without
    assert on.interactions == ("undermines",) and off.interactions == ()
    # A package without both options is untouched.
    assert combine(build_problem(evidence, scenario), ("o0", "o2")).interactions == ()


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
    sentence = best_pair_sentence(problem)
    assert sentence.startswith("Under these package rules no package of two scores more")
    # What the second member adds and costs is said from the same steps the package is built by.
    best = best_pair(problem)
    first, second = steps(problem, best.members)
    assert f"({second.gain.sum():+.1f} points in all)" in sentence
    assert f"adding Option {second.added[-1]} to Option {first.added[-1]}" in sentence
    for j, g in enumerate(second.gain):
        if abs(g) >= 0.05:
            assert f"criterion {j} {g:+.1f}" in sentence
    problem = problem_for(likely=[[4, 0, 0], [0, 4, 0], [1, 1, 1], [1, 1, 1]])
    assert best_pair_sentence(problem).startswith("The best package of two for these weights")


def test_a_cost_two_members_rest_on_the_same_quote_counts_once(evidence):
    """China expecting paybacks for cooperation sets both anti-money-laundering's and law-enforcement
    cooperation's diplomatic cost: in a package of the two it is one cost, not two."""
    problem = build_problem(evidence, Scenario(weights=tuple((c, 1.0) for c in evidence.criterion_ids)))
    j = evidence.criterion_ids.index("diplomatic_cost")
    members = ("encourage_aml", "law_enforcement_cooperation")
    rows = [evidence.score_rows[(m, "diplomatic_cost")] for m in members]
    shared = set(split_quote_ids(rows[0]["quote_ids"])) & set(split_quote_ids(rows[1]["quote_ids"]))
    assert shared, "the two cells share a quote"
    costs = [evidence.likely[evidence.option_ids.index(m), j] for m in members]
    assert combine(problem, members).likely[j] == max(costs)
    # Two costs resting on different quotes add up.
    k = evidence.criterion_ids.index("ill_effects_risk")
    other = ("global_industry_self_regulation", "sanctions_and_indictments")
    cells = [set(split_quote_ids(evidence.score_rows[(m, "ill_effects_risk")]["quote_ids"])) for m in other]
    assert not cells[0] & cells[1]
    expected = min(4.0, sum(evidence.likely[evidence.option_ids.index(m), k] for m in other))
    assert combine(problem, other).likely[k] == expected
