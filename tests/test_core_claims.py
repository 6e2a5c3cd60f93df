"""Words true to their charts: each number a scene states is recomputed from the object its chart draws,
for generated scenarios (weights, limits, edits, packages, both evidence dates)."""

from __future__ import annotations

import re

import numpy as np
from hypothesis import HealthCheck, example, given, settings

from conftest import examples
from core.hindsight import scenario_evidence
from core.montecarlo import rank_acceptability
from core.problem import build_problem
from core.ranking import rank_options
from core.scenario import Scenario
from core.scenes import build_scene
from core.scoring import TIE_DECIMALS, Gate
from core.supply_chain import load_supply_chain
from strategies import EVIDENCE, scenarios

CHAIN = load_supply_chain(EVIDENCE)
BEAT = re.compile(r"(?:(\d+) of (\d+)|all (\d+)|(none)|(it)( does not)?) beats? doing nothing new$")


def _scenes(scenario, *scene_ids):
    evidence = scenario_evidence(EVIDENCE, scenario)
    problem = build_problem(evidence, scenario)
    acc = rank_acceptability(problem, samples=500, first_only=True)
    return problem, acc, {s: build_scene(s, evidence, problem, CHAIN, acc) for s in scene_ids}


def _claimed(headline: str, n_ranked: int) -> int | None:
    """How many options the headline says beat doing nothing new (None if it says nothing of it)."""
    m = BEAT.search(headline)
    if m is None:
        return None
    if m[4]:
        return 0
    if m[5]:  # the one option that passes the limits
        assert n_ranked == 1, headline
        return 0 if m[6] else 1
    if m[3]:
        assert int(m[3]) == n_ranked
        return n_ranked
    assert int(m[2]) == n_ranked, headline  # "of N": every option that competes, drawn or not
    return int(m[1])


# Found by the generated cases: limits that leave one option, whose headline said nothing of doing nothing new.
ONE_LEFT = Scenario(
    weights=tuple((c, 1.0 if c == "effect_on_precursors" else 0.0) for c in EVIDENCE.criterion_ids),
    gates=(Gate("effect_on_precursors", 0.0), Gate("durability", 0.0), Gate("diplomatic_cost", 0.0)),
    include_post_seed=False,
    lens=None,
)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
@example(ONE_LEFT)
def test_ranking_and_takeaways_say_what_the_ranking_chart_shows_about_doing_nothing_new(scenario):
    problem, _acc, scenes = _scenes(scenario, "ranking", "takeaways")
    full = rank_options(problem)
    drawn = scenes["ranking"].info.ranking  # the bars the projected chart draws
    for scene in scenes.values():
        claimed = _claimed(scene.headline, full.n_ranked)
        if drawn.baseline_score is None or full.n_ranked == 0:
            assert claimed is None, scene.headline  # no status quo line to compare with: no claim
            continue
        if len(full.top_ids) != 1 and scene.scene_id == "ranking":
            continue  # a tie is said by the verdict, which the Weigh page's tests check
        assert claimed is not None, scene.headline
        competing = ~drawn.baseline & ~drawn.ruled_out
        above = np.round(drawn.score[competing], TIE_DECIMALS) > round(drawn.baseline_score, TIE_DECIMALS)
        # Options are drawn best first, so every option said to beat the line is drawn above it while it fits.
        assert int(above.sum()) == min(claimed, int(competing.sum())), scene.headline
    assert "work together" not in scenes["takeaways"].headline  # the pair sentence below says whether they do


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_how_sure_says_the_share_its_chart_draws_and_that_the_ranges_are_assumed(scenario):
    _problem, acc, scenes = _scenes(scenario, "robustness")
    scene = scenes["robustness"]
    if not acc.option_ids:
        return
    m = re.search(r"in (\d+)% of draws within our assumed ranges$", scene.headline)
    assert m, scene.headline
    assert int(m[1]) == round(float(scene.info.rank_probs[:, 0].max()) * 100)


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_the_sources_scene_counts_the_scores_that_rest_on_no_source(scenario):
    problem, _acc, scenes = _scenes(scenario, "sources")
    m = re.match(r"(\d+) of (\d+) scores rest on quoted sources", scenes["sources"].headline)
    assert m, scenes["sources"].headline
    evidence = problem.evidence
    cells = [(evidence.option_ids[i], c) for i in problem.view for c in evidence.criterion_ids]
    judged = [cell for cell in cells if cell in evidence.unsourced_cells]
    assert (int(m[1]), int(m[2])) == (len(cells) - len(judged), len(cells))
    assert ("are our judgement" in scenes["sources"].headline) == bool(judged)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_the_displacement_scene_says_what_its_lines_show_and_that_it_is_an_illustration(scenario):
    _problem, _acc, scenes = _scenes(scenario, "displacement")
    scene = scenes["displacement"]
    paths = scene.info.paths  # the lines the chart draws
    cut = paths.baseline[0] - paths.without_substitution[0]
    shown = 1.0 if cut <= 0 else (paths.baseline[-1] - paths.with_substitution[-1]) / cut
    assert scene.headline.startswith("An illustration: ")
    assert f"{shown * 100:.0f}% of an option's cut still stands" in scene.headline
    assert f"{scenario.displacement.substitution_share * 100:.0f}% of it" in scene.headline  # the assumption, said


def test_the_options_scene_carries_each_options_one_line_summary(evidence):
    from core.scenario import default_scenario

    problem, _acc, scenes = _scenes(default_scenario(evidence), "options")
    notes = scenes["options"].notes
    for i in problem.view:
        row = evidence.option_rows[evidence.option_ids[i]]
        assert f"{evidence.option_name(row['option_id'])}: {row['summary']}" in notes


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_the_other_camp_ranks_each_option_as_that_camps_weights_do_and_says_whether_the_top_changes(scenario):
    from core.camps import ENGAGEMENT, HAWK, camp_scenario, camps_change

    evidence = scenario_evidence(EVIDENCE, scenario)
    change = camps_change(evidence, scenario)
    rankings = [rank_options(build_problem(evidence, camp_scenario(evidence, scenario, c))) for c in (HAWK, ENGAGEMENT)]
    for column, ranking in zip(change.rows.columns[1:3], rankings, strict=True):
        ranks = dict(zip(ranking.names, ranking.rank, strict=True))
        for name, shown in zip(change.rows["Option"], change.rows[column], strict=True):
            assert (shown is None or np.isnan(shown)) if np.isnan(ranks[name]) else shown == int(ranks[name])
    same_top = set(rankings[0].top_ids) == set(rankings[1].top_ids)
    assert ("changes the top option" in change.verdict) == (not same_top), change.verdict
