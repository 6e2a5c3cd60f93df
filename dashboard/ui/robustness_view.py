"""The How sure page's sections: the chance of each rank, weight sweeps, tradeoffs, a two-option comparison
and hindsight (the glance the Weigh page shares is :mod:`ui.certainty`'s)."""

from __future__ import annotations

import streamlit as st

from charts.robustness import comparison_figure, rank_acceptability_figure, sweep_figure, tradeoff_figure
from core.hindsight import hindsight_rank_change
from core.montecarlo import acceptability_info, central_weights_table
from core.problem import Problem
from core.ranking import rank_options
from core.sensitivity import sweep_info, weight_sweep
from core.text import md_escape
from core.tradeoffs import compare_options, comparison_info, tradeoff, tradeoff_info
from ui.compute import acceptability
from ui.figures import look, show_figure
from ui.lazy import lazy_expander
from ui.loaders import get_evidence

SAMPLE_CHOICES = (20_000, 100_000)
MILLION = 1_000_000


def acceptability_section(problem: Problem, samples: int) -> None:
    acc = acceptability(problem, samples)
    info = acceptability_info(problem, acc)
    show_figure(
        rank_acceptability_figure(info, look=look()), key="acceptability_chart", title=info.title, summary=info.summary
    )
    st.markdown(
        "**Typical weights under which each option ranks first** (the average weights of the draws in which it "
        "comes first, known as central weights; % of the total)"
    )
    table, never = central_weights_table(problem, acc)
    st.dataframe(table, width="stretch")
    if never:
        st.caption(md_escape("Never ranks first in these draws: " + ", ".join(never) + "."))


def sweep_section(problem: Problem) -> None:
    evidence = problem.evidence
    criterion_id = st.selectbox(
        "Sweep the weight on",
        options=list(evidence.criterion_ids),
        format_func=evidence.criterion_name,
        key="sweep_criterion",
        persist_state="session",
    )
    info = sweep_info(problem, weight_sweep(problem, criterion_id))
    show_figure(sweep_figure(info, look=look()), key="sweep_chart", title=info.title, summary=info.summary)


def _two_pickers(labels: tuple[str, str], choices: list[str], starts: tuple[int, int], name, keys) -> tuple[str, str]:
    """Two selectboxes side by side (choose two criteria, or two options)."""
    picked = []
    for column, label, start, key in zip(st.columns(2), labels, starts, keys, strict=True):
        with column:
            picked.append(st.selectbox(label, choices, index=start, format_func=name, key=key, persist_state="session"))
    return picked[0], picked[1]


def tradeoff_section(problem: Problem) -> None:
    evidence = problem.evidence
    ids = list(evidence.criterion_ids)
    x_id, y_id = _two_pickers(
        ("Across", "Up"), ids, (0, ids.index("diplomatic_cost")), evidence.criterion_name, ("tradeoff_x", "tradeoff_y")
    )
    if x_id == y_id:
        st.info("Choose two different criteria to see their tradeoff.")
        return
    info = tradeoff_info(problem, tradeoff(problem, x_id, y_id))
    show_figure(tradeoff_figure(info, look=look()), key="tradeoff_chart", title=info.title, summary=info.summary)
    if info.sentences:
        st.markdown("**Beaten on both** (dominated):")
        st.markdown("\n".join(f"- {md_escape(s)}" for s in info.sentences))


def compare_section(problem: Problem) -> None:
    evidence = problem.evidence
    # Open on the leader and the runner-up: "why is the top option first?"
    ranking = rank_options(problem)
    ordered = [o for o, out in zip(ranking.option_ids, ranking.ruled_out, strict=True) if not out]
    ordered = ordered or list(evidence.option_ids)
    a, b = _two_pickers(
        ("Option A", "Option B"),
        ordered,
        (0, min(1, len(ordered) - 1)),
        evidence.option_name,
        ("compare_a", "compare_b"),
    )
    if a == b:
        st.info("Choose two different options to compare.")
        return
    info = comparison_info(problem, compare_options(problem, a, b))
    show_figure(comparison_figure(info, look=look()), key="compare_chart", title=info.title, summary=info.summary)
    st.markdown("\n".join(f"- {md_escape(s)}" for s in info.sentences[1:]))
    if problem.method == "topsis":
        st.caption(
            "The split by criterion adds up weighted scores: closeness to the ideal (TOPSIS) does not add up "
            "by criterion."
        )


def hindsight_section(problem: Problem) -> None:
    """What changes between the evidence knowable in March 2022 and everything known today."""
    with lazy_expander("What was knowable in March 2022? The ranking then and now", key="hindsight_open") as open_:
        if not open_:
            return
        change = hindsight_rank_change(get_evidence(), problem.scenario)
        st.markdown(f"**{md_escape(change.verdict)}**")
        st.dataframe(change.rows, hide_index=True, width="stretch")
        st.caption(
            "Same weights, limits and edits. As of March 2022, each score that rests on a source from after the "
            "article takes the score its earlier sources support, or a neutral 2 (from 0 to 4) where none speaks; "
            "switch the evidence in the settings to see that ranking in full."
        )
