"""Seminar mode: a facilitator opens a room, the room answers from phones, the projector shows the spread.

The store (:mod:`store.rooms`) holds the rooms and answers; this module only lays them out. A
participant's answer is a scenario (its file form), validated like any scenario. The facilitator's
key lives in the facilitator's session only; nothing a participant's session holds can reach a
facilitator action. Nothing here caches room data: every view reads the store afresh.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pandas as pd
import streamlit as st

from charts.seminar import disagreement_figure, first_figure, weights_figure
from charts.theme import PHONE, PROJECTOR
from core.evidence import Evidence
from core.export import safe_csv
from core.ranking import format_score, rank_options
from core.scenario import Scenario, validate_scenario
from core.scenario_io import ScenarioFileError, from_json, to_json
from core.scoring import InputError
from core.seminar import ROBUST_SHARE, answer_evidence, moved_sentence, results_sentence, results_table, room_results
from core.text import md_escape
from store.rooms import Rooms, StoreError, new_participant
from ui import state
from ui.client import narrow
from ui.compute import problem_or_none
from ui.figures import PLOTLY_CONFIG
from ui.loaders import get_evidence
from ui.scenarios_view import _origin, loopback_notice, qr_png

REFRESH_SECONDS = 3


@st.cache_resource(max_entries=1, show_spinner=False)
def get_rooms() -> Rooms:
    """The store (its connection pool, never room data), one per server process."""
    return Rooms()


def join_link(code: str) -> str:
    return f"{_origin()[0]}join?room={code}"


# --------------------------------------------------------------------------- facilitator
def _open_room(base: Evidence) -> None:
    try:
        code, key = get_rooms().open_room(to_json(state.get_scenario(), base))
    except StoreError as err:
        st.session_state[state.ROOM_ERROR] = str(err)
        return
    st.session_state[state.ROOM] = (code, key)
    st.session_state[state.KEY_SHOWN] = False
    st.session_state[state.ROOM_ERROR] = None


def _return_to_room() -> None:
    code = str(st.session_state.get("return_code") or "").strip().upper()
    key = str(st.session_state.get("return_key") or "").strip()
    try:
        get_rooms().check_key(code, key)
    except StoreError as err:
        st.session_state[state.ROOM_ERROR] = str(err)
        return
    st.session_state[state.ROOM] = (code, key)
    st.session_state[state.KEY_SHOWN] = True
    st.session_state[state.ROOM_ERROR] = None


def _act(action: str) -> None:
    code, key = st.session_state[state.ROOM]
    rooms = get_rooms()
    try:
        {
            "reveal": lambda: rooms.reveal(code, key, True),
            "hide": lambda: rooms.reveal(code, key, False),
            "round": lambda: rooms.new_round(code, key),
            "close": lambda: rooms.close(code, key),
            "clear": lambda: rooms.clear(code, key),
        }[action]()
        st.session_state[state.ROOM_ERROR] = None
    except StoreError as err:
        st.session_state[state.ROOM_ERROR] = str(err)


def _leave_room() -> None:
    st.session_state[state.ROOM] = None


def facilitator_start(base: Evidence) -> None:
    """No room yet: open one from the current scenario, or return to one with its key."""
    st.markdown(
        "Open a room and put its code or QR code on the projector: everyone weighs the options on a phone, "
        "starting from **your current scenario** (weights, options in view, score edits), and submits. You "
        "reveal the room's answers when you are ready."
    )
    if problem_or_none(state.current_evidence(base), state.get_scenario()) is None:
        st.warning("All weights are zero: set some weights on the Weigh page before opening a room.")
        return
    st.button("Open a room", type="primary", on_click=_open_room, args=(base,), key="room_open")
    with st.expander("Return to a room you opened"):
        st.text_input("Room code", key="return_code", max_chars=6)
        st.text_input("Facilitator key", key="return_key", type="password")
        st.button("Return to the room", on_click=_return_to_room, key="room_return")


def _csv(code: str, key: str, base: Evidence) -> bytes:
    """The room's answers, every round, anonymised (made on click, outside the session)."""
    rooms = get_rooms()
    tables = []
    for round_ in sorted({a.round for a in rooms.answers(code, key)}):
        answers = _scenarios(rooms.answers(code, key, round_), base)
        tables.append(results_table(room_results(base, answers), round_))
    return safe_csv(pd.concat(tables, ignore_index=True) if tables else pd.DataFrame())


def _scenarios(answers, base: Evidence) -> list[Scenario]:
    out = []
    for answer in answers:
        try:
            out.append(from_json(answer.scenario, base, Scenario(weights=())).scenario)
        except (ScenarioFileError, InputError):
            continue  # validated before it was saved; a file from another evidence version may no longer load
    return out


@st.fragment(run_every=timedelta(seconds=REFRESH_SECONDS))
def facilitator_live() -> None:
    """Counts, controls and (once revealed) the room's results; redrawn every few seconds on its own."""
    base = get_evidence()
    code, key = st.session_state[state.ROOM]
    rooms = get_rooms()
    try:
        room = rooms.room(code)
        joined, answered = rooms.counts(code)
    except StoreError as err:
        st.error(md_escape(err))
        return
    status = "closed" if room.closed else f"round {room.round}"
    st.markdown(f"## {joined} joined · {answered} answered ({status})")
    error = st.session_state.get(state.ROOM_ERROR)
    if error:
        st.error(md_escape(error))
    with st.container(horizontal=True, key="room_controls"):
        if room.revealed:
            st.button("Hide the answers", on_click=_act, args=("hide",), key="room_hide")
        else:
            st.button("Reveal the answers", type="primary", on_click=_act, args=("reveal",), key="room_reveal")
        st.button("Start a new round", on_click=_act, args=("round",), key="room_round", disabled=room.closed)
        st.button("Close the room", on_click=_act, args=("close",), key="room_close", disabled=room.closed)
        sure = st.checkbox("Yes, delete every answer", key="room_clear_sure")
        st.button("Clear the answers", on_click=_act, args=("clear",), key="room_clear", disabled=not sure)
        st.download_button(
            "Download the answers (CSV, anonymised)",
            data=partial(_csv, code, key, base),
            file_name=f"room-{code}-answers.csv",
            mime="text/csv",
            key="room_csv",
            on_click="ignore",
        )
    if not room.revealed:
        st.caption("The answers stay hidden until you reveal them, so nobody is swayed by the room.")
        return
    answers = _scenarios(rooms.answers(code, key, room.round), base)
    results = room_results(base, answers)
    st.markdown(f"### {md_escape(results_sentence(results))}")
    if room.round > 1:
        before = room_results(base, _scenarios(rooms.answers(code, key, room.round - 1), base))
        st.markdown(f"**Since round {room.round - 1}:** {md_escape(moved_sentence(before, results))}")
    if not results.n:
        return
    # This view is for the projector: the charts in its look (chart text of 22 px or more), one under another.
    look = PHONE if narrow() else PROJECTOR
    st.markdown("#### Who puts what first")
    st.plotly_chart(first_figure(results, look=look), theme=None, config=PLOTLY_CONFIG, key="room_first")
    st.markdown("#### How much each tradeoff matters, across the room")
    st.plotly_chart(weights_figure(results, look=look), theme=None, config=PLOTLY_CONFIG, key="room_weights")
    spread = results.disagreement()
    st.markdown(
        "#### Where the room disagrees\n"
        + md_escape(
            f"Most disagreement on {spread[0][0].lower()} (the middle half of the room spans {spread[0][1]:g} "
            f"points), least on {spread[-1][0].lower()} ({spread[-1][1]:g} points). Each row is one answer "
            "(weights in %), grouped by the option it puts first, in the order of the groups below."
        )
    )
    st.plotly_chart(disagreement_figure(results, look=look), theme=None, config=PLOTLY_CONFIG, key="room_disagreement")
    st.markdown("#### Groups of similar views: their typical weights (%)")
    st.dataframe(results.groups(), hide_index=True, width="stretch")
    st.caption(
        f"Robust across the room means in the top two for at least {ROBUST_SHARE:.0%} of answers: our threshold "
        "for nearly everyone, an assumption. Names are never shown; the CSV numbers the answers."
    )


def facilitator_page(base: Evidence) -> None:
    room = st.session_state.get(state.ROOM)
    error = st.session_state.get(state.ROOM_ERROR)
    if not room:
        if error:
            st.error(md_escape(error))
        facilitator_start(base)
        return
    code, key = room
    link = join_link(code)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown(f"# Room code: {code}")
        st.markdown("Join on a phone: scan the code, or open")
        st.code(link, language=None, wrap_lines=True)
        loopback_notice()
        if not st.session_state.get(state.KEY_SHOWN):
            st.warning(
                "Your facilitator key, shown only now: keep it to return to this room from another device or "
                "session. Participants never see it.",
                icon=":material/key:",
            )
            st.code(key, language=None)
            st.session_state[state.KEY_SHOWN] = True
        st.button("Leave this room (it stays open)", on_click=_leave_room, key="room_leave")
    with right:
        st.image(qr_png(link), width="stretch", caption=f"Scan to join room {code}.")
    facilitator_live()


# --------------------------------------------------------------------------- participant
def _join(base: Evidence) -> None:
    code = str(st.session_state.get("join_code") or "").strip().upper()
    name = str(st.session_state.get("join_name") or "")
    if not st.session_state.get(state.PARTICIPANT):
        st.session_state[state.PARTICIPANT] = new_participant()
    try:
        room = get_rooms().join(code, st.session_state[state.PARTICIPANT], name)
        answer = from_json(room.scenario, base, state.get_scenario()).scenario
    except (StoreError, ScenarioFileError) as err:
        st.session_state[state.JOIN_ERROR] = str(err)
        return
    st.session_state[state.JOINED] = code
    st.session_state[state.ANSWER] = answer
    st.session_state[state.JOIN_ERROR] = None


def _set_weight(criterion_id: str, widget: str) -> None:
    answer: Scenario = st.session_state[state.ANSWER]
    weights = {**answer.weight_map, criterion_id: float(st.session_state[widget])}
    st.session_state[state.ANSWER] = answer.with_weights(weights, lens=None)


def _submit(base: Evidence) -> None:
    code = st.session_state[state.JOINED]
    answer: Scenario = st.session_state[state.ANSWER]
    if sum(w for _, w in answer.weights) <= 0:
        st.session_state[state.JOIN_ERROR] = "Not saved: move at least one slider above zero."
        return
    try:
        validate_scenario(answer, answer_evidence(base, answer))  # like any scenario: known ids, finite weights
        round_ = get_rooms().submit(code, st.session_state[state.PARTICIPANT], to_json(answer, base))
    except InputError as err:
        st.session_state[state.JOIN_ERROR] = f"Not saved: {err}"
        return
    except StoreError as err:
        st.session_state[state.JOIN_ERROR] = str(err)  # the weights stay as they are, to try again
        return
    st.session_state[state.JOIN_ERROR] = None
    st.session_state[state.SAVED_AS] = (round_, answer)


def participant_page(base: Evidence) -> None:
    code = st.session_state.get(state.JOINED)
    error = st.session_state.get(state.JOIN_ERROR)
    if not code:
        st.markdown("Weigh the options with the rest of the room. You need no account; a name is optional.")
        if error:
            st.error(md_escape(error))
        st.text_input("Room code", value=st.session_state.get(state.JOIN_CODE) or "", key="join_code", max_chars=6)
        st.text_input("Your name (optional; you may stay anonymous)", key="join_name", max_chars=40)
        st.button("Join", type="primary", on_click=_join, args=(base,), key="join_button")
        return
    try:
        room = get_rooms().room(code)
    except StoreError as err:
        st.error(md_escape(err))
        return
    answer: Scenario = st.session_state[state.ANSWER]
    problem = problem_or_none(answer_evidence(base, answer), answer)
    st.markdown(f"**Room {code}, round {room.round}.** Set how much each tradeoff matters, then submit.")
    if room.closed:
        st.info("This room is closed: answers are no longer taken.")
    if error:
        st.error(md_escape(error))
    saved = st.session_state.get(state.SAVED_AS)
    if saved and saved[0] == room.round:
        if saved[1] == answer:
            st.success(f"Saved for round {room.round}. You can change your weights and submit again.")
        else:
            st.info("You have changed your weights since you submitted: submit again to replace your answer.")
    with st.container(key="answer_ranking"):
        if problem is not None:
            ranking = rank_options(problem)
            top = [
                f"{int(ranking.rank[i])}. {ranking.names[i]} ({format_score(ranking.score[i], ranking.method)})"
                for i in range(min(3, ranking.n_ranked))
            ]
            st.markdown("**Your ranking:** " + md_escape(" · ".join(top)))
    for cid in base.criterion_ids:
        widget = f"answer_{cid}-r{room.round}"
        st.slider(
            md_escape(base.criterion_name(cid, short=False)),
            min_value=0,
            max_value=100,
            step=5,
            value=round(answer.weight_map.get(cid, 0)),
            key=widget,
            on_change=_set_weight,
            args=(cid, widget),
        )
    st.button(
        "Submit my answer",
        type="primary",
        on_click=_submit,
        args=(base,),
        key="answer_submit",
        disabled=room.closed,
        width="stretch" if narrow() else "content",
    )
