"""Entry point: page set-up, the evidence check, and the router.

Run with ``streamlit run dashboard/app.py`` from the repository root.
"""

from __future__ import annotations

import streamlit as st

from core.edits import has_edits
from core.evidence import EvidenceError
from ui.links import keep_url_in_step, read_link_once, show_notices
from ui.loaders import get_evidence
from ui.state import get_scenario
from ui.text import md_escape

st.set_page_config(
    page_title="Fentanyl precursors from China: weighing the policy options",
    page_icon="⚖️",
    layout="wide",
    initial_sidebar_state="expanded",
)

try:
    evidence = get_evidence()
except EvidenceError as err:
    st.error(f"The evidence base in data/ could not be loaded, so the dashboard cannot start. {md_escape(err)}")
    st.stop()

read_link_once(evidence)
keep_url_in_step(evidence)

navigation = st.navigation(
    [
        st.Page("app_pages/overview.py", title="Overview", icon="🧭", default=True),
        st.Page("app_pages/weigh.py", title="Weigh the options", icon="⚖️", url_path="weigh"),
        st.Page("app_pages/robustness.py", title="How sure is the ranking?", icon="🎲", url_path="robustness"),
        st.Page("app_pages/supply_chain.py", title="Understand the supply chain", icon="🗺️", url_path="supply-chain"),
        st.Page("app_pages/scenarios.py", title="Share, save and edit", icon="🔗", url_path="scenarios"),
    ]
)
yours = " You have changed some scores: they are marked ✎ and yours." if has_edits(get_scenario(evidence)) else ""
st.sidebar.caption(
    f"Scores are our interpretations of quoted sources, not forecasts. Evidence version {evidence.version}.{yours}"
)
show_notices()
navigation.run()
