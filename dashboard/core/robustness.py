"""How sure is the ranking? Weight paths, tipping points and SMAA-style rank acceptability.

All functions work on the options that are in view and pass the scenario's gates, with
the scenario's method (weighted sum or TOPSIS). Nothing here imports streamlit.

Rank acceptability follows SMAA (Lahdelma & Salminen): sample weights around the user's
and scores from their low / likely / high ranges, rank the options in every sample, and
count how often each option takes each rank. The randomness that does not depend on the
weights is drawn once per (evidence version, seed, chunk) and shared, so a weight change
costs one matrix product per chunk.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from core.displacement import score_factors
from core.evidence import Evidence
from core.ranking import effective_likely, options_in_view
from core.scenario import CERTAINTY, Scenario, validate_scenario
from core.scoring import InputError, _topsis, gate_mask, weights_from_mapping

DEFAULT_SEED = 20220314
DEFAULT_SAMPLES = 20_000
CHUNK = 50_000
MAX_SAMPLES = 2_000_000
CACHED_SAMPLES = 200_000  # larger on-demand runs stream their draws instead of keeping them
_EDGE = 1e-6  # crossings this close to 0% or 100% are ties at the end of the path


# --------------------------------------------------------------------------- the options in play
@dataclass(frozen=True)
class Field:
    """The options in play (in view and past the gates) with their scores and the weight shares."""

    option_ids: tuple[str, ...]
    index: np.ndarray  # positions in evidence.option_ids
    likely: np.ndarray  # (o, c)
    shares: np.ndarray  # (c,)
    method: str


def field(evidence: Evidence, scenario: Scenario) -> Field:
    validate_scenario(scenario, evidence)
    shares = weights_from_mapping(scenario.weight_map, evidence.criterion_ids)
    view = np.flatnonzero(options_in_view(evidence, scenario.include_post_seed))
    likely = effective_likely(evidence, scenario)
    out, _ = gate_mask(likely[view], evidence.criterion_ids, evidence.benefit, scenario.gates)
    index = view[~out]
    return Field(
        option_ids=tuple(evidence.option_ids[i] for i in index),
        index=index,
        likely=likely[index],
        shares=shares,
        method=scenario.method,
    )


def _value_coefficients(evidence: Evidence) -> tuple[np.ndarray, np.ndarray]:
    """``value = a + b * raw`` per criterion: the 0-1 value scale as a linear map of raw scores."""
    span = evidence.scale_max - evidence.scale_min
    b = np.where(evidence.benefit, 1.0, -1.0) / span
    a = np.where(evidence.benefit, -evidence.scale_min / span, 1.0 + evidence.scale_min / span)
    return a, b


def scores_for(evidence: Evidence, likely: np.ndarray, shares: np.ndarray, method: str) -> np.ndarray:
    """Overall scores of ``likely`` (o, c) under one weighting (higher is better)."""
    return scores_batch(evidence, likely, shares[None, :], method)[0]


def scores_batch(evidence: Evidence, likely: np.ndarray, weights: np.ndarray, method: str) -> np.ndarray:
    """Overall scores ``(k, o)`` of ``likely`` (o, c) under ``k`` weightings ``(k, c)`` at once."""
    if method == "topsis":
        return _topsis(likely, weights[:, None, :], evidence.benefit)
    a, b = _value_coefficients(evidence)
    return weights @ (a + b * likely).T


# --------------------------------------------------------------------------- weight paths
def shares_along(shares: np.ndarray, j: int, t: np.ndarray | float) -> np.ndarray:
    """Weightings with criterion ``j`` at share ``t`` and the others rescaled in proportion.

    Where every other weight is zero, the rest is split equally among the others.
    Returns ``(len(t), c)``.
    """
    t = np.atleast_1d(np.asarray(t, dtype=float))
    rest = np.delete(shares, j)
    rest = rest / rest.sum() if rest.sum() > 0 else np.full(rest.shape, 1.0 / max(len(rest), 1))
    out = np.empty((len(t), len(shares)))
    out[:, j] = t
    out[:, np.arange(len(shares)) != j] = (1 - t)[:, None] * rest[None, :]
    return out


@dataclass(frozen=True)
class Sweep:
    """Each option's overall score as one criterion's share goes from 0 to 1."""

    criterion_id: str
    t: np.ndarray  # (k,) shares of the swept criterion
    scores: np.ndarray  # (k, o)
    option_ids: tuple[str, ...]
    current: float  # the criterion's share now
    changes: tuple[tuple[float, str, str], ...]  # (share, old leader, new leader) where the top option changes


def weight_sweep(evidence: Evidence, scenario: Scenario, criterion_id: str, points: int = 201) -> Sweep:
    if criterion_id not in evidence.criterion_ids:
        raise InputError(f"Unknown criterion id {criterion_id!r}.")
    f = field(evidence, scenario)
    j = evidence.criterion_ids.index(criterion_id)
    t = np.linspace(0.0, 1.0, points)
    if not f.option_ids:
        return Sweep(criterion_id, t, np.zeros((points, 0)), (), float(f.shares[j]), ())
    scores = scores_batch(evidence, f.likely, shares_along(f.shares, j, t), f.method)
    changes = []
    for lo, hi in _leader_changes(scores):
        t_star, old, new = _refine(evidence, f, j, t[lo], t[hi])
        if _EDGE < t_star < 1 - _EDGE:  # level only at 0% or 100% is a tie, not a change of leader
            changes.append((t_star, f.option_ids[old], f.option_ids[new]))
    return Sweep(criterion_id, t, scores, f.option_ids, float(f.shares[j]), tuple(changes))


def sweep_sentence(evidence: Evidence, sweep: Sweep) -> str:
    """The sweep in words: where the top option changes, or that it never does (and any tie at the ends)."""
    name = evidence.criterion_name(sweep.criterion_id).lower()
    if not sweep.option_ids:
        return "No option passes your limits."
    changes = "; ".join(
        f"at {t * 100:.0f}% {evidence.option_name(new)} takes the lead from {evidence.option_name(old)}"
        for t, old, new in sweep.changes
    )
    ties = []
    for k, where in ((0, "0%"), (-1, "100%")):
        row = np.round(sweep.scores[k], 9)
        level = np.flatnonzero(row == row.max())
        if len(level) > 1:
            ties.append(f"{' and '.join(evidence.option_name(sweep.option_ids[i]) for i in level)} tie at {where}")
    tie_text = (" " + "; ".join(ties).capitalize() + ".") if ties else ""
    if changes:
        return f"As the weight on {name} goes from 0% to 100%: {changes}.{tie_text}"
    leader = evidence.option_name(sweep.option_ids[int(_leader(sweep.scores[len(sweep.t) // 2]))])
    return f"No weight on {name} between the ends changes the top option ({leader}).{tie_text}"


def _leader(scores: np.ndarray) -> np.ndarray:
    # First in evidence order wins a tie, as in the ranking table.
    return np.argmax(np.round(scores, 9), axis=-1)


def _leader_changes(scores: np.ndarray) -> list[tuple[int, int]]:
    lead = _leader(scores)
    return [(i, i + 1) for i in np.flatnonzero(lead[1:] != lead[:-1])]


def _refine(evidence: Evidence, f: Field, j: int, lo: float, hi: float) -> tuple[float, int, int]:
    """Bisect the share where the leader changes between ``lo`` and ``hi``."""

    def lead(t: float) -> int:
        return int(_leader(scores_for(evidence, f.likely, shares_along(f.shares, j, t)[0], f.method)))

    old, new = lead(lo), lead(hi)
    for _ in range(40):
        mid = (lo + hi) / 2
        if lead(mid) == old:
            lo = mid
        else:
            hi = mid
            new = lead(mid)
    return (lo + hi) / 2, old, new


# --------------------------------------------------------------------------- tipping points
@dataclass(frozen=True)
class TippingPoint:
    """The nearest changes of the top option as one criterion's weight falls or rises."""

    criterion_id: str
    current: float
    leader: str | None
    below: tuple[float, str] | None  # (share, new leader) if lowering the weight changes the top option
    above: tuple[float, str] | None  # (share, new leader) if raising it does
    tied_with: tuple[str, ...] = ()  # other options level with the leader now


def tipping_points(evidence: Evidence, scenario: Scenario) -> list[TippingPoint]:
    """For each criterion, the smallest change in its weight (others rescaled) that changes the top option.

    The weighted sum is linear along the path, so crossings are solved exactly; TOPSIS
    is searched on a fine grid and refined by bisection.
    """
    f = field(evidence, scenario)
    points = []
    if f.option_ids:
        current = np.round(scores_for(evidence, f.likely, f.shares, f.method), 9)
        level = current == current.max()
    for j, cid in enumerate(evidence.criterion_ids):
        now = float(f.shares[j])
        if not f.option_ids:
            points.append(TippingPoint(cid, now, None, None, None))
            continue
        if f.method == "weighted_sum":
            below, above, leader = _linear_tipping(evidence, f, j)
        else:
            below, above, leader = _searched_tipping(evidence, f, j)
        tied = tuple(f.option_ids[i] for i in np.flatnonzero(level) if i != leader)
        points.append(TippingPoint(cid, now, f.option_ids[leader], below, above, tied))
    return points


def _linear_tipping(evidence: Evidence, f: Field, j: int):
    a, b = _value_coefficients(evidence)
    values = a + b * f.likely  # (o, c)
    path0, path1 = shares_along(f.shares, j, np.array([0.0, 1.0]))
    s0, s1 = values @ path0, values @ path1  # scores at t = 0 and t = 1; linear in between
    t0 = float(f.shares[j])
    now = s0 + t0 * (s1 - s0)
    leader = int(_leader(now))
    slope = (s1 - s0) - (s1[leader] - s0[leader])  # each option's gain on the leader per unit t
    gap = now - now[leader]  # <= 0
    below = above = None
    with np.errstate(divide="ignore", invalid="ignore"):
        t_cross = t0 - gap / slope  # where each option draws level with the leader
    for direction in ("below", "above"):
        best = None
        for i in range(len(f.option_ids)):
            if i == leader or slope[i] == 0:
                continue
            t = float(t_cross[i])
            # Drawing level only at 0% or 100% is a tie at the end of the path, not an overtaking.
            if direction == "below" and slope[i] < 0 and _EDGE < t < t0 + 1e-12:
                key = t0 - t
            elif direction == "above" and slope[i] > 0 and t0 - 1e-12 < t < 1 - _EDGE:
                key = t - t0
            else:
                continue
            if best is None or key < best[0] - 1e-12:
                best = (key, t, i)
        if best is not None:
            if direction == "below":
                below = (best[1], f.option_ids[best[2]])
            else:
                above = (best[1], f.option_ids[best[2]])
    return below, above, leader


def _searched_tipping(evidence: Evidence, f: Field, j: int, points: int = 401):
    t0 = float(f.shares[j])
    leader = int(_leader(scores_for(evidence, f.likely, f.shares, f.method)))
    below = above = None
    for direction, grid in (("below", np.linspace(t0, 0.0, points)), ("above", np.linspace(t0, 1.0, points))):
        leads = _leader(scores_batch(evidence, f.likely, shares_along(f.shares, j, grid), f.method))
        for k in range(1, len(grid)):
            if leads[k] != leader:
                lo, hi = sorted((grid[k - 1], grid[k]))
                t_star, old, new = _refine(evidence, f, j, lo, hi)
                if not _EDGE < t_star < 1 - _EDGE:
                    break  # level only at 0% or 100%: a tie, not an overtaking
                new_leader = new if old == leader else old
                result = (t_star, f.option_ids[new_leader])
                if direction == "below":
                    below = result
                else:
                    above = result
                break
    return below, above, leader


def tipping_sentence(evidence: Evidence, point: TippingPoint) -> str:
    """The tipping point in words, e.g. "X overtakes Y if the weight on durability falls below 12% (now 20%)"."""
    name = evidence.criterion_name(point.criterion_id).lower()
    now = f"{point.current * 100:.0f}%"
    if point.leader is None:
        return f"No option passes your limits, so the weight on {name} cannot change the top option."
    leader = evidence.option_name(point.leader)
    if point.tied_with:
        others = " and ".join(evidence.option_name(o) for o in point.tied_with)
        return (
            f"{leader} and {others} tie for first now, so any change to the weight on {name} (now {now}) "
            "may break the tie."
        )
    parts = []
    for side, verb in ((point.below, "falls below"), (point.above, "rises above")):
        if side is None:
            continue
        t, new = side
        caveat = ""
        if evidence.option_roles[evidence.option_ids.index(new)] == "anti_option":
            caveat = ", an option the sources warn against,"
        parts.append(
            f"{evidence.option_name(new)}{caveat} overtakes {leader} if the weight on {name} {verb} {t * 100:.0f}%"
        )
    if not parts:
        return f"No weight on {name}, from 0% to 100%, changes the top option ({leader}; now {now})."
    return "; ".join(parts) + f" (now {now})."


# --------------------------------------------------------------------------- rank acceptability
@dataclass(frozen=True)
class Acceptability:
    """Rank acceptability for the options in play.

    ``rank_probs[i, r]`` is the share of samples in which option ``i`` takes rank ``r + 1``;
    every row and every column sums to 1. ``central_weights[i]`` is the mean weighting of
    the samples in which option ``i`` ranks first (NaN where it never does).
    """

    option_ids: tuple[str, ...]
    rank_probs: np.ndarray
    central_weights: np.ndarray
    samples: int
    seed: int
    certainty: str
    score_uncertainty: bool
    method: str

    @property
    def first(self) -> np.ndarray:
        return self.rank_probs[:, 0] if len(self.option_ids) else np.zeros(0)


class _DrawCache:
    """Bounded, thread-safe store of weight-independent draws, shared by every session (read-only arrays)."""

    def __init__(self, max_bytes: int = 96 * 2**20):
        self._items: OrderedDict[tuple, tuple[np.ndarray, ...]] = OrderedDict()
        self._bytes = 0
        self._max = max_bytes
        self._lock = threading.Lock()

    def get(self, key: tuple, make, store: bool = True):
        if not store:
            return make()
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        size = sum(a.nbytes for a in value)
        if size > self._max // 4:
            return value  # a large on-demand run streams through without evicting the everyday draws
        with self._lock:
            self._items[key] = value
            self._bytes += size
            while self._bytes > self._max and len(self._items) > 1:
                _, old = self._items.popitem(last=False)
                self._bytes -= sum(a.nbytes for a in old)
        return value


_DRAWS = _DrawCache()


def _uniform(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Float32 uniforms on (0, 1) with 24-bit resolution, from raw generator bits (faster than ``rng.random``)."""
    count = int(np.prod(shape))
    bits = rng.bit_generator.random_raw((count + 1) // 2).view(np.uint32)[:count].reshape(shape)
    u = (bits >> np.uint32(8)).astype(np.float32)
    u += np.float32(0.5)
    u *= np.float32(2.0**-24)
    return u


def triangular(u: np.ndarray, low: np.ndarray, mode: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Inverse-CDF triangular draws; a zero-width range gives its single value."""
    width = high - low
    safe = np.where(width > 0, width, 1.0)
    f = ((mode - low) / safe).astype(np.float32)
    k1 = (width * (mode - low)).astype(np.float32)
    k2 = (width * (high - mode)).astype(np.float32)
    left = u < f
    q = np.where(left, u * k1, (1 - u) * k2)
    np.sqrt(q, out=q)
    return np.where(left, low.astype(np.float32) + q, high.astype(np.float32) - q)


def _chunk_draws(evidence: Evidence, seed: int, chunk: int, size: int, score_uncertainty: bool, store: bool = True):
    def make():
        rng = np.random.default_rng([seed, chunk])
        o, c = evidence.likely.shape
        if score_uncertainty:
            raw = triangular(_uniform(rng, (size, o, c)), evidence.low, evidence.likely, evidence.high)
        else:
            raw = np.broadcast_to(evidence.likely.astype(np.float32), (size, o, c))
        normal = rng.standard_normal((size, c), dtype=np.float32)
        expo = rng.standard_exponential((size, c), dtype=np.float32)
        tiebreak = _uniform(rng, (size, o))
        for a in (raw, normal, expo, tiebreak):
            a.flags.writeable = False
        return raw, normal, expo, tiebreak

    return _DRAWS.get((evidence.version, seed, chunk, size, score_uncertainty), make, store)


def sample_weights(shares: np.ndarray, certainty: str, normal: np.ndarray, expo: np.ndarray) -> np.ndarray:
    """Weightings around ``shares`` for each sample; rows sum to 1."""
    if certainty not in CERTAINTY:
        raise InputError(f"Unknown certainty {certainty!r}; choose one of {', '.join(CERTAINTY)}.")
    sigma = CERTAINTY[certainty][1]
    if sigma is None:
        w = expo.astype(np.float64)
    elif sigma == 0:
        return np.broadcast_to(shares, normal.shape)
    else:
        w = shares[None, :] * np.exp(sigma * normal - sigma**2 / 2)
    total = w.sum(axis=1, keepdims=True)
    return w / np.where(total > 0, total, 1.0)


def _chunk_scores(evidence: Evidence, raw: np.ndarray, weights: np.ndarray, method: str) -> np.ndarray:
    if method == "topsis":
        return _topsis(raw, weights[:, None, :].astype(np.float32), evidence.benefit)
    a, b = _value_coefficients(evidence)
    return np.einsum("noc,nc->no", raw, (weights * b).astype(np.float32)) + (weights @ a)[:, None]


def rank_acceptability(
    evidence: Evidence,
    scenario: Scenario,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    chunk: int = CHUNK,
    first_only: bool = False,
) -> Acceptability:
    """Probability of each rank for each option in play, from weight and score uncertainty.

    The scenario's ``certainty`` sets how far weights are sampled from the user's, and
    ``score_uncertainty`` whether each score is drawn from its low / likely / high range
    (a triangular distribution) or held at its likely value.

    Seeded: the same scenario, settings and seed give the same numbers. Samples are
    processed in chunks of ``chunk`` so memory stays bounded for large runs. With
    ``first_only`` only the probability of ranking first is counted (``rank_probs`` then
    has one column), which is cheaper.
    """
    if not isinstance(samples, (int, np.integer)) or not 1 <= samples <= MAX_SAMPLES:
        raise InputError(f"The number of samples must be a whole number from 1 to {MAX_SAMPLES:,}; got {samples!r}.")
    f = field(evidence, scenario)
    certainty, score_uncertainty = scenario.certainty, scenario.score_uncertainty
    o, c = len(f.option_ids), len(evidence.criterion_ids)
    counts = np.zeros((o, 1 if first_only else o))
    # Displacement discounts apply to the drawn scores as they do to the likely ones.
    factors = (
        score_factors(evidence, scenario.displacement).astype(np.float32) if scenario.account_for_displacement else None
    )
    weight_sums = np.zeros((o, c))
    done = 0
    k = 0
    while done < samples and o:
        size = min(chunk, samples - done)
        # Draws for a user's own edited evidence are not kept in the shared store.
        raw, normal, expo, tiebreak = _chunk_draws(
            evidence, seed, k, size, score_uncertainty, store=samples <= CACHED_SAMPLES and "-u" not in evidence.version
        )
        weights = sample_weights(f.shares, certainty, normal, expo)
        if factors is not None:
            raw = (evidence.scale_min + (raw - evidence.scale_min) * factors).astype(np.float32)
        if f.method == "weighted_sum":
            # Score every option and keep the columns in play: cheaper than copying the draws.
            scores = _chunk_scores(evidence, raw, weights, f.method)[:, f.index]
        else:
            scores = _chunk_scores(evidence, raw[:, f.index, :], weights, f.method)
        # Exact ties (no uncertainty, equal scores) are broken at random, so tied options share the rank.
        # Scores are float32 (error about 1e-7), so round them before adding the tie-breaker.
        keyed = np.round(scores.astype(np.float64), 5) + 1e-7 * tiebreak[:, f.index]
        if first_only:
            first = np.argmax(keyed, axis=1)
            counts[:, 0] += np.bincount(first, minlength=o)
        else:
            order = np.argsort(-keyed, axis=1)
            for r in range(o):
                counts[:, r] += np.bincount(order[:, r], minlength=o)
            first = order[:, 0]
        for j in range(c):
            weight_sums[:, j] += np.bincount(first, weights=np.asarray(weights[:, j], dtype=float), minlength=o)
        done += size
        k += 1
    if not o:
        return Acceptability(
            (), np.zeros((0, 0)), np.zeros((0, c)), samples, seed, certainty, score_uncertainty, f.method
        )
    probs = counts / max(samples, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        central = weight_sums / counts[:, :1]
    central[counts[:, 0] == 0] = np.nan
    return Acceptability(f.option_ids, probs, central, samples, seed, certainty, score_uncertainty, f.method)
