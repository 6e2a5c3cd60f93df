"""Rank the options for a scenario: the kernel (a ``Ranking`` per scenario and method) and how two rankings differ.

The sentences that say a ranking in words are in :mod:`core.ranking_words`; the info objects the charts draw from are in
:mod:`core.ranking_info`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.evidence import Evidence
from core.model import additive
from core.problem import Problem
from core.scoring import (
    TIE_DECIMALS,
    Gate,
    Method,
    competition_ranks,
    topsis_kernel,
    weighted_sum_kernel,
)


@dataclass(frozen=True)
class Ranking:
    """The ranking for one scenario: the options best first, then the status quo (the baseline, unranked:
    it is what every option is measured against), then the options the limits rule out.

    Arrays run over the options in view in that order. ``contributions`` is
    ``(n_options, n_criteria)`` in 0-1 units that add up to the weighted-sum score
    (it is filled for TOPSIS too, for reference). Plain arrays rather than a
    DataFrame keep a rerun cheap; :meth:`to_frame` gives the table.
    """

    method: str
    option_ids: tuple[str, ...]
    names: tuple[str, ...]
    roles: tuple[str, ...]
    post_seed: np.ndarray
    score: np.ndarray
    rank: np.ndarray
    ruled_out: np.ndarray
    reasons: tuple[str, ...]
    contributions: np.ndarray
    criterion_ids: tuple[str, ...]
    shares: np.ndarray
    baseline: np.ndarray  # True for the status quo, when it is in view and passes the limits
    reference: str = "nothing_new"  # what zero means (core.model): the status quo at zero, or scored

    @property
    def top_ids(self) -> tuple[str, ...]:
        return tuple(
            o for o, r, out in zip(self.option_ids, self.rank, self.ruled_out, strict=True) if r == 1 and not out
        )

    @property
    def n_ranked(self) -> int:
        """The options that compete: in view, past the limits, and not the baseline."""
        return int((~self.ruled_out & ~self.baseline).sum())

    @property
    def baseline_score(self) -> float | None:
        """The status quo's score: doing nothing new (None if it is out of view or ruled out)."""
        return float(self.score[self.baseline][0]) if self.baseline.any() else None

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(
            {
                "option_id": self.option_ids,
                "name": self.names,
                "role": self.roles,
                "post_seed": self.post_seed,
                "score": self.score,
                "rank": self.rank,
                "ruled_out": self.ruled_out,
                "reason": self.reasons,
            }
        )
        for j, cid in enumerate(self.criterion_ids):
            frame[cid] = self.contributions[:, j]
        return frame


def gate_reason(evidence: Evidence, gate: Gate, score: float) -> str:
    name = evidence.criterion_name(gate.criterion_id).lower()
    j = evidence.criterion_ids.index(gate.criterion_id)
    side = "above" if not evidence.benefit[j] else "below"
    return (
        f"{name} is {score:g} ({evidence.scale_label(gate.criterion_id, score)}), "
        f"{side} your limit of {gate.limit:g} ({evidence.scale_label(gate.criterion_id, gate.limit)})"
    )


def method_scores(problem: Problem, method: Method) -> tuple[np.ndarray, np.ndarray]:
    """Scores over the options in view (NaN where ruled out under TOPSIS) and the additive contributions (the
    weighted sum's under TOPSIS, for reference)."""
    values = problem.values_under("weighted_sum" if method == "topsis" else method)[problem.view]
    totals, contributions = weighted_sum_kernel(values, problem.shares)
    if method != "topsis":
        return totals, contributions
    score = np.full(len(problem.view), np.nan)
    keep = ~problem.ruled_out
    if keep.any():
        score[keep] = topsis_kernel(problem.likely[problem.view][keep], problem.shares, problem.evidence.benefit)
    return score, contributions


def rank_options(problem: Problem, method: Method | None = None) -> Ranking:
    """Score and rank the options in view.

    Weighted sum and expected impact: the additive value models of :mod:`core.model`. TOPSIS: closeness to
    the ideal with vector normalisation of the raw scores, computed over the options that pass the
    limits and the status quo. The status quo is scored but not ranked: it is the baseline.
    """
    evidence = problem.evidence
    method = method or problem.method
    keep, ruled_out = problem.view, problem.ruled_out
    baseline = keep == problem.baseline
    score, contributions = method_scores(problem, method)
    rank = np.full(len(keep), np.nan)
    competing = ~ruled_out & ~baseline
    if competing.any():
        rank[competing] = competition_ranks(score[competing])
    ids = [evidence.option_ids[i] for i in keep]
    likely = problem.likely[keep]
    # Ranked options best first, then the baseline, then those ruled out; ties in the order of the evidence.
    group = np.where(competing, 0, np.where(baseline, 1, 2))
    order = np.lexsort((np.arange(len(keep)), np.nan_to_num(rank, nan=np.inf), group))
    return Ranking(
        method=method,
        option_ids=tuple(ids[i] for i in order),
        names=tuple(evidence.option_names[ids[i]] for i in order),
        roles=tuple(evidence.option_roles[keep[i]] for i in order),
        post_seed=evidence.option_post_seed[keep][order],
        score=score[order],
        rank=rank[order],
        ruled_out=ruled_out[order],
        reasons=tuple(
            "; ".join(
                gate_reason(evidence, g, likely[i, evidence.criterion_ids.index(g.criterion_id)])
                for g in problem.failed[i]
            )
            for i in order
        ),
        contributions=contributions[order],
        criterion_ids=evidence.criterion_ids,
        shares=problem.shares,
        baseline=baseline[order],
        reference=problem.scenario.reference,
    )


def top_option_ids(problem: Problem, method: Method) -> tuple[str, ...]:
    """The ids ranked first under ``method`` (several on a tie), without building a table."""
    competing = ~problem.ruled_out & (problem.view != problem.baseline)
    if not competing.any():
        return ()
    score, _ = method_scores(problem, method)
    score = np.where(competing, score, -np.inf)
    best = np.round(score, TIE_DECIMALS) == np.round(score.max(), TIE_DECIMALS)
    return tuple(problem.evidence.option_ids[i] for i in problem.view[best])


def format_score(score: float, method: str) -> str:
    return f"{score * 100:.1f}" if additive(method) else f"{score:.3f}"


# --------------------------------------------------------------------------- how two rankings differ
@dataclass(frozen=True)
class RankChange:
    rows: pd.DataFrame
    verdict: str


def _moved(before: float, after: float) -> str:
    if np.isnan(before) or np.isnan(after):
        return ""
    if before == after:
        return "same"
    return f"up {int(before - after)}" if after < before else f"down {int(after - before)}"


def rank_change(first: Problem, second: Problem, labels: tuple[str, str], what: str) -> RankChange:
    """Each option's rank in two problems (the same options, differently scored), and the change in words.

    ``labels`` head the two rank columns; ``what`` names the change in the verdict ("taking displacement
    seriously").
    """
    evidence = first.evidence
    before, after = rank_options(first), rank_options(second)
    rank_after = dict(zip(after.option_ids, after.rank, strict=True))
    rows = []
    for option_id, name, rank in zip(before.option_ids, before.names, before.rank, strict=True):
        if option_id not in rank_after:
            continue
        later = rank_after[option_id]
        rows.append(
            {
                "Option": name,
                labels[0]: None if np.isnan(rank) else int(rank),
                labels[1]: None if np.isnan(later) else int(later),
                "Change": _moved(rank, later),
            }
        )
    moved = [r["Option"] for r in rows if r["Change"].startswith(("up", "down"))]
    if set(before.top_ids) != set(after.top_ids):
        new = ", ".join(evidence.option_name(o) for o in after.top_ids) or "no option"
        old = ", ".join(evidence.option_name(o) for o in before.top_ids) or "no option"
        verdict = f"{what[0].upper()}{what[1:]} changes the top option: {new} instead of {old}."
    elif moved:
        verdict = f"{what[0].upper()}{what[1:]} keeps the top option; {', '.join(moved)} change places."
    else:
        verdict = f"{what[0].upper()}{what[1:]} changes no option's rank."
    return RankChange(pd.DataFrame(rows), verdict)
