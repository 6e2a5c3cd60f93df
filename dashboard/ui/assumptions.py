"""The assumptions panel: the displacement model's parameters, kept apart from the value weights."""

from __future__ import annotations

import streamlit as st

from core import settings as schema
from core.displacement import PARAMETERS, surviving_share
from core.scenario import Scenario
from core.text import md_escape
from ui import state
from ui.lazy import lazy_expander


def displacement_controls(names: tuple[str, ...]) -> None:
    """A slider per model parameter in ``names``, each labelled as an assumption with its reason."""
    for name in names:
        spec, kind = PARAMETERS[name], schema.setting(name).kind
        unit = f" ({spec.unit})" if spec.unit else ""
        st.slider(
            f"{spec.label}{unit} (assumption)",
            min_value=kind(spec.low),
            max_value=kind(spec.high),
            step=kind(spec.step),
            value=state.widget_value(name),
            help=md_escape(spec.reason),
            **state.bound(name),
        )


def assumptions_panel(scenario: Scenario) -> None:
    """The sidebar panel on the decision pages: account for displacement or not, and how much."""
    with lazy_expander(
        "Assumptions (not values): displacement",
        key="assumptions_open",
        expanded=scenario.account_for_displacement,
    ) as open_:
        if not open_:
            return
        st.toggle(
            "Account for displacement (the balloon effect)",
            value=state.widget_value("account_for_displacement"),
            help="Each supply-side option keeps S + (1 - S) x d of its effect on precursors, where S is the share "
            "of a first-year effect still standing after some years in the illustrative displacement model, and "
            "d the option's own durability on a 0-1 scale.",
            **state.bound("account_for_displacement"),
        )
        displacement_controls(("substitution_share", "half_life_months", "horizon_years"))
        share = surviving_share(scenario.displacement)
        st.caption(
            md_escape(
                f"With these assumptions {share * 100:.0f}% of a supply-side option's first-year effect still "
                f"stands after {scenario.displacement.horizon_years} years. "
                + ("The ranking uses it." if scenario.account_for_displacement else "The ranking ignores it now.")
            )
        )
