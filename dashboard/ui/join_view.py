"""Seminar mode, a participant's phone: join a room, weigh the options, submit.

One student is one participant: the phone's browser keeps the participant's token (see
:mod:`ui.identity`), so a reload, a second tab or a reconnection to another app process comes back as
the same participant, with the weights the phone had. The phone watches the room every few seconds,
so a new round, a closed room or a cleared one is said on the phone without a tap; the confirmation of
an answer is drawn beside the Submit button, where the thumb is.
"""

from __future__ import annotations

import datetime as dt
import time
from datetime import timedelta

import streamlit as st

from core.evidence import Evidence
from core.hindsight import scenario_evidence
from core.ranking import format_score, rank_options
from core.scenario import Scenario, validate_scenario
from core.scenario_io import ScenarioFileError, from_json, to_json
from core.scoring import InputError
from core.text import md_escape
from store.rooms import Joined, Removed, RoomNotFound, StoreError, new_participant
from ui import identity, state
from ui.client import address, narrow
from ui.compute import problem_or_none
from ui.seminar import get_rooms

WATCH_SECONDS = 5
WATCHED_AT = "seminar_watched_at"  # when this session last read the room (monotonic seconds)
SLIDER_HELP = (
    "Slide right if this tradeoff matters more to you, left if it matters less; 0 means it does not count. "
    "What counts is each weight's share of the total."
)


# --------------------------------------------------------------------------- joining and coming back
def _enter(base: Evidence, joined: Joined, token: str, draft: dict[str, int] | None) -> None:
    """Take the room's starting scenario, then the weights this phone had (unsent), or its last answer."""
    answer = from_json(joined.room.scenario, base, state.get_scenario()).scenario
    saved = None
    if joined.last_answer:
        try:
            last = from_json(joined.last_answer[1], base, answer).scenario
            saved = (joined.last_answer[0], last)
            answer = answer.with_weights(last.weight_map, lens=None)
        except (ScenarioFileError, InputError):
            pass
    if draft and set(draft) == set(answer.weight_map) and sum(draft.values()) > 0:
        answer = answer.with_weights({c: float(w) for c, w in draft.items()}, lens=None)
    st.session_state[state.JOINED] = joined.room.code
    st.session_state[state.PARTICIPANT] = token
    st.session_state[state.ANSWER] = answer
    st.session_state[state.SAVED_AS] = saved
    st.session_state[state.JOIN_ERROR] = None
    st.session_state[state.CONFIRM_SAME] = False


def _join(base: Evidence) -> None:
    code = str(st.session_state.get("join_code") or "").strip().upper()
    name = str(st.session_state.get("join_name") or "")
    remembered = identity.known("participant").get(code)
    token = remembered["token"] if remembered else new_participant()
    try:
        joined = get_rooms().join(code, token, name, address())
        _enter(base, joined, token, remembered.get("weights") if remembered else None)
    except (StoreError, ScenarioFileError) as err:
        st.session_state[state.JOIN_ERROR] = str(err)
        return
    st.session_state[state.JOIN_NOTICE] = None


def _resume(base: Evidence, remembered: dict[str, dict]) -> None:
    """A phone that was in the room (a reload, a second tab, another app process) is back in it, once a run."""
    code = st.session_state.get(state.JOIN_CODE)
    if not code or code not in remembered or st.session_state.get(state.RESUME_TRIED) == code:
        return
    st.session_state[state.RESUME_TRIED] = code
    token = remembered[code]["token"]
    rooms = get_rooms()
    try:
        status = rooms.status(code, token)
        if status == "removed":
            st.session_state[state.JOIN_ERROR] = "The facilitator removed you from this room."
            return
        if status == "absent":
            st.session_state[state.JOIN_NOTICE] = "The room was cleared since you were last here: join again."
            return
        _enter(base, rooms.join(code, token, None, address()), token, remembered[code].get("weights"))
    except (StoreError, ScenarioFileError) as err:
        st.session_state[state.JOIN_ERROR] = str(err)


def _form() -> None:
    st.markdown("Weigh the options with the rest of the room. You need no account; a name is optional.")
    for key, show in ((state.JOIN_NOTICE, st.info), (state.JOIN_ERROR, st.error)):
        if st.session_state.get(key):
            show(md_escape(st.session_state[key]))
    st.text_input("Room code", value=st.session_state.get(state.JOIN_CODE) or "", key="join_code", max_chars=6)
    st.text_input("Your name (optional; you may stay anonymous)", key="join_name", max_chars=40)


# --------------------------------------------------------------------------- answering
def _set_weight(criterion_id: str, widget: str) -> None:
    answer: Scenario = st.session_state[state.ANSWER]
    weights = {**answer.weight_map, criterion_id: float(st.session_state[widget])}
    st.session_state[state.ANSWER] = answer.with_weights(weights, lens=None)
    st.session_state[state.CONFIRM_SAME] = False


def _left_room(message: str) -> None:
    """The phone is no longer in the room (cleared or removed): back to the form, with one message."""
    code = st.session_state.get(state.JOINED)
    st.session_state[state.JOIN_CODE] = code
    st.session_state[state.RESUME_TRIED] = code  # nothing to come back to: the form says why, once
    st.session_state[state.JOIN_NOTICE] = None
    st.session_state[state.JOINED] = None
    st.session_state[state.SAVED_AS] = None
    st.session_state[state.JOIN_ERROR] = message


def _submit(base: Evidence, confirmed: bool = False) -> None:
    code = st.session_state[state.JOINED]
    answer: Scenario = st.session_state[state.ANSWER]
    st.session_state[state.CONFIRM_SAME] = False
    if sum(w for _, w in answer.weights) <= 0:
        st.session_state[state.JOIN_ERROR] = "Not saved: move at least one slider above zero."
        return
    saved = st.session_state.get(state.SAVED_AS)
    seen = st.session_state.get(state.ROUND_SEEN) or 1
    if not confirmed and saved and saved[0] < seen and saved[1].weights == answer.weights:
        st.session_state[state.CONFIRM_SAME] = True  # a new round: ask before filing the same weights again
        return
    try:
        validate_scenario(answer, scenario_evidence(base, answer))  # like any scenario: known ids, finite weights
        round_ = get_rooms().submit(code, st.session_state[state.PARTICIPANT], to_json(answer, base))
    except InputError as err:
        st.session_state[state.JOIN_ERROR] = f"Not saved: {err}"
        return
    except (RoomNotFound, Removed) as err:
        _left_room(str(err))
        return
    except StoreError as err:
        st.session_state[state.JOIN_ERROR] = str(err)  # the weights stay as they are, to try again
        return
    st.session_state[state.JOIN_ERROR] = None
    st.session_state[state.SAVED_AS] = (round_, answer, dt.datetime.now().strftime("%H:%M:%S"))


def _not_again() -> None:
    st.session_state[state.CONFIRM_SAME] = False


@st.fragment(run_every=timedelta(seconds=WATCH_SECONDS))
def _watch(code: str, token: str, seen: tuple[int, bool, str]) -> None:
    """Every few seconds: has the round changed, the room closed, or this phone been cleared or removed?"""
    if time.monotonic() - st.session_state.get(WATCHED_AT, 0.0) < WATCH_SECONDS / 2:
        return  # the whole page has just read the room
    try:
        room, status = get_rooms().seat(code, token)
    except StoreError:
        return  # the database is away for a moment: look again later
    st.session_state[WATCHED_AT] = time.monotonic()
    if (room.round, room.closed, status) != seen:
        st.rerun(scope="app")


def _status(round_: int) -> None:
    """What happened to the last tap, beside the Submit button."""
    error = st.session_state.get(state.JOIN_ERROR)
    saved = st.session_state.get(state.SAVED_AS)
    answer = st.session_state[state.ANSWER]
    if error:
        st.error(md_escape(error))
    elif saved and saved[0] == round_:
        if saved[1].weights == answer.weights:
            when = f" at {saved[2]}" if len(saved) > 2 else ""
            st.success(f"Saved for round {round_}{when}. You can change your weights and submit again.")
        else:
            st.info("You have changed your weights since you submitted: submit again to replace your answer.")
    elif saved:
        st.info(
            f"Round {round_} has started: weigh the options again and submit. Your round {saved[0]} answer is kept."
        )


def _answer_bar(base: Evidence, round_: int, closed: bool) -> None:
    """The Submit button and what happened to the last tap, kept at the bottom of a phone's screen."""
    wide = "stretch" if narrow() else "content"
    with st.container(key="answer_bar"):
        if st.session_state.get(state.CONFIRM_SAME):
            saved = st.session_state[state.SAVED_AS]
            st.warning(f"These are the weights you gave in round {saved[0]}. Submit them unchanged for round {round_}?")
            with st.container(horizontal=True):
                st.button("Yes, submit them", type="primary", on_click=_submit, args=(base, True), key="answer_same")
                st.button("No, I will change them", on_click=_not_again, key="answer_change")
        else:
            st.button(
                "Submit my answer",
                type="primary",
                on_click=_submit,
                args=(base,),
                key="answer_submit",
                disabled=closed,
                width=wide,
            )
        _status(round_)


def answering(base: Evidence, code: str) -> None:
    try:
        room, status = get_rooms().seat(code, st.session_state[state.PARTICIPANT])
    except StoreError as err:
        st.error(md_escape(err))
        return
    st.session_state[WATCHED_AT] = time.monotonic()
    if status != "member":
        removed = "The facilitator removed you from this room."
        _left_room(removed if status == "removed" else "The room was cleared: join again to answer.")
        st.rerun()
    st.session_state[state.ROUND_SEEN] = room.round
    answer: Scenario = st.session_state[state.ANSWER]
    problem = problem_or_none(scenario_evidence(base, answer), answer)
    st.markdown(f"**Room {code}, round {room.round}.** Set how much each tradeoff matters, then submit.")
    if room.closed:
        st.info("This room is closed: answers are no longer taken.")
    with st.container(key="answer_ranking"):
        if problem is not None:
            ranking = rank_options(problem)
            top = [
                f"{int(ranking.rank[i])}. {ranking.names[i]} ({format_score(ranking.score[i], ranking.method)})"
                for i in range(min(3, ranking.n_ranked))
            ]
            st.markdown("**Your ranking:** " + md_escape(" · ".join(top)))
    st.caption("Slide right for what matters more to you; 0 means it does not count.")
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
            help=SLIDER_HELP,
        )
    _answer_bar(base, room.round, room.closed)
    st.caption(md_escape(base.stamp))
    _watch(code, st.session_state[state.PARTICIPANT], (room.round, room.closed, "member"))


def page(base: Evidence) -> None:
    joined = st.session_state.get(state.JOINED)
    token = st.session_state.get(state.PARTICIPANT)
    write = {}
    if joined and token:
        weights = {c: round(w) for c, w in st.session_state[state.ANSWER].weights}
        write[joined] = {"token": token, "weights": weights}
    remembered = identity.remembered("participant", write)
    if not joined:
        _resume(base, remembered)
    code = st.session_state.get(state.JOINED)
    if not code:
        _form()
        st.button("Join", type="primary", on_click=_join, args=(base,), key="join_button")
        return
    answering(base, code)
