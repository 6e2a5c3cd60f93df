"""Sections of the "Understand the supply chain" page: each lays out a chart that core describes."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import partial
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from charts.routes import before_after_figure, routes_figure
from charts.supply_chain import (
    deaths_figure,
    displacement_figure,
    industry_figure,
    timeline_figure,
    value_chain_figure,
)
from core.evidence import Evidence
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
from ui.assumptions import DISPLACEMENT_HELP, displacement_controls
from ui.chart_block import chart_block
from ui.compute import supply_chart
from ui.figures import look
from ui.loaders import get_evidence
from ui.parts import page_part


def _shared(name: str, evidence: Evidence | None, inputs: Hashable, describe: Callable[[], Any], draw: Callable):
    """A chart's description and figure for these inputs and this screen, built once and shared.

    ``evidence`` is the sourced base (its facts hold no user data), or None for a chart drawn from
    the user's assumptions alone."""
    lk = look()

    def make() -> tuple[Any, go.Figure]:
        info = describe()
        return info, draw(info, look=lk)

    return supply_chart((name, evidence.key if evidence else None, inputs, lk), make)


@page_part("routes")
def routes_section(evidence: Evidence, chain: SupplyChain) -> None:
    """The routes map; its era control redraws this part alone (the sourced evidence does not change)."""
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
    info, fig = _shared("routes", evidence, era, partial(routes_info, evidence, chain, era), routes_figure)
    chart_block(fig, key="routes_chart", text=info.text)


def before_after_section(evidence: Evidence, chain: SupplyChain) -> None:
    info, fig = _shared(
        "before_after", evidence, None, partial(before_after_info, evidence, chain), before_after_figure
    )
    chart_block(fig, key="before_after_chart", text=info.text)


def timeline_section(evidence: Evidence, chain: SupplyChain) -> None:
    info, fig = _shared("timeline", evidence, None, partial(timeline_info, evidence, chain), timeline_figure)
    chart_block(fig, key="timeline_chart", text=info.text)
    for note in info.disputed:
        st.caption(md_escape(note))


def deaths_section(evidence: Evidence, chain: SupplyChain) -> None:
    info, fig = _shared("deaths", evidence, None, partial(deaths_info, evidence, chain), deaths_figure)
    chart_block(fig, key="deaths_chart", text=info.text)


def value_section(evidence: Evidence) -> None:
    info, fig = _shared("value", evidence, None, partial(value_info, evidence), value_chain_figure)
    chart_block(fig, key="value_chart", text=info.text)


def industry_section(evidence: Evidence) -> None:
    info, fig = _shared("industry", evidence, None, partial(industry_info, evidence), industry_figure)
    chart_block(fig, key="industry_chart", text=info.text)


@page_part("displacement")
def displacement_section() -> None:
    """The displacement model and whether it changes the ranking; its controls redraw this part alone."""
    evidence = state.current_evidence(get_evidence())
    scenario = state.get_scenario()
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
    info, fig = _shared(
        "displacement",
        None,
        scenario.displacement,
        partial(displacement_info, scenario),
        displacement_figure,
    )
    with chart:
        chart_block(fig, key="displacement_chart", text=info.text)
    st.subheader("Does reading durability through this model change the ranking?")
    st.toggle(
        "Read durability through the displacement model",
        value=state.widget_value("account_for_displacement"),
        help=DISPLACEMENT_HELP + " The value weights do not change.",
        **state.bound("account_for_displacement"),
    )
    if sum(w for _, w in scenario.weights) <= 0:
        st.warning("All weights are zero, so nothing can be ranked: set the weights on the Weigh page.")
        return
    change = displacement_rank_change(evidence, scenario)
    st.markdown(f"**{md_escape(change.verdict)}** The weights are your current ones.")
    st.dataframe(change.rows, hide_index=True, width="stretch")
