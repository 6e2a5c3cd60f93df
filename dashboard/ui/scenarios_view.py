"""Share, save and edit: links with a QR code, scenario files, comparison, and the user's own evidence."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import pandas as pd
import streamlit as st

from core.edits import custom_option, overrides_from_table, score_table, table_to_edits
from core.evidence import Evidence, EvidenceError
from core.export import safe_csv
from core.problem import build_problem
from core.ranking import rank_options
from core.scenario import Scenario
from core.scenario_compare import compare_scenarios
from core.scenario_io import MAX_FILE_BYTES, ScenarioFileError, from_json, to_json
from core.scoring import InputError
from core.text import clean, md_escape
from core.uploads import UPLOAD_COLUMNS, read_upload
from ui import state
from ui.links import link_to, loopback_notice, qr_png

MAX_SAVED = 3
UPLOAD_MB = 1  # the uploaders' limit, the same as the readers' (1 MB)
# Where a share link opens: the page it was made for (Weigh by default, where a student acts).
LINK_PAGES = {
    "weigh": "Weigh the options",
    "robustness": "How sure is the ranking?",
    "supply-chain": "Understand the supply chain",
    "present": "Present to a room (presenter mode)",
    "": "Overview",
}


def share_section(evidence: Evidence) -> None:
    page = st.selectbox(
        "The link opens",
        options=list(LINK_PAGES),
        format_func=LINK_PAGES.get,
        key="share_page",
        help="Students and colleagues land on this page, with your weights and settings.",
    )
    url, too_long = link_to(evidence, page)
    if too_long:
        st.warning(
            "Your score edits make the link too long to paste, so the link below carries everything except the "
            "edits, and reloading this page would lose them. Download the scenario file to keep or share them."
        )
    st.markdown(
        "**Link to this exact view** (weights, method, limits, assumptions"
        + ("" if too_long else ", and any score edits")
        + "):"
    )
    st.code(url, language=None, wrap_lines=True)
    loopback_notice()
    if st.toggle("Show a QR code for the room", key="show_qr"):
        st.image(
            qr_png(url), width=520, caption="Scan to open this view on a phone.", alt="QR code of the link to this view"
        )


def file_section(base: Evidence, scenario: Scenario) -> None:
    left, right = st.columns(2, gap="large")
    with left:
        st.download_button(
            "Download this scenario (JSON)",
            data=partial(_json_bytes, scenario, base),  # made when clicked, not on every rerun
            file_name="fentanyl-policy-scenario.json",
            mime="application/json",
            key="download_scenario",
            on_click="ignore",
        )
        st.caption("A scenario file keeps everything, score edits included, and loads in any session.")
    with right:
        st.file_uploader(
            "Load a scenario file",
            type=["json"],
            key="scenario_upload",
            on_change=_load_scenario_file,
            args=(base,),
            max_upload_size=UPLOAD_MB,
            help=f"A JSON file saved from this dashboard, at most {MAX_FILE_BYTES:,} bytes. Anything it cannot "
            "use is named, and the rest loads.",
        )
    if st.session_state.get(state.SCENARIO_FILE_ERROR):
        st.error(md_escape(st.session_state[state.SCENARIO_FILE_ERROR]), icon=":material/error:")


def _take_upload(key: str, error_key: str) -> tuple[str, bytes] | None:
    """The file just given to the uploader ``key`` (its cleaned name and bytes), clearing its last error."""
    upload = st.session_state.get(key)
    st.session_state[error_key] = None
    return None if upload is None else (clean(upload.name), upload.getvalue())


def _load_scenario_file(base: Evidence) -> None:
    upload = _take_upload("scenario_upload", state.SCENARIO_FILE_ERROR)
    if upload is None:
        return
    name, raw = upload
    try:
        loaded = from_json(raw, base, state.get_scenario())
    except ScenarioFileError as err:
        st.session_state[state.SCENARIO_FILE_ERROR] = f"{name}: {err} Your current scenario is unchanged."
        return
    state.apply_scenario(
        loaded.scenario,
        loaded.notices,
        success=f"Loaded {name}. Its settings are now in this page's link; the file itself is not kept.",
    )


def compare_section(base: Evidence, scenario: Scenario) -> None:
    """Save up to three scenarios and see their rankings, weights and disagreement side by side."""
    saved: list[tuple[str, Scenario]] = st.session_state[state.SAVED]
    name_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
    with name_col:
        name = st.text_input("Name this scenario", value=f"Scenario {len(saved) + 1}", max_chars=40, key="save_name")
    with button_col:
        if st.button("Save it for comparison", key="save_scenario"):
            saved.append((clean(name).strip() or f"Scenario {len(saved) + 1}", scenario))
            del saved[:-MAX_SAVED]
    st.caption(
        "Saved scenarios live only in this browser tab: a reload or a new tab loses them. "
        "Download a scenario file to keep one."
    )
    if not saved:
        st.caption(f"Save up to {MAX_SAVED} scenarios to compare them side by side.")
        return
    result = compare_scenarios(base, saved)
    st.markdown(f"**{md_escape(result.agreement)}**")
    table = result.table
    table.columns = [clean(c) for c in table.columns]
    st.dataframe(table, width="stretch", key="compare_table", height="content")
    if result.differences:
        st.markdown("**What differs:** " + md_escape("; ".join(result.differences)) + ".")
    with st.container(horizontal=True):
        for k, (label, s) in enumerate(saved):
            st.button(
                f"Restore {md_escape(label)}",
                key=f"restore_{k}",
                on_click=state.apply_scenario,
                args=(s, (), f"Restored {label}."),
            )
        if st.button("Clear the saved scenarios", key="clear_saved"):
            saved.clear()
            st.rerun()


def edit_section(base: Evidence, scenario: Scenario) -> None:
    st.caption(
        "Change a score, its range or its reason; a changed cell is marked as yours and never presented as "
        "sourced. Apply to rank with your scores; reset to go back to the sourced ones."
    )
    table = score_table(base, scenario, include_custom=False)
    edited = st.data_editor(
        table,
        key="score_editor",
        hide_index=True,
        width="stretch",
        disabled=["option_id", "criterion_id", "Option", "Criterion", "Yours", "Sources", "quote_ids"],
        column_order=["Option", "Criterion", "likely", "low", "high", "rationale", "Yours", "Sources"],
        column_config={
            "likely": st.column_config.NumberColumn("Likely", min_value=0.0, max_value=4.0, step=0.5),
            "low": st.column_config.NumberColumn("Low", min_value=0.0, max_value=4.0, step=0.5),
            "high": st.column_config.NumberColumn("High", min_value=0.0, max_value=4.0, step=0.5),
            "rationale": st.column_config.TextColumn("Reason", max_chars=500),
            "Yours": st.column_config.CheckboxColumn("Yours"),
            "Sources": st.column_config.TextColumn("Sources", help="The sources of the quotes behind the score."),
        },
    )
    left, right = st.columns(2)
    with left:
        apply = st.button("Apply my edits", key="apply_edits", type="primary")
    with right:
        st.button("Reset to the sourced scores", key="reset_edits", on_click=_reset_edits)
    if apply:
        try:
            overrides = overrides_from_table(base, edited[list(UPLOAD_COLUMNS)])
        except EvidenceError as err:
            st.session_state[state.EDIT_ERROR] = f"Your edits were not applied: {err}"
        else:
            st.session_state[state.EDIT_ERROR] = None
            state.set_scenario(replace(state.get_scenario(), overrides=overrides))
            st.rerun()
    if st.session_state.get(state.EDIT_ERROR):
        st.error(md_escape(st.session_state[state.EDIT_ERROR]), icon=":material/error:")


def _reset_edits() -> None:
    state.set_scenario(replace(state.get_scenario(), overrides=()))
    st.session_state[state.EDIT_ERROR] = None
    st.session_state.pop("score_editor", None)


def custom_option_section(base: Evidence) -> None:
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
            st.error(md_escape(f"Your option was not added: {err}"), icon=":material/error:")
            return
        current = state.get_scenario()
        if any(c.option_id == option.option_id for c in current.custom_options):
            st.error(
                md_escape(f"Your option was not added: you already have an option with the id {option.option_id}."),
                icon=":material/error:",
            )
            return
        state.set_scenario(replace(current, custom_options=(*current.custom_options, option)))
        st.rerun()


def custom_option_list(scenario: Scenario) -> None:
    """A button to remove each option of the user's own (shown whether or not the form is open)."""
    for k, c in enumerate(scenario.custom_options):
        st.button(
            f"Remove your option {md_escape(c.name)}",
            key=f"remove_custom_{k}",
            on_click=_remove_custom,
            args=(c.option_id,),
        )


def _remove_custom(option_id: str) -> None:
    current = state.get_scenario()
    state.set_scenario(
        replace(current, custom_options=tuple(c for c in current.custom_options if c.option_id != option_id))
    )


def _template_csv(base: Evidence, scenario: Scenario) -> str:
    return safe_csv(score_table(base, replace(scenario, overrides=(), custom_options=()))[list(UPLOAD_COLUMNS)])


def upload_section(base: Evidence, scenario: Scenario) -> None:
    st.caption(
        "A CSV or JSON table with the columns option_id, criterion_id, likely, low, high and rationale (the "
        "columns of the template below), and optionally option_name. Every row is checked before anything "
        "changes; rows that differ from the sourced scores become your edits, and a new option id with a row "
        "for every criterion becomes an option of your own. The file itself is not kept: its scores are."
    )
    st.download_button(
        "Download the template (the sourced scores)",
        data=partial(_template_csv, base, scenario),
        file_name="scores-template.csv",
        mime="text/csv",
        key="template_csv",
        on_click="ignore",
    )
    st.file_uploader(
        "Upload your scores",
        type=["csv", "json"],
        key="scores_upload",
        on_change=_load_scores,
        args=(base,),
        max_upload_size=UPLOAD_MB,
    )
    if st.session_state.get(state.SCORES_UPLOAD_ERROR):
        st.error(md_escape(st.session_state[state.SCORES_UPLOAD_ERROR]), icon=":material/error:")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _load_scores(base: Evidence) -> None:
    upload = _take_upload("scores_upload", state.SCORES_UPLOAD_ERROR)
    if upload is None:
        return
    name, raw = upload
    try:
        table = read_upload(name, raw)
        overrides, customs = table_to_edits(base, table, label=name)
    except EvidenceError as err:
        st.session_state[state.SCORES_UPLOAD_ERROR] = f"Your scores were not used: {err} Nothing was changed."
        return
    current = state.get_scenario()
    kept = tuple(c for c in current.custom_options if c.option_id not in {n.option_id for n in customs})
    if len(kept) + len(customs) > 5:
        st.session_state[state.SCORES_UPLOAD_ERROR] = (
            f"Your scores were not used: {name} would make more than five options of your own. Nothing was changed."
        )
        return
    state.set_scenario(replace(current, overrides=overrides, custom_options=kept + customs))
    st.session_state.pop("score_editor", None)
    state.notify(
        f"Loaded {_plural(len(overrides), 'score edit')} and {_plural(len(customs), 'option')} of your own "
        f"from {name}.",
        "success",
    )


def _json_bytes(scenario: Scenario, base: Evidence) -> bytes:
    return to_json(scenario, base).encode("utf-8")


def _ranking_csv(evidence: Evidence, scenario: Scenario) -> str:
    return safe_csv(rank_options(build_problem(evidence, scenario)).to_frame())


def _scores_csv(base: Evidence, scenario: Scenario) -> str:
    return safe_csv(score_table(base, scenario))


def download_section(base: Evidence, evidence: Evidence, scenario: Scenario) -> None:
    left, right = st.columns(2)
    with left:
        st.download_button(
            "Download the ranking (CSV)",
            data=partial(_ranking_csv, evidence, scenario),
            file_name="ranking.csv",
            mime="text/csv",
            key="ranking_csv",
            on_click="ignore",
        )
    with right:
        st.download_button(
            "Download the score table (CSV)",
            data=partial(_scores_csv, base, scenario),
            file_name="scores.csv",
            mime="text/csv",
            key="scores_csv",
            on_click="ignore",
            help="Every score the ranking uses, your edits and your own options included (marked Yours).",
        )
