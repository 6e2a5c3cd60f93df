"""Sections that show how sure the ranking is: shared by the Weigh and How sure pages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from charts.robustness import (
    comparison_figure,
    first_chance_figure,
    rank_acceptability_figure,
    sweep_figure,
    tradeoff_figure,
)
from charts.theme import option_colours, option_dashes
from core.evidence import Evidence
from core.ranking import rank_options
from core.robustness import Acceptability, field, sweep_sentence, tipping_points, tipping_sentence, weight_sweep
from core.scenario import CERTAINTY, Scenario
from core.scoring import METHOD_NAMES
from core.text import md_escape
from core.tradeoffs import compare_options, comparison_sentences, dominance_sentences, tradeoff
from ui.compute import acceptability
from ui.figures import look, show_figure

WEIGH_SAMPLES = 20_000
SAMPLE_CHOICES = (20_000, 100_000)
MILLION = 1_000_000


def _assumptions(scenario: Scenario, samples: int) -> str:
    scores = (
        "each score drawn between its low and high values, most often near the likely one (a triangular distribution)"
        if scenario.score_uncertainty
        else "scores held at their likely values"
    )
    return (
        f"{samples:,} random draws (samples); weights: {CERTAINTY[scenario.certainty][0].lower()}; {scores}; "
        f"method: {METHOD_NAMES[scenario.method].lower()}. The draws are the same on every run, so the same "
        "settings always give the same numbers. How far the weights and scores vary is an assumption, not a "
        "sourced figure."
    )


def _first_sentence(evidence: Evidence, acc: Acceptability) -> str:
    if not acc.option_ids:
        return "No option passes your limits."
    top = np.flatnonzero(np.isclose(acc.first, acc.first.max()))
    if len(top) > 1:
        names = " and ".join(evidence.option_name(acc.option_ids[i]) for i in top)
        return f"{names} each rank first in {acc.first[top[0]] * 100:.0f}% of random draws"
    i = int(top[0])
    return f"{evidence.option_name(acc.option_ids[i])} ranks first in {acc.first[i] * 100:.0f}% of random draws"


def first_chance_section(evidence: Evidence, scenario: Scenario, samples: int = WEIGH_SAMPLES) -> Acceptability:
    """The compact "chance of ranking first" chart."""
    acc = acceptability(evidence, scenario, samples, first_only=True)
    names = [evidence.option_name(o) for o in acc.option_ids]
    summary = "; ".join(
        f"{n} {p * 100:.1f}%" for n, p in sorted(zip(names, acc.first, strict=True), key=lambda x: -x[1])
    )
    show_figure(
        first_chance_figure(names, acc.first, acc.samples, look=look()),
        key="first_chance_chart",
        title=f"How sure? {_first_sentence(evidence, acc)}",
        summary=f"Chance of ranking first: {summary}. {_assumptions(scenario, samples)}",
    )
    return acc


def tipping_section(evidence: Evidence, scenario: Scenario) -> list[str]:
    """What would have to change for the top option to change, one sentence per criterion."""
    sentences = [tipping_sentence(evidence, p) for p in tipping_points(evidence, scenario)]
    st.markdown("**What would change the top option?** Each weight moved on its own, the others rescaled:")
    st.markdown("\n".join(f"- {md_escape(s)}" for s in sentences))
    return sentences


def acceptability_section(evidence: Evidence, scenario: Scenario, samples: int) -> None:
    acc = acceptability(evidence, scenario, samples)
    names = [evidence.option_name(o) for o in acc.option_ids]
    rows = "; ".join(
        f"{n}: " + ", ".join(f"rank {r + 1} {p * 100:.0f}%" for r, p in enumerate(acc.rank_probs[i]) if p >= 0.005)
        for i, n in enumerate(names)
    )
    show_figure(
        rank_acceptability_figure(names, acc.rank_probs, acc.samples, look=look()),
        key="acceptability_chart",
        title=f"Chance of each rank: {_first_sentence(evidence, acc)}",
        summary=f"Chance of each rank (rank acceptability): {rows}. {_assumptions(scenario, samples)}",
    )
    st.markdown(
        "**Typical weights under which each option ranks first** (the average weights of the draws in which it "
        "comes first, known as central weights; % of the total)"
    )
    wins = acc.first > 0
    table = pd.DataFrame(
        np.round(acc.central_weights[wins] * 100, 1),
        index=pd.Index([n for n, w in zip(names, wins, strict=True) if w], name="Option"),
        columns=[evidence.criterion_name(c) for c in evidence.criterion_ids],
    )
    table.insert(0, "Ranks first (%)", np.round(acc.first[wins] * 100, 1))
    st.dataframe(table, width="stretch")
    never = [n for n, w in zip(names, wins, strict=True) if not w]
    if never:
        st.caption(md_escape("Never ranks first in these draws: " + ", ".join(never) + "."))


def sweep_section(evidence: Evidence, scenario: Scenario) -> None:
    criterion_id = st.selectbox(
        "Sweep the weight on",
        options=list(evidence.criterion_ids),
        format_func=evidence.criterion_name,
        key="sweep_criterion",
        persist_state="session",
    )
    sweep = weight_sweep(evidence, scenario, criterion_id)
    names = [evidence.option_name(o) for o in sweep.option_ids]
    colours, dashes = option_colours(evidence.option_ids), option_dashes(evidence.option_ids)
    cname = evidence.criterion_name(criterion_id)
    weighted = scenario.method == "weighted_sum"
    score_label = "Overall score, points out of 100" if weighted else "Closeness to the ideal (TOPSIS, 0 to 1)"
    n = len(sweep.changes)
    if n:
        title = f"The top option changes {'once' if n == 1 else f'{n} times'} as the weight on {cname.lower()} moves"
    else:
        title = f"No weight on {cname.lower()} changes the top option"
    sentence = sweep_sentence(evidence, sweep)
    show_figure(
        sweep_figure(
            sweep.t,
            sweep.scores * (100 if weighted else 1),
            names,
            [colours[o] for o in sweep.option_ids],
            [dashes[o] for o in sweep.option_ids],
            sweep.current,
            [t for t, _, _ in sweep.changes],
            cname,
            score_label,
            look=look(),
        ),
        key="sweep_chart",
        title=title,
        summary=f"Each option's overall score as the weight on {cname.lower()} goes from 0% to 100% "
        f"(now {sweep.current * 100:.0f}%), the other weights rescaled in proportion. {sentence}",
    )


def _ticks(evidence: Evidence, cid: str) -> dict[float, str]:
    j = evidence.criterion_ids.index(cid)
    lo, hi = int(evidence.scale_min[j]), int(evidence.scale_max[j])
    out = {}
    for raw in range(lo, hi + 1):
        value = (raw - lo) / (hi - lo)
        value = value if evidence.benefit[j] else 1 - value
        out[value] = f"{raw} {evidence.scale_label(cid, raw)}"
    return dict(sorted(out.items()))


def tradeoff_section(evidence: Evidence, scenario: Scenario) -> None:
    ids = list(evidence.criterion_ids)
    left, right = st.columns(2)
    with left:
        x_id = st.selectbox(
            "Across", ids, index=0, format_func=evidence.criterion_name, key="tradeoff_x", persist_state="session"
        )
    with right:
        y_id = st.selectbox(
            "Up",
            ids,
            index=ids.index("diplomatic_cost"),
            format_func=evidence.criterion_name,
            key="tradeoff_y",
            persist_state="session",
        )
    if x_id == y_id:
        st.info("Choose two different criteria to see their tradeoff.")
        return
    view = tradeoff(evidence, scenario, x_id, y_id)
    names = [evidence.option_name(o) for o in view.option_ids]
    sentences = dominance_sentences(evidence, view)
    front = [n for n, f in zip(names, view.on_front, strict=True) if f]
    count = f"{len(front)} option is" if len(front) == 1 else f"{len(front)} options are"
    show_figure(
        tradeoff_figure(
            view.x_value,
            view.y_value,
            names,
            view.on_front,
            evidence.criterion_name(x_id),
            evidence.criterion_name(y_id),
            _ticks(evidence, x_id),
            _ticks(evidence, y_id),
            look=look(),
        ),
        key="tradeoff_chart",
        title=f"On these two criteria, {count} not beaten on both",
        summary="Numbered markers are the options, named in the legend; the dashed line joins the options that no "
        f"other beats on both criteria (the Pareto front): {', '.join(front)}.",
    )
    if sentences:
        st.markdown("**Beaten on both** (dominated):")
        st.markdown("\n".join(f"- {md_escape(s)}" for s in sentences))


def compare_section(evidence: Evidence, scenario: Scenario) -> None:
    in_play = list(field(evidence, scenario).option_ids) or list(evidence.option_ids)
    # Open on the leader and the runner-up: "why is the top option first?"
    ranking = rank_options(evidence, scenario)
    ranked = [o for o, out in zip(ranking.option_ids, ranking.ruled_out, strict=True) if not out and o in in_play]
    ordered = ranked + [o for o in in_play if o not in ranked]
    left, right = st.columns(2)
    with left:
        a = st.selectbox(
            "Option A", ordered, index=0, format_func=evidence.option_name, key="compare_a", persist_state="session"
        )
    with right:
        b = st.selectbox(
            "Option B",
            ordered,
            index=min(1, len(ordered) - 1),
            format_func=evidence.option_name,
            key="compare_b",
            persist_state="session",
        )
    if a == b:
        st.info("Choose two different options to compare.")
        return
    comparison = compare_options(evidence, scenario, a, b)
    sentences = comparison_sentences(evidence, comparison)
    show_figure(
        comparison_figure(
            comparison.difference,
            [evidence.criterion_name(c) for c in comparison.criterion_ids],
            evidence.option_name(a),
            evidence.option_name(b),
            look=look(),
        ),
        key="compare_chart",
        title=sentences[0],
        summary=" ".join(sentences),
    )
    st.markdown("\n".join(f"- {md_escape(s)}" for s in sentences[1:]))
    if scenario.method == "topsis":
        st.caption(
            "The split by criterion adds up weighted scores: closeness to the ideal (TOPSIS) does not add up "
            "by criterion."
        )
