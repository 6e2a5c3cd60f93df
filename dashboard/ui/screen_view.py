"""The room's screen, for the projector: the code and QR code to join, the counts, and (once the facilitator
reveals) the results as scenes stepped like presenter mode.

It holds no secret and no control that changes the room: it needs only the room's code (anyone in the
room has it, and a phone opening it sees the same), and it reads only what the room may see: the counts
before the reveal, the results after. Nothing here caches room data; every redraw reads the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import plotly.graph_objects as go
import streamlit as st

from charts.seminar import first_figure, groups_figure, moved_figure, weights_figure
from charts.theme import PROJECTOR, PROJECTOR_LARGE, STILL_PHONE
from core.evidence import Evidence
from core.seminar import RoomResults, burst_sentence, first_sentence, moved_sentence, results, robust_sentence
from core.text import md_escape
from store.rooms import Room, StoreError
from ui import state
from ui.client import large, narrow
from ui.links import origin, qr_png
from ui.loaders import get_evidence
from ui.scene_nav import scene_chart, scene_nav
from ui.seminar import get_rooms, join_link

REFRESH_SECONDS = 3


@dataclass(frozen=True)
class RoomScene:
    scene_id: str
    headline: str
    points: tuple[str, ...]
    figure: go.Figure
    summary: str  # the chart in words, its accessible name


def _disagreement(shown: RoomResults) -> str:
    spread = shown.disagreement()
    return (
        f"Most disagreement on {spread[0][0].lower()} (the middle half of the room spans {spread[0][1]:g} points of "
        f"weight), least on {spread[-1][0].lower()} ({spread[-1][1]:g} points)."
    )


def room_scenes(shown: RoomResults, before: RoomResults | None, round_: int, look) -> list[RoomScene]:
    """The revealed room as scenes: who puts what first, the weights' spread, the groups, and (from round 2)
    how views moved. Each sentence is computed from the results its chart draws."""
    if not shown.n:
        return []
    first_points = [robust_sentence(shown)]
    note = burst_sentence(shown)
    if note:
        first_points.append(note)
    scenes = [
        RoomScene(
            "first",
            first_sentence(shown),
            tuple(first_points),
            first_figure(shown, look=look),
            "; ".join(f"{name}: {count} of {shown.n}" for name, count in shown.first_counts.items()),
        ),
        RoomScene(
            "weights",
            "How much each tradeoff matters, across the room",
            (_disagreement(shown),),
            weights_figure(shown, look=look),
            "Each criterion's weights across the room, as a box of the middle half with every answer as a dot.",
        ),
        RoomScene(
            "groups",
            "Groups of similar views, by the option they put first: their typical weights (%)",
            (),
            groups_figure(shown, look=look),
            "; ".join(
                f"{row['Puts first']} ({row['People']}): "
                + ", ".join(f"{c} {row[c]:.0f}%" for c in shown.criterion_names)
                for row in shown.groups().to_dict("records")
            ),
        ),
    ]
    if round_ > 1 and before is not None and before.n:
        scenes.append(
            RoomScene(
                "moved",
                f"Since round {round_ - 1}: {moved_sentence(before, shown)}",
                (),
                moved_figure(before, shown, look=look),
                "The share of the room putting each option first, in the round before and this one.",
            )
        )
    return scenes


def _join_screen(room: Room, joined: int, answered: int) -> None:
    """Before the reveal: the code, where to type it, the QR code and the counts, on one screen."""
    where = origin()
    host = urlsplit(where.url).netloc + urlsplit(where.url).path.rstrip("/")
    with st.container(key="room_screen"):
        left, right = st.columns([3, 2], gap="large", vertical_alignment="center")
        with left:
            st.markdown("## Join the room")
            st.markdown(f"# {room.code}")
            st.markdown(f"Open **{md_escape(host)}/join** on your phone and type the code, or scan the QR code.")
            status = "The room is closed" if room.closed else f"Round {room.round}"
            st.markdown(f"### {joined} joined · {answered} answered · {status}")
            st.caption(
                f"The answers stay hidden until the facilitator reveals them. {md_escape(get_evidence().current_to)}."
            )
        with right:
            st.image(
                qr_png(join_link(room.code)),
                caption=f"Scan to join room {room.code}",
                alt=f"QR code of the link to join room {room.code}",
            )


def _go(position: int) -> None:
    st.session_state[state.SCREEN_AT] = position


def _scene(room: Room, scenes: list[RoomScene], answered: int) -> None:
    at = min(max(int(st.session_state.get(state.SCREEN_AT, 0)), 0), len(scenes) - 1)
    shown = scenes[at]
    with st.container(key="presenter"):
        current = md_escape(get_evidence().current_to)
        st.caption(f"Room {room.code} · round {room.round} · {answered} answers · {current}")
        st.markdown(f"## {md_escape(shown.headline)}")
        if shown.points:
            st.markdown("\n".join(f"- {md_escape(p)}" for p in shown.points))
        scene_chart(shown.figure, f"room_scene_{shown.scene_id}", shown.summary[:500] or shown.headline)
        scene_nav(at, len(scenes), _go, back=None)


@st.fragment(run_every=timedelta(seconds=REFRESH_SECONDS))
def live_screen(code: str, base: Evidence) -> None:
    rooms = get_rooms()
    try:
        room = rooms.room(code)
        joined, answered = rooms.counts(code)
        revealed = rooms.revealed(code)
    except StoreError as err:
        st.error(md_escape(err))
        return
    if revealed is None:
        _join_screen(room, joined, answered)
        return
    shown = results(base, revealed.answers, revealed.joins)
    before = results(base, revealed.before) if revealed.before else None
    look = STILL_PHONE if narrow() else PROJECTOR_LARGE if large() else PROJECTOR
    scenes = room_scenes(shown, before, room.round, look)
    if not scenes:
        with st.container(key="room_screen"):
            st.markdown(f"## Room {room.code}: no answers yet in round {room.round}")
        return
    _scene(room, scenes, shown.n)


def _show(code_key: str) -> None:
    st.session_state[state.JOIN_CODE] = str(st.session_state.get(code_key) or "").strip().upper()[:6]


def screen_page() -> None:
    code = st.session_state.get(state.JOIN_CODE)
    if not code:
        st.title("The room's screen")
        st.markdown("Type the room's code to show its join screen and, once revealed, its results.")
        st.text_input("Room code", key="screen_code", max_chars=6)
        st.button("Show the room", type="primary", on_click=_show, args=("screen_code",), key="screen_show")
        return
    live_screen(code, get_evidence())
