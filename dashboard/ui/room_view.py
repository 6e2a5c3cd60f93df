"""Seminar mode, the facilitator's controls: open a room, keep its key, and run it from this device.

What is projected and what controls are apart. The room's screen (:mod:`ui.screen_view`) holds no
secret and no control that matters; this page holds the controls and is meant for the facilitator's
own screen. The key is shown once, in a dialog made to be dismissed, and then never again: this
device keeps a facilitator token of its own (in the browser, see :mod:`ui.identity`), so a reload
comes straight back; another device claims the controls with the key, and wrong keys are limited.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from datetime import timedelta

import streamlit as st

from charts.seminar import disagreement_figure
from charts.theme import PHONE
from core.evidence import Evidence
from core.scenario_io import to_json
from core.seminar import answers_csv, burst_sentence, find_bursts, results, results_sentence
from core.text import md_escape
from store.rooms import OpenedRoom, Person, StoreError, WrongKey
from ui import identity, state
from ui.client import address
from ui.compute import problem_or_none
from ui.figures import PLOTLY_CONFIG
from ui.lazy import lazy_expander
from ui.links import loopback_notice, qr_png
from ui.loaders import get_evidence
from ui.seminar import get_rooms, join_link, screen_link

REFRESH_SECONDS = 3
ROOMS_PER_SESSION = 3


# --------------------------------------------------------------------------- opening and claiming
def _open_room(base: Evidence) -> None:
    opened = st.session_state.get(state.ROOMS_OPENED, 0)
    if opened >= ROOMS_PER_SESSION:
        st.session_state[state.ROOM_ERROR] = (
            f"Not opened: this session has opened {opened} rooms, the most it may. Return to one of them."
        )
        return
    try:
        room: OpenedRoom = get_rooms().open_room(to_json(state.get_scenario(), base), address())
    except StoreError as err:
        st.session_state[state.ROOM_ERROR] = str(err)
        return
    st.session_state[state.ROOMS_OPENED] = opened + 1
    st.session_state[state.ROOM] = (room.code, room.token)
    st.session_state[state.KEY_TO_SHOW] = (room.code, room.key)
    st.session_state[state.ROOM_ERROR] = None


def _claim() -> None:
    code = str(st.session_state.get("return_code") or "").strip().upper()
    key = str(st.session_state.get("return_key") or "").strip()
    st.session_state["return_key"] = ""  # the key does not stay in the field
    try:
        token = get_rooms().claim(code, key, address())
    except StoreError as err:
        st.session_state[state.ROOM_ERROR] = str(err)
        return
    st.session_state[state.ROOM] = (code, token)
    st.session_state[state.ROOM_ERROR] = None


def _leave() -> None:
    code, token = st.session_state[state.ROOM]
    with contextlib.suppress(StoreError):  # the token is dropped here anyway
        get_rooms().forget(code, token)
    st.session_state[state.ROOM] = None
    st.session_state.setdefault(state.ROOM_FORGET, set()).add(code)


def _key_kept() -> None:
    """The facilitator closed the key's dialog: the key leaves this session for good."""
    st.session_state.pop(state.KEY_TO_SHOW, None)
    st.session_state.pop("key_shown", None)


@st.dialog("Your facilitator key", width="medium", on_dismiss=_key_kept)
def _key_dialog(code: str, key: str) -> None:
    st.markdown(
        f"Keep this key for room **{code}**: with it you can take the room's controls on another device "
        "(your phone, another laptop). This device needs no key: it comes back to the room by itself. "
        "**The key is shown only now**, and it opens the controls to anyone who reads it, so do not show it "
        "on the projector."
    )
    st.text_input("Facilitator key (press the eye to show it)", value=key, type="password", key="key_shown")
    st.download_button(
        "Save the key as a text file",
        data=f"Room {code}\nFacilitator key: {key}\n".encode(),
        file_name=f"room-{code}-key.txt",
        mime="text/plain",
        on_click="ignore",
        key="key_file",
    )
    if st.button("I have kept it: close", type="primary", key="key_done", on_click=_key_kept):
        st.rerun()


def _remember(code_token: tuple[str, str] | None) -> None:
    """This device's facilitator tokens, in its browser: back after a reload, forgotten when it leaves."""
    write: dict = {code: None for code in st.session_state.get(state.ROOM_FORGET, set())}
    if code_token:
        write[code_token[0]] = {"token": code_token[1]}
    saved = identity.remembered("facilitator", write)
    if code_token:
        return
    rooms = get_rooms()
    for code in reversed(list(saved)):  # the room opened last first
        try:
            rooms.facilitator(code, saved[code]["token"])
            rooms.room(code)
        except WrongKey:
            st.session_state.setdefault(state.ROOM_FORGET, set()).add(code)
            continue
        except StoreError:
            continue  # the database is away for a moment: the room is not forgotten
        st.session_state[state.ROOM] = (code, saved[code]["token"])
        st.rerun()


def start(base: Evidence) -> None:
    """No room on this device: open one from the current scenario, or take one's controls with its key."""
    st.markdown(
        "Open a room and show its code on the projector: everyone weighs the options on a phone, starting from "
        "**your current scenario** (weights, options in view, score edits), and submits. You reveal the room's "
        "answers when you are ready. These controls are for your own screen; the room sees the projector view."
    )
    if problem_or_none(state.current_evidence(base), state.get_scenario()) is None:
        st.warning("All weights are zero: set some weights on the Weigh page before opening a room.")
        return
    st.button("Open a room", type="primary", on_click=_open_room, args=(base,), key="room_open")
    tried = bool(st.session_state.get(state.ROOM_ERROR))  # after a wrong key the fields stay in sight
    with st.expander("Take the controls of a room you opened on another device", expanded=tried):
        st.text_input("Room code", key="return_code", max_chars=6)
        st.text_input("Facilitator key", key="return_key", type="password", max_chars=64)
        st.button("Take the controls", on_click=_claim, key="room_return")


# --------------------------------------------------------------------------- running the room
def _act(action: str) -> None:
    code, token = st.session_state[state.ROOM]
    rooms = get_rooms()
    actions = {
        "reveal": lambda: rooms.reveal(code, token, True),
        "hide": lambda: rooms.reveal(code, token, False),
        "round": lambda: rooms.new_round(code, token),
        "close": lambda: rooms.close(code, token),
        "clear": lambda: rooms.clear(code, token),
        "remove": lambda: rooms.remove(code, token, list(st.session_state.get("room_remove") or [])),
    }
    try:
        actions[action]()
        st.session_state[state.ROOM_ERROR] = None
    except WrongKey as err:
        st.session_state[state.ROOM] = None  # this device no longer holds the room
        st.session_state[state.ROOM_ERROR] = str(err)
    except StoreError as err:
        st.session_state[state.ROOM_ERROR] = str(err)
    if action in ("clear", "remove"):
        st.session_state["room_remove"] = []
        st.session_state["room_clear_sure"] = False
    st.session_state[state.ROOM_CSV] = None


def _make_csv(base: Evidence) -> None:
    """The answers file, made on request after the device's token is checked (never before the click)."""
    code, token = st.session_state[state.ROOM]
    rooms = get_rooms()
    try:
        answers = rooms.answers(code, token)
        joins = [(p.number, p.joined_at, p.client) for p in rooms.people(code, token)]
    except StoreError as err:
        st.session_state[state.ROOM_ERROR] = str(err)
        return
    st.session_state[state.ROOM_CSV] = (code, answers_csv(base, answers, joins))


def _networks(people: list[Person]) -> dict[str, str]:
    """Each address hash as a letter (A, B, ...) in the order of first joining: never the address itself."""
    letters: dict[str, str] = {}
    for person in sorted(people, key=lambda p: p.joined_at):
        if person.client not in letters:
            n = len(letters)
            letters[person.client] = chr(65 + n % 26) + (str(n // 26) if n >= 26 else "")
    return letters


def _select_burst(numbers: list[int]) -> None:
    st.session_state["room_remove"] = numbers
    st.session_state["room_people"] = True  # the list opens with them chosen


def _people(people: list[Person]) -> None:
    """Who is in the room (numbers, never names), a burst from one address, and removal one by one."""
    burst = sorted(find_bursts([(p.number, p.joined_at, p.client) for p in people]))
    networks = _networks(people)
    if burst:
        st.warning(
            f"{len(burst)} people joined in a burst from one network address (5 or more within a minute). A class "
            "sharing one Wi-Fi address looks the same; if they should not count, remove them.",
            icon=":material/group_add:",
        )
        st.button("Select them for removal", on_click=_select_burst, args=(burst,), key="room_select_burst")
    labels = {
        p.number: f"#{p.number} · joined {dt.datetime.fromtimestamp(p.joined_at):%H:%M:%S} · network "
        f"{networks[p.client]}{' · answered' if p.answered else ''}"
        for p in people
    }
    with lazy_expander(f"People in the room ({len(people)})", key="room_people", expanded=bool(burst)) as open_:
        if not open_ and not st.session_state.get("room_remove"):
            return
        chosen = st.multiselect(
            "Remove from the room (with their answers; they cannot rejoin from the same phone)",
            options=list(labels),
            format_func=labels.get,
            key="room_remove",
        )
        st.button("Remove them", on_click=_act, args=("remove",), key="room_remove_button", disabled=not chosen)


def _controls(room, base: Evidence) -> None:
    with st.container(horizontal=True, key="room_controls"):
        if room.revealed:
            st.button("Hide the answers", on_click=_act, args=("hide",), key="room_hide")
        else:
            st.button("Reveal the answers", type="primary", on_click=_act, args=("reveal",), key="room_reveal")
        st.button("Start a new round", on_click=_act, args=("round",), key="room_round", disabled=room.closed)
        st.button("Close the room", on_click=_act, args=("close",), key="room_close", disabled=room.closed)
    with st.container(horizontal=True, key="room_danger", vertical_alignment="center"):
        sure = st.checkbox("Yes, delete every answer", key="room_clear_sure")
        st.button("Clear the answers", on_click=_act, args=("clear",), key="room_clear", disabled=not sure)
        made = st.session_state.get(state.ROOM_CSV)
        if made and made[0] == room.code:
            st.download_button(
                "Download the answers (CSV)",
                data=made[1],
                file_name=f"room-{room.code}-answers.csv",
                mime="text/csv",
                key="room_csv",
                on_click="ignore",
                icon=":material/download:",
            )
        else:
            st.button("Prepare the answers (CSV, anonymised)", on_click=_make_csv, args=(base,), key="room_csv_make")


@st.fragment(run_every=timedelta(seconds=REFRESH_SECONDS))
def live() -> None:
    """Counts, controls, the people in the room and (once revealed) the results; redrawn every few seconds."""
    base = get_evidence()
    if not st.session_state.get(state.ROOM):
        st.rerun()
    code, token = st.session_state[state.ROOM]
    rooms = get_rooms()
    try:
        room = rooms.room(code)
        people = rooms.people(code, token)
    except WrongKey as err:
        st.session_state[state.ROOM] = None
        st.session_state[state.ROOM_ERROR] = str(err)
        st.rerun()
    except StoreError as err:
        st.error(md_escape(err))
        return
    status = "closed" if room.closed else f"round {room.round}"
    answered = sum(p.answered for p in people)
    st.markdown(f"### {len(people)} joined · {answered} answered ({status})")
    error = st.session_state.get(state.ROOM_ERROR)
    if error:
        st.error(md_escape(error))
    _controls(room, base)
    _people(people)
    if not room.revealed:
        st.caption("The answers stay hidden until you reveal them, so nobody is swayed by the room.")
        return
    joins = [(p.number, p.joined_at, p.client) for p in people]
    shown = results(base, rooms.answers(code, token, room.round), joins)
    st.markdown(f"**Revealed on the room's screen:** {md_escape(results_sentence(shown))}")
    note = burst_sentence(shown)
    if note:
        st.caption(md_escape(note))
    if shown.n:
        label = "Every answer's weights (for you; the projector shows the groups)"
        with lazy_expander(label, key="room_grid") as open_:
            if open_:
                st.plotly_chart(
                    disagreement_figure(shown, look=PHONE), theme=None, config=PLOTLY_CONFIG, key="room_disagreement"
                )


def page(base: Evidence) -> None:
    """The facilitator's page: the key once, then the room's controls; or the way to open or claim one."""
    _remember(st.session_state.get(state.ROOM))
    shown = st.session_state.get(state.KEY_TO_SHOW)
    if shown:
        _key_dialog(*shown)  # until the facilitator closes it (a rerun meanwhile must not lose it)
    error = st.session_state.get(state.ROOM_ERROR)
    room = st.session_state.get(state.ROOM)
    if not room:
        if error:
            st.error(md_escape(error))
        start(base)
        return
    code = room[0]
    left, right = st.columns([3, 1], gap="large")
    with left:
        st.markdown(f"## Room {code}")
        st.markdown(
            "Put the room's screen on the projector (it shows the code, the QR code and, once you reveal, "
            "the results; nothing on it controls the room):"
        )
        with st.container(horizontal=True, key="room_links"):
            st.link_button("Open the projector view", screen_link(code), icon=":material/cast:", type="primary")
            st.button("Leave the controls on this device", on_click=_leave, key="room_leave")
        loopback_notice()
    with right:
        st.image(
            qr_png(join_link(code)),
            width=160,
            caption=f"Join room {code}",
            alt=f"QR code of the link to join room {code}",
        )
    live()
