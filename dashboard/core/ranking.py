"""Rank the options for a scenario, and say the result in words."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from core.evidence import Evidence
from core.problem import Problem
from core.scenario import Scenario
from core.scoring import (
    METHOD_NAMES,
    TIE_DECIMALS,
    Gate,
    Method,
    competition_ranks,
    to_value,
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
    """Scores over the options in view (NaN where ruled out under TOPSIS) and weighted-sum contributions."""
    values = problem.values[problem.view]
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

    Weighted sum: the additive value model on the 0-1 value scale. TOPSIS: closeness to the
    ideal with vector normalisation of the raw scores, computed over the options that pass the
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


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_score(score: float, method: str) -> str:
    return f"{score * 100:.1f}" if method == "weighted_sum" else f"{score:.3f}"


def verdict(ranking: Ranking) -> str:
    """One sentence on who ranks first and by how much, and how many options beat doing nothing new."""
    n = ranking.n_ranked
    if n == 0:
        return "Every option is ruled out by your limits: relax a limit to see a ranking."
    unit = " points out of 100" if ranking.method == "weighted_sum" else " in closeness to the ideal"
    first = [i for i in range(n) if ranking.rank[i] == 1]
    names = [ranking.names[i] for i in first]
    lead = float(ranking.score[0])
    if n == 1:
        sentence = f"Only {names[0]} passes your limits."
    elif len(names) > 1:
        joined = ", ".join(names[:-1]) + f" and {names[-1]}"
        sentence = f"With these weights, {joined} tie for first ({format_score(lead, ranking.method)})."
    else:
        gap = lead - float(ranking.score[1])
        gap_text = f"{gap * 100:.1f}" if ranking.method == "weighted_sum" else f"{gap:.3f}"
        sentence = f"With these weights, {names[0]} ranks first, ahead of {ranking.names[1]} by {gap_text}{unit}."
    return sentence + baseline_sentence(ranking)


def baseline_sentence(ranking: Ranking) -> str:
    """How many options do better than the status quo (doing nothing new)."""
    base = ranking.baseline_score
    if base is None:
        out = any(r == "status_quo" for r, o in zip(ranking.roles, ranking.ruled_out, strict=True) if o)
        return " The status quo is ruled out by your limits." if out else ""
    better = int((np.round(ranking.score[: ranking.n_ranked], TIE_DECIMALS) > round(base, TIE_DECIMALS)).sum())
    n = ranking.n_ranked
    if better == n:
        return f" All {n} options do better than doing nothing new (the status quo)."
    if better == 0:
        return " No option does better than doing nothing new (the status quo)."
    return f" {better} of {n} options do better than doing nothing new (the status quo)."


def summary_text(ranking: Ranking) -> str:
    """The ranking in words, for screen readers and the caption under the chart."""
    ranked = "; ".join(
        f"{name} {format_score(s, ranking.method)}"
        for name, s, out, base in zip(ranking.names, ranking.score, ranking.ruled_out, ranking.baseline, strict=True)
        if not out and not base
    )
    text = f"Ranking, best first: {ranked}." if ranked else "No option passes your limits."
    if ranking.baseline_score is not None:
        text += f" The status quo, doing nothing new, scores {format_score(ranking.baseline_score, ranking.method)}."
    out = "; ".join(
        f"{name} ({reason})"
        for name, reason, o in zip(ranking.names, ranking.reasons, ranking.ruled_out, strict=True)
        if o
    )
    if out:
        text += f" Ruled out: {out}."
    return text


def agreement_note(problem: Problem) -> str:
    """Say whether the weighted sum and the closeness-to-the-ideal method (TOPSIS) put the same option first."""
    evidence = problem.evidence
    tops = {m: top_option_ids(problem, m) for m in METHOD_NAMES}
    ws, tp = tops["weighted_sum"], tops["topsis"]
    if not ws:
        return "No option passes your limits, so the methods have nothing to compare."
    names = {m: " and ".join(evidence.option_name(o) for o in ids) for m, ids in tops.items()}
    if set(ws) == set(tp):
        return (
            f"Both methods agree: {names['weighted_sum']} comes first whether the weighted scores are added up "
            "or the options are ranked by closeness to the ideal (TOPSIS)."
        )
    return (
        f"The methods disagree: adding up the weighted scores puts {names['weighted_sum']} first, closeness to "
        f"the ideal (TOPSIS) puts {names['topsis']} first. Treat the top place as uncertain."
    )


def _listing(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def lead_split(ranking: Ranking) -> tuple[np.ndarray, list[int], list[int]]:
    """The leader's lead over the runner-up on each criterion, in weighted points out of 100 (the weighted
    sum's contributions), and the criteria it is ahead on (up to three) and behind on (up to two), biggest first."""
    diff = (ranking.contributions[0] - ranking.contributions[1]) * 100
    order = np.argsort(-np.abs(diff), kind="stable")
    return diff, [j for j in order if diff[j] >= 0.05][:3], [j for j in order if diff[j] <= -0.05][:2]


def why_first(evidence: Evidence, ranking: Ranking) -> str:
    """Why the leader leads: the criteria that give it its lead over the runner-up, and where the
    runner-up is ahead, in weighted points out of 100 (the weighted sum's contributions)."""
    n = ranking.n_ranked
    if n < 2:
        return ""
    a, b = 0, 1
    diff, ahead, behind = lead_split(ranking)
    name_a, name_b = ranking.names[a], ranking.names[b]

    def crit(j: int) -> str:
        return f"{evidence.criterion_name(ranking.criterion_ids[j]).lower()} (+{abs(diff[j]):.1f})"

    tied = ranking.rank[b] == ranking.rank[a]
    if not ahead and not behind:
        return f"{name_a} and {name_b} score the same on every criterion."
    lead = "is level with" if tied else "leads"
    sentence = f"Why: {name_a} {lead} {name_b}"
    sentence += f" thanks to {_listing([crit(j) for j in ahead])}" if ahead else ""
    if behind:
        sentence += f"; {name_b} is ahead on {_listing([crit(j) for j in behind])}"
    sentence += " (weighted points out of 100"
    sentence += ", adding up the weighted scores)." if ranking.method == "topsis" else ")."
    return sentence


LATER, UNSOURCED, YOURS = "† rests on evidence from after the article", "no source: our judgement", "your own score"
MARKS_LEGEND = (
    "† marks a score resting on evidence from after the article, ° a score no source speaks to (our judgement), "
    "✎ a score you changed."
)


def cell_note(evidence: Evidence, option_id: str, criterion_id: str) -> str:
    """What a score rests on, when it is not simply its quotes: later evidence, no source, or the user."""
    cell = (option_id, criterion_id)
    if cell not in evidence.score_rows:
        return ""  # a package: its members' own cells say what they rest on
    if evidence.score_rows[cell].get("user_edit"):
        return YOURS
    if cell in evidence.later_cells:
        return LATER
    return UNSOURCED if cell in evidence.unsourced_cells else ""


def cell_mark(evidence: Evidence, option_id: str, criterion_id: str) -> str:
    """The short mark of :func:`cell_note` for a table cell: ✎ yours, † after the article, ° no source."""
    return {YOURS: " ✎", LATER: " †", UNSOURCED: " °", "": ""}[cell_note(evidence, option_id, criterion_id)]


def evidence_note(evidence: Evidence) -> str:
    """Said beside every ranking drawn from the evidence as of March 2022."""
    if evidence.view != "march_2022":
        return ""
    return (
        "You are looking at what was knowable in March 2022: scores that rest on later sources take what the "
        "earlier sources support (the middle of the scale, 2 from 0 to 4, where none speaks), the options from "
        "after the article are left out, and the baseline is the status quo of March 2022."
    )


def assumption_note(scenario: Scenario) -> str:
    """The assumption that changes the ranking without being a weight, said wherever a ranking is shown."""
    if not scenario.account_for_displacement:
        return ""
    return (
        "You account for displacement (an assumption, not a weight): the supply-side options' effect on "
        "precursors is discounted by the illustrative displacement model."
    )


def maths_table(problem: Problem, ranking: Ranking) -> pd.DataFrame:
    """The table behind the ranking: score used, 0-1 value, weight and contribution per cell."""
    evidence = problem.evidence
    rows = []
    for option_id, name in zip(ranking.option_ids, ranking.names, strict=True):
        i = evidence.option_ids.index(option_id)
        for j, cid in enumerate(evidence.criterion_ids):
            value = float(problem.values[i, j])
            rows.append(
                {
                    "Option": name,
                    "Criterion": evidence.criterion_name(cid),
                    "Direction": "more is better" if evidence.benefit[j] else "less is better",
                    "Score used (0-4)": round(float(problem.likely[i, j]), 3),
                    "Sourced score": float(evidence.likely[i, j]),
                    "Value (0-1)": round(value, 3),
                    "Weight (%)": round(float(ranking.shares[j]) * 100, 1),
                    "Contribution (points)": round(value * float(ranking.shares[j]) * 100, 2),
                    "Rests on": cell_note(evidence, option_id, cid) or "its quotes",
                }
            )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- chart information
@dataclass(frozen=True)
class RankingInfo:
    """What the ranking chart draws, with its takeaway title and its text summary."""

    ranking: Ranking
    criterion_names: tuple[str, ...]
    title: str
    summary: str
    notes: tuple[tuple[str, ...], ...] = ()  # per option (ranking order) and criterion: what the score rests on


def ranking_info(problem: Problem, ranking: Ranking) -> RankingInfo:
    evidence = problem.evidence
    top = ranking.top_ids
    if len(top) == 1:
        title = f"{ranking.names[ranking.option_ids.index(top[0])]} ranks first with these weights"
    else:
        title = "A tie for first place" if top else "Every option is ruled out"
    return RankingInfo(
        ranking=ranking,
        criterion_names=tuple(evidence.criterion_name(c) for c in evidence.criterion_ids),
        title=title,
        summary=summary_text(ranking) + " The dotted line marks the status quo, doing nothing new; † marks an "
        "option from after the article.",
        notes=tuple(tuple(cell_note(evidence, o, c) for c in evidence.criterion_ids) for o in ranking.option_ids),
    )


@dataclass(frozen=True)
class MatrixInfo:
    """The option-by-criterion scores: 0-1 values (colour), raw scores, their words and marks (✎ yours)."""

    option_ids: tuple[str, ...]
    option_names: tuple[str, ...]
    criterion_names: tuple[str, ...]
    values: np.ndarray
    raw: np.ndarray
    words: tuple[tuple[str, ...], ...]
    marks: tuple[tuple[str, ...], ...]
    title: str
    summary: str


def matrix_info(evidence: Evidence, include_post_seed: bool) -> MatrixInfo:
    keep = evidence.options_in_view(include_post_seed)
    ids = tuple(o for o, k in zip(evidence.option_ids, keep, strict=True) if k)
    likely = evidence.likely[keep]
    return MatrixInfo(
        option_ids=ids,
        option_names=tuple(evidence.option_name(o) for o in ids),
        criterion_names=tuple(evidence.criterion_name(c) for c in evidence.criterion_ids),
        values=to_value(likely, evidence.scale_min, evidence.scale_max, evidence.benefit),
        raw=likely,
        words=tuple(
            tuple(evidence.scale_label(c, v) for c, v in zip(evidence.criterion_ids, row, strict=True))
            for row in likely
        ),
        marks=tuple(tuple(cell_mark(evidence, o, c) for c in evidence.criterion_ids) for o in ids),
        title="Scores by option and criterion: blue is good, orange is bad",
        summary="Each cell shows the likely score (0 to 4); colour shows how good that is on the criterion, whichever "
        "way the criterion runs (blue good, orange bad). " + MARKS_LEGEND,
    )


def ranking_rows(info: RankingInfo, keep: int) -> RankingInfo:
    """The ranking with only its first ``keep`` competing options and the baseline (a projector shows a few
    bars, read from the back); the rest, ranked lower or ruled out, are left out."""
    ranking = info.ranking
    competing = [k for k in range(len(ranking.option_ids)) if not ranking.baseline[k]]
    rows = sorted([*competing[:keep], *np.flatnonzero(ranking.baseline)])
    if len(rows) == len(ranking.option_ids):
        return info

    def pick(value):
        if isinstance(value, np.ndarray) and value.shape[:1] == (len(ranking.option_ids),):
            return value[rows]
        if isinstance(value, tuple) and len(value) == len(ranking.option_ids) and value is not ranking.criterion_ids:
            return tuple(value[k] for k in rows)
        return value

    trimmed = replace(ranking, **{f.name: pick(getattr(ranking, f.name)) for f in fields(ranking)})
    notes = tuple(info.notes[k] for k in rows) if len(info.notes) == len(ranking.option_ids) else info.notes
    return replace(info, ranking=trimmed, notes=notes)


def matrix_rows(info: MatrixInfo, option_ids: tuple[str, ...]) -> MatrixInfo:
    """The matrix with only ``option_ids``' rows, in that order (a projector shows a few rows, read from the back)."""
    keep = [info.option_ids.index(o) for o in option_ids]
    return replace(
        info,
        option_ids=tuple(info.option_ids[k] for k in keep),
        option_names=tuple(info.option_names[k] for k in keep),
        values=info.values[keep],
        raw=info.raw[keep],
        words=tuple(info.words[k] for k in keep),
        marks=tuple(info.marks[k] for k in keep),
    )


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
        verdict = f"The top option stays the same; {', '.join(moved)} change places."
    else:
        verdict = f"{what[0].upper()}{what[1:]} changes no option's rank."
    return RankChange(pd.DataFrame(rows), verdict)
