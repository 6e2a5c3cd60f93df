"""Stepping through scenes, shared by presenter mode and the room's screen: Previous and Next, the counter,
and the keys a presentation clicker sends.

A clicker sends Page Down / Page Up (or the arrow keys, or space): a small script in the page (a Streamlit v2
component, inline, nothing fetched) turns those keys into clicks on the Next and Previous buttons, and Escape
into the way back to the full app.

The room looks at the scene, not at the buttons: as slide software does, Previous, Next and the way back show
while the mouse moves (or after a tap) and fade out after ``IDLE_MS`` without one. The same script marks the
page's root element (``AUTO_HIDE`` while it runs, ``AWAKE`` while they show) and the style sheet hides them by
those marks, so without the script they simply stay in sight. A control that has the keyboard's focus always shows
(WCAG 2.4.7), and every control stays where it is, reachable by Tab and by the keys.
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
IDLE_MS = 2500  # how long the controls stay after the last move of the mouse or tap
AUTO_HIDE = "scene-nav-auto"  # on <html> while the script runs: the controls may hide
AWAKE = "scene-nav-awake"  # on <html> while they show

_KEYS_JS = f"""
export default function (component) {{
  const next = {list(NEXT_KEYS)!r};
  const previous = {list(PREVIOUS_KEYS)!r};
  const root = document.documentElement;
  let timer = null;
  let last = null;
  const wake = () => {{
    root.classList.add("{AWAKE}");
    clearTimeout(timer);
    timer = setTimeout(() => root.classList.remove("{AWAKE}"), {IDLE_MS});
  }};
  const onMove = (event) => {{
    // Chromium also reports a move when the page changes under a still mouse (a new scene drawn): only a
    // pointer that has really moved counts.
    const here = `${{event.screenX}},${{event.screenY}}`;
    if (event.pointerType === "mouse" && here === last) return;
    last = here;
    wake();
  }};
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
  document.addEventListener("pointermove", onMove, {{ passive: true }});
  document.addEventListener("pointerdown", wake, {{ passive: true }});  // a click, or a tap on a touch screen
  root.classList.add("{AUTO_HIDE}");
  wake();  // shown at first, so the briefer sees where they are
  return () => {{
    document.removeEventListener("keydown", onKey);
    document.removeEventListener("pointermove", onMove);
    document.removeEventListener("pointerdown", wake);
    clearTimeout(timer);
    root.classList.remove("{AUTO_HIDE}", "{AWAKE}");
  }};
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
