"""The Weigh page's sections, kept out of the page script so a rerun stays cheap.

(A page script is compiled on every run; an imported module only once.)
"""

from __future__ import annotations

import streamlit as st

from charts.ranking import ranking_figure
from core.evidence import Evidence
from core.ranking import Ranking, agreement_note, maths_table, options_in_view, rank_options, summary_text, verdict
from core.scenario import CERTAINTY, Scenario
from core.scoring import METHOD_NAMES, METHODS
from ui import state
from ui.assumptions import assumptions_panel
from ui.compute import score_matrix_figure
from ui.evidence_card import show_evidence_card
from ui.figures import show_figure
from ui.robustness_view import first_chance_section, tipping_section
from ui.text import label_escape, md_escape


def weight_controls(evidence: Evidence, scenario: Scenario) -> None:
    """Lens, one slider per criterion, method, the post-article toggle and the gates."""
    crit = evidence.criterion_rows
    st.header("How much does each tradeoff matter?")
    st.caption("Start from a lens, then move the sliders.")
    with st.container(horizontal=True, key="lens_buttons"):
        for lens_id, row in evidence.lens_rows.items():
            st.button(
                label_escape(row["name"]),
                key=f"lens_{lens_id}",
                type="primary" if scenario.lens == lens_id else "secondary",
                on_click=state.apply_lens,
                args=(evidence, lens_id),
            )
    if scenario.lens in evidence.lens_rows:
        st.caption(md_escape(evidence.lens_rows[scenario.lens]["description"]))
    else:
        st.caption("Your own weights, in importance points: only their proportions matter.")
    for cid in evidence.criterion_ids:
        direction = "more is better" if crit[cid]["direction"] == "benefit" else "less is better"
        st.slider(
            f"{label_escape(crit[cid]['name'])} ({direction})",
            min_value=0,
            max_value=100,
            value=state.slider_start(evidence, cid),
            step=5,
            key=state.weight_key(cid),
            persist_state="session",
            on_change=state.on_weight_change,
            args=(evidence,),
            help=label_escape(crit[cid]["definition"]),
        )
    total = sum(p for _, p in scenario.weights)
    if total <= 0:
        st.warning("All weights are zero, so nothing can be ranked: move at least one slider above zero.")
    st.radio(
        "Method",
        options=list(METHODS),
        format_func=METHOD_NAMES.get,
        key=state.METHOD,
        on_change=state.on_method_change,
        args=(evidence,),
        horizontal=True,
        help="Weighted sum adds each criterion's 0-1 value times its weight. TOPSIS (vector normalisation) "
        "ranks by closeness to an ideal option and distance from the worst.",
    )
    st.selectbox(
        "How sure are you of these weights?",
        options=list(CERTAINTY),
        format_func=lambda c: CERTAINTY[c][0],
        key=state.CERTAINTY,
        on_change=state.on_certainty_change,
        args=(evidence,),
        help="Used for the chance of ranking first: weights are sampled around yours with this spread "
        "(an assumption; no source gives one).",
    )
    st.toggle(
        "Draw each score from its low-high range",
        key=state.SCORE_UNCERTAINTY,
        on_change=state.on_score_uncertainty_change,
        args=(evidence,),
        help="Used for the chance of ranking first: each score is drawn from a triangular distribution "
        "over its low, likely and high values.",
    )
    st.toggle(
        "Include the 2025 tariff option (after the article)",
        key=state.POST_SEED,
        on_change=state.on_post_seed_change,
        args=(evidence,),
    )
    gate_controls(evidence, scenario)
    assumptions_panel(evidence, scenario)


def gate_controls(evidence: Evidence, scenario: Scenario) -> None:
    """Add or remove limits that rule options out."""
    crit = evidence.criterion_rows
    with st.expander("Rule options out", expanded=bool(scenario.gates)):
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
        st.button(
            "Add this limit",
            on_click=state.add_gate,
            args=(evidence, gate_crit, limit),
            key="gate_add",
        )
        for gate in scenario.gates:
            word = "at most" if crit[gate.criterion_id]["direction"] == "cost" else "at least"
            st.button(
                f"Remove: {label_escape(crit[gate.criterion_id]['short_name'])} {word} {gate.limit:g}",
                on_click=state.remove_gate,
                args=(evidence, gate.criterion_id),
                key=f"gate_remove_{gate.criterion_id}",
                icon="✖️",
            )


def ranking_section(evidence: Evidence, scenario: Scenario) -> Ranking | None:
    """Verdict, method agreement and the ranking chart; ``None`` when all weights are zero."""
    if sum(p for _, p in scenario.weights) <= 0:
        return None
    ranking = rank_options(evidence, scenario)
    st.markdown(f"### {md_escape(verdict(ranking))}")
    st.caption(md_escape(agreement_note(evidence, scenario)))
    top = ranking.top_ids
    title = (
        f"{evidence.option_name(top[0])} ranks first with these weights"
        if len(top) == 1
        else "A tie for first place"
        if top
        else "Every option is ruled out"
    )
    names = [evidence.criterion_name(c) for c in evidence.criterion_ids]
    show_figure(
        ranking_figure(ranking, names, title),
        key="ranking_chart",
        summary=summary_text(ranking)
        + " The dotted line marks the status quo; † marks an option from after the article.",
    )
    first_chance_section(evidence, scenario)
    tipping_section(evidence, scenario)
    return ranking


def matrix_section(evidence: Evidence, scenario: Scenario) -> None:
    """The option-by-criterion heatmap, then the evidence card for a chosen cell."""
    st.divider()
    st.subheader("The evidence behind every score")
    keep = options_in_view(evidence, scenario.include_post_seed)
    option_ids = [o for o, k in zip(evidence.option_ids, keep, strict=True) if k]
    show_figure(
        score_matrix_figure(evidence, scenario.include_post_seed),
        key="matrix_chart",
        summary="Each cell shows the likely score (0 to 4) and its meaning; colour shows how good that is "
        "on the criterion, whichever way the criterion runs.",
    )
    show_evidence_card(evidence, option_ids, scenario)


def maths_section(evidence: Evidence, ranking: Ranking | None) -> None:
    """The table behind the ranking, on request (it is only built when shown)."""
    if st.toggle("Show the maths", key="show_maths", persist_state="session") and ranking is not None:
        st.markdown(
            "**Weighted sum.** Each score is put on a 0-1 value scale (score / 4 where more is better, "
            "1 - score / 4 where less is better). The overall score is the sum of value x weight share, "
            "in points out of 100. **TOPSIS** divides each criterion's scores by their Euclidean norm "
            "(vector normalisation), multiplies by the weight shares, and scores each option by its distance "
            "from the worst point over the sum of its distances from the best and the worst."
        )
        st.dataframe(maths_table(evidence, ranking, state.get_scenario(evidence)), hide_index=True, width="stretch")
