"""Brief a room: choose the briefing's scenes, open presenter mode, and download the briefing.

The files are made when their button is clicked (never on a rerun): the HTML briefing in a few
hundredths of a second, straight from the download button; the PowerPoint deck and a chart's picture,
whose charts the process's one kaleido browser draws in a second or two, by :mod:`ui.slow_files`
(one at a time, off the download threads), then offered for download.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import partial

import streamlit as st

from core.briefing import Briefing, build_briefing, build_scene, picture_about
from core.evidence import Evidence
from core.problem import problem_for
from core.scenario import Scenario
from core.scenario_io import to_json
from core.settings import COVER_FIELDS, SCENE_IDS, SCENE_NAMES
from core.text import md_escape
from exports import images
from exports.html import briefing_file
from exports.picture import scene_png
from exports.pptx import briefing_deck
from ui import slow_files, state
from ui.client import narrow
from ui.compute import BRIEFING_SAMPLES, acceptability, problem_or_none
from ui.links import PUBLIC_URL_VARIABLE, file_link
from ui.loaders import get_supply_chain

CHART_SCENES = ("question", "tradeoffs", "ranking", "robustness", "displacement")
PPTX = (
    "fentanyl-policy-briefing",
    "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
)


def _today() -> str:
    return dt.date.today().strftime("%d %B %Y").lstrip("0")


# The files are made in a thread of their own after a click, outside the session: every input is
# passed in when the button is drawn (the session's state cannot be read there).
def _briefing(evidence: Evidence, scenario: Scenario) -> Briefing:
    problem = problem_for(evidence, scenario)
    acc = acceptability(problem, BRIEFING_SAMPLES, first_only=True)
    return build_briefing(evidence, problem, get_supply_chain(), acc)


def _html(evidence: Evidence, scenario: Scenario, link: str, made: str) -> bytes:
    return briefing_file(_briefing(evidence, scenario), link=link, made=made)


def _deck(evidence: Evidence, scenario: Scenario, link: str, made: str) -> bytes:
    return briefing_deck(_briefing(evidence, scenario), link=link, made=made)


def _png(base: Evidence, evidence: Evidence, scenario: Scenario, scene_id: str, link: str, made: str) -> bytes:  # noqa: PLR0913
    problem = problem_for(evidence, scenario)
    acc = acceptability(problem, BRIEFING_SAMPLES, first_only=True)
    # What a picture carries in its text chunks: where it came from, and the scenario to load it again.
    about = picture_about(evidence, scenario, made=made, link=link, saved=to_json(scenario, base))
    return scene_png(build_scene(scene_id, evidence, problem, get_supply_chain(), acc), about)


def _set_scenes() -> None:
    picked = tuple(st.session_state.get(state.widget_key("scenes")) or ())
    if not picked:
        state.notify("A briefing needs at least one scene, so the scenes were left as they were.")
        state.apply_scenario(state.get_scenario())  # redraw the chooser with the scenes kept
        return
    state.set_scenario(replace(state.get_scenario(), scenes=picked))


def _standard_order() -> None:
    scenario = state.get_scenario()
    state.apply_scenario(replace(scenario, scenes=tuple(s for s in SCENE_IDS if s in scenario.scenes)))


def _scene_chooser(scenario: Scenario) -> None:
    """The scenes and their order, the way into presenter mode, and the way back to the standard order."""
    st.multiselect(
        "Scenes, in the order they are shown",
        options=list(SCENE_IDS),
        default=list(scenario.scenes),
        format_func=SCENE_NAMES.get,
        key=state.widget_key("scenes"),
        on_change=_set_scenes,
        help="A scene added goes to the end: to move one later, remove it and add it again. The scenes travel "
        "with the link and the scenario file.",
    )
    left, right = st.columns(2)
    with left:
        st.page_link("app_pages/present.py", label="Present these scenes", icon=":material/co_present:")
        st.caption(
            "Full screen with large type for a projector; step with the arrow keys, Page Up / Page Down (as a "
            "clicker sends) or space, and Escape to come back."
        )
    with right:
        if scenario.scenes != tuple(s for s in SCENE_IDS if s in scenario.scenes):
            st.button("Put them in the standard order", on_click=_standard_order, key="scenes_standard")


def _cover() -> None:
    """The title slide's words, the briefer's own: part of the scenario, so a link and a file carry them."""
    with st.expander("Title slide: title, presenter, organisation, date", icon=":material/badge:"):
        columns = st.columns(2)
        for k, (name, (label, _code, most, hint)) in enumerate(COVER_FIELDS.items()):
            with columns[k % 2]:
                st.text_input(
                    label.capitalize(),
                    value=state.widget_value(name),
                    max_chars=most,
                    placeholder=hint,
                    **state.bound(name),
                )
        st.caption(
            "On the deck's title slide and at the head of the HTML briefing. Empty: the dashboard's own title, "
            "no name, and the day a file is made."
        )


def _file_downloads(evidence: Evidence, scenario: Scenario, link: str, made: str) -> None:
    """The HTML briefing, straight from its button, and the slides' button (when pictures can be drawn)."""
    with st.container(horizontal=True, key="briefing_downloads"):
        st.download_button(
            "Briefing (HTML, works offline)",
            data=partial(_html, evidence, scenario, link, made),
            file_name="fentanyl-policy-briefing.html",
            mime="text/html",
            key="download_briefing_html",
            on_click="ignore",
            icon=":material/description:",
        )
        if images.available():
            st.button(
                "Slides (PowerPoint)",
                on_click=slow_files.request,
                args=("pptx", "the slides", partial(_deck, evidence, scenario, link, made), PPTX),
                key="download_briefing_pptx",
                icon=":material/slideshow:",
            )


def _png_download(base: Evidence, evidence: Evidence, scenario: Scenario, link: str, made: str) -> None:
    """A chart to choose and the button that makes its picture."""
    # Side by side on a desk; one under the other on a phone, where the picker would be too narrow to read.
    with st.container(horizontal=not narrow(), key="png_download", vertical_alignment="bottom"):
        chart = st.selectbox(
            "A chart as a picture (1920x1080 PNG)",
            options=list(CHART_SCENES),
            format_func=SCENE_NAMES.get,
            key="png_scene",
        )
        st.button(
            "Make the picture",
            on_click=slow_files.request,
            args=(
                "png",
                "the picture",
                partial(_png, base, evidence, scenario, chart, link, made),
                (f"fentanyl-{chart}-1920x1080", "png", "image/png"),
            ),
            key="download_scene_png",
            icon=":material/image:",
        )


def briefing_section(base: Evidence) -> None:
    """The scene chooser, the way into presenter mode and the three downloads."""
    scenario = state.get_scenario()
    _scene_chooser(scenario)
    evidence = state.current_evidence(base)
    if problem_or_none(evidence, scenario) is None:
        st.info("Every weight is zero, so there is nothing to brief: set the weights on the Weigh page.")
        return
    st.markdown(
        "**Take the briefing with you** (each file carries the scenario, the sources, the date and the "
        "evidence version, and a link back here when the server has a public address):"
    )
    _cover()
    link, made = file_link(base), _today()
    if not link:
        st.caption(
            md_escape(
                f"The files carry no link back to the app: set {PUBLIC_URL_VARIABLE} to the address people open "
                "(for example https://policy.example.org/) and restart the app to have them carry one."
            )
        )
    _file_downloads(evidence, scenario, link, made)
    if not images.available():
        st.info(md_escape(images.NO_CHROMIUM), icon=":material/image_not_supported:")
        return
    slow_files.show("pptx")
    _png_download(base, evidence, scenario, link, made)
    slow_files.show("png")
    st.caption("The HTML briefing prints cleanly: its one-page summary first, then a scene per page (A4 or Letter).")
