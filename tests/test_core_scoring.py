"""The decision core: value scale, weighted sum, TOPSIS, ranks, gates and input errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from conftest import examples
from core.scoring import (
    Gate,
    InputError,
    check_weights,
    competition_ranks,
    gate_mask,
    to_value,
    topsis,
    weighted_sum,
    weights_from_mapping,
)


def test_value_scale_respects_direction():
    raw = np.array([[0.0, 0.0], [2.0, 2.0], [4.0, 4.0]])
    values = to_value(raw, np.array([0.0, 0.0]), np.array([4.0, 4.0]), np.array([True, False]))
    assert values[:, 0].tolist() == [0.0, 0.5, 1.0]  # more is better
    assert values[:, 1].tolist() == [1.0, 0.5, 0.0]  # less is better


def test_weighted_sum_hand_computed():
    values = np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]])
    totals, parts = weighted_sum(values, [3, 1])
    assert totals == pytest.approx([0.75, 0.5, 0.25])
    assert parts[0] == pytest.approx([0.75, 0.0])
    assert parts.sum(axis=1) == pytest.approx(totals)


def test_topsis_matches_published_worked_example():
    # Tzeng & Huang (2011), Multiple Attribute Decision Making, as used by scikit-criteria's tests.
    matrix = [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]]
    closeness = topsis(matrix, [0.3, 0.4, 0.3], [True, True, True])
    assert closeness == pytest.approx([0.5037, 0.6581, 0.7482, 0.3340], abs=1e-4)
    assert competition_ranks(closeness).tolist() == [3, 2, 1, 4]


@pytest.mark.filterwarnings("ignore::UserWarning")
@settings(max_examples=examples(60), deadline=None)
@given(
    matrix=arrays(np.float64, st.tuples(st.integers(2, 8), st.integers(2, 6)), elements=st.floats(0.5, 10)),
    data=st.data(),
)
def test_topsis_agrees_with_pymcdm_on_random_matrices(matrix, data):
    n = matrix.shape[1]
    weights = np.array(data.draw(st.lists(st.floats(0.05, 1), min_size=n, max_size=n)))
    benefit = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    if np.ptp(matrix, axis=0).min() < 1e-6:
        return  # a constant column makes the peer divide by zero; ours treats it as uninformative
    from pymcdm import normalizations  # imported here: it brings matplotlib, a second of every run's start
    from pymcdm.methods import TOPSIS as PymcdmTOPSIS

    oracle = PymcdmTOPSIS(normalizations.vector_normalization)
    expected = oracle(matrix, weights / weights.sum(), np.where(benefit, 1, -1))
    assert topsis(matrix, weights, benefit) == pytest.approx(expected, abs=1e-9)


def test_topsis_with_a_column_of_zeros_does_not_divide_by_zero():
    closeness = topsis([[0, 1], [0, 3]], [0.5, 0.5], [False, True])
    assert np.isfinite(closeness).all()
    assert closeness[1] > closeness[0]


def test_ranks_share_ties_and_skip():
    assert competition_ranks(np.array([0.5, 0.9, 0.5, 0.1])).tolist() == [2, 1, 2, 4]
    # Floating-point noise does not break a genuine tie.
    assert competition_ranks(np.array([0.1 + 0.2, 0.3])).tolist() == [1, 1]


@settings(max_examples=examples(80), deadline=None)
@given(
    values=arrays(np.float64, st.tuples(st.integers(1, 8), st.integers(1, 6)), elements=st.floats(0, 1)),
    data=st.data(),
)
def test_scaling_all_weights_changes_nothing(values, data):
    n = values.shape[1]
    weights = np.array(data.draw(st.lists(st.floats(0.01, 100), min_size=n, max_size=n)))
    factor = data.draw(st.floats(0.01, 1000))
    a, _ = weighted_sum(values, weights)
    b, _ = weighted_sum(values, weights * factor)
    assert a == pytest.approx(b, abs=1e-12)
    benefit = np.ones(n, dtype=bool)
    assert topsis(values + 0.1, weights, benefit) == pytest.approx(topsis(values + 0.1, weights * factor, benefit))


@settings(max_examples=examples(80), deadline=None)
@given(
    values=arrays(np.float64, st.tuples(st.integers(2, 8), st.integers(1, 6)), elements=st.floats(0, 0.9)),
    data=st.data(),
)
def test_an_option_dominated_everywhere_never_ranks_first(values, data):
    n = values.shape[1]
    weights = np.array(data.draw(st.lists(st.floats(0.01, 1), min_size=n, max_size=n)))
    # Option 0 is strictly better than the last option on every criterion.
    values[-1] = values[0] - 0.05
    values = np.clip(values, 0, 1)
    values[0] = values[-1] + 0.05
    totals, _ = weighted_sum(values, weights)
    assert competition_ranks(totals)[-1] != 1
    closeness = topsis(values + 0.01, weights, np.ones(n, dtype=bool))
    assert competition_ranks(closeness)[-1] != 1


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([1, float("nan")], "Weight 1 is missing or infinite."),
        ([1, float("inf")], "Weight 1 is missing or infinite."),
        ([1, -2], "Weight 1 is negative (-2); weights must be zero or more."),
        ([0, 0], "All weights are zero: give at least one criterion some weight."),
        ([1, 2, 3], "Expected 2 weights, one per criterion; got shape (3,)."),
    ],
)
def test_bad_weights_are_named(weights, message):
    with pytest.raises(InputError) as info:
        check_weights(weights, 2)
    assert str(info.value) == message


def test_bad_matrix_and_directions_are_named():
    with pytest.raises(InputError, match=r"scores has a missing or infinite value at option 1, criterion 0\."):
        topsis([[1, 2], [float("nan"), 1]], [1, 1], [True, True])
    with pytest.raises(InputError, match=r"Expected 2 directions"):
        topsis([[1, 2], [2, 1]], [1, 1], [True])
    with pytest.raises(InputError, match=r"non-empty 2-D table"):
        weighted_sum(np.zeros((0, 2)), [1, 1])
    with pytest.raises(InputError, match=r"0-1 scale"):
        weighted_sum([[2.0, 0.0]], [1, 1])


def test_weight_mapping_names_unknown_missing_and_non_numeric_ids():
    ids = ("a", "b")
    assert weights_from_mapping({"a": 1, "b": 3}, ids) == pytest.approx([0.25, 0.75])
    with pytest.raises(InputError, match=r"Unknown criterion id in weights: 'c'\."):
        weights_from_mapping({"a": 1, "b": 1, "c": 1}, ids)
    with pytest.raises(InputError, match=r"No weight given for criterion 'b'\."):
        weights_from_mapping({"a": 1}, ids)
    with pytest.raises(InputError, match=r"The weight for 'a' is not a number: '1'\."):
        weights_from_mapping({"a": "1", "b": 1}, ids)


def test_gates_rule_out_by_direction():
    likely = np.array([[4.0, 1.0], [1.0, 3.0], [2.0, 2.0]])
    benefit = np.array([True, False])
    out, reasons = gate_mask(likely, ("effect", "cost"), benefit, [Gate("cost", 2), Gate("effect", 2)])
    assert out.tolist() == [False, True, False]
    assert reasons[1] == [Gate("cost", 2), Gate("effect", 2)]
    with pytest.raises(InputError, match=r"Unknown criterion id in a gate: 'nope'\."):
        gate_mask(likely, ("effect", "cost"), benefit, [Gate("nope", 1)])


def test_the_value_scale_is_said_from_the_scales_it_describes():
    from core.scoring import to_value, value_scale_words

    assert value_scale_words(np.zeros(3), np.full(3, 4.0)).startswith("score / 4 where more is better, 1 - score / 4")
    one_to_five = value_scale_words(np.ones(2), np.full(2, 5.0))
    assert "(score - 1) / 4 where more is better" in one_to_five and "1-5 labels" in one_to_five
    assert "/" not in value_scale_words(np.array([0.0, 1.0]), np.array([4.0, 5.0]))  # no one formula fits both
    # The words and the map agree: on 1-5, a score of 3 is worth (3 - 1) / 4 where more is better.
    benefit, cost = to_value(np.array([[3.0, 3.0]]), np.ones(2), np.full(2, 5.0), np.array([True, False]))[0]
    assert benefit == 0.5 and cost == 0.5
    assert to_value(np.array([[2.0]]), np.ones(1), np.full(1, 5.0), np.array([False]))[0, 0] == 0.75
