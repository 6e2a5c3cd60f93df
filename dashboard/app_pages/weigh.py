"""Weigh the options: weights, ranking, score matrix, evidence cards and the maths."""

import streamlit as st

from ui import state
from ui.client import narrow
from ui.compute import problem_or_none
from ui.controls import weight_controls
from ui.loaders import get_evidence
from ui.parts import page_part
from ui.weigh_view import (
    camps_section,
    matrix_section,
    models_section,
    rank,
    ranking_section,
    verdict_section,
)

RESULTS = "weigh_results"


@page_part(RESULTS)
def results() -> None:
    """Everything the weights change; a weight slider redraws this part alone."""
    evidence = state.current_evidence(get_evidence())
    scenario = state.get_scenario()
    problem = problem_or_none(evidence, scenario)
    ranking = rank(problem)
    if narrow():
        # A phone: the verdict, then the weights with the top three kept in view, then the charts.
        if problem and ranking:
            verdict_section(problem, ranking)
        weight_controls(evidence, scenario, ranking=ranking)
        ranking_section(problem, ranking, with_verdict=False)
    else:
        ranking_section(problem, ranking)


evidence = state.current_evidence(get_evidence())
scenario = state.get_scenario()
st.title("Weigh the options")
st.caption(
    "Each score is our interpretation of a quoted source (0 to 4 with a low-high range), not a forecast. "
    "Choose an option and a criterion below the ranking to read the evidence."
)
if not narrow():
    with st.sidebar:
        weight_controls(evidence, scenario, rerun=RESULTS)
results()
matrix_section(evidence, scenario)
camps_section(evidence, scenario)
models_section(evidence, scenario)
