"""Share links: read the scenario from the URL once per session, and keep the URL in step with it."""

from __future__ import annotations

import streamlit as st

from core.evidence import Evidence
from core.scenario_link import MAX_LINK_CHARS, from_query, link_length, to_query
from ui import state

LINK_READ = "link_read"
KNOWN = {"v", "w", "m", "g", "p", "l", "c", "s", "d", "dp", "x", "e"}


def read_link_once(evidence: Evidence) -> None:
    """On a session's first run, load the scenario a share link carries (bad parts give notices)."""
    if st.session_state.get(LINK_READ):
        return
    st.session_state[LINK_READ] = True
    query = {k: st.query_params.get_all(k) for k in st.query_params.keys()}  # noqa: SIM118
    if not query:
        return
    if not set(query) & KNOWN:
        state.apply_scenario(
            evidence,
            state.get_scenario(evidence),
            (f"Ignored the unknown link parts: {', '.join(sorted(query))[:200]}.",),
        )
        return
    loaded = from_query(query, evidence, state.get_scenario(evidence))
    state.apply_scenario(evidence, loaded.scenario, loaded.notices)


def share_query(evidence: Evidence) -> dict[str, str]:
    return to_query(state.get_scenario(evidence), evidence)


def keep_url_in_step(evidence: Evidence) -> None:
    """Write the scenario into the URL, unless it is too long for a link (then the file is the way)."""
    query = share_query(evidence)
    if link_length(query) > MAX_LINK_CHARS:
        query = {k: v for k, v in query.items() if k != "x"}
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def show_notices() -> None:
    notices = st.session_state.pop(state.NOTICES, ())
    for notice in notices:
        st.warning(notice, icon="⚠️")
