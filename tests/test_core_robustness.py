"""How sure is the ranking: tipping points, sweeps, rank acceptability, tradeoffs and comparisons."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from core.montecarlo import CACHED_SAMPLES, rank_acceptability, triangular
from core.problem import build_problem
from core.ranking import rank_options
from core.scenario import Scenario, default_scenario
from core.scoring import Gate, InputError
from core.sensitivity import scores_batch, shares_along, tipping_points, tipping_sentence, weight_sweep
from core.tradeoffs import compare_options, comparison_sentences, dominance_sentences, pareto_front, tradeoff
from synthetic import make_evidence


def scenario_for(evidence, weights, **kw) -> Scenario:
    return Scenario(weights=tuple(zip(evidence.criterion_ids, map(float, weights), strict=True)), lens=None, **kw)


# ----------------------------------------------------------------------------- rank acceptability
def test_same_seed_same_numbers_and_another_seed_differs(evidence):
    s = default_scenario(evidence)
    a = rank_acceptability(build_problem(evidence, s), samples=5000, seed=1)
    b = rank_acceptability(build_problem(evidence, s), samples=5000, seed=1)
    c = rank_acceptability(build_problem(evidence, s), samples=5000, seed=2)
    assert np.array_equal(a.rank_probs, b.rank_probs)
    assert not np.array_equal(a.rank_probs, c.rank_probs)


@pytest.mark.parametrize("method", ["weighted_sum", "topsis"])
@pytest.mark.parametrize("certainty", ["exact", "fairly_sure", "no_idea"])
def test_rank_probabilities_sum_to_one_for_every_option_and_rank(evidence, method, certainty):
    s = replace(default_scenario(evidence), method=method, certainty=certainty)
    acc = rank_acceptability(build_problem(evidence, s), samples=7001, chunk=3000)  # several uneven chunks
    assert acc.rank_probs.sum(axis=1) == pytest.approx(np.ones(len(acc.option_ids)))
    assert acc.rank_probs.sum(axis=0) == pytest.approx(np.ones(len(acc.option_ids)))
    assert acc.samples == 7001


@pytest.mark.parametrize("method", ["weighted_sum", "topsis"])
def test_without_uncertainty_probabilities_collapse_to_the_ranking(evidence, method):
    s = replace(default_scenario(evidence), method=method, certainty="exact", score_uncertainty=False)
    ranking = rank_options(build_problem(evidence, s))
    acc = rank_acceptability(build_problem(evidence, s), samples=2000)
    n = ranking.n_ranked  # the ranked options (the status quo is the baseline, not in the draws)
    assert set(acc.option_ids) == set(ranking.option_ids[:n])
    for option_id, rank in zip(ranking.option_ids[:n], ranking.rank[:n], strict=True):
        i = acc.option_ids.index(option_id)
        # Options tied at a rank share its places (the real data has a tie for fifth).
        tied = int((ranking.rank == rank).sum())
        assert acc.rank_probs[i, int(rank) - 1 : int(rank) - 1 + tied].sum() == pytest.approx(1.0)


def test_exact_ties_share_the_first_place(evidence):
    s = Scenario(weights=tuple((c, 1.0 if c == "ill_effects_risk" else 0.0) for c in evidence.criterion_ids))
    s = replace(s, certainty="exact", score_uncertainty=False)
    acc = rank_acceptability(build_problem(evidence, s), samples=20000)
    tied = [acc.option_ids.index("emphasize_domestic_interest"), acc.option_ids.index("encourage_aml")]
    assert acc.first[tied].sum() == pytest.approx(1.0)
    assert acc.first[tied] == pytest.approx([0.5, 0.5], abs=0.02)


def test_scaling_all_weights_changes_nothing(evidence):
    s = default_scenario(evidence)
    scaled = s.with_weights({c: w * 7.5 for c, w in s.weights}, lens=None)
    a = rank_acceptability(build_problem(evidence, s), samples=4000)
    b = rank_acceptability(build_problem(evidence, scaled), samples=4000)
    assert np.allclose(a.rank_probs, b.rank_probs)


@settings(max_examples=examples(25))
@given(
    st.lists(st.floats(0.01, 1), min_size=3, max_size=3),
    st.sampled_from(["weighted_sum", "topsis"]),
    st.sampled_from(["fairly_sure", "no_idea"]),
)
def test_an_option_dominated_on_every_criterion_never_ranks_first(weights, method, certainty):
    # Option 1's whole range sits below option 0's on every criterion, so it loses in every sample.
    likely = np.array([[3.0, 3.0, 1.0], [1.5, 1.0, 3.0], [2.0, 3.5, 2.0]])
    low = likely - np.array([[0.5, 0.5, 0.5], [0.5, 0.5, 0.5], [1.0, 1.0, 1.0]])
    high = likely + np.array([[0.5, 0.5, 0.5], [0.4, 0.5, 0.5], [0.5, 0.5, 0.5]])
    ev = make_evidence(likely, np.clip(low, 0, 4), np.clip(high, 0, 4), benefit=[True, True, False])
    acc = rank_acceptability(
        build_problem(ev, scenario_for(ev, weights, method=method, certainty=certainty)), samples=3000
    )
    assert acc.first[acc.option_ids.index("o1")] == 0.0
    assert acc.rank_probs[acc.option_ids.index("o1")].sum() == pytest.approx(1.0)


def test_gates_and_filters_are_respected(evidence):
    s = replace(default_scenario(evidence), gates=(Gate("diplomatic_cost", 3),))
    acc = rank_acceptability(build_problem(evidence, s), samples=2000)
    assert "diplomatic_concession" not in acc.option_ids
    assert "fentanyl_tariffs_2025" not in acc.option_ids  # lapsed: history, never drawn
    without = rank_acceptability(build_problem(evidence, replace(s, include_post_seed=False)), samples=2000)
    assert "calibrated_reciprocity" in acc.option_ids and "calibrated_reciprocity" not in without.option_ids


def test_central_weights_are_weightings_or_blank(evidence):
    acc = rank_acceptability(build_problem(evidence, default_scenario(evidence)), samples=5000)
    for i, row in enumerate(acc.central_weights):
        if acc.first[i] == 0:
            assert np.isnan(row).all()
        else:
            assert row.sum() == pytest.approx(1.0)


@pytest.mark.slow  # large runs
def test_large_runs_are_chunked_so_memory_stays_bounded_and_the_answer_holds(evidence):
    import tracemalloc

    problem = build_problem(evidence, replace(default_scenario(evidence), certainty="very_sure"))
    n = CACHED_SAMPLES + 50_000  # a run this large streams its draws instead of keeping them

    def peak_memory(chunk: int):
        tracemalloc.start()
        result = rank_acceptability(problem, samples=n, seed=11, chunk=chunk, first_only=True)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return result, peak

    chunked, chunked_peak = peak_memory(10_000)
    whole, whole_peak = peak_memory(n)
    # Memory follows the chunk, not the number of samples.
    assert chunked_peak < whole_peak / 8, (chunked_peak, whole_peak)
    # Different chunking draws different (equally valid) samples; the answers agree closely.
    assert chunked.samples == whole.samples == n
    assert np.abs(chunked.first - whole.first).max() < 0.01


def test_first_only_matches_the_full_count(evidence):
    s = default_scenario(evidence)
    full = rank_acceptability(build_problem(evidence, s), samples=3000)
    quick = rank_acceptability(build_problem(evidence, s), samples=3000, first_only=True)
    assert np.array_equal(full.first, quick.first)


@pytest.mark.parametrize("samples", [0, -5, 10**9, 2.5])
def test_bad_sample_counts_are_named(evidence, samples):
    with pytest.raises(InputError, match="number of samples"):
        rank_acceptability(build_problem(evidence, default_scenario(evidence)), samples=samples)


def test_unknown_certainty_is_named(evidence):
    with pytest.raises(InputError, match="the certainty 'maybe' is not one of"):
        rank_acceptability(build_problem(evidence, replace(default_scenario(evidence), certainty="maybe")), samples=10)


def test_triangular_draws_stay_in_range_and_follow_the_mode():
    u = np.linspace(0.0005, 0.9995, 2000, dtype=np.float32)[:, None]
    low, mode, high = np.array([0.0, 2.0]), np.array([1.0, 2.0]), np.array([4.0, 2.0])
    x = triangular(u, low, mode, high)
    assert (x[:, 0] >= 0).all() and (x[:, 0] <= 4).all()
    assert np.allclose(x[:, 1], 2.0)  # a zero-width range gives its single value
    assert x[:, 0].mean() == pytest.approx((0 + 1 + 4) / 3, abs=0.02)


# ----------------------------------------------------------------------------- tipping points and sweeps
def test_tipping_sentences_read_as_the_issue_asks(evidence):
    s = default_scenario(evidence)
    sentences = {p.criterion_id: tipping_sentence(evidence, p) for p in tipping_points(build_problem(evidence, s))}
    leader = rank_options(build_problem(evidence, s)).names[0]
    names = "|".join(re.escape(evidence.option_name(o)) for o in evidence.option_ids)
    for cid, sentence in sentences.items():
        weight = f"{dict(s.weights)[cid] / sum(w for _, w in s.weights):.0%}"
        criterion = re.escape(evidence.criterion_name(cid).lower())
        either = (
            rf"No weight on {criterion}, from 0% to 100%, changes the top option "
            rf"\({re.escape(leader)}; now {weight}\)\.",
            rf"({names}) overtakes {re.escape(leader)} if the weight on {criterion} (rises above|falls below) \d+% "
            rf"\(now {weight}\)\.",
        )
        assert any(re.fullmatch(p, sentence) for p in either), sentence


def brute_force_first_change(evidence, scenario, j, direction, steps=20001):
    f_shares = np.array([w for _, w in scenario.weights]) / sum(w for _, w in scenario.weights)
    t0 = f_shares[j]
    grid = np.linspace(t0, 0.0 if direction == "below" else 1.0, steps)
    problem = build_problem(evidence, scenario)
    likely = problem.likely[problem.in_play]  # the competing options; the status quo is the baseline
    scores = scores_batch(problem, likely, shares_along(f_shares, j, grid), scenario.method)
    lead = np.argmax(np.round(scores, 9), axis=1)
    changed = np.flatnonzero(lead != lead[0])
    if not len(changed):
        return None
    return grid[changed[0]], problem.ids_in_play[lead[changed[0]]]


@settings(max_examples=examples(40))
@given(
    st.integers(0, 2**32 - 1),
    st.sampled_from(["weighted_sum", "topsis"]),
)
def test_tipping_points_match_a_brute_force_search(seed, method):
    rng = np.random.default_rng(seed)
    likely = rng.uniform(0.2, 4.0, size=(4, 3))
    ev = make_evidence(likely, benefit=[True, False, True])
    weights = rng.uniform(0.05, 1.0, size=3)
    s = scenario_for(ev, weights, method=method)
    for j, point in enumerate(tipping_points(build_problem(ev, s))):
        for direction in ("below", "above"):
            found = getattr(point, direction)
            brute = brute_force_first_change(ev, s, j, direction)
            if brute is not None and (brute[0] < 1e-4 or brute[0] > 1 - 1e-4):
                brute = None  # a tie reached only at 0% or 100% is not an overtaking
            if found is None:
                assert brute is None, (j, direction, brute)
            else:
                assert brute is not None, (j, direction, found)
                assert found[0] == pytest.approx(brute[0], abs=2e-4)
                assert found[1] == brute[1]


def test_sweep_marks_the_same_change_as_the_tipping_point(evidence):
    s = default_scenario(evidence)
    sweep = weight_sweep(build_problem(evidence, s), "diplomatic_cost")
    point = next(p for p in tipping_points(build_problem(evidence, s)) if p.criterion_id == "diplomatic_cost")
    problem = build_problem(evidence, s)
    above = [c for c in sweep.changes if c[0] > sweep.current]
    share, old, new = above[0]  # the first change above today's weight is the tipping point above
    assert share == pytest.approx(point.above[0], abs=1e-6)
    assert (old, new) == (rank_options(problem).option_ids[0], point.above[1])
    assert sweep.current == pytest.approx(0.1)
    assert sweep.scores.shape == (201, len(problem.in_play))  # the competing options: the status quo is the baseline


def test_sweep_rejects_unknown_criterion(evidence):
    with pytest.raises(InputError, match="Unknown criterion id 'nope'"):
        weight_sweep(build_problem(evidence, default_scenario(evidence)), "nope")


def test_shares_along_keeps_proportions_and_sums_to_one():
    w = shares_along(np.array([0.5, 0.3, 0.2]), 0, np.array([0.0, 0.5, 1.0]))
    assert w.sum(axis=1) == pytest.approx([1, 1, 1])
    assert w[0, 1:] == pytest.approx([0.6, 0.4])
    assert w[1, 1] / w[1, 2] == pytest.approx(1.5)
    # When every other weight is zero, the rest is split equally.
    assert shares_along(np.array([1.0, 0.0, 0.0]), 0, 0.5)[0] == pytest.approx([0.5, 0.25, 0.25])


# ----------------------------------------------------------------------------- tradeoffs and comparisons
def test_pareto_front_hand_case():
    x = np.array([1.0, 0.5, 0.2, 0.5, 0.0])
    y = np.array([0.0, 0.5, 0.2, 0.5, 1.0])
    assert pareto_front(x, y).tolist() == [True, True, False, True, True]


def test_tradeoff_names_dominated_options(evidence):
    view = tradeoff(build_problem(evidence, default_scenario(evidence)), "effect_on_precursors", "diplomatic_cost")
    sentences = dominance_sentences(evidence, view)
    front = {o for o, f in zip(view.option_ids, view.on_front, strict=True) if f}
    # Every option off the front is named as beaten on both criteria, by an option that is better on both.
    for i, o in enumerate(view.option_ids):
        if o in front:
            continue
        line = next(x for x in sentences if x.startswith(f"{evidence.option_name(o)} is beaten on both criteria by"))
        better = [k for k, n in enumerate(view.option_ids) if evidence.option_name(n) in line.split(" by ", 1)[1]]
        assert better and all(view.x_value[k] >= view.x_value[i] and view.y_value[k] >= view.y_value[i] for k in better)
    # Values run so that higher is better on both axes: a cost criterion is flipped.
    i = view.option_ids.index("diplomatic_concession")
    assert view.y_value[i] == 0.0 and view.y_raw[i] == 4


def test_comparison_adds_up_to_the_score_gap(evidence):
    s = default_scenario(evidence)
    ranking = rank_options(build_problem(evidence, s))
    a, b = "global_industry_self_regulation", "law_enforcement_cooperation"
    comparison = compare_options(build_problem(evidence, s), a, b)
    gap = (ranking.score[ranking.option_ids.index(a)] - ranking.score[ranking.option_ids.index(b)]) * 100
    assert comparison.total == pytest.approx(gap)
    lines = comparison_sentences(evidence, comparison)
    assert lines[0] == (
        f"Global industry self-regulation leads Law-enforcement cooperation by {gap:.1f} points out of 100 "
        "with these weights."
    )
    # Self-regulation needs several years (3), cooperation about a year (2): a quarter of the scale, at 10% weight.
    assert any(line.startswith("Time to effect favours Law-enforcement cooperation by 2.5 points") for line in lines)


def test_a_tie_for_first_is_said_as_a_tie(evidence):
    s = Scenario(weights=tuple((c, 1.0 if c == "ill_effects_risk" else 0.0) for c in evidence.criterion_ids))
    point = next(p for p in tipping_points(build_problem(evidence, s)) if p.criterion_id == "durability")
    assert point.tied_with == ("encourage_aml",)
    assert tipping_sentence(evidence, point) == (
        "China's own interest and Anti-money-laundering tie for first now, so any change to the weight on "
        "durability (now 0%) may break the tie."
    )
