"""Packages: options combined, as the report treats them (complements, not rivals).

A package of two or three options is scored by stated rules (assumptions, kept apart from the weights,
and shown beside every package):

- on a criterion where more is better, a package is as good as its best member, no better;
- it acts as soon as its fastest member does (time to effect: the lowest among the members);
- its costs add up (diplomatic cost, risk of ill effects: the members' scores above the bottom of the
  scale summed, to the top of the scale at most), since two measures cost at least what each costs; but
  where two members' scores on a cost rest on the same quote (China expecting paybacks for cooperation,
  say), it is one cost, counted once (the costlier member's);
- where the sources state an interaction between two members (``data/interactions.csv``: sanctions
  undermined cooperation, pressure plus engagement restarted it), the package's score on that criterion
  moves by the stated shift, within the scale. The user can switch the interactions off.

Limits apply to the package's combined scores, as to any option. Packages are scored by the additive model
the scenario uses (the weighted sum, or expected impact); closeness to an ideal (TOPSIS) does not extend to
combinations without further assumptions, so under TOPSIS packages are scored by the weighted sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from core.cache import Memo
from core.evidence import MARCH_2022, Evidence, read_only, split_quote_ids
from core.model import TIME, additive
from core.problem import Problem
from core.ranking import Ranking, competition_ranks, gate_reason
from core.scoring import gate_mask

RULES = (
    "Packages are scored by stated rules, not from a source: on a criterion where more is better a package is as "
    "good as its best member, no better; it acts as soon as its fastest member does; its costs (diplomatic cost, "
    "risk of ill effects) add up, to the top of the scale at most, except that a cost two members' scores rest on "
    "the same quote counts once (the costlier); and where the sources state an interaction between two members, "
    "the package's score moves as they say (listed below; you can switch them off). The sources also say that "
    "sanctions undermined cooperation: that is counted once, in the sanctions' own diplomatic cost (China's "
    "embassy: they 'seriously eroded the foundation' for it), not again as an interaction."
)
ANTI_OPTION_WARNING = (
    "This package includes an option the sources warn against: Caulkins calls trading something diplomatically "
    "important for Beijing's cooperation a 'catastrophic error'. It is scored only because you asked."
)


@dataclass(frozen=True)
class Interaction:
    """A sourced interaction: with both options in a package, its score on ``criterion`` moves by ``shift``."""

    interaction_id: str
    options: tuple[str, str]
    criterion: int
    shift: float
    quote_ids: tuple[str, ...]
    rationale: str


def interactions(problem: Problem, *, switched_off_too: bool = False) -> tuple[Interaction, ...]:
    """The interactions that apply to this problem: switched on (or, with ``switched_off_too``, that would
    apply), both options in the evidence, and (as of March 2022) stated by a source from before the article."""
    if not problem.scenario.interactions and not switched_off_too:
        return ()
    return stated_interactions(problem.evidence)


_STATED: Memo[tuple[Interaction, ...]] = Memo(max_entries=64)


def stated_interactions(evidence: Evidence) -> tuple[Interaction, ...]:
    """The interactions the sources state between options of ``evidence`` (as of its date), read once."""
    return _STATED.get(evidence.key, lambda: _read_interactions(evidence))


def _read_interactions(evidence: Evidence) -> tuple[Interaction, ...]:
    out = []
    for row in evidence.interaction_rows.values():
        quotes = tuple(split_quote_ids(row["quote_ids"]))
        later = any(evidence.quote_rows[q].get("post_seed") is True for q in quotes if q in evidence.quote_rows)
        pair = (str(row["option_a"]), str(row["option_b"]))
        if not set(pair) <= set(evidence.option_ids) or (evidence.view == MARCH_2022 and later):
            continue
        j = evidence.criterion_ids.index(str(row["criterion_id"]))
        out.append(Interaction(str(row["interaction_id"]), pair, j, float(row["shift"]), quotes, str(row["rationale"])))
    return tuple(out)


def interaction_words(evidence: Evidence, interaction: Interaction) -> str:
    """An interaction in words: "Sanctions and indictments with Law-enforcement cooperation: effect on
    precursors -1 (its reason)"."""
    a, b = (evidence.option_name(o) for o in interaction.options)
    criterion = evidence.criterion_name(evidence.criterion_ids[interaction.criterion]).lower()
    return f"{a} with {b}: {criterion} {interaction.shift:+g} ({interaction.rationale})"


_SHARED: Memo[np.ndarray] = Memo(max_entries=64)


def _shared_pairs(evidence: Evidence) -> np.ndarray:
    """``(o, o, c)``: True where two options' scores on a cost rest on a common quote (worked out once)."""

    def make() -> np.ndarray:
        o, c = evidence.likely.shape
        cited = [
            [
                frozenset(split_quote_ids(evidence.score_rows.get((option, cid), {}).get("quote_ids", "")))
                if not evidence.benefit[j]
                else frozenset()
                for j, cid in enumerate(evidence.criterion_ids)
            ]
            for option in evidence.option_ids
        ]
        out = np.zeros((o, o, c), dtype=bool)
        for a in range(o):
            for b in range(a + 1, o):
                for j in range(c):
                    out[a, b, j] = out[b, a, j] = bool(cited[a][j] & cited[b][j])
        out.flags.writeable = False
        return out

    return _SHARED.get(evidence.key, make)


def shared_costs(evidence: Evidence, index: np.ndarray) -> np.ndarray:
    """``(k, c)``: True where two members of package ``k`` rest their score on cost ``c`` on the same quote."""
    pairs = _shared_pairs(evidence)
    out = np.zeros((index.shape[0], pairs.shape[2]), dtype=bool)
    for a in range(index.shape[1]):
        for b in range(a + 1, index.shape[1]):
            out |= pairs[index[:, a], index[:, b]]
    return out


def combined_scores(problem: Problem, index: np.ndarray) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """The raw scores ``(k, c)`` of ``k`` packages whose members are the option positions ``index`` (k, m),
    under the rules above, and the interactions applied to each."""
    evidence = problem.evidence
    rows = problem.likely[index]  # (k, m, c)
    low, high = evidence.scale_min, evidence.scale_max
    fastest = evidence.criterion_ids.index(TIME) == np.arange(len(low)) if TIME in evidence.criterion_ids else False
    adds = ~evidence.benefit & ~fastest
    out = np.where(fastest, rows.min(axis=1), rows.max(axis=1))
    summed = np.where(shared_costs(evidence, index), out, np.minimum(high, low + (rows - low).sum(axis=1)))
    out = np.where(adds, summed, out)
    applied: list[tuple[str, ...]] = [() for _ in range(len(index))]
    for it in interactions(problem):
        a, b = evidence.option_ids.index(it.options[0]), evidence.option_ids.index(it.options[1])
        hit = np.flatnonzero((index == a).any(axis=1) & (index == b).any(axis=1))
        out[hit, it.criterion] = np.clip(out[hit, it.criterion] + it.shift, low[it.criterion], high[it.criterion])
        for k in hit:
            applied[k] = (*applied[k], it.interaction_id)
    return out, applied


@dataclass(frozen=True)
class Package:
    """A package's combined scores (raw, 0-1 values and weighted contributions) and its verdict on the limits."""

    members: tuple[str, ...]
    name: str
    likely: np.ndarray  # (c,) the combined raw scores
    contributions: np.ndarray  # (c,) value x weight share, adding up to the score
    score: float  # the additive model's score
    ruled_out: bool
    reason: str
    has_anti_option: bool
    interactions: tuple[str, ...] = ()  # the ids of the sourced interactions applied


def package_name(problem: Problem, members: tuple[str, ...]) -> str:
    return " + ".join(problem.evidence.option_name(m) for m in members)


def combine(problem: Problem, members: tuple[str, ...]) -> Package:
    """Score ``members`` as one package under the rules of :data:`RULES`."""
    evidence = problem.evidence
    index = [evidence.option_ids.index(m) for m in members]
    scores, applied = combined_scores(problem, np.array([index]))
    likely = scores[0]
    contributions = problem.value_of(likely[None, :])[0] * problem.shares
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
        interactions=applied[0],
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
    ids = problem.evidence.option_ids
    current = problem.value_of(problem.likely[[ids.index(m) for m in members]]) * problem.shares  # alone
    totals = current.sum(axis=1)
    k = max(range(len(members)), key=lambda i: (round(totals[i], 9), -i))
    chosen, current = [members[k]], current[k]
    out = [Step(members[k], float(totals[k]), current * 100)]
    while len(chosen) < len(members):
        rest = [m for m in members if m not in chosen]
        # Every candidate added at once (the rules of combine(), one call).
        index = np.array([[ids.index(o) for o in (*chosen, m)] for m in rest])
        after = problem.value_of(combined_scores(problem, index)[0]) * problem.shares
        totals = after.sum(axis=1)
        k = max(range(len(rest)), key=lambda i: (round(totals[i], 9), -members.index(rest[i])))
        out.append(Step(rest[k], float(totals[k]), (after[k] - current) * 100))
        chosen.append(rest[k])
        current = after[k]
    return out


def best_pair(problem: Problem) -> Package | None:
    """The package of two options that scores best with these weights (the anti-option left out; ties go
    to the pair that comes first in the evidence). ``None`` when fewer than two options are in play."""
    pairs, values, out = _pair_table(problem)
    if not pairs or np.all(out):
        return None
    scores = np.round(values @ problem.shares, 9)
    scores[out] = -np.inf
    return combine(problem, pairs[int(np.argmax(scores))])  # the first of equal scores, as in evidence order


_PAIRS: Memo[tuple] = Memo(max_entries=256)


def _pair_table(problem: Problem) -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray]:
    """Every pair of the options in play (the anti-option left out), their combined values (k, c) and whether
    the limits rule each out: all of it independent of the weights, so a weight move reuses it."""
    evidence, scenario = problem.evidence, problem.scenario

    def make() -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray]:
        ids = evidence.option_ids
        candidates = [o for o in problem.ids_in_play if evidence.option_roles[ids.index(o)] != "anti_option"]
        pairs = list(combinations(candidates, 2))
        if not pairs:
            return [], np.zeros((0, len(ids))), np.zeros(0, dtype=bool)
        likely, _ = combined_scores(problem, np.array([[ids.index(p), ids.index(q)] for p, q in pairs]))
        out, _ = gate_mask(likely, evidence.criterion_ids, evidence.benefit, scenario.gates)
        return pairs, read_only(problem.value_of(likely)), read_only(out)

    if evidence.user_edited:
        return make()
    key = (evidence.key, problem.model.key, scenario.interactions, scenario.gates, problem.ids_in_play)
    return _PAIRS.get(key, make)


def package_ranking(problem: Problem, ranking: Ranking, packages: tuple[tuple[str, ...], ...]) -> Ranking:
    """The options of ``ranking`` and the packages in one weighted-sum ranking, packages marked as such,
    so a package's profile is drawn next to the single options'."""
    built = [combine(problem, p) for p in packages]
    names = (*ranking.names, *(p.name + " (package)" for p in built))
    score = np.concatenate(
        [
            ranking.score if additive(ranking.method) else ranking.contributions.sum(axis=1),
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
        method=ranking.method if additive(ranking.method) else "weighted_sum",
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
        reference=ranking.reference,
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


def _adds_sentence(evidence: Evidence, first: str, second: str, gain: np.ndarray) -> str:
    named = [(evidence.criterion_name(c).lower(), g) for c, g in zip(evidence.criterion_ids, gain, strict=True)]
    up = [f"{n} {g:+.1f}" for n, g in sorted(named, key=lambda x: -x[1]) if g >= 0.05]
    down = [f"{n} {g:+.1f}" for n, g in sorted(named, key=lambda x: x[1]) if g <= -0.05]
    parts = [
        f"adding {evidence.option_name(second)} to {evidence.option_name(first)} gains " + (", ".join(up) or "nothing")
    ]
    if down:
        parts.append("and loses " + ", ".join(down))
    return " ".join(parts) + f" ({gain.sum():+.1f} points in all)"


def best_pair_sentence(problem: Problem, short: bool = False) -> str:
    """The best package of two for these weights, said against its better member alone, with what its second
    member adds and costs (``short``: in a few words, as the briefing's takeaways say it)."""
    best = best_pair(problem)
    if best is None:
        return (
            "fewer than two options pass your limits, so no package of two can be formed."
            if short
            else "Fewer than two options pass your limits, so no package of two can be formed."
        )
    # What the second member adds: the pair's contributions less those of the member best alone (the two
    # steps of steps(), read off the pair already built).
    ids = problem.evidence.option_ids
    alone_parts = problem.values[[ids.index(m) for m in best.members]] * problem.shares
    k = max(range(2), key=lambda i: (round(float(alone_parts[i].sum()), 9), -i))
    alone = float(alone_parts[k].sum())  # the member that scores best alone
    gain = (best.contributions - alone_parts[k]) * 100
    adds = _adds_sentence(problem.evidence, best.members[k], best.members[1 - k], gain)
    if round(best.score, 9) > round(alone, 9):
        if short:
            return f"{best.name} scores {best.score * 100:.1f}, more than either alone ({alone * 100:.1f})."
        return (
            f"The best package of two for these weights: {best.name}, {best.score * 100:.1f} points, against "
            f"{alone * 100:.1f} for the better of the two alone: {adds}."
        )
    if short:
        return f"no pair beats its better member alone under our package rules; the best is {best.name}."
    return (
        f"Under these package rules no package of two scores more than its better member alone. The best-scoring "
        f"pair is {best.name} ({best.score * 100:.1f} points, against {alone * 100:.1f} for the better alone): "
        f"{adds}."
    )
