"""What a browser remembers of the seminar rooms between visits: its tokens, and a phone's unsent weights.

A participant's token is the participant: kept in the browser's ``localStorage`` (shared by its tabs and
kept across reloads and reconnections), it brings a reload, a second tab or a reconnection to another
app process back as the same participant, with the weights the phone had. A facilitator's token lets the
device that opened or claimed a room back into its controls without the key. A tiny inline script (a
Streamlit v2 component: nothing fetched, nothing drawn) reads and writes that storage; the server sends
what to write and hears what is there only when it differs from what it already knows, so a page costs
no extra run once the two agree. The tokens never reach the page's text: only this script holds them.
"""

from __future__ import annotations

import json
import re
from typing import Any

import streamlit as st

SLOTS = ("participant", "facilitator")
MAX_ROOMS = 20  # rooms a browser remembers, per slot
MAX_TEXT = 20_000  # characters: anything longer was not written by this app
_CODE = re.compile(r"^[A-Z0-9]{6}$")
_TOKEN = re.compile(r"^[A-Za-z0-9_\-]{16,64}$")

_JS = f"""
export default function (component) {{
  const {{ data, setStateValue }} = component;
  const name = "fentanyl-seminar:" + data.slot;
  let saved = {{}};
  try {{ saved = JSON.parse(window.localStorage.getItem(name) || "{{}}") || {{}}; }} catch (e) {{ saved = {{}}; }}
  if (typeof saved !== "object" || Array.isArray(saved)) saved = {{}};
  let changed = false;
  for (const [code, value] of Object.entries(data.write || {{}})) {{
    if (value === null) {{
      if (code in saved) {{ delete saved[code]; changed = true; }}
    }} else if (JSON.stringify(saved[code]) !== JSON.stringify(value)) {{
      delete saved[code];
      saved[code] = value;
      changed = true;
    }}
  }}
  const codes = Object.keys(saved);
  if (codes.length > {MAX_ROOMS}) {{
    codes.slice(0, codes.length - {MAX_ROOMS}).forEach((code) => delete saved[code]);
    changed = true;
  }}
  if (changed) {{
    try {{ window.localStorage.setItem(name, JSON.stringify(saved)); }} catch (e) {{ /* private mode: forget */ }}
  }}
  const text = JSON.stringify(saved);
  if (text !== data.known) setStateValue("saved", text);
}}
"""

_STORE = st.components.v2.component("dashboard_seminar_memory", js=_JS)


def _ignore() -> None:
    """Registers the component's value; the rerun that follows a report is all that is needed."""


def _known_key(slot: str) -> str:
    return f"remembered_{slot}"


def _parse(text: Any) -> dict[str, dict[str, Any]]:
    """The remembered rooms, every entry checked: a room code, a token, and perhaps weights (0-100)."""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return {}
    try:
        raw = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(raw, dict):
        return {}
    out: dict[str, dict[str, Any]] = {}
    for code, value in raw.items():
        if not (isinstance(code, str) and _CODE.match(code) and isinstance(value, dict)):
            continue
        token = value.get("token")
        if not (isinstance(token, str) and _TOKEN.match(token)):
            continue
        entry: dict[str, Any] = {"token": token}
        weights = value.get("weights")
        if isinstance(weights, dict) and all(
            isinstance(k, str) and len(k) <= 64 and type(v) is int and 0 <= v <= 100 for k, v in weights.items()
        ):
            entry["weights"] = dict(weights)
        out[code] = entry
    return out


def _merged(known: str | None, write: dict[str, dict[str, Any] | None]) -> str:
    """What the script will hold after ``write``, serialised as it serialises it (so no report is needed)."""
    try:
        saved = json.loads(known) if known else {}
    except ValueError:
        saved = {}
    saved = saved if isinstance(saved, dict) else {}
    for code, value in write.items():
        if value is None:
            saved.pop(code, None)
        elif saved.get(code) != value:
            saved.pop(code, None)
            saved[code] = value
    while len(saved) > MAX_ROOMS:
        saved.pop(next(iter(saved)))
    return json.dumps(saved, separators=(",", ":"), ensure_ascii=False)


def remembered(slot: str, write: dict[str, dict[str, Any] | None] | None = None) -> dict[str, dict[str, Any]]:
    """Mount the memory for ``slot`` (drawing nothing), write ``write`` into it (None forgets a room), and
    return what it holds, by room code. Call once per run, before anything that depends on it."""
    assert slot in SLOTS
    write = write or {}
    known = st.session_state.get(_known_key(slot), "{}")
    with st.container(key=f"memory_{slot}"):
        result = _STORE(
            key=f"memory_{slot}_js",
            # What the script will hold once it has written ``write``, if the browser held what this session
            # knows: then it has nothing to report, and a write (every weight a phone moves) costs no extra run.
            data={"slot": slot, "write": write, "known": _merged(known, write) if write else known},
            default={"saved": None},
            on_saved_change=_ignore,
            height=0,
        )
    saved = result.get("saved") if result is not None else None
    report = f"{_known_key(slot)}_report"
    if isinstance(saved, str) and saved != st.session_state.get(report):
        # A new report: the browser held something this session did not know (a reload, another tab). The
        # component keeps returning its last report, which is stale once this session writes again.
        st.session_state[report] = saved
        known = saved
    if write:
        known = _merged(known, write)
    st.session_state[_known_key(slot)] = known
    return _parse(known)


def known(slot: str) -> dict[str, dict[str, Any]]:
    """What the browser holds for ``slot``, as this session last heard it (for callbacks)."""
    return _parse(st.session_state.get(_known_key(slot), "{}"))
