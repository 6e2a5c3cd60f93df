"""Sections of the "Understand the supply chain" page: each lays out a chart that core describes."""

from __future__ import annotations

import streamlit as st

from charts.supply_chain import (
    before_after_figure,
    deaths_figure,
    displacement_figure,
    industry_figure,
    routes_figure,
    timeline_figure,
    value_chain_figure,
)
from core.evidence import Evidence
from core.scenario import Scenario
from core.supply_chain import SupplyChain
from core.supply_info import (
    ERAS,
    before_after_info,
    deaths_info,
    displacement_info,
    displacement_rank_change,
    industry_info,
    routes_info,
    timeline_info,
    value_info,
)
from core.text import md_escape
from ui import state
from ui.assumptions import displacement_controls
from ui.chart_block import chart_block
from ui.figures import look


def routes_section(evidence: Evidence, chain: SupplyChain) -> None:
    era = (
        st.segmented_control(
            "Era",
            options=list(ERAS),
            format_func=ERAS.get,
            default="after_2019",
            key="routes_era",
            persist_state="session",
        )
        or "after_2019"
    )
    info = routes_info(evidence, chain, era)
    chart_block(routes_figure(info, look=look()), key="routes_chart", text=info.text)


def before_after_section(evidence: Evidence, chain: SupplyChain) -> None:
    info = before_after_info(evidence, chain)
    chart_block(before_after_figure(info, look=look()), key="before_after_chart", text=info.text)


def timeline_section(evidence: Evidence, chain: SupplyChain) -> None:
    info = timeline_info(evidence, chain)
    chart_block(timeline_figure(info, look=look()), key="timeline_chart", text=info.text)
    for note in info.disputed:
        st.caption(md_escape(note))


def deaths_section(evidence: Evidence, chain: SupplyChain) -> None:
    info = deaths_info(evidence, chain)
    chart_block(deaths_figure(info, look=look()), key="deaths_chart", text=info.text)


def value_section(evidence: Evidence) -> None:
    info = value_info(evidence)
    chart_block(value_chain_figure(info, look=look()), key="value_chart", text=info.text)


def industry_section(evidence: Evidence) -> None:
    info = industry_info(evidence)
    chart_block(industry_figure(info, look=look()), key="industry_chart", text=info.text)


def displacement_section(evidence: Evidence, scenario: Scenario) -> None:
    st.markdown(
        "**An illustrative model, not a forecast.** Caulkins warns that even if Beijing cracks down, "
        '"another player would likely step in"; the sources document supply rerouted through Mexico, '
        "pre-precursors replacing scheduled chemicals, and Myanmar replacing China for Australia's meth. "
        "No source gives a price elasticity or a relocation lag: every number below is your assumption, "
        "with its default and the reason for it under the **?**."
    )
    controls, chart = st.columns([1, 2], gap="large")
    with controls:
        displacement_controls(("effectiveness", "substitution_share", "half_life_months", "horizon_years"))
    info = displacement_info(scenario)
    with chart:
        chart_block(displacement_figure(info, look=look()), key="displacement_chart", text=info.text)
    st.subheader("Does displacement change the ranking?")
    st.toggle(
        "Account for displacement in the ranking",
        value=state.widget_value("account_for_displacement"),
        help="Each supply-side option keeps S + (1 - S) x d of its effect on precursors, where S is the share "
        "still standing above and d the option's own durability on a 0-1 scale. The value weights do not change.",
        **state.bound("account_for_displacement"),
    )
    if sum(w for _, w in scenario.weights) <= 0:
        st.warning("All weights are zero, so nothing can be ranked: set the weights on the Weigh page.")
        return
    change = displacement_rank_change(evidence, scenario)
    st.markdown(f"**{md_escape(change.verdict)}** The weights are your current ones.")
    st.dataframe(change.rows, hide_index=True, width="stretch")
