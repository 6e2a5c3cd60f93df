"""Entry point: page set-up, the evidence check, the session's state, and the router.

Run with ``streamlit run dashboard/app.py`` from the repository root.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.edits import has_edits
from core.evidence import EvidenceError
from core.text import md_escape
from ui import state
from ui.client import probe
from ui.links import keep_url_in_step, read_link_once, show_notices
from ui.loaders import get_evidence
from ui.present_view import remember_page
from ui.style import inject

# A local icon: an emoji favicon or a Material one would be fetched from the internet.
st.set_page_config(
    page_title="Fentanyl precursors from China: weighing the policy options",
    page_icon=str(Path(__file__).parent / "assets" / "favicon.png"),
    layout="wide",
    initial_sidebar_state="auto",  # open on a desk, closed on a phone
)
inject()

try:
    evidence = get_evidence()
except EvidenceError as err:
    st.error(f"The evidence base in data/ could not be loaded, so the dashboard cannot start. {md_escape(err)}")
    st.stop()

state.init(evidence)
read_link_once(evidence)
whole_link = keep_url_in_step(evidence)

# Material icons are drawn from a font bundled with Streamlit: nothing is fetched, and machines
# without an emoji font (projector PCs, kiosks) show them too.
PAGES = {
    "app_pages/overview.py": {"title": "Overview", "icon": ":material/explore:", "default": True},
    "app_pages/weigh.py": {"title": "Weigh the options", "icon": ":material/balance:", "url_path": "weigh"},
    "app_pages/robustness.py": {
        "title": "How sure is the ranking?",
        "icon": ":material/casino:",
        "url_path": "robustness",
    },
    "app_pages/supply_chain.py": {
        "title": "Understand the supply chain",
        "icon": ":material/route:",
        "url_path": "supply-chain",
    },
    "app_pages/scenarios.py": {"title": "Share, save and edit", "icon": ":material/share:", "url_path": "scenarios"},
    "app_pages/present.py": {"title": "Present to a room", "icon": ":material/co_present:", "url_path": "present"},
    "app_pages/room.py": {"title": "Run a seminar room", "icon": ":material/groups:", "url_path": "room"},
    "app_pages/join.py": {"title": "Join a seminar room", "icon": ":material/how_to_vote:", "url_path": "join"},
    "app_pages/screen.py": {"title": "A room's projector view", "icon": ":material/cast:", "url_path": "screen"},
}
pages = {path: st.Page(path, **options) for path, options in PAGES.items()}
navigation = st.navigation(list(pages.values()))
# Presenter mode's Back (and Escape) returns to the page the briefer came from: the sidebar and the Share page
# both lead there.
remember_page(next(path for path, page in pages.items() if page.url_path == navigation.url_path))
notes = [f"Scores are our interpretations of quoted sources, not forecasts. {evidence.stamp}."]
if has_edits(state.get_scenario()):
    notes.append("You have changed some scores: they are marked ✎ and yours.")
    if not whole_link:
        notes.append(
            "Your edits are too long for the link, so reloading the page would lose them: download the scenario "
            "file on Share, save and edit."
        )
st.sidebar.caption(" ".join(notes))
probe(watch_large=navigation.url_path == "present")
show_notices()
navigation.run()
