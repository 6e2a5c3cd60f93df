"""The session's scenario, and the widget callbacks that change it.

The scenario in ``st.session_state["scenario"]`` is the single source of truth. A
widget's own state is dropped when the user changes page, so widgets are seeded from
the scenario before they are drawn and write back to it from their callbacks.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core.edits import evidence_with_edits, has_edits
from core.evidence import Evidence
from core.scenario import Scenario, default_scenario
from core.scoring import Gate

SCENARIO = "scenario"
METHOD = "method_choice"
POST_SEED = "include_post_seed"
CERTAINTY = "certainty_choice"
DISPLACEMENT_ON = "account_for_displacement"
SCORE_UNCERTAINTY = "score_uncertainty"


def weight_key(criterion_id: str) -> str:
    return f"weight_{criterion_id}"


def get_scenario(evidence: Evidence) -> Scenario:
    if SCENARIO not in st.session_state:
        st.session_state[SCENARIO] = default_scenario(evidence)
    return st.session_state[SCENARIO]


def set_scenario(scenario: Scenario) -> None:
    st.session_state[SCENARIO] = scenario


NOTICES = "scenario_notices"
EDITED_EVIDENCE = "edited_evidence"


def current_evidence(base: Evidence) -> Evidence:
    """The evidence this session ranks: the sourced base, with the user's own edits if any.

    Kept in this session's state only: one user's edits never reach another session.
    """
    scenario = get_scenario(base)
    if not has_edits(scenario):
        return base
    key = (base.version, scenario.overrides, scenario.custom_options)
    cached = st.session_state.get(EDITED_EVIDENCE)
    if cached is None or cached[0] != key:
        cached = (key, evidence_with_edits(base, scenario))
        st.session_state[EDITED_EVIDENCE] = cached
    return cached[1]


def apply_scenario(evidence: Evidence, scenario: Scenario, notices: tuple[str, ...] = ()) -> None:
    """Replace the whole scenario (from a file, a link or a saved one) and every widget showing it.

    Call from a callback or before the widgets are drawn.
    """
    set_scenario(scenario)
    for cid, points in scenario.weights:
        st.session_state[weight_key(cid)] = round(points)
    st.session_state[METHOD] = scenario.method
    st.session_state[POST_SEED] = scenario.include_post_seed
    st.session_state[CERTAINTY] = scenario.certainty
    st.session_state[SCORE_UNCERTAINTY] = scenario.score_uncertainty
    st.session_state[DISPLACEMENT_ON] = scenario.account_for_displacement
    for name in ("substitution_share", "half_life_months", "horizon_years", "effectiveness"):
        st.session_state[displacement_key(name)] = getattr(scenario.displacement, name)
    st.session_state[NOTICES] = tuple(notices)


def slider_start(evidence: Evidence, criterion_id: str) -> int:
    """The value to create a weight slider with: its own current value, else the scenario's.

    Passing it as ``value=`` rather than writing it into session state matters: a value
    written by code is pushed back to the browser by every run that started before the
    user's latest key press, which snaps a fast-moving slider back. (Always passing a value
    also spares Streamlit a scan of the whole session state per slider.)
    """
    current = st.session_state.get(weight_key(criterion_id))
    if current is not None:
        return current
    return round(get_scenario(evidence).weight_map[criterion_id])


def seed_widgets(evidence: Evidence) -> None:
    """Give the discrete scenario widgets the scenario's value if they have none (first view, or a page change)."""
    scenario = get_scenario(evidence)
    st.session_state.setdefault(METHOD, scenario.method)
    st.session_state.setdefault(POST_SEED, scenario.include_post_seed)
    st.session_state.setdefault(CERTAINTY, scenario.certainty)
    st.session_state.setdefault(SCORE_UNCERTAINTY, scenario.score_uncertainty)
    st.session_state.setdefault(DISPLACEMENT_ON, scenario.account_for_displacement)


def on_weight_change(evidence: Evidence) -> None:
    # Only the scenario is written here: writing another widget's state from a slider's
    # callback makes the browser re-send stale slider values during fast key presses.
    weights = {cid: float(st.session_state[weight_key(cid)]) for cid in evidence.criterion_ids}
    set_scenario(get_scenario(evidence).with_weights(weights, lens=None))


def apply_lens(evidence: Evidence, lens_id: str) -> None:
    weights = evidence.lens_weights(lens_id)
    set_scenario(get_scenario(evidence).with_weights(weights, lens=lens_id))
    for cid, points in weights.items():
        st.session_state[weight_key(cid)] = round(points)


def on_method_change(evidence: Evidence) -> None:
    set_scenario(replace(get_scenario(evidence), method=st.session_state[METHOD]))


def on_post_seed_change(evidence: Evidence) -> None:
    set_scenario(replace(get_scenario(evidence), include_post_seed=bool(st.session_state[POST_SEED])))


def on_certainty_change(evidence: Evidence) -> None:
    set_scenario(replace(get_scenario(evidence), certainty=st.session_state[CERTAINTY]))


def on_score_uncertainty_change(evidence: Evidence) -> None:
    set_scenario(replace(get_scenario(evidence), score_uncertainty=bool(st.session_state[SCORE_UNCERTAINTY])))


def displacement_key(name: str) -> str:
    return f"displacement_{name}"


def displacement_start(evidence: Evidence, name: str) -> float | int:
    """Like :func:`slider_start`, for the displacement model's sliders."""
    current = st.session_state.get(displacement_key(name))
    if current is not None:
        return current
    return getattr(get_scenario(evidence).displacement, name)


def on_displacement_toggle(evidence: Evidence) -> None:
    set_scenario(replace(get_scenario(evidence), account_for_displacement=bool(st.session_state[DISPLACEMENT_ON])))


def on_displacement_change(evidence: Evidence, name: str) -> None:
    scenario = get_scenario(evidence)
    value = st.session_state[displacement_key(name)]
    value = int(value) if name == "horizon_years" else float(value)
    set_scenario(replace(scenario, displacement=replace(scenario.displacement, **{name: value})))


def add_gate(evidence: Evidence, criterion_id: str, limit: float) -> None:
    scenario = get_scenario(evidence)
    gates = (*tuple(g for g in scenario.gates if g.criterion_id != criterion_id), Gate(criterion_id, float(limit)))
    set_scenario(replace(scenario, gates=gates))


def remove_gate(evidence: Evidence, criterion_id: str) -> None:
    scenario = get_scenario(evidence)
    set_scenario(replace(scenario, gates=tuple(g for g in scenario.gates if g.criterion_id != criterion_id)))
