"""Ranking the real options: gates, ties, verdict sentences and method agreement."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from core.problem import build_problem
from core.ranking import rank_options
from core.ranking_info import maths_table
from core.ranking_words import agreement_note, summary_text, verdict
from core.scenario import Scenario, default_scenario
from core.scoring import METHODS, Gate, InputError


def weights(evidence, **points):
    base = dict.fromkeys(evidence.criterion_ids, 0.0)
    base.update(points)
    return tuple(base.items())


def test_default_ranking_is_complete_and_ordered(evidence):
    ranking = rank_options(build_problem(evidence, default_scenario(evidence)))
    assert len(ranking.option_ids) == evidence.options_in_view(True).sum()
    assert "fentanyl_tariffs_2025" not in ranking.option_ids  # a lapsed measure is history, never ranked
    n = ranking.n_ranked
    assert n == len(ranking.option_ids) - 1 and list(ranking.rank[:n]) == sorted(ranking.rank[:n])
    assert np.all(np.diff(ranking.score[:n]) <= 1e-12)
    # The status quo is the baseline: scored, shown after the ranked options, not ranked itself.
    assert ranking.roles[n] == "status_quo" and ranking.baseline[n] and np.isnan(ranking.rank[n])
    assert ranking.contributions.sum(axis=1) == pytest.approx(ranking.score)


def test_one_rule_decides_the_options_in_view_on_every_page(evidence):
    """Post-article options only when asked and never in the March 2022 view; the lapsed tariffs never; each
    date's own status quo always: the ranking and the score matrix follow the same rule."""
    from core.hindsight import as_of
    from core.ranking_info import matrix_info

    later = {o for o, p in zip(evidence.option_ids, evidence.option_post_seed, strict=True) if p}
    for date, shown, baseline in (("today", True, "status_quo_today"), ("march_2022", True, "status_quo_2022")):
        dated = as_of(evidence, date)
        for include in (True, False):
            scenario = replace(default_scenario(evidence), include_post_seed=include, evidence_date=date)
            ranking = rank_options(build_problem(dated, scenario))
            matrix = matrix_info(dated, include)
            assert set(ranking.option_ids) == set(matrix.option_ids)
            assert "fentanyl_tariffs_2025" not in ranking.option_ids
            assert baseline in ranking.option_ids and sum(r == "status_quo" for r in ranking.roles) == 1
            visible_later = set(ranking.option_ids) & later - {baseline}
            assert bool(visible_later) == (include and date == "today" and shown), (date, include, visible_later)
    ranking = rank_options(build_problem(evidence, default_scenario(evidence)))
    assert ranking.post_seed[ranking.option_ids.index("calibrated_reciprocity")]


def test_single_criterion_ranking_follows_the_scores(evidence):
    scenario = Scenario(weights=weights(evidence, diplomatic_cost=1))
    ranking = rank_options(build_problem(evidence, scenario))
    # The anti-option has the highest diplomatic cost, so it must come last of the ranked options.
    assert ranking.option_ids[ranking.n_ranked - 1] == "diplomatic_concession"
    j = evidence.criterion_ids.index("diplomatic_cost")
    view = [
        o
        for o, shown in zip(evidence.option_ids, evidence.options_in_view(scenario.include_post_seed), strict=True)
        if shown
    ]
    competing = [o for o in view if evidence.option_roles[evidence.option_ids.index(o)] != "status_quo"]
    least = min(evidence.likely[evidence.option_ids.index(o), j] for o in competing)
    assert set(ranking.top_ids) == {o for o in competing if evidence.likely[evidence.option_ids.index(o), j] == least}


def test_tied_leaders_are_named_together(evidence):
    # Both "no ill effects" options score 0 (none) on ill effects, the best possible: they cost nothing on
    # the one criterion weighed, so they tie with doing nothing new at zero (and, scored out of 100, at 100).
    for reference, score in (("nothing_new", "0.0"), ("scored", "100.0")):
        scenario = Scenario(weights=weights(evidence, ill_effects_risk=1), reference=reference)
        ranking = rank_options(build_problem(evidence, scenario))
        assert ranking.top_ids == ("emphasize_domestic_interest", "encourage_aml")
        assert verdict(ranking).startswith(
            f"With these weights, China's own interest and Anti-money-laundering tie for first ({score})."
        )


def test_gate_rules_out_and_keeps_the_option_visible_with_reason(evidence):
    scenario = replace(default_scenario(evidence), gates=(Gate("diplomatic_cost", 3),))
    ranking = rank_options(build_problem(evidence, scenario))
    i = ranking.option_ids.index("diplomatic_concession")
    assert ranking.ruled_out[i] and np.isnan(ranking.rank[i])
    assert i == len(ranking.option_ids) - 1
    assert ranking.reasons[i] == "diplomatic cost is 4 (very high), above your limit of 3 (high)"
    assert "Diplomatic concession" not in summary_text(ranking).split("Ruled out")[0]
    assert "Ruled out: Diplomatic concession (anti-option) (diplomatic cost is 4" in summary_text(ranking)


def test_topsis_ranks_only_options_that_pass_the_gates(evidence):
    base = replace(default_scenario(evidence), method="topsis")
    gated = replace(base, gates=(Gate("independence_from_relations", 2),))
    ranking = rank_options(build_problem(evidence, gated))
    j = evidence.criterion_ids.index("independence_from_relations")
    passing = {
        o
        for o, shown in zip(evidence.option_ids, evidence.options_in_view(gated.include_post_seed), strict=True)
        if shown
        and evidence.option_roles[evidence.option_ids.index(o)] != "status_quo"
        and evidence.likely[evidence.option_ids.index(o), j] >= 2
    }
    assert passing and set(ranking.option_ids[: ranking.n_ranked]) == passing
    assert np.isnan(ranking.score[ranking.ruled_out]).all()


def test_everything_ruled_out_says_so(evidence):
    scenario = replace(default_scenario(evidence), gates=(Gate("effect_on_precursors", 4),))
    ranking = rank_options(build_problem(evidence, scenario))
    assert ranking.n_ranked == 0 and ranking.top_ids == ()
    assert verdict(ranking) == "Every option is ruled out by your limits: relax a limit to see a ranking."
    assert agreement_note(build_problem(evidence, scenario)).startswith("No option passes")


def test_verdict_names_leader_runner_up_gap_and_status_quo(evidence):
    ranking = rank_options(build_problem(evidence, default_scenario(evidence)))
    gap = (ranking.score[0] - ranking.score[1]) * 100
    base = ranking.baseline_score
    assert base == 0  # measured from doing nothing new, by construction
    better = int((ranking.score[: ranking.n_ranked] > base + 1e-9).sum())
    n = ranking.n_ranked
    counted = f"All {n} options" if better == n else "No option" if better == 0 else f"{better} of {n} options"
    expected = (
        f"With these weights, {ranking.names[0]} ranks first, ahead of {ranking.names[1]} by {gap:.1f} points "
        f"out of 100. {counted} do better than doing nothing new (zero: it adds nothing and costs nothing)."
    )
    assert verdict(ranking) == expected


def test_agreement_note_reports_disagreement(evidence):
    # Find weights where the methods disagree by searching a small grid; the note must say so.
    found = False
    for a in range(0, 11, 2):
        for b in range(0, 11, 2):
            scenario = Scenario(weights=weights(evidence, effect_on_precursors=a, time_to_effect=b, diplomatic_cost=3))
            if a + b == 0:
                continue
            tops = {m: rank_options(build_problem(evidence, replace(scenario, method=m))).top_ids for m in METHODS}
            note = agreement_note(build_problem(evidence, scenario))
            if len({frozenset(t) for t in tops.values()}) > 1:
                found = True
                assert note.startswith("The methods disagree")
                for m, ids in tops.items():
                    assert " and ".join(evidence.option_name(o) for o in ids) in note, m
            else:
                assert note.startswith("All three methods agree")
    assert found, "expected at least one disagreement on the grid"


def test_maths_table_adds_up_to_the_scores(evidence):
    problem = build_problem(evidence, default_scenario(evidence))
    ranking = rank_options(problem)
    table = maths_table(problem, ranking)
    sums = table.groupby("Option", sort=False)["Contribution (points)"].sum()
    for name, score in zip(ranking.names, ranking.score, strict=True):
        assert sums[name] == pytest.approx(score * 100, abs=0.05)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"method": "vote"}, "the method 'vote' is not one of weighted_sum, expected_impact, topsis"),
        ({"gates": (Gate("nope", 1),)}, "Unknown criterion id in a gate: 'nope'."),
        ({"lens": "astrology"}, "the lens 'astrology' is not one of"),
    ],
)
def test_bad_scenarios_are_named(evidence, change, message):
    with pytest.raises(InputError) as info:
        rank_options(build_problem(evidence, replace(default_scenario(evidence), **change)))
    assert str(info.value).startswith(message)


def test_all_zero_weights_are_rejected_with_a_message(evidence):
    with pytest.raises(InputError, match="All weights are zero"):
        rank_options(build_problem(evidence, Scenario(weights=weights(evidence))))
