"""How sure the ranking is, at a glance: the chance of ranking first and the tipping points, drawn on the
Weigh page under the ranking (the tipping points on the How sure page too)."""

from __future__ import annotations

import streamlit as st

from charts.robustness import first_chance_figure
from core.montecarlo import first_chance_info
from core.problem import Problem
from core.sensitivity import tipping_points, tipping_sentence
from core.text import md_escape
from ui.compute import acceptability
from ui.figures import look, show_figure

# The Weigh page's glance at the chance of ranking first is redrawn on every weight move, for every
# user in the room: 10,000 draws (a standard error of at most half a percentage point) keep it cheap;
# the How sure page draws 20,000 or more.
WEIGH_SAMPLES = 10_000


def first_chance_section(problem: Problem, samples: int = WEIGH_SAMPLES) -> None:
    """The compact "chance of ranking first" chart."""
    info = first_chance_info(problem, acceptability(problem, samples, first_only=True))
    show_figure(
        first_chance_figure(info, look=look()), key="first_chance_chart", title=info.title, summary=info.summary
    )


def tipping_section(problem: Problem) -> list[str]:
    """What would have to change for the top option to change, one sentence per criterion."""
    sentences = [tipping_sentence(problem.evidence, p) for p in tipping_points(problem)]
    st.markdown(
        "**What would change the top option?** Each weight moved on its own, the others rescaled:\n\n"
        + "\n".join(f"- {md_escape(s)}" for s in sentences)
    )
    return sentences
