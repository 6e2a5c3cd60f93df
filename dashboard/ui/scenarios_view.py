"""Share, save and edit: links with a QR code, scenario files, comparison, and the user's own evidence."""

from __future__ import annotations

import io
from dataclasses import replace
from urllib.parse import urlencode, urlsplit

import pandas as pd
import segno
import streamlit as st

from core.edits import (
    UPLOAD_COLUMNS,
    custom_option,
    evidence_with_edits,
    overrides_from_table,
    read_upload,
    table_to_edits,
)
from core.evidence import Evidence, EvidenceError
from core.export import safe_csv
from core.ranking import rank_options
from core.scenario import Scenario
from core.scenario_io import ScenarioFileError, from_json, to_json
from core.scenario_link import MAX_LINK_CHARS, link_length
from core.scoring import METHOD_NAMES, InputError
from ui import state
from ui.links import share_query
from ui.text import md_escape

SAVED = "saved_scenarios"
MAX_SAVED = 3
EDIT_ERROR = "edit_error"


def _base_url() -> str:
    try:
        parts = urlsplit(st.context.url or "")
    except Exception:
        parts = None
    if parts and parts.scheme and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}/"
    return "http://localhost:8501/"


def share_section(evidence: Evidence, scenario: Scenario) -> None:
    query = share_query(evidence)
    too_long = link_length(query, _base_url()) > MAX_LINK_CHARS
    if too_long:
        query = {k: v for k, v in query.items() if k != "x"}
        st.warning(
            "Your score edits make the link too long to paste, so the link below carries everything except the "
            "edits. Download the scenario file to share them."
        )
    url = _base_url() + "?" + urlencode(query)
    st.markdown(
        "**Link to this exact view** (weights, method, limits, assumptions"
        + ("" if too_long else ", and any score edits")
        + "):"
    )
    st.code(url, language=None, wrap_lines=True)
    if st.toggle("Show a QR code for the room", key="show_qr"):
        qr = segno.make(url, error="m")
        buffer = io.BytesIO()
        qr.save(buffer, kind="png", scale=10, border=4)
        st.image(buffer.getvalue(), width=520, caption="Scan to open this view on a phone.")


def file_section(evidence: Evidence, scenario: Scenario) -> None:
    left, right = st.columns(2, gap="large")
    with left:
        st.download_button(
            "Download this scenario (JSON)",
            data=to_json(scenario, evidence.version, evidence).encode("utf-8"),
            file_name="fentanyl-policy-scenario.json",
            mime="application/json",
            key="download_scenario",
            on_click="ignore",
        )
    with right:
        st.file_uploader(
            "Load a scenario file",
            type=["json"],
            key="scenario_upload",
            on_change=_load_scenario_file,
            args=(evidence,),
            help="A JSON file saved from this dashboard. Anything it cannot use is named, and the rest loads.",
        )
    if st.session_state.get("scenario_file_error"):
        st.error(st.session_state["scenario_file_error"])


def _load_scenario_file(evidence: Evidence) -> None:
    upload = st.session_state.get("scenario_upload")
    st.session_state["scenario_file_error"] = None
    if upload is None:
        return
    try:
        loaded = from_json(upload.getvalue(), evidence, state.get_scenario(evidence))
    except ScenarioFileError as err:
        st.session_state["scenario_file_error"] = f"{upload.name}: {err} Your current scenario is unchanged."
        return
    state.apply_scenario(evidence, loaded.scenario, loaded.notices or (f"Loaded {upload.name}.",))


def compare_section(evidence: Evidence, scenario: Scenario) -> None:
    """Save up to three scenarios and see their weights, rankings and disagreement side by side."""
    saved: list[tuple[str, Scenario]] = st.session_state.setdefault(SAVED, [])
    name_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
    with name_col:
        name = st.text_input("Name this scenario", value=f"Scenario {len(saved) + 1}", max_chars=40, key="save_name")
    with button_col:
        if st.button("Save it for comparison", key="save_scenario"):
            saved.append((name.strip() or f"Scenario {len(saved) + 1}", scenario))
            del saved[:-MAX_SAVED]
    if not saved:
        st.caption(f"Save up to {MAX_SAVED} scenarios to compare them side by side.")
        return
    columns = {}
    rankings = {}
    for label, s in saved:
        ev = evidence_with_edits(evidence, s)
        total = sum(w for _, w in s.weights)
        columns[label] = {evidence.criterion_name(c): f"{w / total * 100:.0f}%" for c, w in s.weights}
        columns[label]["Method"] = METHOD_NAMES[s.method]
        columns[label]["Limits"] = (
            ", ".join(f"{evidence.criterion_name(g.criterion_id)} {g.limit:g}" for g in s.gates) or "none"
        )
        columns[label]["Displacement"] = "accounted for" if s.account_for_displacement else "ignored"
        columns[label]["Score edits"] = str(len(s.overrides) + len(s.custom_options))
        r = rank_options(ev, s)
        rankings[label] = r
        for k in range(3):
            columns[label][f"Rank {k + 1}"] = r.names[k] if k < r.n_ranked else ""
    table = pd.DataFrame(columns)
    st.dataframe(table, width="stretch", key="compare_table")
    tops = {label: r.top_ids for label, r in rankings.items()}
    if len({tuple(sorted(t)) for t in tops.values()}) == 1:
        st.markdown(
            f"**All saved scenarios put {md_escape(', '.join(rankings[next(iter(rankings))].names[:1]))} first.**"
        )
    else:
        st.markdown("**The saved scenarios disagree on the top option.**")
    differences = _differences(evidence, saved)
    if differences:
        st.markdown("**What differs:** " + md_escape("; ".join(differences)) + ".")
    for k, (label, s) in enumerate(saved):
        st.button(
            f"Restore {label}",
            key=f"restore_{k}",
            on_click=state.apply_scenario,
            args=(evidence, s, (f"Restored {label}.",)),
        )
    if st.button("Clear the saved scenarios", key="clear_saved"):
        saved.clear()
        st.rerun()


def _differences(evidence: Evidence, saved: list[tuple[str, Scenario]]) -> list[str]:
    """Weights that differ by at least five points of share across the saved scenarios, and other settings."""
    out = []
    shares = [{c: w / sum(x for _, x in s.weights) * 100 for c, w in s.weights} for _, s in saved]
    for cid in evidence.criterion_ids:
        values = [s[cid] for s in shares]
        if max(values) - min(values) >= 5:
            parts = ", ".join(f"{label} {v:.0f}%" for (label, _), v in zip(saved, values, strict=True))
            out.append(f"weight on {evidence.criterion_name(cid).lower()} ({parts})")
    for attr, name in (
        ("method", "method"),
        ("gates", "limits"),
        ("account_for_displacement", "displacement"),
        ("overrides", "score edits"),
        ("custom_options", "own options"),
    ):
        if len({repr(getattr(s, attr)) for _, s in saved}) > 1:
            out.append(f"the {name}")
    return out


def _score_table(base: Evidence, scenario: Scenario) -> pd.DataFrame:
    edited = {(o.option_id, o.criterion_id): o for o in scenario.overrides}
    rows = []
    for oid in base.option_ids:
        for cid in base.criterion_ids:
            src = base.score_rows[(oid, cid)]
            o = edited.get((oid, cid))
            rows.append(
                {
                    "option_id": oid,
                    "criterion_id": cid,
                    "Option": base.option_name(oid),
                    "Criterion": base.criterion_name(cid),
                    "likely": o.likely if o else float(src["likely"]),
                    "low": o.low if o else float(src["low"]),
                    "high": o.high if o else float(src["high"]),
                    "rationale": o.rationale if o else str(src["rationale"]),
                    "Yours": o is not None,
                    "Quotes": "" if o else str(src["quote_ids"]),
                }
            )
    return pd.DataFrame(rows)


def edit_section(base: Evidence, scenario: Scenario) -> None:
    st.caption(
        "Change a score, its range or its reason; a changed cell is marked as yours and never presented as "
        "sourced. Apply to rank with your scores; reset to go back to the sourced ones."
    )
    table = _score_table(base, scenario)
    edited = st.data_editor(
        table,
        key="score_editor",
        hide_index=True,
        width="stretch",
        disabled=["option_id", "criterion_id", "Option", "Criterion", "Yours", "Quotes"],
        column_order=["Option", "Criterion", "likely", "low", "high", "rationale", "Yours", "Quotes"],
        column_config={
            "likely": st.column_config.NumberColumn("Likely", min_value=0.0, max_value=4.0, step=0.5),
            "low": st.column_config.NumberColumn("Low", min_value=0.0, max_value=4.0, step=0.5),
            "high": st.column_config.NumberColumn("High", min_value=0.0, max_value=4.0, step=0.5),
            "rationale": st.column_config.TextColumn("Reason", max_chars=500),
            "Yours": st.column_config.CheckboxColumn("Yours"),
        },
    )
    left, right = st.columns(2)
    with left:
        apply = st.button("Apply my edits", key="apply_edits", type="primary")
    with right:
        st.button("Reset to the sourced scores", key="reset_edits", on_click=_reset_edits, args=(base,))
    if apply:
        try:
            overrides = overrides_from_table(base, edited[list(UPLOAD_COLUMNS)])
        except EvidenceError as err:
            st.session_state[EDIT_ERROR] = f"Your edits were not applied: {err}"
        else:
            st.session_state[EDIT_ERROR] = None
            state.set_scenario(replace(state.get_scenario(base), overrides=overrides))
            st.rerun()
    if st.session_state.get(EDIT_ERROR):
        st.error(st.session_state[EDIT_ERROR])


def _reset_edits(base: Evidence) -> None:
    state.set_scenario(replace(state.get_scenario(base), overrides=()))
    st.session_state[EDIT_ERROR] = None
    st.session_state.pop("score_editor", None)


def custom_option_section(base: Evidence, scenario: Scenario) -> None:
    with st.form("custom_option_form"):
        name = st.text_input("Name of your option", max_chars=80)
        option_id = st.text_input("A short id (a-z, 0-9, _)", value="my_option", max_chars=40)
        reason = st.text_area("Why these scores", max_chars=500)
        scores = st.data_editor(
            pd.DataFrame(
                {
                    "Criterion": [base.criterion_name(c) for c in base.criterion_ids],
                    "low": 1.0,
                    "likely": 2.0,
                    "high": 3.0,
                }
            ),
            hide_index=True,
            disabled=["Criterion"],
            key="custom_scores",
            column_config={
                c: st.column_config.NumberColumn(c, min_value=0.0, max_value=4.0, step=0.5)
                for c in ("low", "likely", "high")
            },
        )
        submitted = st.form_submit_button("Add my option")
    if submitted:
        try:
            option = custom_option(base, option_id.strip(), name, reason, scores)
        except (InputError, ValueError, TypeError) as err:
            st.error(f"Your option was not added: {err}")
            return
        current = state.get_scenario(base)
        if any(c.option_id == option.option_id for c in current.custom_options):
            st.error(f"Your option was not added: you already have an option with the id {option.option_id!r}.")
            return
        state.set_scenario(replace(current, custom_options=(*current.custom_options, option)))
        st.rerun()
    for k, c in enumerate(scenario.custom_options):
        st.button(
            f"Remove your option {c.name}", key=f"remove_custom_{k}", on_click=_remove_custom, args=(base, c.option_id)
        )


def _remove_custom(base: Evidence, option_id: str) -> None:
    current = state.get_scenario(base)
    state.set_scenario(
        replace(current, custom_options=tuple(c for c in current.custom_options if c.option_id != option_id))
    )


def upload_section(base: Evidence, scenario: Scenario) -> None:
    template = _score_table(base, replace(scenario, overrides=()))[list(UPLOAD_COLUMNS)]
    st.caption(
        "A CSV or JSON table with the columns option_id, criterion_id, likely, low, high, rationale (the layout of "
        "data/scores.csv), and optionally option_name. Every row is checked before anything changes; rows that "
        "differ from the sourced scores become your edits, and a new option id with a row for every criterion "
        "becomes an option of your own."
    )
    st.download_button(
        "Download the template (the sourced scores)",
        data=safe_csv(template),
        file_name="scores-template.csv",
        mime="text/csv",
        key="template_csv",
        on_click="ignore",
    )
    st.file_uploader(
        "Upload your scores", type=["csv", "json"], key="scores_upload", on_change=_load_scores, args=(base,)
    )
    if st.session_state.get("scores_upload_error"):
        st.error(st.session_state["scores_upload_error"])


def _load_scores(base: Evidence) -> None:
    upload = st.session_state.get("scores_upload")
    st.session_state["scores_upload_error"] = None
    if upload is None:
        return
    try:
        table = read_upload(upload.name, upload.getvalue())
        overrides, customs = table_to_edits(base, table, label=upload.name)
    except EvidenceError as err:
        st.session_state["scores_upload_error"] = f"Your scores were not used: {err} Nothing was changed."
        return
    current = state.get_scenario(base)
    kept = tuple(c for c in current.custom_options if c.option_id not in {n.option_id for n in customs})
    if len(kept) + len(customs) > 5:
        st.session_state["scores_upload_error"] = (
            f"Your scores were not used: {upload.name} would make more than five options of your own. "
            "Nothing was changed."
        )
        return
    state.set_scenario(replace(current, overrides=overrides, custom_options=kept + customs))
    st.session_state.pop("score_editor", None)
    st.session_state[state.NOTICES] = (
        f"Loaded {len(overrides)} score edit(s) and {len(customs)} option(s) of your own from {upload.name}.",
    )


def download_section(base: Evidence, evidence: Evidence, scenario: Scenario) -> None:
    ranking = rank_options(evidence, scenario).to_frame()
    left, right = st.columns(2)
    with left:
        st.download_button(
            "Download the ranking (CSV)",
            data=safe_csv(ranking),
            file_name="ranking.csv",
            mime="text/csv",
            key="ranking_csv",
            on_click="ignore",
        )
    with right:
        base_table = _score_table(base, scenario)
        st.download_button(
            "Download the score table (CSV)",
            data=safe_csv(base_table),
            file_name="scores.csv",
            mime="text/csv",
            key="scores_csv",
            on_click="ignore",
        )
