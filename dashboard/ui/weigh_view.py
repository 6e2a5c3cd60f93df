"""The Weigh page's sections, kept out of the page script so a rerun stays cheap.

(A page script is compiled on every run; an imported module only once.)
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import streamlit as st

from charts.ranking import ranking_figure
from core.camps import camps_change
from core.evidence import Evidence
from core.model_change import model_change
from core.packages import (
    ANTI_OPTION_WARNING,
    RULES,
    best_pair_sentence,
    combine,
    interaction_words,
    package_ranking,
    stated_interactions,
    step_sentence,
)
from core.problem import Problem
from core.ranking import Ranking, rank_options
from core.ranking_info import maths_table, matrix_info, ranking_info
from core.ranking_words import (
    MARKS_LEGEND,
    adds_and_costs_sentence,
    agreement_note,
    assumption_note,
    evidence_note,
    verdict,
    why_first,
)
from core.scenario import Scenario
from core.scoring import METHOD_NAMES, value_scale_words
from core.settings import MAX_PACKAGES
from core.text import md_escape
from ui import state
from ui.certainty import first_chance_section, tipping_section
from ui.client import narrow
from ui.compute import score_matrix_figure
from ui.evidence_card import CARD_CRITERION, CARD_OPTION, show_evidence_card
from ui.figures import look, show_figure
from ui.lazy import lazy_expander


def rank(problem: Problem | None) -> Ranking | None:
    """The ranking for the problem; ``None`` when all weights are zero (there is no problem)."""
    return None if problem is None else rank_options(problem)


def verdict_section(problem: Problem, ranking: Ranking) -> None:
    """The verdict and why the leader leads, in a live region so a screen reader hears each new one."""
    with st.container(key="live_verdict"):
        why = why_first(problem.evidence, ranking)
        st.markdown(f"### {md_escape(verdict(ranking))}" + (f"\n\n{md_escape(why)}" if why else ""))
    agreement = (
        md_escape(agreement_note(problem))
        + " The options can be combined: the ranking orders priorities, it does not pick one to the exclusion "
        "of the rest."
    )
    notes = [n for n in (evidence_note(problem.evidence), assumption_note(problem.scenario)) if n]
    if notes:  # the assumptions behind this ranking, highlighted, with what the methods say (one element)
        st.info("\n\n".join([*(md_escape(n) for n in notes), agreement]), icon=":material/info:")
    else:
        st.caption(agreement)


def ranking_chart(problem: Problem, ranking: Ranking) -> None:
    info = ranking_info(problem, ranking)
    adds = adds_and_costs_sentence(ranking)  # said under the chart, with its summary (one caption, not two)
    show_figure(
        ranking_figure(info, look=look()), key="ranking_chart", title=info.title, summary=info.summary, note=adds
    )


def ranking_section(problem: Problem | None, ranking: Ranking | None, with_verdict: bool = True) -> None:
    """Verdict, method agreement, the ranking chart, the chance of ranking first and the tipping points."""
    if problem is None or ranking is None:
        return
    if with_verdict:
        verdict_section(problem, ranking)
    ranking_chart(problem, ranking)
    maths_section(problem, ranking)
    first_chance_section(problem)
    tipping_section(problem)
    packages_section(problem, ranking)


def _open_cell(option_ids: list[str], criterion_ids: tuple[str, ...]) -> None:
    """A click on a cell of the score matrix opens that cell's evidence card."""
    points = st.session_state["matrix_chart"].selection.get("points", [])
    if not points:
        return
    cell = points[0].get("customdata")
    if not isinstance(cell, list) or len(cell) != 2:
        return
    i, j = cell
    if not (0 <= i < len(option_ids) and 0 <= j < len(criterion_ids)):
        return
    st.session_state[CARD_OPTION] = option_ids[i]
    st.session_state[CARD_CRITERION] = criterion_ids[j]


def matrix_section(evidence: Evidence, scenario: Scenario) -> None:
    """The option-by-criterion scores (a heatmap, or a list on a phone), then the evidence card for a cell."""
    st.divider()
    st.subheader("The evidence behind every score")
    info = matrix_info(evidence, scenario.include_post_seed)
    if narrow():
        # A phone: one line per option instead of a heatmap too narrow to read.
        st.markdown("#### Scores by option and criterion (0 to 4)")
        lines = [
            f"- **{md_escape(name)}**: "
            + md_escape(
                " · ".join(
                    f"{criterion} {raw:g}{mark}"
                    for criterion, raw, mark in zip(info.criterion_names, info.raw[i], info.marks[i], strict=True)
                )
            )
            for i, name in enumerate(info.option_names)
        ]
        st.markdown("\n".join(lines))
        st.caption(
            md_escape(MARKS_LEGEND)
            + " Choose an option and a criterion below to read the evidence and the meaning of a score."
        )
    else:
        show_figure(
            score_matrix_figure(evidence, scenario.include_post_seed, look()),
            key="matrix_chart",
            title=info.title,
            summary=info.summary + " Click a cell, or choose below, to read the evidence for a score.",
            on_select=partial(_open_cell, list(info.option_ids), evidence.criterion_ids),
            selection_mode="points",
        )
    show_evidence_card(evidence, list(info.option_ids), scenario)


def maths_section(problem: Problem | None, ranking: Ranking | None) -> None:
    """The table behind the ranking, on request (it is only built when shown)."""
    if st.toggle("Show the maths", key="show_maths", persist_state="session") and problem and ranking:
        st.markdown(
            "**Weighted sum.** Each score is put on a 0-1 scale ("
            + value_scale_words(problem.evidence.scale_min, problem.evidence.scale_max)
            + "). "
            "The overall score adds up each value times its weight's share, in points out of 100. "
            "**Closeness to the ideal (TOPSIS).** Each criterion's scores are divided by the square root of the "
            "sum of their squares (vector normalisation) and multiplied by the weight shares; each option then "
            "scores its distance from the worst point over the sum of its distances from the best and the worst."
        )
        st.dataframe(maths_table(problem, ranking), hide_index=True, width="stretch")


def _add_package(members: tuple[str, ...]) -> None:
    scenario = state.get_scenario()
    if members and members not in scenario.packages and len(scenario.packages) < MAX_PACKAGES:
        state.set_scenario(replace(scenario, packages=(*scenario.packages, members)))
    # The button is in the results' part, which reruns after this: the new package is drawn there.


def _remove_package(members: tuple[str, ...]) -> None:
    scenario = state.get_scenario()
    state.set_scenario(replace(scenario, packages=tuple(p for p in scenario.packages if p != members)))


def package_picker(problem: Problem) -> None:
    """Choose two or three options and add them as a package, and the sourced interactions with their switch."""
    evidence, scenario = problem.evidence, problem.scenario
    choices = [o for o in problem.ids_in_play if o in evidence.option_names]
    picked = st.multiselect(
        "Options to combine (two or three)",
        options=choices,
        format_func=evidence.option_name,
        max_selections=3,
        key="package_pick",
    )
    members = tuple(o for o in choices if o in picked)
    if any(evidence.option_roles[evidence.option_ids.index(o)] == "anti_option" for o in members):
        st.warning(ANTI_OPTION_WARNING, icon=":material/warning:")
    st.button(
        "Add this package",
        key="package_add",
        disabled=not 2 <= len(members) <= 3 or members in scenario.packages or len(scenario.packages) >= MAX_PACKAGES,
        on_click=_add_package,
        args=(members,),
    )
    _interactions_control(evidence)


def _interactions_control(evidence: Evidence) -> None:
    """The sourced interactions between options, each said with its reason, and the switch that counts them."""
    stated = stated_interactions(evidence)
    if not stated:
        return
    st.toggle(
        "Count the interactions the sources state between options in a package",
        value=state.widget_value("interactions"),
        help="Each moves a package's score on one criterion when both options are in it, as a quoted source says "
        "(the evidence card of each option has the quotes). Switch them off to score packages without them.",
        **state.bound("interactions"),
    )
    for it in stated:
        st.markdown(f"- {md_escape(it.interaction_id)}: {md_escape(interaction_words(evidence, it))}")


def packages_section(problem: Problem, ranking: Ranking) -> None:
    """Combine two or three options into a package and see it next to the single options: built while open,
    so a weight move costs nothing here otherwise (the takeaways and the briefing say the best pair anyway)."""
    label = "Combine options into packages: the best pair for your weights, and your own packages"
    with lazy_expander(label, key="packages_open") as open_:
        if not open_:
            return
        st.caption(
            "The options are complements, not rivals: the report would pursue several at once. " + md_escape(RULES)
        )
        st.markdown(md_escape(best_pair_sentence(problem)))
        _your_packages(problem, ranking)
        package_picker(problem)


def _your_packages(problem: Problem, ranking: Ranking) -> None:
    """The scenario's packages drawn next to the single options, each with what its members add."""
    shown = tuple(p for p in problem.scenario.packages if all(m in problem.ids_in_play for m in p))
    if not shown:
        return
    combined = package_ranking(problem, ranking, shown)
    info = ranking_info(problem, combined)
    show_figure(
        ranking_figure(info, look=look()),
        key="packages_chart",
        title=f"Your packages next to the single options ({METHOD_NAMES[combined.method].lower()})",
        summary=info.summary,
    )
    for package in shown:
        built = combine(problem, package)
        line = f"{built.name}: {step_sentence(problem, package)}"
        if built.interactions:
            line += f" Sourced interactions counted: {', '.join(built.interactions)}."
        if built.ruled_out:
            line += f" Ruled out by your limits: {built.reason}."
        st.markdown("- " + md_escape(line))
        if built.has_anti_option:
            st.caption(md_escape(ANTI_OPTION_WARNING))
        st.button(
            f"Remove {md_escape(built.name)}",
            key=f"package_remove_{'+'.join(package)}",
            on_click=_remove_package,
            args=(package,),
        )


def camps_section(evidence: Evidence, scenario: Scenario) -> None:
    """The ranking under the other camp's weights: a China hawk's and an engagement advocate's (built when open)."""
    with lazy_expander("The other camp: a China hawk's weights, an engagement advocate's", key="camps_open") as open_:
        if not open_:
            return
        change = camps_change(evidence, scenario)
        if change is None:
            st.caption("This evidence has no hawk and engagement lenses to compare.")
            return
        st.markdown(md_escape(change.verdict))
        st.caption(
            "Each camp's weights are our reading of a named source (see the lens notes); the scores, the evidence "
            "date, the limits and your own edits stay as they are."
        )
        st.dataframe(change.rows, hide_index=True, width="stretch")


def models_section(evidence: Evidence, scenario: Scenario) -> None:
    """The ranking under the other additive model: the weighted sum against expected impact (built when open)."""
    with lazy_expander("The other model: the weighted sum against expected impact", key="models_open") as open_:
        if not open_:
            return
        change = model_change(evidence, scenario)
        st.markdown(md_escape(change.verdict))
        st.caption(
            "The weighted sum adds points for durability and speed even to an option with little effect; expected "
            "impact counts the effect only as far as it lasts and comes within the horizon. The weights, scores, "
            "limits and your edits are the same in both."
        )
        st.dataframe(change.rows, hide_index=True, width="stretch")
