"""The app's behaviour through Streamlit's AppTest, on synthetic evidence.

The scores are made up (tests/synthetic.py): each criterion has one option that is best on it and
middling elsewhere, so whatever the weights, the option best on the heaviest criterion leads. The
tests assert what the controls do, not today's reading of the sources (tests/test_app_real.py shows
the real evidence).
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from app_kit import (
    APP,
    ROBUSTNESS,
    SCENARIOS,
    SUPPLY,
    WEIGH,
    chart,
    headings,
    launch,
    move,
    open_panel,
    plain_labels,
    ranking_labels,
    text,
    verdict,
    widget,
)
from conftest import DATA
from core.problem import problem_for
from core.scenario import default_scenario
from synthetic import SPECIALISTS, WORST, write_synthetic_data
from ui.loaders import DATA_DIR_VARIABLE, get_evidence


@pytest.fixture(scope="module")
def synthetic_folder(tmp_path_factory):
    return write_synthetic_data(DATA, tmp_path_factory.mktemp("synthetic") / "data")


@pytest.fixture(autouse=True)
def synthetic_evidence(synthetic_folder, monkeypatch, evidence):
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(synthetic_folder))
    names = dict(evidence.option_names)  # the ids and names are the real ones; only the scores are made up
    return {criterion: names[option] for criterion, option in SPECIALISTS.items()} | {"worst": names[WORST]}


def test_the_verdict_names_the_option_best_on_the_heaviest_criterion(synthetic_evidence):
    at = launch(WEIGH)
    leader = synthetic_evidence["effect_on_precursors"]  # the default lens weighs effect most (30%)
    assert verdict(at).startswith(f"### With these weights, {leader} ranks first")
    assert ranking_labels(at)[0] == leader
    assert chart(at, "ranking_chart")["layout"]["barmode"] == "relative"  # gains right of zero, costs left
    assert chart(at, "matrix_chart")["data"][0]["type"] == "heatmap"
    assert any(c.value.startswith(("All three methods agree", "The methods disagree")) for c in at.caption)
    # Why it leads: the criterion on which it is best, in weighted points.
    why = verdict(at).split("\n\n", 1)[1]  # said with the verdict, in its live region
    assert why.startswith(f"Why: {leader} leads") and "effect on precursors" in why


def test_moving_weight_sliders_changes_the_leader(synthetic_evidence):
    at = launch(WEIGH)
    widget(at, "slider", "weight_diplomatic_cost").set_value(100).run()
    # The move redrew only the results and the lens buttons (no lens is highlighted now), not the sliders.
    assert not at.slider and not any(b.proto.type == "primary" for b in at.button if b.key.startswith("lens_"))
    assert any("Your own weights" in c.value for c in at.caption)
    at.run()
    widget(at, "slider", "weight_effect_on_precursors").set_value(0).run()
    assert ranking_labels(at)[0] == synthetic_evidence["diplomatic_cost"]
    assert at.session_state["scenario"].lens is None
    at.run()  # the whole page agrees
    assert ranking_labels(at)[0] == synthetic_evidence["diplomatic_cost"]
    assert any("Your own weights" in c.value for c in at.caption)


@pytest.mark.parametrize(
    ("lens", "heaviest"), [("diplomacy_first", "diplomatic_cost"), ("public_health_first", "effect_on_precursors")]
)
def test_choosing_a_lens_sets_weights_and_ranking(synthetic_evidence, lens, heaviest):
    at = launch(WEIGH)
    at.button(key=f"lens_{lens}").click().run()
    assert ranking_labels(at)[0] == synthetic_evidence[heaviest]
    scenario = at.session_state["scenario"]
    assert scenario.lens == lens
    assert widget(at, "slider", "weight_diplomatic_cost").value == int(dict(scenario.weights)["diplomatic_cost"])


def test_method_switch_to_topsis_redraws_and_notes_agreement():
    at = launch(WEIGH)
    widget(at, "radio", "method").set_value("topsis").run()
    spec = chart(at, "ranking_chart")
    assert [t["type"] for t in spec["data"]].count("bar") == 1
    assert "TOPSIS" in spec["layout"]["xaxis"]["title"]["text"]
    assert any("methods" in c.value for c in at.caption)


def test_adding_a_limit_rules_an_option_out_and_keeps_it_visible(synthetic_evidence):
    at = launch(WEIGH)
    assert not [w for w in at.selectbox if w.key == "gate_criterion"]  # built only when opened
    open_panel(at, "gates_open")
    at.selectbox(key="gate_criterion").set_value("diplomatic_cost").run()
    at.select_slider(key="gate_limit_diplomatic_cost").set_value(2).run()
    at.button(key="gate_add").click().run()
    labels = ranking_labels(at)
    assert labels[-1] == "✕ " + synthetic_evidence["worst"]  # the one option scoring 3 on diplomatic cost
    assert any(f"Ruled out: {synthetic_evidence['worst']}" in c.value for c in at.caption)
    at.button(key="gate_remove_diplomatic_cost").click().run()
    assert not any(label.startswith("✕") for label in ranking_labels(at))


def test_show_the_maths_reveals_the_table_behind_the_ranking():
    at = launch(WEIGH)
    maths = {"Score used (0-4)", "Value (0-1)", "Weight (%)", "Contribution (points)", "Rests on"}
    assert not any(maths <= set(d.value.columns) for d in at.dataframe)
    at.toggle(key="show_maths").set_value(True).run()
    assert any(maths <= set(d.value.columns) for d in at.dataframe)


def test_weights_survive_a_page_change():
    at = launch(WEIGH)
    move(at, "durability", 85)
    at.switch_page("app_pages/overview.py").run()
    at.switch_page(WEIGH).run()
    assert widget(at, "slider", "weight_durability").value == 85
    assert dict(at.session_state["scenario"].weights)["durability"] == 85


def test_all_zero_weights_give_a_message_not_a_traceback():
    at = launch(WEIGH)
    for slider in at.slider:
        if slider.key.startswith("weight_"):
            slider.set_value(0)
    at.run()
    assert not at.exception
    assert any("All weights are zero" in w.value for w in at.warning)
    at.switch_page(ROBUSTNESS).run()
    assert not at.exception and any("All weights are zero" in w.value for w in at.warning)


def test_options_from_after_the_article_are_marked_and_the_lapsed_tariffs_never_ranked():
    at = launch(WEIGH)
    labels = ranking_labels(at)
    assert "Calibrated reciprocity †" in labels and not any("tariff" in label.lower() for label in labels)
    widget(at, "toggle", "include_post_seed").set_value(False).run()
    labels = ranking_labels(at)
    assert not any("Calibrated reciprocity" in label for label in labels)
    # The status quo of today is always in view: it is the baseline, itself known only after the article.
    assert any(label.startswith("Status quo (Dec 2026)") for label in labels)


def test_chance_of_first_and_tipping_points_follow_the_weights(synthetic_evidence):
    at = launch(WEIGH)
    before = chart(at, "first_chance_chart")
    leader = synthetic_evidence["effect_on_precursors"]
    assert "10,000 random draws" in before["layout"]["xaxis"]["title"]["text"]
    assert plain_labels(before["data"][0]["y"])[0] == leader
    tipping = next(m.value for m in at.markdown if "overtakes" in m.value)
    # Raising the weight on durability lets the option best on durability overtake the leader.
    assert f"{synthetic_evidence['durability']} overtakes {leader} if the weight on durability rises above" in tipping
    move(at, "diplomatic_cost", 100)
    move(at, "effect_on_precursors", 0)
    after = chart(at, "first_chance_chart")
    assert plain_labels(after["data"][0]["y"])[0] == synthetic_evidence["diplomatic_cost"]
    assert next(m.value for m in at.markdown if "overtakes" in m.value) != tipping


def test_certainty_control_changes_the_probabilities():
    at = launch(WEIGH)
    before = chart(at, "first_chance_chart")["data"][0]["x"]
    widget(at, "selectbox", "certainty").set_value("exact").run()
    widget(at, "toggle", "score_uncertainty").set_value(False).run()
    after = chart(at, "first_chance_chart")["data"][0]["x"]
    assert after[0] == 1.0 and before[0] < 1.0
    assert at.session_state["scenario"].certainty == "exact"
    assert at.session_state["scenario"].score_uncertainty is False


def test_robustness_page_shows_acceptability_sweep_tradeoff_and_comparison(synthetic_evidence):
    at = launch(ROBUSTNESS)
    acc = chart(at, "acceptability_chart")
    evidence = get_evidence()
    competing = len(problem_for(evidence, default_scenario(evidence)).in_play)  # the status quo is the baseline
    assert acc["layout"]["barmode"] == "stack" and len(acc["data"]) == competing
    central = at.dataframe[0].value  # central weights, one row per option that ever ranks first
    assert synthetic_evidence["effect_on_precursors"] in central.index
    assert central.drop(columns="Ranks first (%)").sum(axis=1).round(0).eq(100).all()
    at.selectbox(key="sweep_criterion").set_value("durability").run()
    assert any(f"{synthetic_evidence['durability']} takes the lead" in c.value for c in at.caption)
    at.selectbox(key="tradeoff_x").set_value("effect_on_precursors").run()
    at.selectbox(key="tradeoff_y").set_value("diplomatic_cost").run()
    assert f"{synthetic_evidence['worst']} is beaten on both criteria by" in text(at)
    leader = synthetic_evidence["effect_on_precursors"]
    assert any(h.startswith(f"{leader} leads") for h in headings(at))  # opens on the top two


def test_robustness_page_uses_the_weigh_page_scenario(synthetic_evidence):
    at = launch(WEIGH)
    widget(at, "radio", "method").set_value("topsis").run()
    move(at, "diplomatic_cost", 100)
    move(at, "effect_on_precursors", 0)
    at.switch_page(ROBUSTNESS).run()
    assert not at.exception
    assert widget(at, "slider", "weight_diplomatic_cost").value == 100
    assert "TOPSIS" in " ".join(c.value for c in at.caption)
    assert plain_labels(chart(at, "acceptability_chart")["data"][0]["y"])[0] == synthetic_evidence["diplomatic_cost"]


def test_the_displacement_model_reads_durability_for_every_option(synthetic_evidence):
    at = launch(SUPPLY)
    widget(at, "slider", "substitution_share").set_value(0.0).run()  # nothing substitutes: every effect stands
    assert any("still stands" in h for h in headings(at))
    widget(at, "toggle", "account_for_displacement").set_value(True).run()
    assert at.session_state["scenario"].account_for_displacement
    table = at.dataframe[-1].value.set_index("Option")
    durable = synthetic_evidence["durability"]  # its edge on durability is gone when every effect stands
    assert table.loc[durable, "Rank, durability through the model"] > table.loc[durable, "Rank, durability as labelled"]
    at.switch_page(WEIGH).run()
    assert not at.exception
    assert any("Durability is read through the illustrative displacement model" in i.value for i in at.info)
    assert dict(at.session_state["scenario"].weights)["effect_on_precursors"] == 30  # the weights did not move


def test_the_url_follows_the_scenario():
    at = launch(WEIGH)
    w = at.query_params["w"]
    assert (w[0] if isinstance(w, list) else w) == "30~20~10~20~10~10"
    move(at, "durability", 55)
    w = at.query_params["w"]
    assert (w[0] if isinstance(w, list) else w) == "30~55~10~20~10~10"


def test_a_share_link_restores_the_scenario_and_names_bad_parts(synthetic_evidence):
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["w"] = "0~0~0~0~100~0"
    at.query_params["m"] = "tp"
    at.query_params["g"] = "diplomatic_cost:2"
    at.query_params["c"] = "telepathy"
    at.run()
    at.switch_page(WEIGH).run()
    assert not at.exception
    scenario = at.session_state["scenario"]
    assert scenario.method == "topsis" and dict(scenario.weights)["diplomatic_cost"] == 100
    assert scenario.certainty == "fairly_sure"  # the bad part was ignored, the default kept
    assert ranking_labels(at)[-1] == "✕ " + synthetic_evidence["worst"]
    assert widget(at, "slider", "weight_diplomatic_cost").value == 100


def test_a_link_with_bad_parts_shows_a_notice_and_no_traceback():
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["w"] = "1~2~banana"
    at.query_params["zz"] = "<script>alert(1)</script>"
    at.run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "Ignored the link's weights (w)" in warnings and "Ignored the unknown link part 'zz'" in warnings
    assert dict(at.session_state["scenario"].weights)["effect_on_precursors"] == 30


def test_scenarios_page_shows_link_qr_and_downloads():
    at = launch(SCENARIOS)
    code = at.get("code")[0].value
    assert "/weigh?v=2&w=30~20~10~20~10~10" in code.replace("%7E", "~")
    at.toggle(key="show_qr").set_value(True).run()
    assert at.get("image")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download this scenario (JSON)" in labels and "Download the ranking (CSV)" in labels


def test_saved_scenarios_compare_side_by_side(synthetic_evidence):
    at = launch(SCENARIOS)
    at.button(key="save_scenario").click().run()
    at.switch_page(WEIGH).run()
    at.button(key="lens_diplomacy_first").click().run()
    at.switch_page(SCENARIOS).run()
    at.text_input(key="save_name").input("Diplomacy").run()
    at.button(key="save_scenario").click().run()
    table = at.dataframe[0].value
    assert list(table.columns) == ["Scenario 1", "Diplomacy"]
    assert list(table.index[:3]) == ["Rank 1", "Rank 2", "Rank 3"]  # the answer first
    first, second = synthetic_evidence["effect_on_precursors"], synthetic_evidence["diplomatic_cost"]
    assert table.loc["Rank 1", "Scenario 1"] == first and table.loc["Rank 1", "Diplomacy"] == second
    agreement = next(m.value for m in at.markdown if "disagree on the top option" in m.value)
    assert f"Scenario 1 puts {first} first" in agreement and f"Diplomacy puts {second} first" in agreement
    differs = next(m.value for m in at.markdown if m.value.startswith("**What differs:**"))
    assert "the weight on diplomatic cost (Scenario 1 10%, Diplomacy 35%)" in differs
    at.button(key="restore_0").click().run()
    assert at.session_state["scenario"].lens == "report_emphasis"
    assert any("Restored Scenario 1" in s.value for s in at.success)


def test_one_users_edits_never_reach_another_session():
    from core.scenario import ScoreOverride

    alice, bob = launch(WEIGH), launch(WEIGH)
    scenario = alice.session_state["scenario"]
    edit = ScoreOverride("diplomatic_concession", "diplomatic_cost", 0.0, 0.0, 0.0, "Alice's view")
    alice.session_state["scenario"] = type(scenario)(**{**scenario.__dict__, "overrides": (edit,)})
    alice.run()
    bob.run()
    alice_matrix = chart(alice, "matrix_chart")["data"][0]["text"]
    bob_matrix = chart(bob, "matrix_chart")["data"][0]["text"]
    assert alice_matrix != bob_matrix
    assert any("✎" in cell for row in alice_matrix for cell in row)
    assert not any("✎" in cell for row in bob_matrix for cell in row)
    assert bob.session_state["scenario"].overrides == ()


def test_an_edited_cell_card_says_it_is_yours():
    from core.scenario import ScoreOverride

    at = launch(WEIGH)
    scenario = at.session_state["scenario"]
    edit = ScoreOverride("encourage_aml", "durability", 3.0, 2.0, 4.0, "My reading: $5 <b>bold</b>")
    at.session_state["scenario"] = type(scenario)(**{**scenario.__dict__, "overrides": (edit,)})
    at.run()
    at.selectbox(key="card_option").set_value("encourage_aml").run()
    at.selectbox(key="card_criterion").set_value("durability").run()
    assert "**Your own score** (not from a source)" in text(at)
    assert r"My reading: \$5 \<b\>bold\</b\>" in text(at)


@pytest.mark.slow  # a million draws
def test_a_million_samples_run_on_request_for_the_current_settings_only():
    at = launch(ROBUSTNESS)
    assert "20,000 random draws" in chart(at, "acceptability_chart")["layout"]["xaxis"]["title"]["text"]
    at.button(key="run_million").click().run()
    assert "1,000,000 random draws" in chart(at, "acceptability_chart")["layout"]["xaxis"]["title"]["text"]
    move(at, "durability", 40)
    assert "20,000 random draws" in chart(at, "acceptability_chart")["layout"]["xaxis"]["title"]["text"]


def test_one_rerun_computes_the_problem_once(monkeypatch):
    """However many sections use it (ranking, agreement, chance of first, tipping points), a rerun of the
    Weigh page builds its decision problem once."""
    from core import problem

    calls = []
    build = problem.build_problem
    monkeypatch.setattr(problem, "build_problem", lambda e, s: calls.append(s) or build(e, s))
    at = launch(WEIGH)
    calls.clear()
    move(at, "durability", 65)
    assert len(calls) == 1


def test_the_evidence_as_of_march_2022_is_said_beside_the_ranking_and_carried_by_the_link():
    at = launch(WEIGH)
    widget(at, "radio", "evidence_date").set_value("march_2022").run()
    assert any("what was knowable in March 2022" in i.value for i in at.info)
    assert widget(at, "toggle", "include_post_seed").disabled  # the 2025 option cannot be knowable then
    a = at.query_params["a"]
    assert (a[0] if isinstance(a, list) else a) == "2022"
    at.switch_page(ROBUSTNESS).run()
    assert any("what was knowable in March 2022" in i.value for i in at.info)
    # How sure is the ranking: the ranking then and now, side by side, built when opened.
    assert any(e.label.startswith("What was knowable in March 2022") for e in at.expander)
    at.session_state["hindsight_open"] = True
    at.run()
    assert any("Rank as of March 2022" in df.value.columns for df in at.dataframe)


def test_a_package_is_drawn_next_to_the_single_options_and_the_anti_option_is_warned(synthetic_evidence):
    at = launch(WEIGH)
    assert not any(m.value.startswith("The best package of two") for m in at.markdown)  # built only when open
    open_panel(at, "packages_open")
    assert any(m.value.startswith(("The best package of two", "Under these package rules")) for m in at.markdown)
    at.multiselect(key="package_pick").set_value(["diplomatic_concession", "encourage_aml"]).run()
    assert any("catastrophic error" in w.value for w in at.warning)
    at.multiselect(key="package_pick").set_value(["global_industry_self_regulation", "encourage_aml"]).run()
    at.button(key="package_add").click().run()
    package = ("encourage_aml", "global_industry_self_regulation")  # in the evidence's order
    assert at.session_state["scenario"].packages == (package,)
    labels = plain_labels(chart(at, "packages_chart")["data"][0]["y"])
    name = f"{synthetic_evidence['independence_from_relations']} + {synthetic_evidence['effect_on_precursors']}"
    assert f"{name} (package)" in labels
    assert any(m.value.startswith(f"- {name}:") and "alone scores" in m.value for m in at.markdown)
    at.button(key="package_remove_" + "+".join(package)).click().run()
    assert at.session_state["scenario"].packages == ()


def test_every_page_says_how_current_its_evidence_is():
    """The sidebar says it on every page; presenter mode and the phone's page, where the sidebar is out of sight,
    say it in the page itself."""
    at = launch()
    stamp = get_evidence().stamp
    assert stamp.startswith("Evidence current to")
    pages = (WEIGH, ROBUSTNESS, SUPPLY, SCENARIOS, "app_pages/present.py", "app_pages/room.py", "app_pages/join.py")
    for page in pages:
        at.switch_page(page).run()
        assert not at.exception
        assert any(stamp in c.value for c in at.sidebar.caption), page
    at.switch_page("app_pages/present.py").run()
    assert any(get_evidence().current_to in c.value for c in at.main.caption)


def test_the_other_camp_is_shown_on_request_with_both_camps_ranks():
    at = launch(WEIGH)
    assert not [d for d in at.dataframe if "Rank: a China hawk's weights" in d.value.columns]  # built only when open
    open_panel(at, "camps_open")
    table = next(d.value for d in at.dataframe if "Rank: a China hawk's weights" in d.value.columns)
    assert "Rank: an engagement advocate's weights" in table.columns and len(table) >= 2
    said = "Moving from a China hawk's weights to an engagement advocate's "
    assert any(m.value.startswith(said) for m in at.markdown)  # the core tests check what it says


def test_a_hostile_own_option_name_stays_text_on_the_weigh_page_with_the_other_camps_panel_open():
    from dataclasses import replace

    from core.scenario import CustomOption

    at = launch(WEIGH)
    scenario = at.session_state["scenario"]
    evil = "![x](http://evil.example/a.png) <img src=x>"
    # Scored best on every criterion, so it leads under any weights and is named in the panel's sentence.
    from core.evidence import load_evidence

    sourced = load_evidence()
    best = [sourced.scale_max[j] if b else sourced.scale_min[j] for j, b in enumerate(sourced.benefit)]
    scores = tuple((c, v, v, v) for c, v in zip(sourced.criterion_ids, map(float, best), strict=True))
    at.session_state["scenario"] = replace(scenario, custom_options=(CustomOption("mine", evil, scores, "r"),))
    at.run()
    open_panel(at, "camps_open")
    table = next(d.value for d in at.dataframe if "Rank: a China hawk's weights" in d.value.columns)
    assert f"{evil} (yours)" in list(table["Option"])  # a table cell is text, never Markdown
    shown = " ".join(m.value for m in at.markdown)
    assert r"!\[x\](http" in shown  # named, escaped: no image is fetched, no tag is drawn
    assert not re.search(r"(?<!\\)(!\[x\]\(|<img)", shown)
