"""Weigh the options: weights, ranking, score matrix, evidence cards and the maths."""

import streamlit as st

from ui import state
from ui.client import narrow
from ui.loaders import get_evidence
from ui.weigh_view import maths_section, matrix_section, rank, ranking_section, verdict_section, weight_controls

evidence = state.current_evidence(get_evidence())
scenario = state.get_scenario()
ranking = rank(evidence, scenario)

st.title("Weigh the options")
st.caption(
    "Each score is our interpretation of a quoted source (0 to 4 with a low-high range), not a forecast. "
    "Choose an option and a criterion below the ranking to read the evidence."
)
if narrow():
    # A phone: the verdict, then the weights with the top three kept in view, then the charts.
    if ranking is not None:
        verdict_section(evidence, scenario, ranking)
    weight_controls(evidence, scenario, ranking=ranking)
    ranking_section(evidence, scenario, ranking, with_verdict=False)
else:
    with st.sidebar:
        weight_controls(evidence, scenario)
    ranking_section(evidence, scenario, ranking)
matrix_section(evidence, scenario)
maths_section(evidence, ranking)
