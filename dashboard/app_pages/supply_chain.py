"""Understand the supply chain: routes, the 2019 rerouting, the timeline, deaths, value, scale and displacement."""

import streamlit as st

from ui import state
from ui.loaders import get_evidence, get_supply_chain
from ui.supply_view import (
    before_after_section,
    deaths_section,
    displacement_section,
    industry_section,
    routes_section,
    timeline_section,
    value_section,
)

evidence = state.current_evidence(get_evidence())
chain = get_supply_chain()
scenario = state.get_scenario()

st.title("Understand the supply chain")
st.caption(
    "How fentanyl precursors move, why China earns so little from them, and why pressure on one supplier leaks "
    "to another. Every figure comes from the evidence base; facts after March 2022 are marked."
)
st.header("Where the chemicals go")
routes_section(evidence, chain)
before_after_section(evidence, chain)
st.header("What happened when")
timeline_section(evidence, chain)
st.header("The toll")
deaths_section(evidence, chain)
st.header("Who earns what")
value_section(evidence)
industry_section(evidence)
st.header("Why supply-side gains erode")
displacement_section(evidence, scenario)
