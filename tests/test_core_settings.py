"""The scenario schema: a setting described once works everywhere (link, file, widgets, comparison)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from core import setting_type, settings
from core.briefing import build_briefing, picture_about
from core.montecarlo import rank_acceptability
from core.problem import build_problem
from core.scenario import Scenario, default_scenario
from core.scenario_compare import compare_scenarios, differences
from core.scenario_io import from_json, to_json
from core.scenario_link import from_query, to_query
from core.supply_chain import load_supply_chain


@pytest.fixture
def extra_settings(monkeypatch):
    """Two settings no code knows about: one switch and one whole number."""
    added = (
        setting_type.flag("rehearsal", False, "whether this is a rehearsal", "rh"),
        setting_type.number("rehearsal_minutes", 10, (1, 60), "the rehearsal's length", "rm", whole=True),
    )
    monkeypatch.setattr(settings, "SETTINGS", (*settings.SETTINGS, *added))
    return added


@pytest.mark.usefixtures("extra_settings")
def test_a_new_setting_round_trips_through_link_file_and_comparison(evidence):
    base = default_scenario(evidence)
    assert base.rehearsal is False and base.rehearsal_minutes == 10
    changed = replace(base, rehearsal=True, rehearsal_minutes=25.0)
    assert changed.rehearsal_minutes == 25 and isinstance(changed.rehearsal_minutes, int)  # the control's type
    query = to_query(changed, evidence)
    assert query["rh"] == "1" and query["rm"] == "25"
    assert "rh" not in to_query(base, evidence)  # at its default, a setting stays out of the link
    assert from_query({k: [v] for k, v in query.items()}, evidence, base).scenario == changed
    loaded = from_json(to_json(changed, evidence), evidence, base)
    assert loaded.notices == () and loaded.scenario == changed
    bad = from_json(
        to_json(changed, evidence).replace('"rehearsal_minutes": 25', '"rehearsal_minutes": 99'), evidence, base
    )
    assert "Ignored rehearsal_minutes: the rehearsal's length must lie from 1 to 60; got 99." in bad.notices[0]
    assert {"whether this is a rehearsal", "the rehearsal's length"} <= set(
        differences(evidence, [("a", base), ("b", changed)])
    )


@pytest.mark.usefixtures("extra_settings")
def test_a_new_setting_is_said_in_words_by_the_comparison_the_briefing_and_a_picture(evidence):
    base = default_scenario(evidence)
    changed = replace(base, rehearsal=True, rehearsal_minutes=25)
    table = compare_scenarios(evidence, [("a", base), ("b", changed)]).table
    assert table.loc["Whether this is a rehearsal"].tolist() == ["no", "yes"]
    assert table.loc["The rehearsal's length"].tolist() == ["10", "25"]
    problem = build_problem(evidence, changed)
    briefing = build_briefing(evidence, problem, load_supply_chain(evidence), rank_acceptability(problem, 500))
    said = dict(briefing.settings)
    assert said["Whether this is a rehearsal"] == "yes" and said["The rehearsal's length"] == "25"
    assert "Whether this is a rehearsal: yes" in picture_about(evidence, changed)["Settings"]


def test_every_setting_is_said_alike_by_the_briefing_and_the_comparison(evidence):
    """The two lists of settings in words come from one registry, so they cannot disagree."""
    scenario = replace(
        default_scenario(evidence), method="expected_impact", certainty="unsure", account_for_displacement=True
    )
    table = compare_scenarios(evidence, [("only", scenario)]).table["only"]
    problem = build_problem(evidence, scenario)
    briefing = build_briefing(evidence, problem, load_supply_chain(evidence), rank_acceptability(problem, 500))
    for heading, words in briefing.settings:
        assert table[heading] == words, heading
    headings = [h for h, _ in briefing.settings]
    # Every setting is in use here: displacement's parameters, and the years each time label stands for; the
    # cover (title, presenter...) is on the title slide, not among the settings.
    assert {s.title for s in settings.all_settings() if s.group != settings.COVER} <= set(headings)
    assert not {s.title for s in settings.all_settings() if s.group == settings.COVER} & set(headings)
    assert dict(briefing.settings)["Method"] == "Expected impact (speed and durability qualify the effect)"
    assert dict(briefing.settings)["Years 'several years' stands for (an assumption)"] == "3 years"
    assert dict(briefing.settings)["How sure the weights are"] == "Unsure (about ±70%)"


def _app_with_a_bound_toggle():
    import streamlit as st

    from core.evidence import load_evidence
    from ui import state

    state.init(load_evidence())
    st.toggle("Rehearsal", value=state.widget_value("rehearsal"), **state.bound("rehearsal"))
    st.number_input("Minutes", value=state.widget_value("rehearsal_minutes"), **state.bound("rehearsal_minutes"))


@pytest.mark.usefixtures("extra_settings")
def test_a_new_setting_is_shown_and_written_back_by_a_widget_bound_by_name():
    at = AppTest.from_function(_app_with_a_bound_toggle)
    at.run()
    toggle = next(t for t in at.toggle if t.key.startswith("rehearsal-g"))
    assert toggle.value is False
    toggle.set_value(True).run()
    next(n for n in at.number_input if n.key.startswith("rehearsal_minutes-g")).set_value(30).run()
    scenario = at.session_state["scenario"]
    assert scenario.rehearsal is True and scenario.rehearsal_minutes == 30


def test_a_scenario_names_an_unknown_setting():
    with pytest.raises(TypeError, match="no setting 'colour'"):
        Scenario(weights=(("a", 1.0),), colour="red")


def test_numbers_are_held_in_the_type_of_their_control(evidence):
    scenario = replace(default_scenario(evidence), half_life_months=3, horizon_years=5.0)
    assert isinstance(scenario.half_life_months, float) and isinstance(scenario.horizon_years, int)
    assert scenario.displacement.half_life_months == 3.0
