"""Multi-criteria scoring: value normalisation, weighted sum, TOPSIS, ranks and gates.

Each method has a fast kernel that trusts its input (``*_kernel``) and a public
wrapper that checks shapes, NaN, signs and ids and raises ``ValueError`` naming the
bad item. Nothing here imports streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

Method = Literal["weighted_sum", "expected_impact", "topsis"]
METHODS: tuple[Method, ...] = ("weighted_sum", "expected_impact", "topsis")
METHOD_NAMES = {
    "weighted_sum": "Weighted sum",
    "expected_impact": "Expected impact (speed and durability qualify the effect)",
    "topsis": "Closeness to the ideal (TOPSIS)",
}
TIE_DECIMALS = 9


class InputError(ValueError):
    """A bad argument to the decision core, with a message that names it."""


# --------------------------------------------------------------------------- checks
def check_matrix(matrix: np.ndarray, name: str = "scores") -> np.ndarray:
    m = np.asarray(matrix, dtype=float)
    if m.ndim != 2 or m.shape[0] == 0 or m.shape[1] == 0:
        raise InputError(f"{name} must be a non-empty 2-D table (options x criteria); got shape {m.shape}.")
    if not np.all(np.isfinite(m)):
        i, j = np.argwhere(~np.isfinite(m))[0]
        raise InputError(f"{name} has a missing or infinite value at option {i}, criterion {j}.")
    return m


def check_weights(weights: Sequence[float] | np.ndarray, n_criteria: int) -> np.ndarray:
    """Return the weights as shares summing to 1.

    Raises
    ------
    InputError
        On a wrong count, NaN or infinite, negative or all-zero weights.
    """
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1 or w.shape[0] != n_criteria:
        raise InputError(f"Expected {n_criteria} weights, one per criterion; got shape {w.shape}.")
    if not np.all(np.isfinite(w)):
        raise InputError(f"Weight {int(np.argmax(~np.isfinite(w)))} is missing or infinite.")
    if np.any(w < 0):
        raise InputError(f"Weight {int(np.argmax(w < 0))} is negative ({w[w < 0][0]:g}); weights must be zero or more.")
    total = w.sum()
    if total <= 0:
        raise InputError("All weights are zero: give at least one criterion some weight.")
    return w / total


def weights_from_mapping(weights: Mapping[str, float], criterion_ids: Sequence[str]) -> np.ndarray:
    """Turn ``{criterion_id: weight}`` into shares in ``criterion_ids`` order."""
    unknown = sorted(set(weights) - set(criterion_ids))
    if unknown:
        raise InputError(f"Unknown criterion id in weights: {unknown[0]!r}.")
    missing = [c for c in criterion_ids if c not in weights]
    if missing:
        raise InputError(f"No weight given for criterion {missing[0]!r}.")
    values = []
    for c in criterion_ids:
        v = weights[c]
        if isinstance(v, bool) or not isinstance(v, (int, float, np.floating, np.integer)):
            raise InputError(f"The weight for {c!r} is not a number: {v!r}.")
        values.append(float(v))
    return check_weights(values, len(criterion_ids))


# --------------------------------------------------------------------------- value scale
def value_coefficients(
    scale_min: np.ndarray, scale_max: np.ndarray, benefit: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``value = a + b * raw`` per criterion: the 0-1 value scale (1 always best) as a linear map.

    A benefit criterion maps ``scale_min -> 0`` and ``scale_max -> 1``; a cost criterion the other
    way round. The fixed scale (not the options' min and max) keeps an option's value unchanged when
    other options are added or ruled out. Treating the ordinal labels as evenly spaced is an assumption.
    """
    span = np.asarray(scale_max, dtype=float) - np.asarray(scale_min, dtype=float)
    b = np.where(benefit, 1.0, -1.0) / span
    a = np.where(benefit, -np.asarray(scale_min) / span, 1.0 + np.asarray(scale_min) / span)
    return a, b


def to_value(matrix: np.ndarray, scale_min: np.ndarray, scale_max: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Raw scores on the 0-1 value scale of :func:`value_coefficients`."""
    a, b = value_coefficients(scale_min, scale_max, benefit)
    return a + b * np.asarray(matrix, dtype=float)


def value_scale_words(scale_min: np.ndarray, scale_max: np.ndarray) -> str:
    """How a score becomes a 0-1 value, in words, from the criteria's own scales ("score / 4" on a 0-4 scale)."""
    lows, highs = set(np.asarray(scale_min, dtype=float)), set(np.asarray(scale_max, dtype=float))
    if len(lows) == 1 and len(highs) == 1:
        lo, hi = lows.pop(), highs.pop()
        shifted = "score" if lo == 0 else f"(score - {lo:g})"
        return (
            f"{shifted} / {hi - lo:g} where more is better, 1 - {shifted} / {hi - lo:g} where less is better; "
            f"treating the {lo:g}-{hi:g} labels as evenly spaced is an assumption"
        )
    return (
        "the score's place between the bottom and the top of its criterion's scale, reversed where less is better; "
        "treating the labels as evenly spaced is an assumption"
    )


# --------------------------------------------------------------------------- methods
def weighted_sum_kernel(values: np.ndarray, shares: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    contributions = values * shares
    return contributions.sum(axis=-1), contributions


def weighted_sum(values: np.ndarray, weights: Sequence[float] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Additive value score.

    Parameters
    ----------
    values
        ``(n_options, n_criteria)`` values on the 0-1 scale (1 best).
    weights
        Non-negative weights, one per criterion; they are rescaled to sum to 1.

    Returns
    -------
    totals, contributions
        ``(n_options,)`` overall scores in 0-1 and ``(n_options, n_criteria)`` parts
        that add up to them.
    """
    v = check_matrix(values, "values")
    shares = check_weights(weights, v.shape[1])
    if np.any(v < -1e-12) or np.any(v > 1 + 1e-12):
        raise InputError("values must lie on the 0-1 scale.")
    return weighted_sum_kernel(v, shares)


def topsis_kernel(matrix: np.ndarray, shares: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    # Vector normalisation (Hwang & Yoon). A column of zeros cannot tell options
    # apart, so it normalises to zeros instead of dividing by zero.
    norms = np.sqrt((matrix**2).sum(axis=-2, keepdims=True))
    normalised = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    weighted = normalised * shares
    best = np.where(benefit, weighted.max(axis=-2, keepdims=True), weighted.min(axis=-2, keepdims=True))
    worst = np.where(benefit, weighted.min(axis=-2, keepdims=True), weighted.max(axis=-2, keepdims=True))
    d_best = np.sqrt(((weighted - best) ** 2).sum(axis=-1))
    d_worst = np.sqrt(((weighted - worst) ** 2).sum(axis=-1))
    denom = d_best + d_worst
    # All options identical: every one is equally close to the ideal.
    return np.divide(d_worst, denom, out=np.full_like(denom, 0.5), where=denom > 0)


def topsis(
    matrix: np.ndarray, weights: Sequence[float] | np.ndarray, benefit: Sequence[bool] | np.ndarray
) -> np.ndarray:
    """TOPSIS relative closeness to the ideal, with vector normalisation.

    Parameters
    ----------
    matrix
        ``(n_options, n_criteria)`` raw scores, all zero or more.
    weights
        Non-negative weights, rescaled to sum to 1.
    benefit
        ``True`` where more is better, ``False`` where less is better.

    Returns
    -------
    ``(n_options,)`` closeness in 0-1, higher is better.
    """
    m = check_matrix(matrix)
    shares = check_weights(weights, m.shape[1])
    b = np.asarray(benefit, dtype=bool)
    if b.shape != (m.shape[1],):
        raise InputError(f"Expected {m.shape[1]} directions, one per criterion; got shape {b.shape}.")
    if np.any(m < 0):
        raise InputError("TOPSIS with vector normalisation needs scores of zero or more.")
    return topsis_kernel(m, shares, b)


def competition_ranks(scores: np.ndarray) -> np.ndarray:
    """Ranks for scores where higher is better; ties share the best rank (1, 2, 2, 4).

    Scores equal to ``TIE_DECIMALS`` decimals count as tied, so floating-point noise
    does not break a genuine tie.
    """
    s = np.round(np.asarray(scores, dtype=float), TIE_DECIMALS)
    return 1 + (s[None, :] > s[:, None]).sum(axis=1)


# --------------------------------------------------------------------------- gates
@dataclass(frozen=True)
class Gate:
    """Rule out options whose likely score is worse than ``limit`` on a criterion.

    For a cost criterion "worse" means above the limit; for a benefit criterion,
    below it.
    """

    criterion_id: str
    limit: float


def gate_mask(
    likely: np.ndarray,
    criterion_ids: Sequence[str],
    benefit: np.ndarray,
    gates: Sequence[Gate],
) -> tuple[np.ndarray, list[list[Gate]]]:
    """Which options the gates rule out, and by which gates.

    Returns
    -------
    ruled_out, reasons
        ``(n_options,)`` booleans, and for each option the gates it fails.
    """
    index = {c: j for j, c in enumerate(criterion_ids)}
    ruled_out = np.zeros(likely.shape[0], dtype=bool)
    reasons: list[list[Gate]] = [[] for _ in range(likely.shape[0])]
    for gate in gates:
        if gate.criterion_id not in index:
            raise InputError(f"Unknown criterion id in a gate: {gate.criterion_id!r}.")
        if not np.isfinite(gate.limit):
            raise InputError(f"The limit for {gate.criterion_id!r} is not a finite number.")
        j = index[gate.criterion_id]
        fails = likely[:, j] < gate.limit if benefit[j] else likely[:, j] > gate.limit
        for i in np.flatnonzero(fails):
            reasons[i].append(gate)
        ruled_out |= fails
    return ruled_out, reasons
