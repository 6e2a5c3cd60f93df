"""The scenario: everything a user sets on the Weigh page, as one immutable value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from core.displacement import Displacement, check
from core.evidence import Evidence
from core.scoring import METHODS, Gate, InputError, weights_from_mapping
from core.text import quoted

DEFAULT_LENS = "report_emphasis"

# How sure the user is of their weights. Each weight is multiplied by a log-normal factor
# with this spread (a user assumption: no source gives one), then the weights are rescaled.
# "No idea" samples weights uniformly from all possible weightings (classic SMAA).
CERTAINTY: dict[str, tuple[str, float | None]] = {
    "exact": ("Exactly these weights", 0.0),
    "very_sure": ("Very sure (about ±15%)", 0.15),
    "fairly_sure": ("Fairly sure (about ±35%)", 0.35),
    "unsure": ("Unsure (about ±70%)", 0.7),
    "no_idea": ("No idea: any weights at all", None),
}
DEFAULT_CERTAINTY = "fairly_sure"


@dataclass(frozen=True)
class ScoreOverride:
    """A user's own score for one cell; always shown as the user's, never as sourced."""

    option_id: str
    criterion_id: str
    likely: float
    low: float
    high: float
    rationale: str


@dataclass(frozen=True)
class CustomOption:
    """An option the user adds, with ``(criterion_id, low, likely, high)`` for every criterion."""

    option_id: str
    name: str
    scores: tuple[tuple[str, float, float, float], ...]
    rationale: str


@dataclass(frozen=True)
class Scenario:
    """Weights (importance points, any non-negative scale), method, gates and filters.

    ``weights`` is a tuple of ``(criterion_id, points)`` pairs so a scenario is
    hashable and can key a cache.
    """

    weights: tuple[tuple[str, float], ...]
    method: str = "weighted_sum"
    gates: tuple[Gate, ...] = ()
    include_post_seed: bool = False
    lens: str | None = DEFAULT_LENS
    certainty: str = DEFAULT_CERTAINTY
    score_uncertainty: bool = True
    account_for_displacement: bool = False
    displacement: Displacement = field(default_factory=Displacement)
    overrides: tuple[ScoreOverride, ...] = ()
    custom_options: tuple[CustomOption, ...] = ()

    @property
    def weight_map(self) -> dict[str, float]:
        return dict(self.weights)

    def with_weights(self, weights: Mapping[str, float], lens: str | None = None) -> Scenario:
        return replace(self, weights=tuple((c, float(w)) for c, w in weights.items()), lens=lens)


def default_scenario(evidence: Evidence, lens: str = DEFAULT_LENS) -> Scenario:
    return Scenario(weights=tuple(evidence.lens_weights(lens).items()), lens=lens)


def validate_scenario(scenario: Scenario, evidence: Evidence) -> Scenario:
    """Check a scenario against the evidence; raise :class:`InputError` naming the problem."""
    weights_from_mapping(scenario.weight_map, evidence.criterion_ids)
    if scenario.method not in METHODS:
        raise InputError(f"Unknown method {quoted(scenario.method)}; choose one of {', '.join(METHODS)}.")
    for gate in scenario.gates:
        if gate.criterion_id not in evidence.criterion_ids:
            raise InputError(f"Unknown criterion id in a gate: {quoted(gate.criterion_id)}.")
    if scenario.certainty not in CERTAINTY:
        raise InputError(f"Unknown certainty {quoted(scenario.certainty)}; choose one of {', '.join(CERTAINTY)}.")
    try:
        check(scenario.displacement)
    except ValueError as err:
        raise InputError(str(err)) from None
    if scenario.lens is not None and scenario.lens not in evidence.lens_table:
        raise InputError(f"Unknown lens {quoted(scenario.lens)}.")
    return scenario
