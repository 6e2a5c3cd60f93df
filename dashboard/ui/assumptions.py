"""The assumptions panel: the displacement model's parameters, kept apart from the value weights."""

from __future__ import annotations

import streamlit as st

from core.displacement import PARAMETERS, parameter_type, surviving_share
from core.evidence import Evidence
from core.scenario import Scenario
from core.text import md_escape
from ui import state


def displacement_controls(evidence: Evidence, scenario: Scenario, names: tuple[str, ...]) -> None:
    """A slider per model parameter in ``names``, each labelled as an assumption with its reason."""
    for name in names:
        spec = PARAMETERS[name]
        kind = parameter_type(name)
        unit = f" ({spec.unit})" if spec.unit else ""
        setting = state.displacement_name(name)
        st.slider(
            f"{spec.label}{unit} (assumption)",
            min_value=kind(spec.low),
            max_value=kind(spec.high),
            step=kind(spec.step),
            value=state.widget_value(setting),
            help=md_escape(spec.reason),
            **state.bound(setting),
        )


def assumptions_panel(evidence: Evidence, scenario: Scenario) -> None:
    """The sidebar panel on the decision pages: account for displacement or not, and how much."""
    with st.expander("Assumptions (not values): displacement", expanded=scenario.account_for_displacement):
        st.toggle(
            "Account for displacement (the balloon effect)",
            value=state.widget_value(state.DISPLACEMENT_ON),
            **state.bound(state.DISPLACEMENT_ON),
            help="Discounts the effect on precursors of the options that cut China's supply by the share of "
            "their effect that the illustrative displacement model says is still standing after some years.",
        )
        displacement_controls(evidence, scenario, ("substitution_share", "half_life_months", "horizon_years"))
        share = surviving_share(scenario.displacement)
        st.caption(
            md_escape(
                f"With these assumptions {share * 100:.0f}% of a supply-side option's first-year effect still "
                f"stands after {scenario.displacement.horizon_years} years. "
                + ("The ranking uses it." if scenario.account_for_displacement else "The ranking ignores it now.")
            )
        )
