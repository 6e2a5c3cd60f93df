"""How sure is the ranking? SMAA-style rank acceptability by Monte Carlo.

Rank acceptability follows SMAA (Lahdelma & Salminen): sample weights around the user's and
scores from their low / likely / high ranges, rank the options in every sample, and count how
often each option takes each rank. The randomness that does not depend on the weights is drawn
once per (evidence, seed, chunk) and shared, so a weight change costs one matrix product per chunk.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.cache import Memo
from core.evidence import Evidence
from core.model import additive
from core.problem import Problem
from core.scoring import METHOD_NAMES, InputError, topsis_kernel
from core.settings import CERTAINTY

DEFAULT_SEED = 20220314
DEFAULT_SAMPLES = 20_000
CHUNK = 50_000
MAX_SAMPLES = 2_000_000
CACHED_SAMPLES = 200_000  # larger on-demand runs stream their draws instead of keeping them


@dataclass(frozen=True)
class Acceptability:
    """Rank acceptability for the options in play.

    ``rank_probs[i, r]`` is the share of samples in which option ``i`` takes rank ``r + 1``;
    every row and every column sums to 1. ``central_weights[i]`` is the mean weighting of
    the samples in which option ``i`` ranks first (NaN where it never does, and everywhere
    when only the first rank was counted).
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


# The weight-independent draws, shared by every session (read-only arrays), at most 96 MB.
_DRAWS: Memo[tuple[np.ndarray, ...]] = Memo(
    max_entries=64, max_bytes=96 * 2**20, size=lambda d: sum(a.nbytes for a in d)
)


# What the weights multiply, per draw: the 0-1 values of the drawn scores, and the weights' random
# factors for a certainty. Both are weight-independent, so a weight move reuses them. At most 64 MB.
_PER_DRAW: Memo[np.ndarray] = Memo(max_entries=64, max_bytes=64 * 2**20, size=lambda a: a.nbytes)


def _read_only(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def _values(problem: Problem, key: DrawKey, raw: np.ndarray, store: bool) -> np.ndarray:
    """The values of each drawn score under the problem's model (core.model), criterion first: (c, n, o), so
    the weighted sum is a few whole-array multiply-adds (about three times faster than a batched einsum)."""

    def make() -> np.ndarray:
        values = problem.value_of(raw.astype(np.float32, copy=False))
        return _read_only(np.ascontiguousarray(values.transpose(2, 0, 1)))

    if not store:
        return make()
    return _PER_DRAW.get(("values", problem.evidence.key, key, problem.model.key), make)


def _multipliers(certainty: str, normal: np.ndarray, expo: np.ndarray, draws: tuple | None) -> np.ndarray | None:
    """Each draw's random factor on each weight (n, c) for ``certainty``; None when weights do not vary.

    Stored under ``draws`` (the evidence's key and the DrawKey: the draws come from one stream, so their
    values depend on the evidence's shape), or not at all when it is None."""
    sigma = CERTAINTY[certainty][1]
    if sigma == 0:
        return None

    def make() -> np.ndarray:
        if sigma is None:
            return _read_only(expo.copy())
        return _read_only(np.exp(np.float32(sigma) * normal - np.float32(sigma**2 / 2)))

    return make() if draws is None else _PER_DRAW.get(("weights", *draws, certainty), make)


def _weights(shares: np.ndarray, multipliers: np.ndarray | None, n: int) -> np.ndarray:
    """Weightings around ``shares`` for each draw; rows sum to 1.

    Very unsure: random weights, flat over all weightings (normalised exponentials). Otherwise each
    share times a mean-one lognormal factor of spread sigma (``multipliers``; None: the weights do not vary).
    float32, like the draws: about 1e-7 relative error, far below the rounding of the scores.
    """
    if multipliers is None:
        return np.broadcast_to(shares.astype(np.float32), (n, len(shares)))
    w = multipliers * shares.astype(np.float32)[None, :]
    total = w.sum(axis=1, keepdims=True)
    w /= np.where(total > 0, total, 1.0).astype(np.float32)
    return w


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


@dataclass(frozen=True)
class DrawKey:
    """Which weight-independent draws: the seed, the chunk's index and size, and whether scores vary."""

    seed: int
    chunk: int
    size: int
    score_uncertainty: bool


def _chunk_draws(evidence: Evidence, key: DrawKey, *, store: bool = True) -> tuple[np.ndarray, ...]:
    def make() -> tuple[np.ndarray, ...]:
        rng = np.random.default_rng([key.seed, key.chunk])
        o, c = evidence.likely.shape
        if key.score_uncertainty:
            raw = triangular(_uniform(rng, (key.size, o, c)), evidence.low, evidence.likely, evidence.high)
        else:
            raw = np.broadcast_to(evidence.likely.astype(np.float32), (key.size, o, c))
        normal = rng.standard_normal((key.size, c), dtype=np.float32)
        expo = rng.standard_exponential((key.size, c), dtype=np.float32)
        tiebreak = _uniform(rng, (key.size, o))
        for a in (raw, normal, expo, tiebreak):
            a.flags.writeable = False
        return raw, normal, expo, tiebreak

    return _DRAWS.get((evidence.key, key), make) if store else make()


def _topsis_scores(problem: Problem, raw: np.ndarray, weights: np.ndarray) -> np.ndarray:
    return topsis_kernel(raw, weights[:, None, :].astype(np.float32), problem.evidence.benefit)


def _with_baseline(problem: Problem, raw: np.ndarray) -> np.ndarray:
    """The draws of the options in play, then the status quo's (if in view): closeness to the ideal is
    measured among them all, as in the ranking. Measured from doing nothing new, the status quo's scores are
    the bottom of every scale in every draw."""
    if problem.baseline < 0:
        return raw[:, problem.in_play, :]
    out = raw[:, [*problem.in_play, problem.baseline], :]
    if problem.scenario.reference == "nothing_new":
        out[:, -1, :] = problem.evidence.scale_min
    return out


def _count_ranks(keyed: np.ndarray, counts: np.ndarray, first_only: bool) -> np.ndarray:
    """Add one chunk's ranks to ``counts`` (options x ranks); return each sample's first option."""
    o = counts.shape[0]
    if first_only:
        first = np.argmax(keyed, axis=1)
        counts[:, 0] += np.bincount(first, minlength=o)
        return first
    order = np.argsort(-keyed, axis=1)
    for r in range(o):
        counts[:, r] += np.bincount(order[:, r], minlength=o)
    return order[:, 0]


def _check_run(problem: Problem, samples: int) -> None:
    if not isinstance(samples, (int, np.integer)) or not 1 <= samples <= MAX_SAMPLES:
        raise InputError(f"The number of samples must be a whole number from 1 to {MAX_SAMPLES:,}; got {samples!r}.")
    certainty = problem.scenario.certainty
    if certainty not in CERTAINTY:
        raise InputError(f"the certainty {certainty!r} is not one of {', '.join(CERTAINTY)}")


def _chunk_scores(problem: Problem, key: DrawKey, store: bool) -> tuple[np.ndarray, np.ndarray]:
    """One chunk's weights (n, c) and the scores of the options in play (n, o), ties keyed apart."""
    evidence, index = problem.evidence, problem.in_play
    raw, normal, expo, tiebreak = _chunk_draws(evidence, key, store=store)
    draws = (evidence.key, key) if store else None
    weights = _weights(problem.shares, _multipliers(problem.scenario.certainty, normal, expo, draws), key.size)
    if additive(problem.method):
        # Score every option and keep the columns in play: cheaper than copying the draws.
        values = _values(problem, key, raw, store)
        scores, term = values[0] * weights[:, 0, None], np.empty(values.shape[1:], dtype=np.float32)
        for j in range(1, values.shape[0]):
            scores += np.multiply(values[j], weights[:, j, None], out=term)
        scores = scores[:, index]
    else:
        scores = _topsis_scores(problem, _with_baseline(problem, raw), weights)[:, : len(index)]
    # Exact ties (no uncertainty, equal scores) are broken at random, so tied options share the rank.
    # Scores are float32 (error about 1e-7), so round them (to 5 decimals, in units of 1e-5: the order of
    # np.round(scores, 5), cheaper) before adding the tie-breaker, which stays below one unit.
    keyed = scores.astype(np.float64)
    keyed *= 1e5
    np.rint(keyed, out=keyed)
    keyed += 1e-2 * tiebreak[:, index]
    return weights, keyed


def _central(weight_sums: np.ndarray, counts: np.ndarray, first_only: bool) -> np.ndarray:
    """The average weights among the draws where each option ranks first (NaN where it never does)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        central = weight_sums / counts[:, :1]
    central[counts[:, 0] == 0] = np.nan
    if first_only:
        central[:] = np.nan  # not counted: ask for the full count
    return central


def rank_acceptability(
    problem: Problem,
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
    _check_run(problem, samples)
    scenario = problem.scenario
    o, c = len(problem.in_play), len(problem.evidence.criterion_ids)
    counts = np.zeros((o, 1 if first_only else o))
    # Draws for a user's own edited evidence, and large on-demand runs, are not kept in the shared store.
    store = samples <= CACHED_SAMPLES and not problem.evidence.user_edited
    weight_sums = np.zeros((o, c))
    done = k = 0
    while done < samples and o:
        size = min(chunk, samples - done)
        weights, keyed = _chunk_scores(problem, DrawKey(seed, k, size, scenario.score_uncertainty), store)
        first = _count_ranks(keyed, counts, first_only)
        if not first_only:  # central weights belong to the full count
            for j in range(c):
                weight_sums[:, j] += np.bincount(first, weights=np.asarray(weights[:, j], dtype=float), minlength=o)
        done += size
        k += 1
    ids = problem.ids_in_play if o else ()
    probs = counts / max(samples, 1) if o else np.zeros((0, 0))
    central = _central(weight_sums, counts, first_only) if o else np.zeros((0, c))
    return Acceptability(
        ids, probs, central, samples, seed, scenario.certainty, scenario.score_uncertainty, problem.method
    )


# --------------------------------------------------------------------------- chart information
METHOD_WORDS = {m: name[:1].lower() + name[1:] for m, name in METHOD_NAMES.items()}


def assumptions_text(problem: Problem, samples: int) -> str:
    """The Monte Carlo's assumptions in plain words, for every chart drawn from it."""
    scenario = problem.scenario
    scores = (
        "each score drawn between its low and high values, most often near the likely one (a triangular distribution)"
        if scenario.score_uncertainty
        else "scores held at their likely values"
    )
    return (
        f"{samples:,} random draws (samples); weights: {CERTAINTY[scenario.certainty][0].lower()}; {scores}; "
        f"method: {METHOD_WORDS[scenario.method]}. The draws are the same on every run, so the same settings "
        "always give the same numbers. How far the weights and scores vary is an assumption, not a sourced figure."
    )


def first_sentence(evidence: Evidence, acc: Acceptability) -> str:
    """Who ranks first most often, and how often (ties named together)."""
    if not acc.option_ids:
        return "No option passes your limits."
    top = np.flatnonzero(np.isclose(acc.first, acc.first.max()))
    share = f"{acc.first[top[0]] * 100:.0f}%"
    if len(top) > 1:
        names = " and ".join(evidence.option_name(acc.option_ids[i]) for i in top)
        return f"{names} each rank first in {share} of draws within our assumed ranges"
    return (
        f"{evidence.option_name(acc.option_ids[int(top[0])])} ranks first in {share} of draws within our assumed ranges"
    )


@dataclass(frozen=True)
class ChanceInfo:
    """The chance of each option ranking first (``rank_probs`` with one column) or of every rank."""

    names: tuple[str, ...]
    rank_probs: np.ndarray
    samples: int
    title: str
    summary: str


def first_chance_info(problem: Problem, acc: Acceptability) -> ChanceInfo:
    names = tuple(problem.evidence.option_name(o) for o in acc.option_ids)
    listing = "; ".join(
        f"{n} {p * 100:.1f}%" for n, p in sorted(zip(names, acc.first, strict=True), key=lambda x: -x[1])
    )
    return ChanceInfo(
        names,
        acc.rank_probs[:, :1],
        acc.samples,
        title=f"How sure? {first_sentence(problem.evidence, acc)}",
        summary=f"Chance of ranking first: {listing}. {assumptions_text(problem, acc.samples)}",
    )


def acceptability_info(problem: Problem, acc: Acceptability) -> ChanceInfo:
    names = tuple(problem.evidence.option_name(o) for o in acc.option_ids)
    rows = "; ".join(
        f"{n}: " + ", ".join(f"rank {r + 1} {p * 100:.0f}%" for r, p in enumerate(acc.rank_probs[i]) if p >= 0.005)
        for i, n in enumerate(names)
    )
    return ChanceInfo(
        names,
        acc.rank_probs,
        acc.samples,
        title=f"Chance of each rank: {first_sentence(problem.evidence, acc)}",
        summary=f"Chance of each rank (rank acceptability): {rows}. {assumptions_text(problem, acc.samples)}",
    )


def central_weights_table(problem: Problem, acc: Acceptability) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Typical weights (% of the total) under which each option ranks first, and the options that never do."""
    evidence = problem.evidence
    names = [evidence.option_name(o) for o in acc.option_ids]
    wins = acc.first > 0
    table = pd.DataFrame(
        np.round(acc.central_weights[wins] * 100, 1),
        index=pd.Index([n for n, w in zip(names, wins, strict=True) if w], name="Option"),
        columns=[evidence.criterion_name(c) for c in evidence.criterion_ids],
    )
    table.insert(0, "Ranks first (%)", np.round(acc.first[wins] * 100, 1))
    return table, tuple(n for n, w in zip(names, wins, strict=True) if not w)
