"""Shared results of the heavier computations, keyed on small immutable values.

The results depend only on the sourced evidence and the scenario (a user's own edits stay out:
they are computed afresh for that session), are read-only, and are kept in bounded stores
(:class:`core.cache.Memo`), so every session asking the same question gets the same object.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from charts.briefing import scene_figure
from charts.ranking import matrix_figure
from charts.theme import Look
from core.briefing import Scene, build_scene
from core.cache import Memo
from core.evidence import Evidence
from core.montecarlo import Acceptability, rank_acceptability
from core.problem import Problem, problem_for
from core.ranking_info import matrix_info
from core.scenario import Scenario
from core.supply_chain import SupplyChain

_ACCEPTABILITY: Memo[Acceptability] = Memo(max_entries=512)
_MATRIX: Memo[go.Figure] = Memo(max_entries=16)
# The supply-chain charts depend only on the sourced facts, a setting or two and the look.
_SUPPLY: Memo[tuple[Any, go.Figure]] = Memo(max_entries=128)
# A briefing scene and its chart for one look: a room watching one presenter asks for the same ones.
_SCENES: Memo[tuple[Scene, go.Figure | None]] = Memo(max_entries=128)
# The chance of ranking first that a briefing quotes (the Weigh page's glance uses the same number of draws).
BRIEFING_SAMPLES = 10_000
EDITED_PROBLEM = "edited-problem"  # session state: (edited evidence, scenario, problem)


def problem_or_none(evidence: Evidence, scenario: Scenario) -> Problem | None:
    """The decision problem of this run, computed once (see :func:`core.problem.problem_for`), or
    ``None`` when every weight is zero and nothing can be ranked (the page says so)."""
    if sum(w for _, w in scenario.weights) <= 0:
        return None
    if not evidence.user_edited:
        return problem_for(evidence, scenario)
    # A user's own edited evidence stays out of the shared store: this session keeps its one latest
    # problem, so a run that asks for it from several parts of the page builds it once.
    kept = st.session_state.get(EDITED_PROBLEM)
    if kept is None or kept[0] is not evidence or kept[1] != scenario:
        kept = (evidence, scenario, problem_for(evidence, scenario))
        st.session_state[EDITED_PROBLEM] = kept
    return kept[2]


def acceptability(problem: Problem, samples: int, first_only: bool = False) -> Acceptability:
    """Rank acceptability for a problem; the same inputs return the stored (read-only) result."""

    def make() -> Acceptability:
        return rank_acceptability(problem, samples=samples, first_only=first_only)

    if problem.evidence.user_edited:
        return make()  # a user's own edits stay out of the shared store
    return _ACCEPTABILITY.get((problem.evidence.key, problem.scenario, samples, first_only), make)


def score_matrix_figure(evidence: Evidence, include_post_seed: bool, look: Look) -> go.Figure:
    """The option-by-criterion heatmap; it depends only on the evidence, which options are in view and the look.

    Shared between sessions: ``st.plotly_chart`` copies a figure before sending it, so nothing mutates it.
    """

    def make() -> go.Figure:
        return matrix_figure(matrix_info(evidence, include_post_seed), look=look)

    if evidence.user_edited:
        return make()
    return _MATRIX.get((evidence.key, include_post_seed, look), make)


def supply_chart(key: Hashable, make: Callable[[], tuple[Any, go.Figure]]) -> tuple[Any, go.Figure]:
    """A supply-chain chart's description and figure, built once per input (``key``) and shared.

    Callers key on the sourced evidence and the chart's own inputs; the facts these charts draw
    hold no user data.
    """
    return _SUPPLY.get(key, make)


def scene(
    evidence: Evidence, problem: Problem, chain: SupplyChain, scene_id: str, look: Look
) -> tuple[Scene, go.Figure | None]:
    """A briefing scene and its chart in ``look`` (sized to fill a projector's screen), built once for these inputs."""

    def make() -> tuple[Scene, go.Figure | None]:
        acc = acceptability(problem, BRIEFING_SAMPLES, first_only=True)
        built = build_scene(scene_id, evidence, problem, chain, acc)
        # Sized to the screen on a projector; on a phone the scene scrolls, and the chart keeps its own height.
        return built, scene_figure(built, look, fill=look.name != "phone")

    if evidence.user_edited:
        return make()
    return _SCENES.get((evidence.key, problem.scenario, scene_id, look), make)
