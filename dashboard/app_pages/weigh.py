"""Weigh the options: weights, ranking, score matrix, evidence cards and the maths."""

import streamlit as st

from ui import state
from ui.loaders import get_evidence
from ui.weigh_view import maths_section, matrix_section, ranking_section, weight_controls

evidence = state.current_evidence(get_evidence())
state.seed_widgets(evidence)
scenario = state.get_scenario(evidence)

st.title("Weigh the options")
st.caption(
    "Each score is our interpretation of a quoted source (0 to 4 with a low-high range), not a forecast. "
    "Set the weights in the sidebar; choose an option and a criterion below the ranking to read the evidence."
)
with st.sidebar:
    weight_controls(evidence, scenario)
ranking = ranking_section(evidence, scenario)
matrix_section(evidence, scenario)
maths_section(evidence, ranking)
