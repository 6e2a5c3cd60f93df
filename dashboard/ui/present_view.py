"""Presenter mode: one scene of the briefing at a time, filling the screen, stepped with buttons or keys.

The scenes and their order are the scenario's (``scenes``), so a link or a file carries the deck;
the scene on screen is this session's. A presentation clicker sends Page Down / Page Up (or the
arrow keys, or space): a small script in the page (a Streamlit v2 component, inline, nothing
fetched) turns those keys into clicks on the Next and Previous buttons, and Escape into the way
back to the full app.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from charts.theme import PHONE, PROJECTOR, PROJECTOR_LARGE
from core.text import md_escape
from ui import state
from ui.client import large, narrow
from ui.compute import problem_or_none, scene
from ui.loaders import get_evidence, get_supply_chain
from ui.parts import page_part

SCENE_PART = "scene"
BACK = ("app_pages/weigh.py", "Back to the app")
LONG_HEADLINE = 110  # characters: about three lines at 1024x768 in the headline's own type
NEXT_KEYS = ("ArrowRight", "ArrowDown", "PageDown", " ", "Spacebar")
PREVIOUS_KEYS = ("ArrowLeft", "ArrowUp", "PageUp")
# Every chart interaction is off: a projected chart is read, not explored, and a stray click or hover
# box would cover it. The text alternative is the chart's accessible name.
STILL_CHART = {"staticPlot": True, "displayModeBar": False, "responsive": True}

_KEYS_JS = f"""
export default function (component) {{
  const next = {list(NEXT_KEYS)!r};
  const previous = {list(PREVIOUS_KEYS)!r};
  const click = (key) => {{
    const button = document.querySelector(`.st-key-${{key}} button`);
    if (button && !button.disabled) button.click();
  }};
  const onKey = (event) => {{
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    const typing = target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
    if (typing) return;
    // Enter on a focused button clicks it by itself; space always means "next", as a clicker sends it.
    if (next.includes(event.key)) {{ event.preventDefault(); click("scene_next"); }}
    else if (previous.includes(event.key)) {{ event.preventDefault(); click("scene_previous"); }}
    else if (event.key === "Escape") {{
      const back = document.querySelector(".st-key-scene_exit a");
      if (back) back.click();
    }}
  }};
  document.addEventListener("keydown", onKey);
  return () => document.removeEventListener("keydown", onKey);
}}
"""

_KEYS = st.components.v2.component("dashboard_presenter_keys", js=_KEYS_JS)


def keys() -> None:
    """Mount the key handler (draws nothing)."""
    with st.container(key="presenter_keys"):
        _KEYS(key="presenter_keys_js", height=0)


def _go(position: int) -> None:
    st.session_state[state.SCENE_AT] = position


def position(n: int) -> int:
    """The scene on screen, kept within the deck (the deck may have shrunk since)."""
    return min(max(int(st.session_state.get(state.SCENE_AT, 0)), 0), n - 1)


def scene_nav(at: int, n: int, go: Callable[[int], None] = _go, back: tuple[str, str] | None = None) -> None:
    """Previous, Next and the scene counter (the keys click these), and a way back to ``back`` = (page, label)."""
    with st.container(horizontal=True, key="scene_nav", gap="medium"):
        st.button(
            "Previous",
            key="scene_previous",
            on_click=go,
            args=(at - 1,),
            disabled=at == 0,
            icon=":material/arrow_back:",
        )
        st.button(
            "Next",
            key="scene_next",
            on_click=go,
            args=(at + 1,),
            disabled=at >= n - 1,
            icon=":material/arrow_forward:",
        )
        st.markdown(f"**{at + 1} / {n}**")
        if back:
            with st.container(key="scene_exit", width="content"):
                st.page_link(back[0], label=back[1], icon=":material/close:")


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
            scene_nav(at, len(ids), back=BACK)
            return
        look = PHONE if narrow() else PROJECTOR_LARGE if large() else PROJECTOR
        shown, fig = scene(evidence, problem, get_supply_chain(), ids[at], look)
        st.caption(md_escape(evidence.current_to))  # how current the evidence is, on every scene
        # A long headline (a long name of the user's own in it) takes smaller type, so the chart keeps its room.
        with st.container(key="scene_headline_long" if len(shown.headline) > LONG_HEADLINE else "scene_headline"):
            st.markdown(f"## {md_escape(shown.headline)}")
        points = list(shown.points) + ([f"Source: {'; '.join(shown.sources)}"] if shown.sources else [])
        _points(points)
        if fig is not None:
            with st.container(key="scene_chart"):
                st.plotly_chart(
                    fig,
                    theme=None,
                    config=STILL_CHART,
                    width="stretch",
                    height="stretch",
                    key=f"scene_chart_{shown.scene_id}",
                    alt=shown.chart_summary[:500] or shown.headline,
                )
        scene_nav(at, len(ids), back=BACK)
