"""Share links: read the scenario from the URL once per session, and keep the URL in step with it."""

from __future__ import annotations

import streamlit as st

from core.evidence import Evidence
from core.scenario_link import MAX_LINK_CHARS, from_query, known_parts, link_length, to_query
from core.text import md_escape, quoted
from ui import state

ROOM_PART = "room"  # a seminar join link's room code (join?room=ABC234)


def read_link_once(evidence: Evidence) -> None:
    """On a session's first run, load the scenario a share link carries (bad parts give notices)."""
    if st.session_state.get(state.LINK_READ):
        return
    st.session_state[state.LINK_READ] = True
    query = {k: st.query_params.get_all(k) for k in st.query_params.keys()}  # noqa: SIM118
    room = query.pop(ROOM_PART, None)
    if room:
        st.session_state[state.JOIN_CODE] = str(room[-1])[:6].upper()  # a seminar join link: not a scenario part
    if not query:
        return
    if not set(query) & known_parts():
        names = ", ".join(quoted(k) for k in sorted(query)[:5])
        state.notify(f"Ignored the unknown link parts: {names}.")
        return
    loaded = from_query(query, evidence, state.get_scenario())
    state.apply_scenario(loaded.scenario, loaded.notices)


def share_query(evidence: Evidence) -> dict[str, str]:
    return to_query(state.get_scenario(), evidence)


def keep_url_in_step(evidence: Evidence) -> bool:
    """Write the scenario into the URL; return False when the edits had to be left out (too long).

    Skipped when the URL already holds what was written for this very scenario (immutable, so ``is``
    suffices): parts of a page that rerun alone call this after every move."""
    scenario = state.get_scenario()
    now = st.query_params.to_dict()
    written = st.session_state.get(state.URL_WRITTEN)
    if written is not None and written[0] is scenario and written[1] == now:
        return written[2]  # (a page switch drops the query: then it differs, and is written again)
    query = share_query(evidence)
    whole = link_length(query) <= MAX_LINK_CHARS
    if not whole:
        query = {k: v for k, v in query.items() if k != "x"}
    code = st.session_state.get(state.JOINED) or st.session_state.get(state.JOIN_CODE)
    if code:
        query[ROOM_PART] = code  # a participant who reloads the page stays in the room
    if now != query:
        st.query_params.from_dict(query)
    st.session_state[state.URL_WRITTEN] = (scenario, query, whole)
    return whole


_SHOW = {"success": st.success, "info": st.info, "warning": st.warning}
_ICONS = {"success": ":material/check_circle:", "info": ":material/info:", "warning": ":material/warning:"}


def show_notices() -> None:
    """Show the queued messages, every one escaped: they may quote a file's or a link's text."""
    for kind, text in state.take_notices():
        _SHOW[kind](md_escape(text), icon=_ICONS[kind])
