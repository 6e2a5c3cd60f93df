"""Presenter mode: one scene of the briefing at a time, filling the screen, stepped with buttons or keys.

The scenes and their order are the scenario's (``scenes``), so a link or a file carries the deck;
the scene on screen is this session's. The buttons, and the keys a presentation clicker sends,
are :mod:`ui.scene_nav`'s.
"""

from __future__ import annotations

import streamlit as st

from charts.theme import PROJECTOR, PROJECTOR_LARGE, STILL_PHONE
from core.text import md_escape
from ui import state
from ui.client import large, narrow
from ui.compute import problem_or_none, scene
from ui.loaders import get_evidence, get_supply_chain
from ui.parts import page_part
from ui.scene_nav import scene_chart, scene_nav

SCENE_PART = "scene"
PRESENT = "app_pages/present.py"
BACK = ("app_pages/weigh.py", "Back to the app")  # where Back and Escape lead when the briefer came from nowhere
CAME_FROM = "present_came_from"  # session state: the page of the app shown last before presenter mode


def remember_page(page: str) -> None:
    """Note ``page`` (its file, as ``st.page_link`` takes it) as the one to go back to, unless it is presenter mode."""
    if page != PRESENT:
        st.session_state[CAME_FROM] = page


def back() -> tuple[str, str]:
    """The way out of presenter mode: the page the briefer came from (the Weigh page if none), and its label."""
    return str(st.session_state.get(CAME_FROM) or BACK[0]), BACK[1]


LONG_HEADLINE = 110  # characters: about three lines at 1024x768 in the headline's own type


def position(n: int) -> int:
    """The scene on screen, kept within the deck (the deck may have shrunk since)."""
    return min(max(int(st.session_state.get(state.SCENE_AT, 0)), 0), n - 1)


def _points(points: list[str]) -> None:
    if points:
        st.markdown("\n".join(f"- {md_escape(p)}" for p in points))


@page_part(SCENE_PART)
def scene_part() -> None:
    """The scene on screen: its headline, its points and its chart, then the way to the next one."""
    evidence = state.current_evidence(get_evidence())
    scenario = state.get_scenario()
    ids = scenario.scenes
    at = position(len(ids))
    with st.container(key="presenter"):
        problem = problem_or_none(evidence, scenario)
        if problem is None:
            st.markdown("## Every weight is zero, so nothing can be ranked")
            _points(["Set the weights on the Weigh page, then come back."])
            scene_nav(at, len(ids), back=back())
            return
        look = STILL_PHONE if narrow() else PROJECTOR_LARGE if large() else PROJECTOR
        shown, fig = scene(evidence, problem, get_supply_chain(), ids[at], look)
        st.caption(md_escape(evidence.current_to))  # how current the evidence is, on every scene
        # A long headline (a long name of the user's own in it) takes smaller type, so the chart keeps its room.
        with st.container(key="scene_headline_long" if len(shown.headline) > LONG_HEADLINE else "scene_headline"):
            st.markdown(f"## {md_escape(shown.headline)}")
        points = list(shown.points) + ([f"Source: {'; '.join(shown.sources)}"] if shown.sources else [])
        _points(points)
        if fig is not None:
            scene_chart(fig, f"scene_chart_{shown.scene_id}", shown.chart_summary[:500] or shown.headline)
        scene_nav(at, len(ids), back=back())
