"""Sensitivity of the ranking to the weights: one-at-a-time sweeps and tipping points.

Every function works on the options in play (in view and past the limits) of a
:class:`core.problem.Problem`, with its method (weighted sum or TOPSIS).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.evidence import Evidence
from core.model import additive
from core.problem import Problem
from core.scoring import InputError, Method, topsis_kernel

_EDGE = 1e-6  # crossings this close to 0% or 100% are ties at the end of the path


def scores_batch(problem: Problem, likely: np.ndarray, weights: np.ndarray, method: Method) -> np.ndarray:
    """Overall scores ``(k, o)`` of ``likely`` (o, c) under ``k`` weightings ``(k, c)`` at once."""
    if method == "topsis":
        return topsis_kernel(likely, weights[:, None, :], problem.evidence.benefit)
    return weights @ problem.value_of(likely).T


def scores_for(problem: Problem, likely: np.ndarray, shares: np.ndarray, method: Method) -> np.ndarray:
    """Overall scores of ``likely`` (o, c) under one weighting (higher is better)."""
    return scores_batch(problem, likely, shares[None, :], method)[0]


# --------------------------------------------------------------------------- weight paths
def shares_along(shares: np.ndarray, j: int, t: np.ndarray | float) -> np.ndarray:
    """Weightings with criterion ``j`` at share ``t`` and the others rescaled in proportion.

    Where every other weight is zero, the rest is split equally among the others.
    Returns ``(len(t), c)``.
    """
    t = np.atleast_1d(np.asarray(t, dtype=float))
    rest = np.delete(shares, j)
    rest = rest / rest.sum() if rest.sum() > 0 else np.full(rest.shape, 1.0 / max(len(rest), 1))
    out = np.empty((len(t), len(shares)))
    out[:, j] = t
    out[:, np.arange(len(shares)) != j] = (1 - t)[:, None] * rest[None, :]
    return out


@dataclass(frozen=True)
class Sweep:
    """Each option's overall score as one criterion's share goes from 0 to 1."""

    criterion_id: str
    t: np.ndarray  # (k,) shares of the swept criterion
    scores: np.ndarray  # (k, o)
    option_ids: tuple[str, ...]
    current: float  # the criterion's share now
    changes: tuple[tuple[float, str, str], ...]  # (share, old leader, new leader) where the top option changes


def weight_sweep(problem: Problem, criterion_id: str, points: int = 201) -> Sweep:
    evidence = problem.evidence
    if criterion_id not in evidence.criterion_ids:
        raise InputError(f"Unknown criterion id {criterion_id!r}.")
    j = evidence.criterion_ids.index(criterion_id)
    t = np.linspace(0.0, 1.0, points)
    ids = problem.ids_in_play
    if not ids:
        return Sweep(criterion_id, t, np.zeros((points, 0)), (), float(problem.shares[j]), ())
    likely = problem.likely[problem.in_play]
    scores = scores_batch(problem, likely, shares_along(problem.shares, j, t), problem.method)
    changes = []
    for lo, hi in _leader_changes(scores):
        t_star, old, new = _refine(problem, j, t[lo], t[hi])
        if _EDGE < t_star < 1 - _EDGE:  # level only at 0% or 100% is a tie, not a change of leader
            changes.append((t_star, ids[old], ids[new]))
    return Sweep(criterion_id, t, scores, ids, float(problem.shares[j]), tuple(changes))


def sweep_sentence(evidence: Evidence, sweep: Sweep) -> str:
    """The sweep in words: where the top option changes, or that it never does (and any tie at the ends)."""
    name = evidence.criterion_name(sweep.criterion_id).lower()
    if not sweep.option_ids:
        return "No option passes your limits."
    changes = "; ".join(
        f"at {t * 100:.0f}% {evidence.option_name(new)} takes the lead from {evidence.option_name(old)}"
        for t, old, new in sweep.changes
    )
    ties = []
    for k, where in ((0, "0%"), (-1, "100%")):
        row = np.round(sweep.scores[k], 9)
        level = np.flatnonzero(row == row.max())
        if len(level) > 1:
            ties.append(f"{' and '.join(evidence.option_name(sweep.option_ids[i]) for i in level)} tie at {where}")
    tie_text = (" " + "; ".join(ties).capitalize() + ".") if ties else ""
    if changes:
        return f"As the weight on {name} goes from 0% to 100%: {changes}.{tie_text}"
    leader = evidence.option_name(sweep.option_ids[int(_leader(sweep.scores[len(sweep.t) // 2]))])
    return f"No weight on {name} between the ends changes the top option ({leader}).{tie_text}"


def _leader(scores: np.ndarray) -> np.ndarray:
    # First in evidence order wins a tie, as in the ranking table.
    return np.argmax(np.round(scores, 9), axis=-1)


def _leader_changes(scores: np.ndarray) -> list[tuple[int, int]]:
    lead = _leader(scores)
    return [(i, i + 1) for i in np.flatnonzero(lead[1:] != lead[:-1])]


def _refine(problem: Problem, j: int, lo: float, hi: float) -> tuple[float, int, int]:
    """The share where the leader changes between ``lo`` and ``hi``: each round scores 65 shares across the
    bracket at once and keeps the step where the leader first changes (four rounds narrow it 64**4-fold)."""
    likely = problem.likely[problem.in_play]

    def leads(t: np.ndarray) -> np.ndarray:
        return _leader(scores_batch(problem, likely, shares_along(problem.shares, j, t), problem.method))

    old = int(leads(np.array([lo]))[0])
    new = int(leads(np.array([hi]))[0])
    for _ in range(4):
        t = np.linspace(lo, hi, 65)
        lead = leads(t)
        k = int(np.flatnonzero(lead != old)[0])  # t[0] = lo keeps the old leader, t[-1] = hi does not
        lo, hi, new = float(t[k - 1]), float(t[k]), int(lead[k])
    return (lo + hi) / 2, old, new


# --------------------------------------------------------------------------- tipping points
@dataclass(frozen=True)
class TippingPoint:
    """The nearest changes of the top option as one criterion's weight falls or rises."""

    criterion_id: str
    current: float
    leader: str | None
    below: tuple[float, str] | None  # (share, new leader) if lowering the weight changes the top option
    above: tuple[float, str] | None  # (share, new leader) if raising it does
    tied_with: tuple[str, ...] = ()  # other options level with the leader now


def tipping_points(problem: Problem) -> list[TippingPoint]:
    """For each criterion, the smallest change in its weight (others rescaled) that changes the top option.

    The weighted sum is linear along the path, so crossings are solved exactly; TOPSIS
    is searched on a fine grid and refined by bisection.
    """
    ids = problem.ids_in_play
    points = []
    if ids:
        current = np.round(scores_for(problem, problem.likely[problem.in_play], problem.shares, problem.method), 9)
        level = current == current.max()
    for j, cid in enumerate(problem.evidence.criterion_ids):
        now = float(problem.shares[j])
        if not ids:
            points.append(TippingPoint(cid, now, None, None, None))
            continue
        if additive(problem.method):
            below, above, leader = _linear_tipping(problem, j)
        else:
            below, above, leader = _searched_tipping(problem, j)
        tied = tuple(ids[i] for i in np.flatnonzero(level) if i != leader)
        points.append(TippingPoint(cid, now, ids[leader], below, above, tied))
    return points


def _linear_tipping(problem: Problem, j: int):
    ids = problem.ids_in_play
    values = problem.values[problem.in_play]  # (o, c)
    path0, path1 = shares_along(problem.shares, j, np.array([0.0, 1.0]))
    s0, s1 = values @ path0, values @ path1  # scores at t = 0 and t = 1; linear in between
    t0 = float(problem.shares[j])
    now = s0 + t0 * (s1 - s0)
    leader = int(_leader(now))
    slope = (s1 - s0) - (s1[leader] - s0[leader])  # each option's gain on the leader per unit t
    gap = now - now[leader]  # <= 0
    with np.errstate(divide="ignore", invalid="ignore"):
        t_cross = t0 - gap / slope  # where each option draws level with the leader
    others = (np.arange(len(ids)) != leader) & (slope != 0)
    # Drawing level only at 0% or 100% is a tie at the end of the path, not an overtaking.
    falls = others & (slope < 0) & (t_cross > _EDGE) & (t_cross < t0 + 1e-12)
    rises = others & (slope > 0) & (t_cross > t0 - 1e-12) & (t_cross < 1 - _EDGE)
    below = _nearest(np.where(falls, t0 - t_cross, np.inf), t_cross, ids)
    above = _nearest(np.where(rises, t_cross - t0, np.inf), t_cross, ids)
    return below, above, leader


def _nearest(distance: np.ndarray, t_cross: np.ndarray, ids: tuple[str, ...]) -> tuple[float, str] | None:
    """The crossing nearest the current weight (the first in evidence order among equally near), or None."""
    if not np.isfinite(distance).any():
        return None
    i = int(np.flatnonzero(distance <= distance.min() + 1e-12)[0])
    return float(t_cross[i]), ids[i]


def _searched_tipping(problem: Problem, j: int, points: int = 401):
    ids, likely = problem.ids_in_play, problem.likely[problem.in_play]
    t0 = float(problem.shares[j])
    leader = int(_leader(scores_for(problem, likely, problem.shares, problem.method)))
    below = above = None
    for direction, grid in (("below", np.linspace(t0, 0.0, points)), ("above", np.linspace(t0, 1.0, points))):
        leads = _leader(scores_batch(problem, likely, shares_along(problem.shares, j, grid), problem.method))
        for k in range(1, len(grid)):
            if leads[k] != leader:
                lo, hi = sorted((grid[k - 1], grid[k]))
                t_star, old, new = _refine(problem, j, lo, hi)
                if not _EDGE < t_star < 1 - _EDGE:
                    break  # level only at 0% or 100%: a tie, not an overtaking
                new_leader = new if old == leader else old
                result = (t_star, ids[new_leader])
                if direction == "below":
                    below = result
                else:
                    above = result
                break
    return below, above, leader


def tipping_sentence(evidence: Evidence, point: TippingPoint) -> str:
    """The tipping point in words, e.g. "X overtakes Y if the weight on durability falls below 12% (now 20%)"."""
    name = evidence.criterion_name(point.criterion_id).lower()
    now = f"{point.current * 100:.0f}%"
    if point.leader is None:
        return f"No option passes your limits, so the weight on {name} cannot change the top option."
    leader = evidence.option_name(point.leader)
    if point.tied_with:
        others = " and ".join(evidence.option_name(o) for o in point.tied_with)
        return (
            f"{leader} and {others} tie for first now, so any change to the weight on {name} (now {now}) "
            "may break the tie."
        )
    parts = []
    for side, verb in ((point.below, "falls below"), (point.above, "rises above")):
        if side is None:
            continue
        t, new = side
        caveat = ""
        if evidence.option_roles[evidence.option_ids.index(new)] == "anti_option":
            caveat = ", an option the sources warn against,"
        parts.append(
            f"{evidence.option_name(new)}{caveat} overtakes {leader} if the weight on {name} {verb} {t * 100:.0f}%"
        )
    if not parts:
        return f"No weight on {name}, from 0% to 100%, changes the top option ({leader}; now {now})."
    return "; ".join(parts) + f" (now {now})."


# --------------------------------------------------------------------------- chart information
@dataclass(frozen=True)
class SweepInfo:
    """Scores along one weight's path (points out of 100 for the weighted sum), with where the lead changes."""

    sweep: Sweep
    names: tuple[str, ...]
    palette_index: tuple[int, ...]  # each option's position in the evidence: its colour on every chart
    scores: np.ndarray
    criterion_name: str
    score_label: str
    title: str
    summary: str


def sweep_info(problem: Problem, sweep: Sweep) -> SweepInfo:
    evidence = problem.evidence
    cname = evidence.criterion_name(sweep.criterion_id)
    weighted = additive(problem.method)
    n = len(sweep.changes)
    if n:
        title = f"The top option changes {'once' if n == 1 else f'{n} times'} as the weight on {cname.lower()} moves"
    else:
        title = f"No weight on {cname.lower()} changes the top option"
    return SweepInfo(
        sweep=sweep,
        names=tuple(evidence.option_name(o) for o in sweep.option_ids),
        palette_index=tuple(evidence.option_ids.index(o) for o in sweep.option_ids),
        scores=sweep.scores * (100 if weighted else 1),
        criterion_name=cname,
        score_label="Overall score, points out of 100" if weighted else "Closeness to the ideal (TOPSIS, 0 to 1)",
        title=title,
        summary=f"Each option's overall score as the weight on {cname.lower()} goes from 0% to 100% "
        f"(now {sweep.current * 100:.0f}%), the other weights rescaled in proportion. "
        + sweep_sentence(evidence, sweep),
    )
