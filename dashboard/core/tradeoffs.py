"""Tradeoffs between two criteria (Pareto front, dominance) and a two-option comparison.

Both work on the options in play (in view, past the gates, with any displacement discount).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.evidence import Evidence
from core.ranking import effective_likely
from core.robustness import _value_coefficients, field
from core.scenario import Scenario
from core.scoring import InputError, weights_from_mapping


def pareto_front(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Mask of points no other point beats on both axes (higher is better on both)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    ge = (x[None, :] >= x[:, None]) & (y[None, :] >= y[:, None])
    gt = (x[None, :] > x[:, None]) | (y[None, :] > y[:, None])
    dominated = (ge & gt).any(axis=1)
    return ~dominated


@dataclass(frozen=True)
class Tradeoff:
    """Two criteria for the options in play: values (1 best), raw scores, the front and who dominates whom."""

    x_id: str
    y_id: str
    option_ids: tuple[str, ...]
    x_value: np.ndarray
    y_value: np.ndarray
    x_raw: np.ndarray
    y_raw: np.ndarray
    on_front: np.ndarray
    dominated_by: tuple[str | None, ...]


def tradeoff(evidence: Evidence, scenario: Scenario, x_id: str, y_id: str) -> Tradeoff:
    for cid in (x_id, y_id):
        if cid not in evidence.criterion_ids:
            raise InputError(f"Unknown criterion id {cid!r}.")
    f = field(evidence, scenario)
    a, b = _value_coefficients(evidence)
    jx, jy = evidence.criterion_ids.index(x_id), evidence.criterion_ids.index(y_id)
    xr, yr = f.likely[:, jx], f.likely[:, jy]
    xv, yv = a[jx] + b[jx] * xr, a[jy] + b[jy] * yr
    front = pareto_front(xv, yv)
    dominated_by: list[str | None] = []
    for i in range(len(f.option_ids)):
        if front[i]:
            dominated_by.append(None)
            continue
        beaters = [
            k
            for k in range(len(f.option_ids))
            if xv[k] >= xv[i] and yv[k] >= yv[i] and (xv[k] > xv[i] or yv[k] > yv[i])
        ]
        # Name the dominator that beats it by the most, on the sum of the two values.
        best = max(beaters, key=lambda k: (xv[k] + yv[k], -k))
        dominated_by.append(f.option_ids[best])
    return Tradeoff(x_id, y_id, f.option_ids, xv, yv, xr, yr, front, tuple(dominated_by))


def dominance_sentences(evidence: Evidence, view: Tradeoff) -> list[str]:
    out = []
    for option_id, by in zip(view.option_ids, view.dominated_by, strict=True):
        if by is not None:
            out.append(f"{evidence.option_name(option_id)} is beaten on both criteria by {evidence.option_name(by)}.")
    return out


@dataclass(frozen=True)
class Comparison:
    """Per-criterion weighted-sum contributions of option A minus option B, in points out of 100."""

    a: str
    b: str
    criterion_ids: tuple[str, ...]
    difference: np.ndarray  # (c,) points; positive favours A
    total: float


def compare_options(evidence: Evidence, scenario: Scenario, a: str, b: str) -> Comparison:
    """Which criteria favour which option, and by how much (weighted-sum contributions)."""
    for option_id in (a, b):
        if option_id not in evidence.option_ids:
            raise InputError(f"Unknown option id {option_id!r}.")
    shares = weights_from_mapping(scenario.weight_map, evidence.criterion_ids)
    ca, cb = _value_coefficients(evidence)
    ia, ib = evidence.option_ids.index(a), evidence.option_ids.index(b)
    values = ca + cb * effective_likely(evidence, scenario)
    diff = (values[ia] - values[ib]) * shares * 100
    return Comparison(a, b, evidence.criterion_ids, diff, float(diff.sum()))


def comparison_sentences(evidence: Evidence, comparison: Comparison) -> list[str]:
    """The comparison in words: the overall lead, then each criterion's share of the gross difference."""
    na, nb = evidence.option_name(comparison.a), evidence.option_name(comparison.b)
    if abs(comparison.total) < 1e-9:
        lines = [f"{na} and {nb} tie overall with these weights."]
    else:
        lead, trail = (na, nb) if comparison.total > 0 else (nb, na)
        lines = [f"{lead} leads {trail} by {abs(comparison.total):.1f} points out of 100 with these weights."]
    gross = np.abs(comparison.difference).sum()
    order = np.argsort(-np.abs(comparison.difference))
    for j in order:
        d = comparison.difference[j]
        if abs(d) < 1e-9:
            continue
        who = na if d > 0 else nb
        lines.append(
            f"{evidence.criterion_name(comparison.criterion_ids[j])} favours {who} by {abs(d):.1f} points "
            f"({abs(d) / gross * 100:.0f}% of all the differences)."
        )
    return lines
