"""The evidence card: one cell of the matrix with its range, rationale, quotes and sources."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from core.evidence import Evidence, split_quote_ids
from core.facts import citation_markdown
from core.scenario import Scenario
from core.text import md_escape
from ui.compute import problem_or_none
from ui.state import CARD_CRITERION, CARD_OPTION


def show_evidence_card(evidence: Evidence, option_ids: Sequence[str], scenario: Scenario) -> None:
    """Pickers for one cell of the matrix beside its card."""
    pick, card = st.columns([1, 2], gap="large")
    with pick:
        st.markdown("**Read the evidence for one cell**")
        option_id = st.selectbox(
            "Option",
            options=list(option_ids),
            format_func=evidence.option_name,
            key=CARD_OPTION,
            persist_state="session",
        )
        criterion_id = st.selectbox(
            "Criterion",
            options=list(evidence.criterion_ids),
            format_func=evidence.criterion_name,
            key=CARD_CRITERION,
            persist_state="session",
        )
    if option_id is None or criterion_id is None:
        return
    with card:
        _card(evidence, option_id, criterion_id, scenario)


def _quote(evidence: Evidence, quote_id: str) -> None:
    """A quote (or a marked summary), then who said it, where, when, and any caveat."""
    q = evidence.quote_rows[quote_id]
    if q["verbatim"]:
        st.markdown(f"> “{md_escape(q['text'])}”")
    else:
        st.markdown(f"> Summary, not a quotation: {md_escape(q['text'])}")
    st.caption(citation_markdown(evidence, quote_id))
    if q["caveat"]:
        st.caption(f"Caveat: {md_escape(q['caveat'])}")


def _card(evidence: Evidence, option_id: str, criterion_id: str, scenario: Scenario) -> None:
    row = evidence.score_rows[(option_id, criterion_id)]
    label = evidence.scale_label
    direction = (
        "more is better" if evidence.criterion_rows[criterion_id]["direction"] == "benefit" else "less is better"
    )
    with st.container(border=True, key="evidence_card"):
        st.markdown(
            f"**{md_escape(evidence.option_name(option_id))} · {md_escape(evidence.criterion_name(criterion_id))}** "
            f"({direction})"
        )
        st.markdown(
            f"Likely score **{row['likely']:g}** ({md_escape(label(criterion_id, row['likely']))}); "
            f"range {row['low']:g} to {row['high']:g} "
            f"({md_escape(label(criterion_id, row['low']))} to {md_escape(label(criterion_id, row['high']))})."
        )
        if row.get("user_edit"):
            st.markdown(f"**Your own score** (not from a source). Your reason: {md_escape(row['rationale'])}")
            st.caption("You changed this cell; reset it on the Share, save and edit page to see the sourced score.")
            return
        if row.get("as_of_2022"):
            st.caption("As of March 2022: the score as the sources before the article support it.")
        st.markdown(f"**Why:** {md_escape(row['rationale'])}")
        quote_ids = [q.strip() for q in str(row["quote_ids"]).split(";") if q.strip()]
        if not quote_ids:
            st.caption("No source: our judgement. No quote speaks to this score, so it rests on our reading alone.")
        for qid in quote_ids:
            _quote(evidence, qid)
        if quote_ids:
            st.caption("The score is our interpretation of these quotes; no source gives numbers.")
        against = split_quote_ids(row.get("against_quote_ids", ""))
        st.markdown("**The strongest case against this score:**" + ("" if against else " none found."))
        for qid in against:
            _quote(evidence, qid)
        i, j = evidence.option_ids.index(option_id), evidence.criterion_ids.index(criterion_id)
        problem = problem_or_none(evidence, scenario)
        if problem is not None:
            _model_note(problem, i, j)


def _model_note(problem, i: int, j: int) -> None:
    """What the model makes of this score, when it is more than the score on its scale."""
    model, value = problem.model, float(problem.values[i, j])
    if j == model.durability and model.surviving is not None:
        st.caption(
            f"You read durability through the displacement model, so the ranking counts {value:.2f} here (0-1): "
            "S + (1 - S) x d, where S is the share the illustrative model leaves standing and d this score on a "
            "0-1 scale (assumptions)."
        )
    if model.qualifies and j in (model.effect, model.durability, model.time):
        st.caption(
            f"Under expected impact this score qualifies the effect: the option's impact is {value:.2f} (0-1), "
            "its effect times how long it lasts times the share of the horizon in which it acts."
        )
