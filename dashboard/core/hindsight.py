"""Hindsight: the evidence as it stood in March 2022, when the article appeared.

Each score of a 2022 option that rests on a later source has a row in ``scores_as_of_2022.csv``:
its score as knowable then, citing only earlier quotes (or a documented neutral score, 2 with the
full range 0 to 4, where no earlier source speaks). The "as of March 2022" view swaps those cells
in, and leaves out the options from after the article.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from core.cache import Memo
from core.edits import evidence_with_edits
from core.evidence import MARCH_2022, TODAY, Evidence, read_only, split_quote_ids
from core.problem import build_problem
from core.ranking import RankChange, rank_change
from core.scenario import Scenario

_VIEWS: Memo[Evidence] = Memo(max_entries=8)


def _as_of_2022(evidence: Evidence) -> Evidence:
    likely, low, high = evidence.likely.copy(), evidence.low.copy(), evidence.high.copy()
    score_rows = dict(evidence.score_rows)
    unsourced = set(evidence.unsourced_cells)
    for row in evidence.scores_2022.to_dict("records"):
        cell = (row["option_id"], row["criterion_id"])
        i, j = evidence.option_ids.index(cell[0]), evidence.criterion_ids.index(cell[1])
        likely[i, j], low[i, j], high[i, j] = row["likely"], row["low"], row["high"]
        score_rows[cell] = MappingProxyType({**row, "as_of_2022": True})
        if not split_quote_ids(row["quote_ids"]):
            unsourced.add(cell)
        else:
            unsourced.discard(cell)
    later_options = {o for o, later in zip(evidence.option_ids, evidence.option_post_seed, strict=True) if later}
    return replace(
        evidence,
        likely=read_only(likely),
        low=read_only(low),
        high=read_only(high),
        score_rows=MappingProxyType(score_rows),
        # Only the options from after the article still rest on later evidence; they are out of view.
        later_cells=frozenset(cell for cell in evidence.later_cells if cell[0] in later_options),
        unsourced_cells=frozenset(unsourced),
        view=MARCH_2022,
    )


def as_of(evidence: Evidence, date: str) -> Evidence:
    """The sourced evidence as of ``date``: "today" (all of it) or "march_2022" (what was knowable then)."""
    if date != MARCH_2022 or evidence.view == MARCH_2022:
        return evidence
    return _VIEWS.get(evidence.key, lambda: _as_of_2022(evidence))


def scenario_evidence(base: Evidence, scenario: Scenario) -> Evidence:
    """The evidence a saved scenario ranks: the sourced base as of its date, with its own edits."""
    return evidence_with_edits(as_of(base, scenario.evidence_date), scenario)


def hindsight_rank_change(base: Evidence, scenario: Scenario) -> RankChange:
    """How the ranking with what was knowable in March 2022 differs from the ranking with everything known
    today (the same weights, limits and edits)."""
    then = evidence_with_edits(as_of(base, MARCH_2022), scenario)
    now = evidence_with_edits(as_of(base, TODAY), scenario)
    return rank_change(
        build_problem(then, scenario),
        build_problem(now, scenario),
        ("Rank as of March 2022", "Rank today"),
        "what was learnt after the article",
    )
