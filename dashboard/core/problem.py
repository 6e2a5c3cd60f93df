"""The decision problem for one (evidence, scenario), computed once and shared by every analysis.

Ranking, tipping points, sweeps, the Monte Carlo, tradeoffs and comparisons all start from a
:class:`Problem`: the weight shares, the options in view, the scores the ranking uses, which options
the limits rule out and why, the value model (:mod:`core.model`) and the values it gives. Its arrays
are read-only, so one problem can serve every analysis of a rerun, and every session asking the same.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from core.cache import Memo
from core.displacement import surviving_share
from core.evidence import Evidence, read_only
from core.model import ValueModel, value_model
from core.scenario import Scenario, validate_scenario
from core.scoring import Gate, Method, gate_mask, weights_from_mapping


@dataclass(frozen=True, eq=False)
class Problem:
    """What the maths needs, over all options of ``evidence`` (positions in ``evidence.option_ids``).

    ``view`` are the options shown (:meth:`Evidence.options_in_view`, the one rule);
    ``failed`` the limits each option in view fails, in ``view`` order; ``baseline`` the status quo's
    position if it is in view (and, when it is scored like an option, passes the limits; -1 if not): it is
    the reference every option is measured against, not a competitor, so ``in_play`` (the options that
    compete) leaves it out. Measured from doing nothing new (the default reference), the status quo's
    scores are the bottom of every scale and its values zero: it adds nothing and costs nothing.
    """

    evidence: Evidence
    scenario: Scenario
    shares: np.ndarray  # (c,) weight shares, summing to 1
    likely: np.ndarray  # (o, c) the scores the ranking uses
    model: ValueModel  # how raw scores become values (core.model)
    values: np.ndarray  # (o, c) the values of likely under the model
    view: np.ndarray  # positions of the options in view
    ruled_out: np.ndarray  # (len(view),) True where a limit rules the option out
    failed: tuple[tuple[Gate, ...], ...]  # the limits each option in view fails
    in_play: np.ndarray  # positions of the options in view that pass the limits, the baseline left out
    baseline: int  # the status quo's position, or -1

    @property
    def method(self) -> Method:
        return self.scenario.method

    def value_of(self, raw: np.ndarray) -> np.ndarray:
        """The values of raw scores ``(..., o, c)`` under this problem's model."""
        return self.model.values(raw)

    def values_under(self, method: Method) -> np.ndarray:
        """The values ``(o, c)`` of the likely scores if ``method`` were the model (the status quo still at zero
        when measured from doing nothing new), to compare models on the same problem."""
        if method == self.method or method == "topsis":
            return self.values

        def make() -> np.ndarray:
            values = replace(self.model, method=method).values(self.likely)
            if self.scenario.reference == "nothing_new" and self.baseline >= 0:
                values[self.baseline] = 0.0
            return read_only(values)

        if self.evidence.user_edited:
            return make()
        # Independent of the weights: a weight move reuses it.
        return _OTHER_VALUES.get((self.evidence.key, method, self.model.key, self.baseline), make)

    @property
    def ids_in_play(self) -> tuple[str, ...]:
        return tuple(self.evidence.option_ids[i] for i in self.in_play)


def build_problem(evidence: Evidence, scenario: Scenario) -> Problem:
    """Validate ``scenario`` against ``evidence`` and compute the problem (raises ``InputError``)."""
    validate_scenario(scenario, evidence)
    shares = weights_from_mapping(scenario.weight_map, evidence.criterion_ids)
    surviving = surviving_share(scenario.displacement) if scenario.account_for_displacement else None
    model = value_model(evidence, scenario, surviving)
    view = np.flatnonzero(evidence.options_in_view(scenario.include_post_seed))
    roles = np.array([evidence.option_roles[i] for i in view])
    is_baseline = roles == "status_quo"
    likely, nothing_new = evidence.likely, scenario.reference == "nothing_new"
    if nothing_new and is_baseline.any():
        likely = likely.copy()
        likely[view[is_baseline]] = evidence.scale_min  # doing nothing new: the bottom of every scale
    ruled_out, failed = gate_mask(likely[view], evidence.criterion_ids, evidence.benefit, scenario.gates)
    if nothing_new:  # the reference is never ruled out: it is what the limits' survivors are measured against
        ruled_out &= ~is_baseline
        failed = [() if base else f for f, base in zip(failed, is_baseline, strict=True)]
    values = model.values(likely)
    if nothing_new:
        values[view[is_baseline]] = 0.0  # zero by construction, whatever the model does to a bottom score
    passing = view[~ruled_out & ~is_baseline]
    baseline = view[is_baseline & ~ruled_out]
    return Problem(
        evidence=evidence,
        scenario=scenario,
        shares=read_only(shares),
        likely=likely if likely is evidence.likely else read_only(likely),
        model=model,
        values=read_only(values),
        view=read_only(view),
        ruled_out=read_only(ruled_out),
        failed=tuple(tuple(f) for f in failed),
        in_play=read_only(passing),
        baseline=int(baseline[0]) if len(baseline) else -1,
    )


_PROBLEMS: Memo[Problem] = Memo(max_entries=512)
_OTHER_VALUES: Memo[np.ndarray] = Memo(max_entries=256)


def problem_for(evidence: Evidence, scenario: Scenario) -> Problem:
    """The problem for (evidence, scenario), computed once and then shared (the sourced evidence only:
    a user's own edited evidence stays out of the shared store)."""
    if evidence.user_edited:
        return build_problem(evidence, scenario)
    return _PROBLEMS.get((evidence.key, scenario), lambda: build_problem(evidence, scenario))
