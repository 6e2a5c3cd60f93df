"""The decision problem for one (evidence, scenario), computed once and shared by every analysis.

Ranking, tipping points, sweeps, the Monte Carlo, tradeoffs and comparisons all start from a
:class:`Problem`: the weight shares, the options in view, the scores the ranking uses (with any
displacement discount), which options the limits rule out and why, and the 0-1 values. Its arrays
are read-only, so one problem can serve every analysis of a rerun, and every session asking the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.cache import Memo
from core.displacement import adjust, score_factors
from core.evidence import Evidence, read_only
from core.scenario import Scenario, validate_scenario
from core.scoring import Gate, Method, gate_mask, value_coefficients, weights_from_mapping


@dataclass(frozen=True, eq=False)
class Problem:
    """What the maths needs, over all options of ``evidence`` (positions in ``evidence.option_ids``).

    ``view`` are the options shown (:meth:`Evidence.options_in_view`, the one rule);
    ``failed`` the limits each option in view fails, in ``view`` order; ``baseline`` the status quo's
    position if it is in view and passes the limits (-1 if not): it is the reference every option is
    measured against, not a competitor, so ``in_play`` (the options that compete) leaves it out.
    """

    evidence: Evidence
    scenario: Scenario
    shares: np.ndarray  # (c,) weight shares, summing to 1
    likely: np.ndarray  # (o, c) the scores the ranking uses
    factors: np.ndarray | None  # (o, c) displacement multipliers, or None when displacement is ignored
    coefficients: tuple[np.ndarray, np.ndarray]  # value = a + b * raw, per criterion
    values: np.ndarray  # (o, c) likely on the 0-1 value scale
    view: np.ndarray  # positions of the options in view
    ruled_out: np.ndarray  # (len(view),) True where a limit rules the option out
    failed: tuple[tuple[Gate, ...], ...]  # the limits each option in view fails
    in_play: np.ndarray  # positions of the options in view that pass the limits, the baseline left out
    baseline: int  # the status quo's position, or -1

    @property
    def method(self) -> Method:
        return self.scenario.method

    @property
    def ids_in_play(self) -> tuple[str, ...]:
        return tuple(self.evidence.option_ids[i] for i in self.in_play)


def build_problem(evidence: Evidence, scenario: Scenario) -> Problem:
    """Validate ``scenario`` against ``evidence`` and compute the problem (raises ``InputError``)."""
    validate_scenario(scenario, evidence)
    shares = weights_from_mapping(scenario.weight_map, evidence.criterion_ids)
    factors = score_factors(evidence, scenario.displacement) if scenario.account_for_displacement else None
    likely = evidence.likely if factors is None else adjust(evidence, evidence.likely, factors)
    a, b = value_coefficients(evidence.scale_min, evidence.scale_max, evidence.benefit)
    view = np.flatnonzero(evidence.options_in_view(scenario.include_post_seed))
    ruled_out, failed = gate_mask(likely[view], evidence.criterion_ids, evidence.benefit, scenario.gates)
    roles = np.array([evidence.option_roles[i] for i in view])
    is_baseline = roles == "status_quo"
    passing = view[~ruled_out & ~is_baseline]
    baseline = view[is_baseline & ~ruled_out]
    return Problem(
        evidence=evidence,
        scenario=scenario,
        shares=read_only(shares),
        likely=likely if factors is None else read_only(likely),
        factors=None if factors is None else read_only(factors),
        coefficients=(read_only(a), read_only(b)),
        values=read_only(a + b * likely),
        view=read_only(view),
        ruled_out=read_only(ruled_out),
        failed=tuple(tuple(f) for f in failed),
        in_play=read_only(passing),
        baseline=int(baseline[0]) if len(baseline) else -1,
    )


_PROBLEMS: Memo[Problem] = Memo(max_entries=512)


def problem_for(evidence: Evidence, scenario: Scenario) -> Problem:
    """The problem for (evidence, scenario), computed once and then shared (the sourced evidence only:
    a user's own edited evidence stays out of the shared store)."""
    if evidence.user_edited:
        return build_problem(evidence, scenario)
    return _PROBLEMS.get((evidence.key, scenario), lambda: build_problem(evidence, scenario))
