"""The briefing's scenes: built from the data for any scenario, in the scenario's order, saying what the data say.

(The deck travelling in links and files is covered by the round-trip tests: their scenarios choose scenes.)
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings

from conftest import examples
from core.briefing import build_briefing, build_scene, count_quotes, nearest_tipping
from core.edits import evidence_with_edits
from core.evidence import split_quote_ids
from core.facts import count
from core.hindsight import as_of
from core.montecarlo import rank_acceptability
from core.packages import stated_interactions
from core.problem import build_problem
from core.ranking import rank_options
from core.scenario import CustomOption, default_scenario
from core.scoring import InputError
from core.sensitivity import TippingPoint
from core.settings import SCENE_IDS, setting
from core.supply_chain import load_supply_chain
from strategies import EVIDENCE, scenarios

CHAIN = load_supply_chain(EVIDENCE)


def _briefing(scenario, evidence=EVIDENCE):
    dated = as_of(evidence, scenario.evidence_date)
    ranked = evidence_with_edits(dated, scenario) if (scenario.overrides or scenario.custom_options) else dated
    problem = build_problem(ranked, scenario)
    acc = rank_acceptability(problem, samples=2_000, first_only=True)
    return ranked, problem, build_briefing(ranked, problem, CHAIN, acc)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_any_scenario_gives_its_chosen_scenes_in_its_order_each_with_a_headline(scenario):
    _evidence, _problem, briefing = _briefing(scenario)
    assert tuple(s.scene_id for s in briefing.scenes) == scenario.scenes
    for scene in briefing.scenes:
        assert scene.headline.strip() and "\n" not in scene.headline
        assert all(p.strip() for p in scene.points)
    assert briefing.sources and briefing.stamp.startswith("Evidence current to")


def test_the_headlines_are_written_from_the_data(evidence):
    scenario = default_scenario(evidence)
    _e, problem, briefing = _briefing(scenario, evidence)
    scenes = {s.scene_id: s for s in briefing.scenes}
    assert count(evidence, "overdose_deaths_2024") in scenes["question"].headline  # today: the latest final count
    then = replace(scenario, evidence_date="march_2022")
    assert (
        count(evidence, "overdose_deaths_12m_2021")
        in {s.scene_id: s for s in _briefing(then, evidence)[2].scenes}["question"].headline
    )
    leader = rank_options(problem).names[0]
    assert scenes["ranking"].headline.startswith(leader)
    assert scenes["takeaways"].headline.startswith(leader)
    # Another weighting puts another option first, and the headlines follow it.
    diplomacy = replace(scenario, weights=tuple(evidence.lens_weights("diplomacy_first").items()), lens=None)
    _e, problem2, briefing2 = _briefing(diplomacy, evidence)
    leader2 = rank_options(problem2).names[0]
    assert leader2 != leader
    assert {s.scene_id: s for s in briefing2.scenes}["ranking"].headline.startswith(leader2)


def test_the_march_2022_view_leaves_later_death_counts_out_of_the_question(evidence):
    today = build_scene("question", *_briefing(default_scenario(evidence), evidence)[:2], CHAIN, None)
    march = replace(default_scenario(evidence), evidence_date="march_2022")
    ranked, problem, _b = _briefing(march, evidence)
    then = build_scene("question", ranked, problem, CHAIN, None)
    assert any("after the article" in n for n in today.notes)
    assert not any("after the article" in n for n in then.notes)


def test_a_users_option_name_reaches_the_scenes_as_plain_text(evidence):
    name = "<img src=x onerror=alert(1)> **bold** [x](http://203.0.113.5)"
    mine = CustomOption("mine", name, tuple((c, 4.0, 4.0, 4.0) for c in evidence.criterion_ids), "mine")
    scenario = replace(default_scenario(evidence), custom_options=(mine,))
    _e, _p, briefing = _briefing(scenario, evidence)
    ranking = {s.scene_id: s for s in briefing.scenes}["ranking"]
    assert ranking.headline.startswith(name)  # the raw text: each renderer escapes it for its own medium


@pytest.mark.parametrize(
    "bad, message",
    [([], "one to"), (["question", "question"], "each scene once"), (["nope"], "is not one of"), ("q", "a list")],
)
def test_a_bad_scene_list_is_refused_with_a_message_naming_the_problem(bad, message):
    with pytest.raises(InputError, match=message):
        setting("scenes").check(bad, None)


def test_the_nearest_tipping_point_is_the_smallest_change_of_one_weight():
    far = TippingPoint("a", 0.3, "x", (0.05, "y"), None)
    near = TippingPoint("b", 0.2, "x", None, (0.26, "z"))
    none = TippingPoint("c", 0.2, "x", None, None)
    assert nearest_tipping([far, near, none]) is near
    assert nearest_tipping([none]) is None


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_the_briefing_carries_every_score_shown_with_its_quotes_and_the_sources_scene_counts_them(scenario):
    scenario = replace(scenario, scenes=SCENE_IDS)  # the Sources scene, and the takeaways' best pair, in view
    evidence, problem, briefing = _briefing(scenario)
    cells = [(evidence.option_ids[i], c) for i in problem.view for c in evidence.criterion_ids]
    scored = briefing.quotes[: len(cells)]  # then the interactions between a package's members, if any
    assert all(c.option.endswith(", in a package") for c in briefing.quotes[len(cells) :])
    for cell, (option, criterion) in zip(scored, cells, strict=True):
        assert (cell.option, cell.criterion) == (evidence.option_name(option), evidence.criterion_name(criterion))
        row = evidence.score_rows[(option, criterion)]
        cited = () if row.get("user_edit") else split_quote_ids(row.get("quote_ids", ""))
        assert [q.quote_id for q in cell.quotes if not q.against] == list(cited)
        assert f"{float(row['likely']):g} (" in cell.score
    # Every source a quote cites is listed once, after the scenes' own.
    listed = [sid for sid, _c, _u in briefing.listed_sources]
    assert len(listed) == len(set(listed)) and listed[: len(briefing.sources)] == [s for s, _c, _u in briefing.sources]
    assert {q.source_id for c in briefing.quotes for q in c.quotes} <= set(listed)
    # The Sources scene says what the file holds, counted from the same quotes.
    shown = count_quotes(briefing.quotes)
    scene = next(s for s in briefing.scenes if s.scene_id == "sources")
    assert f": {shown.behind} quotes from {shown.behind_sources} sources" in scene.headline
    said = [p for p in scene.points if "appendix" in p or p.startswith("No quote")]
    assert len(said) == 1 and not any("evidence cards" in p for p in scene.points)
    if shown.behind + shown.against:
        assert said[0].startswith(f"All {shown.behind} quotes behind these scores")
        assert (f"(and {shown.against} more against them)" in said[0]) == bool(shown.against)


def test_the_tradeoffs_scene_says_how_many_leaders_its_chart_draws(evidence):
    _e, problem, briefing = _briefing(replace(default_scenario(evidence), scenes=("tradeoffs",)))
    scene = briefing.scenes[0]
    drawn = [o for o in scene.info.option_ids if evidence.option_roles[evidence.option_ids.index(o)] != "status_quo"]
    competing = sum(evidence.option_roles[i] != "status_quo" for i in problem.view)
    assert f"The {len(drawn)} leaders of {competing} with these weights" in scene.points[0]


def test_a_packages_sourced_interaction_brings_its_quotes_into_the_briefing(evidence):
    pair = ("sanctions_and_indictments", "calibrated_reciprocity")
    scenario = replace(default_scenario(evidence), include_post_seed=True, interactions=True, packages=(pair,))
    _e, _p, briefing = _briefing(scenario, evidence)
    stated = [it for it in stated_interactions(evidence) if set(it.options) == set(pair)]
    assert stated  # the sources state one for this pair
    moved = [c for c in briefing.quotes if c.option.endswith(", in a package")]
    assert [[q.quote_id for q in c.quotes] for c in moved] == [list(it.quote_ids) for it in stated]
    assert all(evidence.option_name(o) in moved[0].option for o in pair)
    # Switched off, the interaction moves no score, and its quotes are not behind any.
    off = _briefing(replace(scenario, interactions=False), evidence)[2]
    assert not [c for c in off.quotes if c.option.endswith(", in a package")]
