"""Understand the supply chain: routes, the 2019 rerouting, the timeline, deaths, value, scale and displacement."""

import streamlit as st

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

base = get_evidence()  # the sourced facts: no user's edits change these charts
chain = get_supply_chain()

st.title("Understand the supply chain")
st.caption(
    "How fentanyl precursors move, why China earns so little from them, and why pressure on one supplier leaks "
    "to another. Every figure comes from the evidence base; facts after March 2022 are marked."
)
st.header("Where the chemicals go")
routes_section(base, chain)
before_after_section(base, chain)
st.header("What happened when")
timeline_section(base, chain)
st.header("The toll")
deaths_section(base, chain)
st.header("Who earns what")
value_section(base)
industry_section(base)
st.header("Why supply-side gains erode")
displacement_section()
