"""A ranking in words: the verdict, the notes under the chart, why the leader leads, the marks on a cell.

Every sentence is computed from the same :class:`core.ranking.Ranking` the chart beside it draws.
"""

from __future__ import annotations

import numpy as np

from core.evidence import Evidence
from core.model import additive, scenario_years, years_words
from core.problem import Problem
from core.ranking import Ranking, format_score, top_option_ids
from core.scenario import Scenario
from core.scoring import (
    METHOD_NAMES,
    TIE_DECIMALS,
)
from core.setting_type import compact


def verdict(ranking: Ranking) -> str:
    """One sentence on who ranks first and by how much, and how many options beat doing nothing new."""
    n = ranking.n_ranked
    if n == 0:
        return "Every option is ruled out by your limits: relax a limit to see a ranking."
    unit = " points out of 100" if additive(ranking.method) else " in closeness to the ideal"
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
        gap_text = f"{gap * 100:.1f}" if additive(ranking.method) else f"{gap:.3f}"
        sentence = f"With these weights, {names[0]} ranks first, ahead of {ranking.names[1]} by {gap_text}{unit}."
    return sentence + baseline_sentence(ranking)


def beat_baseline(ranking: Ranking) -> tuple[int, int] | None:
    """How many of the ranked options score above the status quo (doing nothing new), and of how many;
    None when there is no status quo to compare with (ruled out, or out of view)."""
    base = ranking.baseline_score
    if base is None:
        return None
    better = int((np.round(ranking.score[: ranking.n_ranked], TIE_DECIMALS) > round(base, TIE_DECIMALS)).sum())
    return better, ranking.n_ranked


def baseline_clause(ranking: Ranking) -> str:
    """The comparison with doing nothing new, short enough for a headline: "1 of 6 beat doing nothing new"."""
    counted = beat_baseline(ranking)
    if counted is None:
        return ""
    better, n = counted
    if n == 1:
        return "it beats doing nothing new" if better else "it does not beat doing nothing new"
    if better == 0:
        return "none beats doing nothing new"
    return f"all {n} beat doing nothing new" if better == n else f"{better} of {n} beat doing nothing new"


def baseline_sentence(ranking: Ranking) -> str:
    """How many options do better than the status quo (doing nothing new)."""
    counted = beat_baseline(ranking)
    if counted is None:
        out = any(r == "status_quo" for r, o in zip(ranking.roles, ranking.ruled_out, strict=True) if o)
        return " The status quo is ruled out by your limits." if out else ""
    better, n = counted
    zero = " (zero: it adds nothing and costs nothing)" if ranking.reference == "nothing_new" else " (the status quo)"
    if better == n:
        return f" All {n} options do better than doing nothing new{zero}."
    if better == 0:
        return f" No option does better than doing nothing new{zero}."
    return f" {better} of {n} options do better than doing nothing new{zero}."


def adds_and_costs(ranking: Ranking) -> tuple[tuple[str, float, float], ...]:
    """Each ranked option's gains and costs against doing nothing new, in weighted points out of 100: the sums
    of its positive and of its negative contributions (the segments right and left of zero in the chart).
    Empty unless the ranking is measured from doing nothing new by an additive model."""
    if ranking.reference != "nothing_new" or not additive(ranking.method):
        return ()
    parts = ranking.contributions[: ranking.n_ranked] * 100
    gains, costs = np.clip(parts, 0, None).sum(axis=1), np.clip(parts, None, 0).sum(axis=1)
    return tuple(
        (name, float(g), float(c)) for name, g, c in zip(ranking.names[: ranking.n_ranked], gains, costs, strict=True)
    )


def adds_and_costs_sentence(ranking: Ranking) -> str:
    """What each option adds and costs beyond doing nothing new, in one sentence (empty when not measured so)."""
    rows = adds_and_costs(ranking)
    if not rows:
        return ""
    parts = [f"{name} gains {g:.1f} and costs {abs(c):.1f} (net {g + c:+.1f})" for name, g, c in rows]
    return "Against doing nothing new, in weighted points: " + "; ".join(parts) + "."


def leader_adds_sentence(ranking: Ranking) -> str:
    """What the first-ranked option adds and costs beyond doing nothing new (empty when not measured so)."""
    rows = adds_and_costs(ranking)
    if not rows:
        return ""
    name, g, c = rows[0]
    return (
        f"Against doing nothing new, {name} gains {g:.1f} weighted points and costs {abs(c):.1f}: "
        f"a net {g + c:+.1f} out of 100."
    )


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
    """Say whether the three models (adding up the weighted scores, expected impact, closeness to the ideal)
    put the same option first."""
    evidence = problem.evidence
    tops = {m: top_option_ids(problem, m) for m in METHOD_NAMES}
    if not tops["weighted_sum"]:
        return "No option passes your limits, so the methods have nothing to compare."
    names = {m: " and ".join(evidence.option_name(o) for o in ids) for m, ids in tops.items()}
    if len({frozenset(ids) for ids in tops.values()}) == 1:
        return (
            f"All three methods agree: {names['weighted_sum']} comes first whether the weighted scores are added up, "
            "speed and durability qualify the effect (expected impact), or the options are ranked by closeness to "
            "the ideal (TOPSIS)."
        )
    return (
        f"The methods disagree: adding up the weighted scores puts {names['weighted_sum']} first, expected impact "
        f"puts {names['expected_impact']} first, closeness to the ideal (TOPSIS) puts {names['topsis']} first. "
        "Treat the top place as uncertain."
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
    if not evidence.as_of_march_2022:
        return ""
    return (
        "You are looking at what was knowable in March 2022: scores that rest on later sources take what the "
        "earlier sources support (the middle of the scale, 2 from 0 to 4, where none speaks), the options from "
        "after the article are left out, and the baseline is the status quo of March 2022."
    )


def assumption_note(scenario: Scenario) -> str:
    """The model's assumptions that change the ranking without being a weight, said wherever a ranking is shown."""
    notes = []
    if scenario.reference == "scored":
        notes.append(
            "The status quo is scored like an option from its own scores, so it gets points for being in force "
            "already; by default it is zero, and each option is what it adds and costs."
        )
    if scenario.method == "expected_impact":
        notes.append(
            "Expected impact: the effect counts only as far as it lasts and comes within "
            f"{compact(scenario.horizon_years)} years (our reading of the time labels in years, which you can change: "
            f"{years_words(scenario_years(scenario))}); "
            "durability and time to effect have no points of their own."
        )
    if scenario.account_for_displacement:
        notes.append(
            "Durability is read through the illustrative displacement model (an assumption, not a weight): an "
            "effect judged 'erased quickly' keeps only the share the model says still stands."
        )
    return " ".join(notes)
