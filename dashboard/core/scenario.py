"""The scenario: everything a user sets, as one immutable, hashable value (the app's single source of truth).

The weights, limits, score edits and the user's own options are fields of their own; every simple
setting (method, lens, switches, the displacement assumptions) lives in ``settings``, described
once in :mod:`core.settings`, and reads as an attribute: ``scenario.method``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from core import settings as schema
from core.displacement import PARAMETERS, Displacement, check
from core.evidence import Evidence
from core.scoring import Gate, InputError, weights_from_mapping
from core.settings import CERTAINTY, DEFAULT_LENS  # noqa: F401  (re-exported for callers)

# The id of a user's own option: lower-case letters, digits and underscores, as a link and a file write it.
CUSTOM_ID = re.compile(r"[a-z][a-z0-9_]{0,40}")


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


@dataclass(frozen=True, init=False)
class Scenario:
    """Weights (importance points, any non-negative scale), limits, edits and settings.

    ``weights`` is a tuple of ``(criterion_id, points)`` pairs and ``settings`` a tuple of
    ``(name, value)`` pairs in the schema's order, so a scenario is hashable and keys caches.
    Settings are given by name, ``Scenario(weights, method="topsis")``, and
    ``dataclasses.replace(scenario, method="topsis")`` works as for any field; ``displacement=``
    sets the four displacement assumptions at once.
    """

    weights: tuple[tuple[str, float], ...]
    gates: tuple[Gate, ...]
    overrides: tuple[ScoreOverride, ...]
    custom_options: tuple[CustomOption, ...]
    settings: tuple[tuple[str, Any], ...]

    def __init__(
        self,
        weights: tuple[tuple[str, float], ...],
        gates: tuple[Gate, ...] = (),
        overrides: tuple[ScoreOverride, ...] = (),
        custom_options: tuple[CustomOption, ...] = (),
        settings: tuple[tuple[str, Any], ...] = (),
        **named: Any,
    ) -> None:
        values = schema.defaults()
        values.update(dict(settings))
        displacement = named.pop("displacement", None)
        if displacement is not None:
            values.update({name: getattr(displacement, name) for name in PARAMETERS})
        unknown = set(named) - set(values)
        if unknown:
            raise TypeError(f"Scenario has no setting {sorted(unknown)[0]!r}")
        values.update(named)
        coerced = tuple((s.name, s.coerce(values[s.name])) for s in schema.all_settings())
        object.__setattr__(self, "weights", tuple(weights))
        object.__setattr__(self, "gates", tuple(gates))
        object.__setattr__(self, "overrides", tuple(overrides))
        object.__setattr__(self, "custom_options", tuple(custom_options))
        object.__setattr__(self, "settings", coerced)

    def __getattr__(self, name: str) -> Any:
        # Only called when the normal lookup fails: a setting by its name.
        for key, value in object.__getattribute__(self, "settings"):
            if key == name:
                return value
        raise AttributeError(name)

    @property
    def weight_map(self) -> dict[str, float]:
        return dict(self.weights)

    @property
    def displacement(self) -> Displacement:
        """The displacement assumptions as the model's parameters."""
        return Displacement(**{name: getattr(self, name) for name in PARAMETERS})

    def with_weights(self, weights: Mapping[str, float], lens: str | None = None) -> Scenario:
        return replace(self, weights=tuple((c, float(w)) for c, w in weights.items()), lens=lens)


def default_scenario(evidence: Evidence, lens: str = DEFAULT_LENS) -> Scenario:
    return Scenario(weights=tuple(evidence.lens_weights(lens).items()), lens=lens)


def validate_scenario(scenario: Scenario, evidence: Evidence) -> Scenario:
    """Check a scenario against the evidence; raise :class:`InputError` naming the problem."""
    weights_from_mapping(scenario.weight_map, evidence.criterion_ids)
    for s in schema.all_settings():
        if s.group != "displacement":  # the displacement settings are checked as its model's parameters, below
            s.check(getattr(scenario, s.name), s.allowed(evidence))
    for gate in scenario.gates:
        if gate.criterion_id not in evidence.criterion_ids:
            raise InputError(f"Unknown criterion id in a gate: {gate.criterion_id!r}.")
    try:
        check(scenario.displacement)
    except ValueError as err:
        raise InputError(str(err)) from None
    return scenario
