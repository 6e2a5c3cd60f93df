"""Packages: options combined, as the report treats them (complements, not rivals).

A package of two or three options is scored by stated, conservative rules (assumptions, kept apart
from the weights, and shown beside every package):

- on a criterion where more is better, a package is as good as its best member, no better;
- on a criterion where less is better (time, cost, risk), it is as costly as its costliest member;
- no synergy is assumed: members neither add up nor reinforce or undermine each other.

On the 0-4 scales both rules take each criterion's highest score among the members. Limits apply to
the package's combined scores, as to any option. Packages are scored by the weighted sum (closeness
to an ideal, TOPSIS, does not extend to combinations without further assumptions).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from core.problem import Problem
from core.ranking import Ranking, competition_ranks, gate_reason
from core.scoring import gate_mask

RULES = (
    "Packages are scored by assumption, not from a source: on a criterion where more is better a package is as good "
    "as its best member, where less is better it is as costly as its costliest member, and no synergy is assumed. "
    "They are scored by the weighted sum."
)
ANTI_OPTION_WARNING = (
    "This package includes an option the sources warn against: Caulkins calls trading something diplomatically "
    "important for Beijing's cooperation a 'catastrophic error'. It is scored only because you asked."
)


@dataclass(frozen=True)
class Package:
    """A package's combined scores (raw, 0-1 values and weighted contributions) and its verdict on the limits."""

    members: tuple[str, ...]
    name: str
    likely: np.ndarray  # (c,) the combined raw scores
    contributions: np.ndarray  # (c,) value x weight share, adding up to the score
    score: float  # weighted sum, 0-1
    ruled_out: bool
    reason: str
    has_anti_option: bool


def package_name(problem: Problem, members: tuple[str, ...]) -> str:
    return " + ".join(problem.evidence.option_name(m) for m in members)


def combine(problem: Problem, members: tuple[str, ...]) -> Package:
    """Score ``members`` as one package under the rules of :data:`RULES`."""
    evidence = problem.evidence
    index = [evidence.option_ids.index(m) for m in members]
    likely = problem.likely[index].max(axis=0)
    a, b = problem.coefficients
    contributions = (a + b * likely) * problem.shares
    out, failed = gate_mask(likely[None, :], evidence.criterion_ids, evidence.benefit, problem.scenario.gates)
    reason = "; ".join(
        gate_reason(evidence, g, likely[evidence.criterion_ids.index(g.criterion_id)]) for g in failed[0]
    )
    return Package(
        members=tuple(members),
        name=package_name(problem, members),
        likely=likely,
        contributions=contributions,
        score=float(contributions.sum()),
        ruled_out=bool(out[0]),
        reason=reason,
        has_anti_option=any(evidence.option_roles[i] == "anti_option" for i in index),
    )


@dataclass(frozen=True)
class Step:
    """One option added to a package: the score after it, and what it adds on each criterion (points)."""

    added: str
    score: float
    gain: np.ndarray  # (c,) points out of 100 added on each criterion


def steps(problem: Problem, members: tuple[str, ...]) -> list[Step]:
    """What each added option brings: start from the member that scores best alone, then add the member
    that adds the most, and so on (weighted points out of 100)."""
    singles = {m: combine(problem, (m,)) for m in members}
    first = max(members, key=lambda m: (singles[m].score, -members.index(m)))
    chosen, out = [first], [Step(first, singles[first].score, singles[first].contributions * 100)]
    while len(chosen) < len(members):
        current = combine(problem, tuple(chosen))
        rest = [m for m in members if m not in chosen]
        best = max(rest, key=lambda m: (combine(problem, (*chosen, m)).score, -members.index(m)))
        after = combine(problem, (*chosen, best))
        out.append(Step(best, after.score, (after.contributions - current.contributions) * 100))
        chosen.append(best)
    return out


def best_pair(problem: Problem) -> Package | None:
    """The package of two options that scores best with these weights (the anti-option left out; ties go
    to the pair that comes first in the evidence). ``None`` when fewer than two options are in play."""
    evidence = problem.evidence
    candidates = [
        o for o in problem.ids_in_play if evidence.option_roles[evidence.option_ids.index(o)] != "anti_option"
    ]
    pairs = list(combinations(candidates, 2))
    if not pairs:
        return None
    # Every pair scored at once (the rules of combine(), vectorised); the winner is built in full.
    ids = evidence.option_ids
    first = np.array([ids.index(p) for p, _ in pairs])
    second = np.array([ids.index(q) for _, q in pairs])
    likely = np.maximum(problem.likely[first], problem.likely[second])
    a, b = problem.coefficients
    scores = np.round(((a + b * likely) * problem.shares).sum(axis=1), 9)
    out, _ = gate_mask(likely, evidence.criterion_ids, evidence.benefit, problem.scenario.gates)
    scores[out] = -np.inf
    if np.all(out):
        return None
    return combine(problem, pairs[int(np.argmax(scores))])  # the first of equal scores, as in evidence order


def package_ranking(problem: Problem, ranking: Ranking, packages: tuple[tuple[str, ...], ...]) -> Ranking:
    """The options of ``ranking`` and the packages in one weighted-sum ranking, packages marked as such,
    so a package's profile is drawn next to the single options'."""
    built = [combine(problem, p) for p in packages]
    names = (*ranking.names, *(p.name + " (package)" for p in built))
    score = np.concatenate(
        [
            ranking.score if ranking.method == "weighted_sum" else ranking.contributions.sum(axis=1),
            [p.score for p in built],
        ]
    )
    ruled_out = np.concatenate([ranking.ruled_out, [p.ruled_out for p in built]])
    baseline = np.concatenate([ranking.baseline, np.zeros(len(built), bool)])
    contributions = np.vstack([ranking.contributions, *[p.contributions[None, :] for p in built]])
    competing = ~ruled_out & ~baseline
    rank = np.full(len(names), np.nan)
    if competing.any():
        rank[competing] = competition_ranks(score[competing])
    group = np.where(competing, 0, np.where(baseline, 1, 2))
    order = np.lexsort((np.arange(len(names)), np.nan_to_num(rank, nan=np.inf), group))
    roles = (*ranking.roles, *("package" for _ in built))
    return Ranking(
        method="weighted_sum",
        option_ids=tuple((*ranking.option_ids, *("+".join(p.members) for p in built))[i] for i in order),
        names=tuple(names[i] for i in order),
        roles=tuple(roles[i] for i in order),
        post_seed=np.concatenate([ranking.post_seed, np.zeros(len(built), bool)])[order],
        score=score[order],
        rank=rank[order],
        ruled_out=ruled_out[order],
        reasons=tuple((*ranking.reasons, *(p.reason for p in built))[i] for i in order),
        contributions=contributions[order],
        criterion_ids=ranking.criterion_ids,
        shares=ranking.shares,
        baseline=baseline[order],
    )


def step_sentence(problem: Problem, package: tuple[str, ...]) -> str:
    """The package built up in words: "X alone 62.5; adding Y adds 5.0 points (durability +6.0, ...)"."""
    evidence = problem.evidence
    parts = []
    for k, step in enumerate(steps(problem, package)):
        name = evidence.option_name(step.added)
        if k == 0:
            parts.append(f"{name} alone scores {step.score * 100:.1f}")
            continue
        gains = [
            f"{evidence.criterion_name(c).lower()} {g:+.1f}"
            for c, g in sorted(zip(evidence.criterion_ids, step.gain, strict=True), key=lambda x: -abs(x[1]))
            if abs(g) >= 0.05
        ]
        total = step.gain.sum()
        detail = f" ({', '.join(gains[:3])})" if gains else " (nothing: no criterion improves)"
        if abs(total) < 0.05:
            verb = "changes nothing overall"
        else:
            verb = f"{'adds' if total > 0 else 'takes away'} {abs(total):.1f} points"
        parts.append(f"adding {name} {verb}{detail}")
    return "; ".join(parts) + " (weighted points out of 100)."


def best_pair_sentence(problem: Problem, short: bool = False) -> str:
    """The best package of two for these weights, said against its better member alone (``short``: in a few
    words, as the briefing's takeaways say it)."""
    best = best_pair(problem)
    if best is None:
        return (
            "fewer than two options pass your limits, so no package of two can be formed."
            if short
            else "Fewer than two options pass your limits, so no package of two can be formed."
        )
    alone = max(combine(problem, (m,)).score for m in best.members)
    if round(best.score, 9) > round(alone, 9):
        if short:
            return f"{best.name} scores {best.score * 100:.1f}, more than either alone ({alone * 100:.1f})."
        return (
            f"The best package of two for these weights: {best.name}, {best.score * 100:.1f} points, against "
            f"{alone * 100:.1f} for the better of the two alone."
        )
    if short:
        return f"no pair beats its better member alone under our conservative rules; the best is {best.name}."
    return (
        "Under these conservative rules no package of two scores more than its better member alone: what one "
        f"member adds, the other's costs take back. The best-scoring pair is {best.name} ({best.score * 100:.1f} "
        "points)."
    )
