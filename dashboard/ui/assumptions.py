"""The assumptions panel: the displacement model's parameters, kept apart from the value weights."""

from __future__ import annotations

import streamlit as st

from core import settings as schema
from core.displacement import PARAMETERS, surviving_share
from core.model import TIMING
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


def timing_controls() -> None:
    """A slider per time label: how many years it stands for in the expected-impact model (assumptions)."""
    for name, (word, _default, low, high) in TIMING.items():
        st.slider(
            f"Years '{word}' stands for (assumption)",
            min_value=float(low),
            max_value=float(high),
            step=0.1 if high <= 2 else 0.5,
            value=state.widget_value(name),
            help="No source gives it: our reading of the time-to-effect label. Expected impact counts an effect "
            "only for the part of the horizon after it starts.",
            **state.bound(name),
        )


DISPLACEMENT_HELP = (
    "Displacement counts once, through durability, for every option. Switched on, an option's durability counts "
    "as S + (1 - S) x d, where S is the share of a first-year effect the illustrative displacement model leaves "
    "standing after some years and d the sources' durability label on a 0-1 scale: an effect judged 'erased "
    "quickly' keeps S, one that 'fully holds' keeps all of it."
)


def assumptions_panel(scenario: Scenario) -> None:
    """The sidebar panel on the decision pages: the model's assumptions, kept apart from the value weights."""
    with lazy_expander(
        "Assumptions (not values): the model",
        key="assumptions_open",
        expanded=scenario.account_for_displacement or scenario.method == "expected_impact",
    ) as open_:
        if not open_:
            return
        st.toggle(
            "Read durability through the displacement model",
            value=state.widget_value("account_for_displacement"),
            help=DISPLACEMENT_HELP,
            **state.bound("account_for_displacement"),
        )
        displacement_controls(("substitution_share", "half_life_months", "horizon_years"))
        if scenario.method == "expected_impact":
            timing_controls()
        share = surviving_share(scenario.displacement)
        uses = []
        if scenario.account_for_displacement:
            uses.append("durability is read through it")
        if scenario.method == "expected_impact":
            uses.append("expected impact counts an effect only within these years")
        st.caption(
            md_escape(
                f"With these assumptions {share * 100:.0f}% of an option's first-year effect still stands after "
                f"{scenario.displacement.horizon_years} years if substitutes fill the gap. "
                + (f"The ranking uses them: {'; '.join(uses)}." if uses else "The ranking does not use them now.")
            )
        )
