"""What a seminar room thinks: the spread of weights, how often each option ranks first, which options
survive every view, and the groups of similar views. Pure: answers in (as the store keeps them, files of
scenarios), tables, sentences and the anonymised CSV out.

Each answer is a participant's scenario (weights, and perhaps their own score edits) ranked on its
own. Nothing here knows who answered: a participant is a number, given in the order of joining and kept
across rounds, so a CSV can follow one person's answers without naming them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd

from core.cache import Memo
from core.evidence import Evidence
from core.export import safe_csv
from core.hindsight import scenario_evidence
from core.problem import build_problem
from core.ranking import rank_options
from core.scenario import Scenario
from core.scenario_io import ScenarioFileError, from_json
from core.scoring import InputError

# "Nearly everyone": an option in the top two for at least this share of the room is robust across the
# room. A user assumption (no source gives one), stated wherever the result is shown.
ROBUST_SHARE = 0.9
# A burst: this many people or more joining from one network address within this many seconds. A class
# sharing one Wi-Fi address looks the same, so a burst is shown to the facilitator, never removed by itself.
BURST_SIZE = 5
BURST_SECONDS = 60.0
TIE = "Tie: "


@dataclass(frozen=True)
class RoomResults:
    """The room's answers, ranked one by one."""

    n: int
    criterion_names: tuple[str, ...]
    shares: np.ndarray  # (n, c) each participant's weight shares, in %
    first: tuple[str, ...]  # each participant's top option (names; ties joined with " and ")
    top_two: tuple[frozenset[str], ...]  # each participant's first two options (names)
    option_names: tuple[str, ...]  # every option ranked by anyone, in the evidence's order
    numbers: tuple[int, ...] = field(default=())  # each answer's participant number (1, 2, ... if not given)
    burst: frozenset[int] = field(default=frozenset())  # participant numbers that joined in a burst

    @property
    def participants(self) -> tuple[int, ...]:
        return self.numbers or tuple(range(1, self.n + 1))

    @property
    def in_burst(self) -> int:
        """How many of the answers came from people who joined in a burst from one network address."""
        return sum(number in self.burst for number in self.participants)

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


def first_label(names: Sequence[str]) -> str:
    """An answer's first place: one option, or a tie said as one ("Tie: A, B and C")."""
    if not names:
        return "nothing (all ruled out)"
    if len(names) == 1:
        return names[0]
    return f"{TIE}{', '.join(names[:-1])} and {names[-1]}"


def room_results(
    evidence: Evidence,
    answers: Sequence[Scenario],
    numbers: Sequence[int] = (),
    burst: frozenset[int] = frozenset(),
) -> RoomResults:
    """Rank every answer on the sourced ``evidence`` (as of its date, with that participant's own edits).

    ``numbers`` are the participants' numbers (one per answer); ``burst`` those who joined in a burst."""
    shares, first, top_two, seen = [], [], [], []
    for scenario in answers:
        problem = build_problem(scenario_evidence(evidence, scenario), scenario)
        ranking = rank_options(problem)
        shares.append(problem.shares * 100)
        n = ranking.n_ranked
        first.append(first_label([ranking.names[i] for i in range(n) if ranking.rank[i] == 1]))
        top_two.append(frozenset(ranking.names[: min(2, n)]))
        seen.extend(ranking.names[:n])
    order = [evidence.option_name(o) for o in evidence.option_ids]
    names = tuple(dict.fromkeys([o for o in order if o in seen] + [s for s in seen if s not in order]))
    criterion_names = tuple(evidence.criterion_name(c) for c in evidence.criterion_ids)
    matrix = np.array(shares) if shares else np.zeros((0, len(criterion_names)))
    return RoomResults(
        len(answers), criterion_names, matrix, tuple(first), tuple(top_two), names, tuple(numbers), burst
    )


def first_sentence(results: RoomResults) -> str:
    """Who comes first for most of the room (a tie between views said as one)."""
    if not results.n:
        return "No answers yet."
    count = max(results.first_counts.values())
    leaders = [name for name, c in results.first_counts.items() if c == count]
    if len(leaders) == 1:
        return f"{count} of {results.n} ({count / results.n:.0%}) put {leaders[0]} first."
    views = ", ".join(leaders[:-1]) + f" and {leaders[-1]}"
    return f"The room is split {len(leaders)} ways: {views} are each put first by {count} of {results.n}."


def robust_sentence(results: RoomResults) -> str:
    """What survives (nearly) every view in the room, with the threshold said as ours."""
    robust = results.robust()
    if robust:
        return f"In the top two for {ROBUST_SHARE:.0%} or more of the room (our threshold): {', '.join(robust)}."
    return f"No option is in the top two for {ROBUST_SHARE:.0%} of the room (our threshold): the room splits."


def results_sentence(results: RoomResults) -> str:
    """The room in words: who comes first for most, and what survives every view."""
    if not results.n:
        return "No answers yet."
    return f"{first_sentence(results)} {robust_sentence(results)}"


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


def burst_sentence(results: RoomResults) -> str | None:
    """What a flood of joins from one address contributed, said beside the results (None if nothing)."""
    if not results.in_burst:
        return None
    return (
        f"{results.in_burst} of these {results.n} answers came from people who joined in a burst from one network "
        f"address ({BURST_SIZE} or more within {BURST_SECONDS:g} s). A class sharing one Wi-Fi address looks the "
        "same; the facilitator can remove anyone who should not be counted."
    )


def find_bursts(joins: Sequence[tuple[int, float, str]], size: int = BURST_SIZE, seconds: float = BURST_SECONDS):
    """The participant numbers that joined in a burst: ``size`` or more from one address within ``seconds``.

    ``joins`` holds (participant number, joined at (s), address hash)."""
    by_client: dict[str, list[tuple[float, int]]] = {}
    for number, at, client in joins:
        by_client.setdefault(client, []).append((at, number))
    found: set[int] = set()
    for stamps in by_client.values():
        stamps.sort()
        start = 0
        for end in range(len(stamps)):
            while stamps[end][0] - stamps[start][0] > seconds:
                start += 1
            if end - start + 1 >= size:
                found.update(number for _, number in stamps[start : end + 1])
    return frozenset(found)


def results_table(results: RoomResults, round_: int) -> pd.DataFrame:
    """The anonymised results for a CSV: a row per answer, its participant's stable number (no names), the
    weights in %, the top option, and whether that person joined in a burst from one address."""
    table = pd.DataFrame(results.shares.round(1), columns=list(results.criterion_names))
    table.insert(0, "Participant", list(results.participants))
    table.insert(1, "Round", round_)
    table["Puts first"] = list(results.first)
    table["Joined in a burst"] = ["yes" if n in results.burst else "no" for n in results.participants]
    return table


# --------------------------------------------------------------------------- answers as the store keeps them
class SavedAnswer(Protocol):
    """An answer as the room's store keeps it: its participant's number, its round and its scenario file."""

    @property
    def number(self) -> int: ...

    @property
    def round(self) -> int: ...

    @property
    def scenario(self) -> str: ...


# An answer's file read back, by its text (immutable), so a room's view that redraws every few seconds does not
# read forty files again each time. Bounded; holds nothing a session does not also hold.
_READ: Memo[Scenario | None] = Memo(max_entries=2048)


def _read(text: str, base: Evidence) -> Scenario | None:
    try:
        return from_json(text, base, Scenario(weights=())).scenario
    except (ScenarioFileError, InputError):
        return None  # validated before it was saved; a file from another evidence version may no longer load


def scenarios(answers: Sequence[SavedAnswer], base: Evidence) -> tuple[list[Scenario], list[int]]:
    """The answers as scenarios, with their participants' numbers (an answer that no longer loads is left out)."""
    out, numbers = [], []
    for answer in answers:
        scenario = _READ.get((base.key, answer.scenario), lambda text=answer.scenario: _read(text, base))
        if scenario is not None:
            out.append(scenario)
            numbers.append(answer.number)
    return out, numbers


def results(
    base: Evidence, answers: Sequence[SavedAnswer], joins: Sequence[tuple[int, float, str]] = ()
) -> RoomResults:
    """The room's results for ``answers``, with the people who joined in a burst marked."""
    parsed, numbers = scenarios(answers, base)
    return room_results(base, parsed, numbers, find_bursts(joins))


def answers_csv(base: Evidence, answers: Sequence[SavedAnswer], joins: Sequence[tuple[int, float, str]]) -> bytes:
    """Every round's answers, anonymised: a row per answer, each person under the same number in every round."""
    tables = []
    for round_ in sorted({a.round for a in answers}):
        tables.append(results_table(results(base, [a for a in answers if a.round == round_], joins), round_))
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    if not table.empty:
        table = table.sort_values(["Participant", "Round"], kind="stable")
    return safe_csv(table)
