"""The session's state: every key it holds, the scenario, and the widgets bound to it.

The scenario in ``st.session_state[SCENARIO]`` is the single source of truth. Each widget
that shows a setting is created with the scenario's value and writes back to it from its
callback; code never writes a widget's state. When the whole scenario is replaced (a lens,
a file, a link, a restored comparison) the *generation* goes up, so every bound widget is
created afresh under a new key with the new value, and a key press that the browser sent
for a widget of the old generation is ignored instead of overwriting the new weights.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import streamlit as st

from core import settings as schema
from core.edits import has_edits
from core.evidence import Evidence
from core.hindsight import as_of, scenario_evidence
from core.scenario import Scenario, default_scenario
from core.scoring import Gate

# Every key this app keeps in st.session_state.
SCENARIO = "scenario"
GENERATION = "widget_generation"
NOTICES = "scenario_notices"
EDITED_EVIDENCE = "edited_evidence"
LINK_READ = "link_read"
URL_WRITTEN = "url_written_for"  # (scenario, query, whether the whole link fitted) last written into the URL
SAVED = "saved_scenarios"
EDIT_ERROR = "edit_error"
SCENARIO_FILE_ERROR = "scenario_file_error"
SCORES_UPLOAD_ERROR = "scores_upload_error"
MILLION_FOR = "million_samples_for"
NARROW = "narrow_screen"
CLIENT_DROPPED = "client_dropped_query"
CARD_OPTION = "card_option"
CARD_CRITERION = "card_criterion"
SCENE_AT = "scene_at"  # presenter mode: the position of the scene on screen
LARGE = "large_screen"  # presenter mode: a screen of at least 1600x900, where charts are drawn larger
# Seminar mode. The facilitator's device: the room whose controls it holds, as (code, facilitator token); the
# key to show once (dropped when its dialog is closed); rooms opened in this session; rooms to forget here.
ROOM = "seminar_room"
KEY_TO_SHOW = "seminar_key_to_show"
ROOM_ERROR = "seminar_room_error"
ROOMS_OPENED = "seminar_rooms_opened"
ROOM_FORGET = "seminar_room_forget"
ROOM_CSV = "seminar_room_csv"  # (code, bytes) made after the facilitator asked for it
# A participant's phone: the code a join link brought, the room joined, their token, their answer (a scenario),
# the last answer saved as (round, scenario), the round last seen, a pending "same weights again?" question.
JOIN_CODE = "seminar_join_code"
JOINED = "seminar_joined"
PARTICIPANT = "seminar_participant"
ANSWER = "seminar_answer"
SAVED_AS = "seminar_saved_as"
JOIN_ERROR = "seminar_join_error"
JOIN_NOTICE = "seminar_join_notice"
RESUME_TRIED = "seminar_resume_tried"
CONFIRM_SAME = "seminar_confirm_same"
ROUND_SEEN = "seminar_round_seen"
# The projector's view of a room: the scene on screen.
SCREEN_AT = "seminar_screen_at"

_DEFAULTS: dict[str, Callable[[], Any]] = {
    GENERATION: lambda: 0,
    NOTICES: tuple,
    SAVED: list,
    EDIT_ERROR: lambda: None,
    SCENARIO_FILE_ERROR: lambda: None,
    SCORES_UPLOAD_ERROR: lambda: None,
    MILLION_FOR: lambda: None,
    NARROW: lambda: False,
    SCENE_AT: lambda: 0,
}


def init(evidence: Evidence) -> None:
    """Give every key its starting value once per session (called by app.py on every run)."""
    if SCENARIO not in st.session_state:
        st.session_state[SCENARIO] = default_scenario(evidence)
    for key, make in _DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = make()


def get_scenario() -> Scenario:
    return st.session_state[SCENARIO]


def set_scenario(scenario: Scenario) -> None:
    st.session_state[SCENARIO] = scenario


def current_evidence(base: Evidence) -> Evidence:
    """The evidence this session ranks: the sourced base as of the chosen date, with the user's own edits.

    Edited copies are kept in this session's state only: one user's edits never reach another session.
    """
    scenario = get_scenario()
    if not has_edits(scenario):
        return as_of(base, scenario.evidence_date)  # shared: it holds no user data
    key = (base.key, scenario.evidence_date, scenario.overrides, scenario.custom_options)
    cached = st.session_state.get(EDITED_EVIDENCE)
    if cached is None or cached[0] != key:
        cached = (key, scenario_evidence(base, scenario))
        st.session_state[EDITED_EVIDENCE] = cached
    return cached[1]


# --------------------------------------------------------------------------- notices
def notify(text: str, kind: str = "warning") -> None:
    """Queue a message for the next run to show at the top of the page ("success", "info" or "warning")."""
    st.session_state[NOTICES] = (*st.session_state.get(NOTICES, ()), (kind, text))


def take_notices() -> tuple[tuple[str, str], ...]:
    notices = st.session_state.get(NOTICES, ())
    st.session_state[NOTICES] = ()
    return notices


def apply_scenario(scenario: Scenario, notices: tuple[str, ...] = (), success: str | None = None) -> None:
    """Replace the whole scenario (from a file, a link, a lens or a saved one) and every widget showing it.

    Call from a callback or before the widgets are drawn.
    """
    set_scenario(scenario)
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    for notice in notices:
        notify(notice)
    if success:
        notify(success, "success")


# --------------------------------------------------------------------------- bound widgets
# Every setting of core.settings can be shown by a widget named after it; the weights by "weight_<id>".
WEIGHT_PREFIX = "weight_"


def weight_name(criterion_id: str) -> str:
    return f"{WEIGHT_PREFIX}{criterion_id}"


def _get(name: str, scenario: Scenario) -> Any:
    if name.startswith(WEIGHT_PREFIX):
        return round(scenario.weight_map[name.removeprefix(WEIGHT_PREFIX)])
    s = schema.setting(name)
    return s.kind(getattr(scenario, name))


def _put(name: str, scenario: Scenario, value: Any) -> Scenario:
    if name.startswith(WEIGHT_PREFIX):
        weights = {**scenario.weight_map, name.removeprefix(WEIGHT_PREFIX): float(value)}
        return scenario.with_weights(weights, lens=None)
    return replace(scenario, **{name: schema.setting(name).kind(value)})


def generation() -> int:
    return st.session_state.get(GENERATION, 0)


def widget_key(name: str) -> str:
    """The key of the widget that shows setting ``name`` now: it changes when the whole scenario does."""
    return f"{name}-g{generation()}"


def widget_value(name: str) -> Any:
    """The value to create the widget with: the scenario's, in the widget's own type."""
    return _get(name, get_scenario())


# Settings that change what every part of a page shows (which options and scores are in view):
# a change reruns the whole page, even from a control drawn inside a part that reruns alone.
PAGE_WIDE = frozenset({"evidence_date", "include_post_seed"})


def bound(name: str, rerun: str | None = None) -> dict[str, Any]:
    """Keyword arguments that bind a widget to setting ``name``: key, callback and its arguments.

    ``rerun`` names the part of the page (a fragment) that a weight change redraws alone, when the
    controls are drawn outside it (the sidebar) and nothing outside it shows the weights.
    """
    return {"key": widget_key(name), "on_change": on_widget_change, "args": (name, generation(), rerun)}


def on_widget_change(name: str, made_in: int, rerun: str | None = None) -> None:
    """Write one widget's new value into the scenario, unless the widget belongs to a replaced scenario."""
    if made_in != generation():
        return  # a key press on a slider that a lens or a loaded file has just replaced
    value = st.session_state.get(f"{name}-g{made_in}")
    if value is None:
        return
    before = get_scenario()
    after = _put(name, before, value)
    set_scenario(after)
    if name in PAGE_WIDE:
        st.rerun()
    if rerun and name.startswith(WEIGHT_PREFIX) and not zero_crossing(before, after):
        # Only the results move, and the lens buttons if a lens was highlighted: the rest of the controls
        # show nothing that changed.
        st.rerun([rerun, LENSES] if before.lens is not None else rerun)


# The lens buttons and their caption: a part of the controls that a weight move redraws alone.
LENSES = "lenses"


def zero_crossing(before: Scenario, after: Scenario) -> bool:
    """True when the weights become all zero or come back from it (the whole page says so)."""
    total = sum(w for _, w in before.weights), sum(w for _, w in after.weights)
    return min(total) <= 0


def apply_lens(evidence: Evidence, lens_id: str) -> None:
    apply_scenario(get_scenario().with_weights(evidence.lens_weights(lens_id), lens=lens_id))
    st.rerun()  # every slider is replaced: the whole page, not only the part the buttons are drawn in


def add_gate(criterion_id: str, limit: float) -> None:
    scenario = get_scenario()
    gates = (*tuple(g for g in scenario.gates if g.criterion_id != criterion_id), Gate(criterion_id, float(limit)))
    set_scenario(replace(scenario, gates=gates))


def remove_gate(criterion_id: str) -> None:
    scenario = get_scenario()
    set_scenario(replace(scenario, gates=tuple(g for g in scenario.gates if g.criterion_id != criterion_id)))
