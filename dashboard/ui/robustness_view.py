"""Sections that show how sure the ranking is: shared by the Weigh and Robustness pages."""

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
from core.robustness import Acceptability, field, tipping_points, tipping_sentence, weight_sweep
from core.scenario import CERTAINTY, Scenario
from core.scoring import METHOD_NAMES
from core.tradeoffs import compare_options, comparison_sentences, dominance_sentences, tradeoff
from ui.compute import acceptability
from ui.figures import show_figure
from ui.text import md_escape

WEIGH_SAMPLES = 20_000
SAMPLE_CHOICES = (20_000, 100_000)
MILLION = 1_000_000
MILLION_FOR = "million_samples_for"


def _assumptions(scenario: Scenario, samples: int) -> str:
    scores = "scores drawn from their low-high ranges" if scenario.score_uncertainty else "scores held at likely"
    return (
        f"{samples:,} samples; weights: {CERTAINTY[scenario.certainty][0].lower()}; {scores}; "
        f"method: {METHOD_NAMES[scenario.method]}; seed fixed, so the same settings give the same numbers. "
        "The spread of the weights is an assumption, not a sourced figure."
    )


def _first_sentence(evidence: Evidence, acc: Acceptability) -> str:
    if not acc.option_ids:
        return "No option passes your limits."
    i = int(np.argmax(acc.first))
    return f"{evidence.option_name(acc.option_ids[i])} ranks first in {acc.first[i] * 100:.0f}% of samples"


def first_chance_section(evidence: Evidence, scenario: Scenario, samples: int = WEIGH_SAMPLES) -> Acceptability:
    """The compact "chance of ranking first" chart."""
    acc = acceptability(evidence, scenario, samples, first_only=True)
    names = [evidence.option_name(o) for o in acc.option_ids]
    summary = "; ".join(
        f"{n} {p * 100:.1f}%" for n, p in sorted(zip(names, acc.first, strict=True), key=lambda x: -x[1])
    )
    show_figure(
        first_chance_figure(names, acc.first, acc.samples, f"How sure? {_first_sentence(evidence, acc)}"),
        key="first_chance_chart",
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
        rank_acceptability_figure(
            names, acc.rank_probs, acc.samples, f"Rank acceptability: {_first_sentence(evidence, acc)}"
        ),
        key="acceptability_chart",
        summary=f"{rows}. {_assumptions(scenario, samples)}",
    )
    st.markdown("**Typical weights under which each option ranks first** (central weights, % of the total)")
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
        st.caption(md_escape("Never ranks first in these samples: " + ", ".join(never) + "."))


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
    changes = [(t, f"{evidence.option_name(new)} takes the lead") for t, _, new in sweep.changes]
    cname = evidence.criterion_name(criterion_id)
    score_label = "Overall score (0 to 1)" if scenario.method == "weighted_sum" else "TOPSIS closeness (0 to 1)"
    if sweep.changes:
        title = f"The top option changes {len(sweep.changes)} time(s) as the weight on {cname.lower()} moves"
    else:
        title = f"No weight on {cname.lower()} changes the top option"
    in_words = "; ".join(f"at {t * 100:.0f}% {evidence.option_name(new)} takes the lead" for t, _, new in sweep.changes)
    show_figure(
        sweep_figure(
            sweep.t,
            sweep.scores,
            names,
            [colours[o] for o in sweep.option_ids],
            [dashes[o] for o in sweep.option_ids],
            sweep.current,
            changes,
            cname,
            score_label,
            title,
        ),
        key="sweep_chart",
        summary=f"Each option's overall score as the weight on {cname.lower()} goes from 0% to 100% "
        f"(now {sweep.current * 100:.0f}%), the other weights rescaled in proportion. "
        + (in_words + "." if in_words else "The leader stays the same all the way."),
    )


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

    def ticks(cid: str) -> dict[float, str]:
        j = evidence.criterion_ids.index(cid)
        lo, hi = int(evidence.scale_min[j]), int(evidence.scale_max[j])
        out = {}
        for raw in range(lo, hi + 1):
            value = (raw - lo) / (hi - lo)
            value = value if evidence.benefit[j] else 1 - value
            out[value] = f"{raw} {evidence.scale_label(cid, raw)}"
        return dict(sorted(out.items()))

    names = [evidence.option_name(o) for o in view.option_ids]
    sentences = dominance_sentences(evidence, view)
    front = [n for n, f in zip(names, view.on_front, strict=True) if f]
    show_figure(
        tradeoff_figure(
            view.x_value,
            view.y_value,
            names,
            view.on_front,
            evidence.criterion_name(x_id),
            evidence.criterion_name(y_id),
            ticks(x_id),
            ticks(y_id),
            f"On these two criteria, {len(front)} option(s) are not beaten on both",
        ),
        key="tradeoff_chart",
        summary=f"Not beaten on both: {', '.join(front)}. " + " ".join(sentences),
    )
    for s in sentences:
        st.markdown(f"- {md_escape(s)}")


def compare_section(evidence: Evidence, scenario: Scenario) -> None:
    in_play = list(field(evidence, scenario).option_ids) or list(evidence.option_ids)
    left, right = st.columns(2)
    with left:
        a = st.selectbox(
            "Option A", in_play, index=0, format_func=evidence.option_name, key="compare_a", persist_state="session"
        )
    with right:
        b = st.selectbox(
            "Option B",
            in_play,
            index=min(1, len(in_play) - 1),
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
            sentences[0],
        ),
        key="compare_chart",
        summary=" ".join(sentences),
    )
    st.markdown("\n".join(f"- {md_escape(s)}" for s in sentences[1:]))
    if scenario.method == "topsis":
        st.caption("The split by criterion uses the weighted sum: TOPSIS closeness does not add up by criterion.")
