"""Share, save and edit: a link and QR code, a briefing, scenario files, comparison, and your own evidence."""

import streamlit as st

from ui import state
from ui.briefing_view import briefing_section
from ui.lazy import lazy_expander
from ui.loaders import get_evidence
from ui.scenarios_view import (
    compare_section,
    custom_option_list,
    custom_option_section,
    download_section,
    edit_section,
    file_section,
    share_section,
    upload_section,
)

base = get_evidence()
evidence = state.current_evidence(base)
scenario = state.get_scenario()

st.title("Share, save and edit")
st.caption("Everything here stays in your session: nobody else sees your files, edits or saved scenarios.")
st.header("Share this view")
share_section(base)
st.header("Brief a room")
briefing_section(base)
st.header("Scenario files")
file_section(base, scenario)
st.header("Compare scenarios")
compare_section(base, scenario)
st.header("Edit the evidence")
with lazy_expander("Change the scores in a table", key="edit_open") as open_:
    if open_:
        edit_section(base, scenario)
with lazy_expander("Add your own option", key="custom_open") as open_:
    if open_:
        custom_option_section(base)
custom_option_list(scenario)
st.subheader("Bring your own scores")
upload_section(base, scenario)
st.header("Download the data")
download_section(base, evidence, scenario)
