"""How sure is the ranking: chance of each rank, weight sweeps, tradeoffs and a two-option comparison."""

import streamlit as st

from core.ranking_words import assumption_note, evidence_note
from core.text import md_escape
from ui import state
from ui.certainty import tipping_section
from ui.compute import problem_or_none
from ui.controls import weight_controls
from ui.loaders import get_evidence
from ui.parts import page_part
from ui.robustness_view import (
    MILLION,
    SAMPLE_CHOICES,
    acceptability_section,
    compare_section,
    hindsight_section,
    sweep_section,
    tradeoff_section,
)

RESULTS = "robustness_results"


@page_part(RESULTS)
def results() -> None:
    """Everything the weights change; a weight slider redraws this part alone."""
    evidence = state.current_evidence(get_evidence())
    scenario = state.get_scenario()
    problem = problem_or_none(evidence, scenario)
    if problem is None:
        st.warning("All weights are zero, so nothing can be ranked: move at least one slider above zero.")
        return
    for note in (evidence_note(evidence), assumption_note(scenario)):
        if note:
            st.info(md_escape(note), icon=":material/info:")

    st.header("Chance of each rank")
    samples = (
        st.segmented_control(
            "Random draws (samples)",
            options=list(SAMPLE_CHOICES),
            format_func=lambda n: f"{n:,}",
            default=SAMPLE_CHOICES[0],
            key="robustness_samples",
            persist_state="session",
            help="More draws give steadier numbers.",
        )
        or SAMPLE_CHOICES[0]
    )
    # A million draws take about a second of the server's time, which every session shares:
    # run them on request for the current settings only, not on every slider move.
    if st.button(f"Run {MILLION:,} draws for these settings", key="run_million"):
        st.session_state[state.MILLION_FOR] = scenario
    if st.session_state.get(state.MILLION_FOR) == scenario:
        samples = MILLION
    acceptability_section(problem, samples)
    tipping_section(problem)
    hindsight_section(problem)

    st.header("One weight at a time")
    sweep_section(problem)

    st.header("Tradeoff between two criteria")
    tradeoff_section(problem)

    st.header("Compare two options")
    compare_section(problem)


st.title("How sure is the ranking?")
st.caption(
    "The same weights, method and limits as on the Weigh page (set them in the sidebar). Scores are our "
    "interpretations of quoted sources; how far the weights vary is an assumption you choose."
)
with st.sidebar:
    weight_controls(state.current_evidence(get_evidence()), state.get_scenario(), rerun=RESULTS)
results()
