"""An illustrative displacement ("balloon effect") model, and its link to the ranking.

An option cuts the supply it reaches by ``effectiveness``. Substitutes (other chemicals,
other countries) then fill a share ``substitution_share`` of the gap, approaching it
exponentially with a half-life of ``half_life_months``. No source gives a price
elasticity or a relocation lag, so every parameter is a user assumption; the defaults are
anchored on documented episodes (see ``PARAMETERS``).

Linked to the decision, the model's *surviving share* ``S`` (the effect still standing after
``horizon_years``, as a share of the average effect in the first year) reads the durability
criterion when the user switches the model on: an option's durability value becomes
``S + (1 - S) x d`` (see :mod:`core.model`), one rule for every option, so displacement is
counted once, through durability. The value weights are untouched: this is an assumption, not a value.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np


@dataclass(frozen=True)
class Displacement:
    """The model's parameters (all user assumptions)."""

    substitution_share: float = 0.9
    half_life_months: float = 3.0
    horizon_years: int = 5
    effectiveness: float = 0.5

    def __post_init__(self) -> None:
        # A file or link may write 3 for 3.0 or 5.0 for 5: hold each number in the type its control
        # shows (a float slider, or a whole number of years), so every page can draw it.
        for name in PARAMETERS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue  # check() names it
            kind = parameter_type(name)
            try:
                if kind is float:
                    object.__setattr__(self, name, float(value))
                elif float(value).is_integer():
                    object.__setattr__(self, name, int(value))
            except OverflowError:
                continue


def parameter_type(name: str) -> type:
    """``int`` for a parameter that is a whole number (the horizon in years), else ``float``."""
    return {f.name: (int if f.type in ("int", int) else float) for f in fields(Displacement)}[name]


@dataclass(frozen=True)
class Parameter:
    label: str
    low: float
    high: float
    step: float
    unit: str
    reason: str


PARAMETERS: dict[str, Parameter] = {
    "substitution_share": Parameter(
        "Share of the gap that substitutes fill",
        0.0,
        1.0,
        0.05,
        "",
        "No source measures it. The default of 0.9 is an illustration, loosely anchored on episodes the sources "
        "describe: after the 2019 scheduling, shipments were 'mostly' rerouted through Mexico (Felbab-Brown, "
        "Brookings, March 2022); seven months after the 2023 crackdown the online precursor market was "
        "'thriving and essentially unimpeded' (a 2024 report, after the article); Australian groups turned to "
        "Myanmar after Task Force Blaze.",
    ),
    "half_life_months": Parameter(
        "Half-life of substitution",
        1.0,
        36.0,
        1.0,
        "months",
        "No source gives a relocation lag. The default of 3 months is an illustration: then about 80% of the "
        "eventual substitution has happened by month 7, roughly the market's recovery about seven months after "
        "the 2023 crackdown (a 2024 report, after the article).",
    ),
    "horizon_years": Parameter(
        "Years to look ahead",
        1,
        10,
        1,
        "years",
        "How far ahead the surviving share is read. Default 5 years, a policy term; the report does not set one.",
    ),
    "effectiveness": Parameter(
        "Effectiveness against the supply it reaches",
        0.0,
        1.0,
        0.05,
        "",
        "No source measures it. It only scales the supply chart; the surviving share does not depend on it.",
    ),
}


def check(params: Displacement) -> Displacement:
    """Raise ``ValueError`` naming a parameter outside its range."""
    for name, spec in PARAMETERS.items():
        value = getattr(params, name)
        try:
            finite = not isinstance(value, bool) and isinstance(value, (int, float)) and np.isfinite(float(value))
        except (OverflowError, TypeError):
            finite = False
        if not finite:
            raise ValueError(f"The displacement parameter {name!r} must be a number; got {value!r:.40}.")
        if parameter_type(name) is int and not float(value).is_integer():
            raise ValueError(f"The displacement parameter {name!r} must be a whole number; got {value:g}.")
        if not spec.low <= value <= spec.high:
            raise ValueError(
                f"The displacement parameter {name!r} must lie from {spec.low:g} to {spec.high:g}; got {value:g}."
            )
    return params


def _filled(params: Displacement, months: np.ndarray) -> np.ndarray:
    """Share of the gap filled by substitutes after ``months``."""
    rate = np.log(2) / params.half_life_months
    return params.substitution_share * (1 - np.exp(-rate * np.asarray(months, dtype=float)))


@dataclass(frozen=True)
class SupplyPaths:
    """Monthly supply as an index (100 = before the option), with and without substitution."""

    months: np.ndarray
    baseline: np.ndarray
    without_substitution: np.ndarray
    with_substitution: np.ndarray
    surviving_share: float


def supply_paths(params: Displacement, years: int | None = None) -> SupplyPaths:
    check(params)
    years = params.horizon_years if years is None else years
    months = np.arange(0, 12 * years + 1, dtype=float)
    gap = 100.0 * params.effectiveness
    without = np.full(months.shape, 100.0 - gap)
    with_sub = 100.0 - gap * (1 - _filled(params, months))
    return SupplyPaths(months, np.full(months.shape, 100.0), without, with_sub, surviving_share(params))


def surviving_share(params: Displacement) -> float:
    """The effect left after ``horizon_years`` as a share of the average effect in the first year.

    1 with no substitution; 0 when substitutes fill the whole gap at once. It does not
    depend on effectiveness, which scales both.
    """
    check(params)
    rate = np.log(2) / params.half_life_months
    first_year = 1 - params.substitution_share * (1 - (1 - np.exp(-12 * rate)) / (12 * rate))
    later = 1 - float(_filled(params, 12 * params.horizon_years))
    if first_year <= 0:
        return 0.0
    return float(np.clip(later / first_year, 0.0, 1.0))
