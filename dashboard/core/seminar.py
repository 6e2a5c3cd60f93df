"""What a seminar room thinks: the spread of weights, how often each option ranks first, which options
survive every view, and the groups of similar views. Pure: answers in, tables and sentences out.

Each answer is a participant's scenario (weights, and perhaps their own score edits) ranked on its
own. Nothing here knows who answered: participants are numbered in the order of their answers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.edits import evidence_with_edits, has_edits
from core.evidence import Evidence
from core.hindsight import as_of
from core.problem import build_problem
from core.ranking import rank_options
from core.scenario import Scenario

# "Nearly everyone": an option in the top two for at least this share of the room is robust across the
# room. A user assumption (no source gives one), stated wherever the result is shown.
ROBUST_SHARE = 0.9


@dataclass(frozen=True)
class RoomResults:
    """The room's answers, ranked one by one."""

    n: int
    criterion_names: tuple[str, ...]
    shares: np.ndarray  # (n, c) each participant's weight shares, in %
    first: tuple[str, ...]  # each participant's top option (names; ties joined with " and ")
    top_two: tuple[frozenset[str], ...]  # each participant's first two options (names)
    option_names: tuple[str, ...]  # every option ranked by anyone, in the evidence's order

    @property
    def first_counts(self) -> dict[str, int]:
        """How many put each option first; a tie for first ("A and B") counts as a view of its own."""
        counts = Counter(self.first)
        ordered = [n for n in self.option_names if n in counts] + sorted(
            n for n in counts if n not in self.option_names
        )
        return {name: counts[name] for name in ordered}

    def robust(self, share: float = ROBUST_SHARE) -> tuple[str, ...]:
        """Options in the top two for at least ``share`` of the room."""
        if not self.n:
            return ()
        return tuple(
            name for name in self.option_names if sum(name in t for t in self.top_two) >= share * self.n - 1e-9
        )

    def groups(self) -> pd.DataFrame:
        """Views grouped by the option they put first: how many, and their typical (mean) weights in %."""
        rows = []
        for name, count in sorted(self.first_counts.items(), key=lambda kv: -kv[1]):
            members = [i for i, f in enumerate(self.first) if f == name]
            typical = self.shares[members].mean(axis=0)
            rows.append(
                {"Puts first": name, "People": count, **dict(zip(self.criterion_names, typical.round(0), strict=True))}
            )
        return pd.DataFrame(rows)

    def disagreement(self) -> list[tuple[str, float]]:
        """Criteria by how much the room disagrees on their weight (the spread between quartiles, points of %)."""
        if not self.n:
            return []
        q1, q3 = np.percentile(self.shares, [25, 75], axis=0)
        return sorted(zip(self.criterion_names, (q3 - q1).round(1), strict=True), key=lambda kv: -kv[1])


def answer_evidence(base: Evidence, scenario: Scenario) -> Evidence:
    """The evidence an answer is ranked on: the sourced base as of its evidence date, with its own edits."""
    dated = as_of(base, scenario.evidence_date)
    return evidence_with_edits(dated, scenario) if has_edits(scenario) else dated


def room_results(evidence: Evidence, answers: list[Scenario]) -> RoomResults:
    """Rank every answer on the sourced ``evidence`` (as of its date, with that participant's own edits)."""
    shares, first, top_two, seen = [], [], [], []
    for scenario in answers:
        problem = build_problem(answer_evidence(evidence, scenario), scenario)
        ranking = rank_options(problem)
        shares.append(problem.shares * 100)
        n = ranking.n_ranked
        leaders = [ranking.names[i] for i in range(n) if ranking.rank[i] == 1]
        first.append(" and ".join(leaders) if leaders else "nothing (all ruled out)")
        top_two.append(frozenset(ranking.names[: min(2, n)]))
        seen.extend(ranking.names[:n])
    order = [evidence.option_name(o) for o in evidence.option_ids]
    names = tuple(dict.fromkeys([o for o in order if o in seen] + [s for s in seen if s not in order]))
    criterion_names = tuple(evidence.criterion_name(c) for c in evidence.criterion_ids)
    matrix = np.array(shares) if shares else np.zeros((0, len(criterion_names)))
    return RoomResults(len(answers), criterion_names, matrix, tuple(first), tuple(top_two), names)


def results_sentence(results: RoomResults) -> str:
    """The room in one sentence: who comes first for most, and what survives every view."""
    if not results.n:
        return "No answers yet."
    top, count = max(results.first_counts.items(), key=lambda kv: kv[1])
    share = count / results.n
    robust = results.robust()
    sentence = f"{count} of {results.n} ({share:.0%}) put {top} first."
    if robust:
        sentence += f" In the top two for {ROBUST_SHARE:.0%} or more of the room: {', '.join(robust)}."
    else:
        sentence += f" No option is in the top two for {ROBUST_SHARE:.0%} of the room: the room splits."
    return sentence


def moved_sentence(before: RoomResults, after: RoomResults) -> str:
    """How views moved between two rounds: the share putting each option first, and the weights' medians."""
    if not before.n or not after.n:
        return "Both rounds need answers to compare them."
    names = sorted(set(before.first_counts) | set(after.first_counts))
    shifts = [
        (name, after.first_counts.get(name, 0) / after.n - before.first_counts.get(name, 0) / before.n)
        for name in names
    ]
    name, shift = max(shifts, key=lambda kv: abs(kv[1]))
    medians = np.median(after.shares, axis=0) - np.median(before.shares, axis=0)
    j = int(np.argmax(np.abs(medians)))
    return (
        f"The biggest move: {abs(shift):.0%} {'more' if shift >= 0 else 'fewer'} put {name} first; the median "
        f"weight on {before.criterion_names[j].lower()} went {'up' if medians[j] >= 0 else 'down'} by "
        f"{abs(medians[j]):.0f} points."
    )


def results_table(results: RoomResults, round_: int) -> pd.DataFrame:
    """The anonymised results for a CSV: a row per answer (numbered, no names), weights in %, the top option."""
    table = pd.DataFrame(results.shares.round(1), columns=list(results.criterion_names))
    table.insert(0, "Answer", range(1, results.n + 1))
    table.insert(1, "Round", round_)
    table["Puts first"] = list(results.first)
    return table
