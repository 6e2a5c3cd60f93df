"""Tradeoffs between two criteria (Pareto front, dominance) and a two-option comparison.

Both work on the options in play (in view, past the gates, as the model reads them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.evidence import Evidence
from core.problem import Problem
from core.scoring import InputError, to_value


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


def tradeoff(problem: Problem, x_id: str, y_id: str) -> Tradeoff:
    evidence = problem.evidence
    for cid in (x_id, y_id):
        if cid not in evidence.criterion_ids:
            raise InputError(f"Unknown criterion id {cid!r}.")
    jx, jy = evidence.criterion_ids.index(x_id), evidence.criterion_ids.index(y_id)
    ids = problem.ids_in_play
    xr, yr = problem.likely[problem.in_play, jx], problem.likely[problem.in_play, jy]
    # Each criterion on its own 0-1 value scale (1 best): the model's signed or combined values would
    # put a cost below zero or fold durability into the effect, and this chart shows the two criteria as scored.
    xv = to_value(xr, evidence.scale_min[jx], evidence.scale_max[jx], evidence.benefit[jx])
    yv = to_value(yr, evidence.scale_min[jy], evidence.scale_max[jy], evidence.benefit[jy])
    front = pareto_front(xv, yv)
    dominated_by: list[str | None] = []
    for i in range(len(ids)):
        if front[i]:
            dominated_by.append(None)
            continue
        beaters = [k for k in range(len(ids)) if xv[k] >= xv[i] and yv[k] >= yv[i] and (xv[k] > xv[i] or yv[k] > yv[i])]
        # Name the dominator that beats it by the most, on the sum of the two values.
        best = max(beaters, key=lambda k: (xv[k] + yv[k], -k))
        dominated_by.append(ids[best])
    return Tradeoff(x_id, y_id, ids, xv, yv, xr, yr, front, tuple(dominated_by))


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


def compare_options(problem: Problem, a: str, b: str) -> Comparison:
    """Which criteria favour which option, and by how much (weighted-sum contributions)."""
    evidence = problem.evidence
    for option_id in (a, b):
        if option_id not in evidence.option_ids:
            raise InputError(f"Unknown option id {option_id!r}.")
    ia, ib = evidence.option_ids.index(a), evidence.option_ids.index(b)
    diff = (problem.values[ia] - problem.values[ib]) * problem.shares * 100
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


# --------------------------------------------------------------------------- chart information
def scale_ticks(evidence: Evidence, criterion_id: str) -> dict[float, str]:
    """Tick positions on the 0-1 value axis (better to the right or up) and their labels, "2 moderate"."""
    j = evidence.criterion_ids.index(criterion_id)
    lo, hi = int(evidence.scale_min[j]), int(evidence.scale_max[j])
    raws = np.arange(lo, hi + 1)
    values = to_value(raws, evidence.scale_min[j], evidence.scale_max[j], evidence.benefit[j])
    labels = (f"{raw} {evidence.scale_label(criterion_id, raw)}" for raw in raws)
    return dict(sorted(zip(values.tolist(), labels, strict=True)))


@dataclass(frozen=True)
class TradeoffInfo:
    view: Tradeoff
    names: tuple[str, ...]
    x_name: str
    y_name: str
    x_ticks: dict[float, str]
    y_ticks: dict[float, str]
    sentences: tuple[str, ...]
    title: str
    summary: str


def tradeoff_info(problem: Problem, view: Tradeoff) -> TradeoffInfo:
    evidence = problem.evidence
    names = tuple(evidence.option_name(o) for o in view.option_ids)
    front = [n for n, f in zip(names, view.on_front, strict=True) if f]
    count = f"{len(front)} option is" if len(front) == 1 else f"{len(front)} options are"
    return TradeoffInfo(
        view=view,
        names=names,
        x_name=evidence.criterion_name(view.x_id),
        y_name=evidence.criterion_name(view.y_id),
        x_ticks=scale_ticks(evidence, view.x_id),
        y_ticks=scale_ticks(evidence, view.y_id),
        sentences=tuple(dominance_sentences(evidence, view)),
        title=f"On these two criteria, {count} not beaten on both",
        summary="Numbered markers are the options, named in the legend; the dashed line joins the options that no "
        f"other beats on both criteria (the Pareto front): {', '.join(front)}.",
    )


@dataclass(frozen=True)
class ComparisonInfo:
    comparison: Comparison
    criterion_names: tuple[str, ...]
    name_a: str
    name_b: str
    sentences: tuple[str, ...]
    title: str
    summary: str


def comparison_info(problem: Problem, comparison: Comparison) -> ComparisonInfo:
    evidence = problem.evidence
    sentences = tuple(comparison_sentences(evidence, comparison))
    return ComparisonInfo(
        comparison=comparison,
        criterion_names=tuple(evidence.criterion_name(c) for c in comparison.criterion_ids),
        name_a=evidence.option_name(comparison.a),
        name_b=evidence.option_name(comparison.b),
        sentences=sentences,
        title=sentences[0],
        summary=" ".join(sentences),
    )
