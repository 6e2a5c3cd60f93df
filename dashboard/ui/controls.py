"""The weights and settings every ranking follows, in the Weigh page's sidebar (or, on a phone, between its
verdict and its charts) and the How sure page's sidebar: the lens, a slider per criterion, the method, the
evidence, the limits and the assumptions."""

from __future__ import annotations

import streamlit as st

from core.evidence import MARCH_2022, Evidence
from core.model import REFERENCE_NAMES, REFERENCES
from core.ranking import Ranking, format_score
from core.scenario import CERTAINTY, Scenario
from core.scoring import METHOD_NAMES, METHODS
from core.settings import EVIDENCE_DATE_NAMES, EVIDENCE_DATES
from core.text import md_escape
from ui import state
from ui.assumptions import assumptions_panel
from ui.lazy import lazy_expander
from ui.loaders import get_evidence
from ui.parts import page_part


@page_part(state.LENSES)
def _lenses() -> None:
    """The lens buttons, the active one highlighted, and what it means; a weight move redraws them alone."""
    evidence, scenario = state.current_evidence(get_evidence()), state.get_scenario()
    with st.container(horizontal=True, key="lens_buttons"):
        for lens_id, row in evidence.lens_rows.items():
            st.button(
                md_escape(row["name"]),
                key=f"lens_{lens_id}",
                type="primary" if scenario.lens == lens_id else "secondary",
                on_click=state.apply_lens,
                args=(evidence, lens_id),
            )
    if scenario.lens in evidence.lens_rows:
        st.caption(md_escape(evidence.lens_rows[scenario.lens]["description"]))
    else:
        st.caption("Your own weights, in importance points: only their proportions matter.")


def _sliders(evidence: Evidence, scenario: Scenario, rerun: str | None) -> None:
    crit = evidence.criterion_rows
    for cid in evidence.criterion_ids:
        direction = "more is better" if crit[cid]["direction"] == "benefit" else "less is better"
        name = state.weight_name(cid)
        st.slider(
            f"{md_escape(crit[cid]['name'])} ({direction})",
            min_value=0,
            max_value=100,
            value=state.widget_value(name),
            step=5,
            help=md_escape(crit[cid]["definition"]),
            **state.bound(name, rerun),
        )
    if sum(p for _, p in scenario.weights) <= 0:
        st.warning("All weights are zero, so nothing can be ranked: move at least one slider above zero.")


def podium(ranking: Ranking | None) -> None:
    """The top three in one line, kept in view above the sliders on a phone."""
    with st.container(key="podium"):
        if ranking is None or ranking.n_ranked == 0:
            st.caption("Nothing ranked yet.")
            return
        top = [
            f"{int(ranking.rank[i])}. {ranking.names[i]} {format_score(ranking.score[i], ranking.method)}"
            for i in range(min(3, ranking.n_ranked))
        ]
        st.markdown("**" + md_escape(" · ".join(top)) + "**")


def weight_controls(
    evidence: Evidence, scenario: Scenario, ranking: Ranking | None = None, rerun: str | None = None
) -> None:
    """Lens, one slider per criterion, method, the post-article toggle, the limits and the assumptions.

    With ``ranking``, the top three stay in view above the sliders (the phone layout). ``rerun`` names
    the part of the page a weight move redraws alone (see :func:`ui.state.bound`).
    """
    st.subheader("How much does each tradeoff matter?")
    st.caption("Start from a lens, then move the sliders.")
    _lenses()
    with st.container(key="weights_panel"):
        if ranking is not None:
            podium(ranking)
        _sliders(evidence, scenario, rerun)
    _method_controls()
    _evidence_controls(scenario)
    gate_controls(evidence, scenario)
    assumptions_panel(scenario)


def _method_controls() -> None:
    """The method, how sure the weights are, and whether the scores vary within their ranges."""
    st.radio(
        "Method",
        options=list(METHODS),
        index=list(METHODS).index(state.widget_value("method")),
        format_func=METHOD_NAMES.get,
        horizontal=True,
        help="The weighted sum adds up each criterion's score (on a 0-1 scale) times its weight; it treats the "
        "criteria as independent. Expected impact lets durability and time to effect qualify the effect instead "
        "of adding points of their own (effect x how long it lasts x the share of the horizon in which it acts), "
        "and the costs trade against that impact. Closeness to the ideal (TOPSIS) ranks each option by how near "
        "it is to an imaginary option that is best on every criterion, and how far from one that is worst.",
        **state.bound("method"),
    )
    st.radio(
        "Zero point",
        options=list(REFERENCES),
        index=list(REFERENCES).index(state.widget_value("reference")),
        format_func=REFERENCE_NAMES.get,
        help="By default doing nothing new scores zero: each option counts what it adds (effect, durability, "
        "speed, independence) and loses what it costs, so the status quo gets no points for being in force "
        "already. Scoring the status quo like an option is kept to show how much that choice matters.",
        **state.bound("reference"),
    )
    st.selectbox(
        "How sure are you of these weights?",
        options=list(CERTAINTY),
        index=list(CERTAINTY).index(state.widget_value("certainty")),
        format_func=lambda c: CERTAINTY[c][0],
        help="Used for the chance of ranking first: your weights are varied at random by about this much "
        "(an assumption; no source gives one).",
        **state.bound("certainty"),
    )
    st.toggle(
        "Vary each score within its low-high range",
        value=state.widget_value("score_uncertainty"),
        help="Used for the chance of ranking first: each score is drawn at random between its low and high "
        "values, most often near the likely one (a triangular distribution, an assumption).",
        **state.bound("score_uncertainty"),
    )


def _evidence_controls(scenario: Scenario) -> None:
    """The evidence's date, and whether the options from after the article are in."""
    st.radio(
        "Evidence",
        options=list(EVIDENCE_DATES),
        index=list(EVIDENCE_DATES).index(state.widget_value("evidence_date")),
        format_func=EVIDENCE_DATE_NAMES.get,
        help="As of March 2022, each score that rests on a later source takes the score its earlier sources "
        "support (or the middle of the scale, 2 from 0 to 4, where none speaks), the options from after the "
        "article are left out, and the status quo is the one of March 2022.",
        **state.bound("evidence_date"),
    )
    st.toggle(
        "Include the options from after the article",
        value=state.widget_value("include_post_seed"),
        disabled=scenario.evidence_date == MARCH_2022,
        **state.bound("include_post_seed"),
    )


def gate_controls(evidence: Evidence, scenario: Scenario) -> None:
    """Add or remove limits that rule options out."""
    crit = evidence.criterion_rows
    # Built only while open (open from the start when a link brings limits).
    with lazy_expander("Rule options out", key="gates_open", expanded=bool(scenario.gates)) as open_:
        if not open_:
            return
        st.caption("Set a limit on a criterion; options past it stay visible, greyed, with the reason.")
        gate_crit = st.selectbox(
            "Criterion",
            options=list(evidence.criterion_ids),
            format_func=lambda c: str(crit[c]["name"]),
            index=list(evidence.criterion_ids).index("diplomatic_cost"),
            key="gate_criterion",
            persist_state="session",
        )
        labels = str(crit[gate_crit]["scale_labels"]).split("|")
        lo = int(crit[gate_crit]["scale_min"])
        is_cost = crit[gate_crit]["direction"] == "cost"
        limit = st.select_slider(
            "Acceptable at most" if is_cost else "Needed at least",
            options=list(range(lo, lo + len(labels))),
            value=lo + len(labels) - 2 if is_cost else lo + 1,
            format_func=lambda v: f"{v} ({labels[v - lo]})",
            key=f"gate_limit_{gate_crit}",
        )
        st.button("Add this limit", on_click=state.add_gate, args=(gate_crit, limit), key="gate_add")
        for gate in scenario.gates:
            word = "at most" if crit[gate.criterion_id]["direction"] == "cost" else "at least"
            st.button(
                f"Remove: {md_escape(crit[gate.criterion_id]['short_name'])} {word} {gate.limit:g}",
                on_click=state.remove_gate,
                args=(gate.criterion_id,),
                key=f"gate_remove_{gate.criterion_id}",
                icon=":material/close:",
            )
