"""The value model: doing nothing new at zero by construction, expected impact recomputed by hand, and
displacement counted once, by one rule for every option."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from conftest import examples
from core.displacement import surviving_share
from core.hindsight import scenario_evidence
from core.model import TIMING
from core.model_change import model_change
from core.problem import build_problem
from core.ranking import rank_options
from core.scenario import CustomOption, Scenario, default_scenario
from core.scoring import TIE_DECIMALS
from strategies import EVIDENCE, scenarios

FAST = settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _ranked(scenario):
    evidence = scenario_evidence(EVIDENCE, scenario)
    return evidence, build_problem(evidence, scenario)


@FAST
@given(scenarios())
def test_doing_nothing_new_scores_zero_by_construction_and_is_never_ruled_out(scenario):
    scenario = replace(scenario, reference="nothing_new", method="weighted_sum")
    for method in ("weighted_sum", "expected_impact"):
        evidence, problem = _ranked(replace(scenario, method=method))
        ranking = rank_options(problem)
        in_view = [
            i
            for i in np.flatnonzero(evidence.options_in_view(scenario.include_post_seed))
            if evidence.option_roles[i] == "status_quo"
        ]
        if not in_view:
            continue
        assert ranking.baseline.any(), "the reference is never ruled out"
        assert ranking.baseline_score == 0.0
        assert np.all(ranking.contributions[ranking.baseline] == 0.0)


@FAST
@given(scenarios())
def test_where_zero_sits_does_not_reorder_the_options(scenario):
    """Measuring from doing nothing new shifts every option's score by the same amount (the cost weights):
    the options' order among themselves is the same either way, under both additive models."""
    for method in ("weighted_sum", "expected_impact"):
        s = replace(scenario, method=method)
        _, zero = _ranked(replace(s, reference="nothing_new"))
        _, scored = _ranked(replace(s, reference="scored"))
        a, b = rank_options(zero), rank_options(scored)
        ranks_a = {o: r for o, r, base in zip(a.option_ids, a.rank, a.baseline, strict=True) if not base}
        ranks_b = {o: r for o, r, base in zip(b.option_ids, b.rank, b.baseline, strict=True) if not base}
        shared = {o for o in ranks_a if not np.isnan(ranks_a[o])} & {o for o in ranks_b if not np.isnan(ranks_b[o])}
        for o in shared:
            assert ranks_a[o] == ranks_b[o], o


def _by_hand(evidence, scenario, i):
    """Expected impact for option ``i``, written out from the model's stated forms."""
    ids = evidence.criterion_ids
    w = np.array([dict(scenario.weights)[c] for c in ids])
    w = w / w.sum()
    raw = {c: evidence.likely[i, j] for j, c in enumerate(ids)}
    durability = raw["durability"] / 4
    if scenario.account_for_displacement:
        s = surviving_share(scenario.displacement)
        durability = s + (1 - s) * durability
    readings = (0.0, *(getattr(scenario, name) for name in TIMING))  # the scenario's reading of each label
    years = np.interp(raw["time_to_effect"], np.arange(5), readings)
    timing = max(0.0, 1 - years / scenario.horizon_years)
    impact = raw["effect_on_precursors"] / 4 * durability * timing
    weight = {c: w[j] for j, c in enumerate(ids)}
    cost = (lambda x: -x / 4) if scenario.reference == "nothing_new" else (lambda x: 1 - x / 4)
    return (
        (weight["effect_on_precursors"] + weight["durability"] + weight["time_to_effect"]) * impact
        + weight["independence_from_relations"] * raw["independence_from_relations"] / 4
        + weight["diplomatic_cost"] * cost(raw["diplomatic_cost"])
        + weight["ill_effects_risk"] * cost(raw["ill_effects_risk"])
    )


@FAST
@given(scenarios())
def test_expected_impact_is_the_stated_formula(scenario):
    scenario = replace(scenario, method="expected_impact", overrides=(), custom_options=(), gates=())
    evidence, problem = _ranked(scenario)
    ranking = rank_options(problem)
    for option_id, score, base in zip(ranking.option_ids, ranking.score, ranking.baseline, strict=True):
        if base and scenario.reference == "nothing_new":
            continue
        i = evidence.option_ids.index(option_id)
        assert score == pytest.approx(_by_hand(evidence, scenario, i), abs=1e-9), option_id


def test_under_expected_impact_an_option_with_no_effect_gets_nothing_for_speed_or_durability():
    no_effect = CustomOption(
        "idle",
        "Fast, lasting, does nothing",
        (
            ("effect_on_precursors", 0, 0, 0),
            ("durability", 4, 4, 4),
            ("time_to_effect", 0, 0, 0),
            ("independence_from_relations", 0, 0, 0),
            ("diplomatic_cost", 0, 0, 0),
            ("ill_effects_risk", 0, 0, 0),
        ),
        "a test",
    )
    weights = tuple((c, 1.0) for c in EVIDENCE.criterion_ids)
    # The weighted sum gives it durability's and speed's sixths for an effect that does not exist; expected impact
    # gives nothing.
    for method, expected in (("weighted_sum", 2 / 6), ("expected_impact", 0.0)):
        scenario = Scenario(weights=weights, custom_options=(no_effect,), method=method, lens=None)
        _, problem = _ranked(scenario)
        ranking = rank_options(problem)
        assert ranking.score[ranking.option_ids.index("idle")] == pytest.approx(expected)


def test_displacement_counts_once_through_durability_by_one_rule_for_every_option(evidence):
    base = default_scenario(evidence)
    off, on = build_problem(evidence, base), build_problem(evidence, replace(base, account_for_displacement=True))
    k = evidence.criterion_ids.index("durability")
    s = surviving_share(base.displacement)
    changed = np.flatnonzero(np.any(off.values != on.values, axis=0))
    assert set(changed) <= {k}, "only durability is read through the model"
    for i in off.in_play:  # anti-money-laundering included: no option is exempt
        assert on.values[i, k] == pytest.approx(s + (1 - s) * off.values[i, k])
    assert "encourage_aml" in off.ids_in_play


@FAST
@given(scenarios())
def test_which_ranks_change_between_the_models_is_said_from_both_rankings(scenario):
    evidence = scenario_evidence(EVIDENCE, scenario)
    change = model_change(evidence, scenario)
    ws = rank_options(build_problem(evidence, replace(scenario, method="weighted_sum")))
    ei = rank_options(build_problem(evidence, replace(scenario, method="expected_impact")))
    rank_ws = dict(zip(ws.names, ws.rank, strict=True))
    rank_ei = dict(zip(ei.names, ei.rank, strict=True))
    for row in change.rows.to_dict("records"):
        for column, ranks in (("Rank: weighted sum", rank_ws), ("Rank: expected impact", rank_ei)):
            expected, said = ranks[row["Option"]], row[column]
            assert (np.isnan(expected) and (said is None or np.isnan(said))) or said == expected
    top_ws = {n for n, r in rank_ws.items() if r == 1}
    top_ei = {n for n, r in rank_ei.items() if r == 1}
    assert ("changes the top option" in change.verdict) == (top_ws != top_ei)


def test_scores_tie_to_the_same_decimals_under_every_model(evidence):
    # The tie rule is the ranking's, whatever the model: equal options share a rank.
    twin = CustomOption(
        "twin",
        "A copy of anti-money-laundering",
        tuple(
            (c, *(float(evidence.likely[evidence.option_ids.index("encourage_aml"), j]),) * 3)
            for j, c in enumerate(evidence.criterion_ids)
        ),
        "a test",
    )
    for method in ("weighted_sum", "expected_impact", "topsis"):
        scenario = replace(default_scenario(evidence), custom_options=(twin,), method=method)
        ranking = rank_options(build_problem(scenario_evidence(evidence, scenario), scenario))
        a, b = ranking.option_ids.index("twin"), ranking.option_ids.index("encourage_aml")
        assert round(ranking.score[a], TIE_DECIMALS) == round(ranking.score[b], TIE_DECIMALS)
        assert ranking.rank[a] == ranking.rank[b]


def test_what_each_time_label_stands_for_is_a_setting_that_moves_expected_impact_alone(evidence):
    base = replace(default_scenario(evidence), method="expected_impact")
    longer = replace(base, years_several=6.0)  # "several years" read as six rather than three
    i = evidence.option_ids.index(
        next(
            o
            for o in evidence.option_ids
            if evidence.likely[evidence.option_ids.index(o), evidence.criterion_ids.index("time_to_effect")] == 3
        )
    )
    before, after = rank_options(build_problem(evidence, base)), rank_options(build_problem(evidence, longer))
    option = evidence.option_ids[i]
    assert after.score[after.option_ids.index(option)] < before.score[before.option_ids.index(option)]
    same = replace(base, method="weighted_sum")
    assert np.allclose(
        rank_options(build_problem(evidence, same)).score,
        rank_options(build_problem(evidence, replace(same, years_several=6.0))).score,
    )
