"""The value model: how the raw 0-4 scores become the values the weights multiply.

Two settings of the scenario choose it, and every analysis (ranking, tipping points, sweeps, the Monte
Carlo, packages) goes through :meth:`ValueModel.values`, so each says the same.

**What zero means** (``reference``):

- ``nothing_new`` (the default): each option is measured as a change from doing nothing new. A benefit
  criterion counts what the option adds, 0 at the bottom of its scale and 1 at the top; time to effect
  counts how soon that comes, 1 at once and 0 long-term only (a slow gain is still a gain, never a loss
  against doing nothing); a cost criterion (diplomatic cost, risk of ill effects) counts what the option
  costs, as a loss, 0 for none and -1 at the top. Doing nothing new adds nothing and costs nothing, so it
  scores 0 by construction under every model: the reference line, not a competitor.
- ``scored``: the status quo is scored like an option from its own scores (what is in force), and a cost
  counts as a value from 0 to 1 (1 = no cost). Kept to show how much that choice matters.

**How the criteria combine** (``method``):

- ``weighted_sum``: the weighted values add up (the additive model; it treats the criteria as independent).
- ``expected_impact``: durability and time to effect qualify the effect instead of adding points of their
  own, since an option with no effect cannot be durable or fast:
  ``impact = effect x lasting x timing``, where ``effect`` is the effect's value (0-1), ``lasting`` the
  durability value below, and ``timing`` the share of the horizon (the "years to look ahead" setting) in
  which the option acts, ``max(0, 1 - years to effect / horizon)``. The weights on effect, durability and
  time together weigh the impact (each carries its share of it); independence from relations and the costs
  add as in the weighted sum.
- ``topsis``: closeness to the ideal, from the raw scores (see :mod:`core.scoring`).

**Displacement, counted once, one rule for every option.** The durability criterion is the one place
displacement counts (effect scores are gross of substitution). Its value is the sources' label on the 0-1
scale; with the displacement model switched on it is read through the model instead: ``S + (1 - S) x d``,
where ``S`` is the model's surviving share (the effect still standing at the horizon if substitutes fill
the gap) and ``d`` the label's value, so an effect judged "erased quickly" keeps ``S`` and one that "fully
holds" keeps all of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.scoring import value_coefficients

REFERENCES = ("nothing_new", "scored")
REFERENCE_NAMES = {
    "nothing_new": "Doing nothing new scores zero: each option is what it adds and costs",
    "scored": "The status quo scored like an option",
}
DEFAULT_REFERENCE = "nothing_new"

# How many years each label of the time-to-effect scale stands for, in the expected-impact model ("already in
# force" is 0). No source gives these: each is our reading of its label, a user assumption with a control
# (name: (the label, default, lowest, highest)).
TIMING: dict[str, tuple[str, float, float, float]] = {
    "years_months": ("months", 0.5, 0.1, 1.0),
    "years_about_a_year": ("about a year", 1.0, 0.5, 2.0),
    "years_several": ("several years", 3.0, 2.0, 6.0),
    "years_long_term": ("long-term only", 7.0, 4.0, 20.0),
}
YEARS_TO_EFFECT = (0.0, *(default for _, default, _, _ in TIMING.values()))


def years_words(years: tuple[float, ...] = YEARS_TO_EFFECT) -> str:
    """The readings in words: "already in force 0, months 0.5, about a year 1, several years 3, long-term only 7"."""
    words = ("already in force", *(word for word, _, _, _ in TIMING.values()))
    return ", ".join(f"{w} {y:g}" for w, y in zip(words, years, strict=True))


EFFECT, DURABILITY, TIME = "effect_on_precursors", "durability", "time_to_effect"


def signed_coefficients(
    scale_min: np.ndarray, scale_max: np.ndarray, benefit: np.ndarray, loss: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``value = a + b * raw`` per criterion: the 0-1 value scale of :func:`core.scoring.value_coefficients`,
    shifted down by one for the criteria in ``loss`` (measured from doing nothing new, a cost is a loss: 0 to -1)."""
    a, b = value_coefficients(scale_min, scale_max, benefit)
    return a - np.asarray(loss, dtype=float), b


def scenario_years(scenario) -> tuple[float, ...]:
    """The years each time label stands for in ``scenario`` ("already in force" first, at 0)."""
    return (0.0, *(float(getattr(scenario, name)) for name in TIMING))


def timing(
    time_raw: np.ndarray, horizon: float, scale_min: float = 0.0, years: tuple[float, ...] = YEARS_TO_EFFECT
) -> np.ndarray:
    """The share of ``horizon`` years in which an option acts, from its time-to-effect score (``years``: what
    each label of the scale stands for)."""
    points = scale_min + np.arange(len(years), dtype=float)
    years = np.interp(np.asarray(time_raw, dtype=float), points, years)
    return np.clip(1.0 - years / float(horizon), 0.0, 1.0)


@dataclass(frozen=True)
class ValueModel:
    """The model's choices and parameters, ready to turn raw scores into values."""

    method: str
    reference: str
    a: np.ndarray  # (c,)
    b: np.ndarray  # (c,)
    effect: int  # column of each criterion the model names, -1 if the evidence lacks it
    durability: int
    time: int
    time_floor: float  # the bottom of the time scale
    surviving: float | None  # S, when the displacement model is switched on
    horizon: float
    years: tuple[float, ...] = YEARS_TO_EFFECT  # what each time label stands for, in years

    @property
    def key(self) -> tuple:
        """What the values depend on besides the evidence (a cache key)."""
        return (self.method, self.reference, self.surviving, self.horizon, self.years)

    @property
    def qualifies(self) -> bool:
        """True when durability and time qualify the effect (the expected-impact model can apply)."""
        return self.method == "expected_impact" and min(self.effect, self.durability, self.time) >= 0

    def values(self, raw: np.ndarray) -> np.ndarray:
        """The values ``(..., o, c)`` of raw scores ``(..., o, c)``, in the raw scores' float type."""
        raw = np.asarray(raw)
        dtype = raw.dtype if raw.dtype in (np.float32, np.float64) else np.float64
        v = (self.a.astype(dtype) + self.b.astype(dtype) * raw).astype(dtype, copy=False)
        if self.durability >= 0 and self.surviving is not None:
            s = np.asarray(self.surviving, dtype=dtype)
            v[..., self.durability] = s + (1 - s) * v[..., self.durability]
        if self.qualifies:
            lasting = v[..., self.durability]
            when = timing(raw[..., self.time], self.horizon, self.time_floor, self.years).astype(dtype, copy=False)
            impact = v[..., self.effect] * lasting * when
            for j in (self.effect, self.durability, self.time):
                v[..., j] = impact
        return v


def value_model(evidence, scenario, surviving: float | None) -> ValueModel:
    """The model of ``scenario`` over ``evidence``'s criteria (``surviving``: S, or None when the displacement
    model is switched off)."""
    ids = evidence.criterion_ids
    time = ids.index(TIME) if TIME in ids else -1
    loss = ~np.asarray(evidence.benefit, dtype=bool) & (np.arange(len(ids)) != time)
    if scenario.reference != "nothing_new":
        loss[:] = False
    a, b = signed_coefficients(evidence.scale_min, evidence.scale_max, evidence.benefit, loss)
    return ValueModel(
        method=scenario.method,
        reference=scenario.reference,
        a=a,
        b=b,
        effect=ids.index(EFFECT) if EFFECT in ids else -1,
        durability=ids.index(DURABILITY) if DURABILITY in ids else -1,
        time=time,
        time_floor=float(evidence.scale_min[time]) if time >= 0 else 0.0,
        surviving=surviving,
        horizon=float(scenario.horizon_years),
        years=scenario_years(scenario),
    )


def additive(method: str) -> bool:
    """True for a model whose score is the sum of weighted values (points out of 100); False for closeness."""
    return method != "topsis"
