"""Stepping through scenes, shared by presenter mode and the room's screen: Previous and Next, the counter,
and the keys a presentation clicker sends.

A clicker sends Page Down / Page Up (or the arrow keys, or space): a small script in the page (a Streamlit v2
component, inline, nothing fetched) turns those keys into clicks on the Next and Previous buttons, and Escape
into the way back to the full app.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ui import state

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


def scene_chart(fig, key: str, alt: str) -> None:
    """A scene's chart as the projector shows it: still (no hover, no toolbar), filling the scene's chart area."""
    with st.container(key="scene_chart"):
        st.plotly_chart(fig, theme=None, config=STILL_CHART, width="stretch", height="stretch", key=key, alt=alt)


def keys() -> None:
    """Mount the key handler (draws nothing)."""
    with st.container(key="presenter_keys"):
        _KEYS(key="presenter_keys_js", height=0)


def _go(position: int) -> None:
    st.session_state[state.SCENE_AT] = position


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
