"""The app through Streamlit's AppTest: every page runs, and the controls change what is shown."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from conftest import DASHBOARD

APP = str(DASHBOARD / "app.py")
WEIGH = "app_pages/weigh.py"


def launch(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart(at: AppTest, key: str) -> dict:
    """The figure of the plotly chart drawn with ``key``."""
    matches = [el for el in at.get("plotly_chart") if el.proto.id.endswith(f"-{key}")]
    assert matches, f"no chart with key {key!r}"
    return json.loads(matches[0].proto.spec)


def widget(at: AppTest, kind: str, name: str):
    """The widget of ``kind`` that shows setting ``name`` (its key carries the scenario's generation)."""
    for w in getattr(at, kind):
        if w.key and w.key.rsplit("-g", 1)[0] == name:
            return w
    raise AssertionError(f"no {kind} for {name!r}")


def headings(at: AppTest) -> list[str]:
    """The takeaway titles written above the charts."""
    return [m.value.removeprefix("#### ") for m in at.markdown if m.value.startswith("#### ")]


def plain_labels(labels: list[str]) -> list[str]:
    return [label.replace("<br>", " ") for label in labels]


def ranking_labels(at: AppTest) -> list[str]:
    return plain_labels(chart(at, "ranking_chart")["data"][0]["y"])


def verdict(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("### "))


def test_overview_states_question_figures_options_and_scope():
    at = launch()
    text = " ".join(m.value for m in at.markdown)
    assert "**104,288**" in text and "**78,388**" in text
    assert "12-month provisional count" in text
    assert r"\$25 million" in text  # the dollar sign is escaped, not read as LaTeX
    assert "Not a forecast" in text
    assert "Global self-regulation of the chemical and pharmaceutical industries" in text
    assert "after the article" in text


def test_weigh_page_shows_verdict_ranking_and_matrix():
    at = launch(WEIGH)
    assert verdict(at).startswith("### With these weights, Global industry self-regulation ranks first")
    assert chart(at, "ranking_chart")["layout"]["barmode"] == "stack"
    assert chart(at, "matrix_chart")["data"][0]["type"] == "heatmap"
    assert any(c.value.startswith("Both methods agree") for c in at.caption)


def test_moving_a_weight_slider_changes_the_ranking():
    at = launch(WEIGH)
    before = ranking_labels(at)
    widget(at, "slider", "weight_diplomatic_cost").set_value(100).run()
    widget(at, "slider", "weight_effect_on_precursors").set_value(0).run()
    after = ranking_labels(at)
    assert after != before
    assert after[0] == "China's own interest"
    assert at.session_state["scenario"].lens is None
    assert any("Your own weights" in c.value for c in at.caption)


@pytest.mark.parametrize(
    ("lens", "first"),
    [("diplomacy_first", "China's own interest"), ("public_health_first", "Global industry self-regulation")],
)
def test_choosing_a_lens_sets_weights_and_ranking(lens, first):
    at = launch(WEIGH)
    at.button(key=f"lens_{lens}").click().run()
    assert ranking_labels(at)[0] == first
    scenario = at.session_state["scenario"]
    assert scenario.lens == lens
    assert widget(at, "slider", "weight_diplomatic_cost").value == int(dict(scenario.weights)["diplomatic_cost"])


def test_method_switch_to_topsis_redraws_and_notes_agreement():
    at = launch(WEIGH)
    widget(at, "radio", "method_choice").set_value("topsis").run()
    spec = chart(at, "ranking_chart")
    assert [t["type"] for t in spec["data"]].count("bar") == 1
    assert "TOPSIS" in spec["layout"]["xaxis"]["title"]["text"]
    assert any("methods" in c.value for c in at.caption)


def test_adding_a_limit_rules_an_option_out_and_keeps_it_visible():
    at = launch(WEIGH)
    at.selectbox(key="gate_criterion").set_value("diplomatic_cost").run()
    at.select_slider(key="gate_limit_diplomatic_cost").set_value(3).run()
    at.button(key="gate_add").click().run()
    labels = ranking_labels(at)
    assert labels[-1] == "✕ Diplomatic concession (anti-option)"
    assert any("Ruled out: Diplomatic concession" in c.value for c in at.caption)
    at.button(key="gate_remove_diplomatic_cost").click().run()
    assert not any(label.startswith("✕") for label in ranking_labels(at))


def test_evidence_card_shows_range_rationale_quote_and_source():
    at = launch(WEIGH)
    at.selectbox(key="card_option").set_value("diplomatic_concession").run()
    at.selectbox(key="card_criterion").set_value("diplomatic_cost").run()
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "Likely score **4** (very high); range 3 to 4" in text
    assert "catastrophic error of trading something diplomatically important" in text
    assert "The Epoch Times" in text
    assert "our interpretation" in text


def test_post_article_quotes_are_flagged_on_the_card():
    at = launch(WEIGH)
    at.selectbox(key="card_option").set_value("law_enforcement_cooperation").run()
    at.selectbox(key="card_criterion").set_value("independence_from_relations").run()
    captions = " ".join(c.value for c in at.caption)
    assert "† After the article (March 2022)." in captions


def test_show_the_maths_reveals_the_table_behind_the_ranking():
    at = launch(WEIGH)
    assert not at.dataframe
    at.toggle(key="show_maths").set_value(True).run()
    table = at.dataframe[0].value
    assert {"Score used (0-4)", "Value (0-1)", "Weight (%)", "Contribution (points)"} <= set(table.columns)


def test_weights_survive_a_page_change():
    at = launch(WEIGH)
    widget(at, "slider", "weight_durability").set_value(85).run()
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


def test_including_the_2025_option_marks_it(evidence):
    at = launch(WEIGH)
    widget(at, "toggle", "include_post_seed").set_value(True).run()
    assert "Fentanyl tariffs (2025) †" in ranking_labels(at)


def test_broken_evidence_stops_the_app_with_the_loader_message(data_copy, monkeypatch):
    folder = data_copy(scores=lambda t: t.replace("encourage_aml,durability,1,0,2", "encourage_aml,durability,9,0,2"))
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception
    assert at.error[0].value.replace("\\", "") == (
        "The evidence base in data/ could not be loaded, so the dashboard cannot start. scores.csv, row 9, "
        "column 'likely': '9.0' is outside the scale of 'durability' (0 to 4)."
    )


ROBUSTNESS = "app_pages/robustness.py"


def tipping_text(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "overtakes" in m.value or "changes the top option" in m.value)


def test_weigh_page_shows_chance_of_first_and_tipping_points_that_follow_the_weights():
    at = launch(WEIGH)
    before_chart = chart(at, "first_chance_chart")
    before_text = tipping_text(at)
    assert "20,000 random draws" in before_chart["layout"]["xaxis"]["title"]["text"]
    assert plain_labels(before_chart["data"][0]["y"])[0] == "Global industry self-regulation"
    assert "Diplomatic concession (anti-option), an option the sources warn against, overtakes Global" in before_text
    widget(at, "slider", "weight_diplomatic_cost").set_value(100).run()
    widget(at, "slider", "weight_effect_on_precursors").set_value(0).run()
    after_chart = chart(at, "first_chance_chart")
    assert plain_labels(after_chart["data"][0]["y"])[0] == "China's own interest"
    assert after_chart["data"][0]["x"] != before_chart["data"][0]["x"]
    assert tipping_text(at) != before_text


def test_certainty_control_changes_the_probabilities():
    at = launch(WEIGH)
    before = chart(at, "first_chance_chart")["data"][0]["x"]
    widget(at, "selectbox", "certainty_choice").set_value("exact").run()
    widget(at, "toggle", "score_uncertainty").set_value(False).run()
    after = chart(at, "first_chance_chart")["data"][0]["x"]
    assert after[0] == 1.0 and before[0] < 1.0
    assert at.session_state["scenario"].certainty == "exact"
    assert at.session_state["scenario"].score_uncertainty is False


def test_robustness_page_shows_acceptability_sweep_tradeoff_and_comparison():
    at = launch(ROBUSTNESS)
    acc = chart(at, "acceptability_chart")
    assert acc["layout"]["barmode"] == "stack" and len(acc["data"]) == 7
    central = at.dataframe[0].value  # central weights, one row per option that ever ranks first
    assert "Global industry self-regulation" in central.index
    assert central.drop(columns="Ranks first (%)").sum(axis=1).round(0).eq(100).all()
    at.selectbox(key="sweep_criterion").set_value("time_to_effect").run()
    sweep = chart(at, "sweep_chart")
    assert any(a["text"].endswith("%") for a in sweep["layout"]["annotations"][1:])
    assert any("Diplomatic concession (anti-option) takes the lead" in c.value for c in at.caption)
    at.selectbox(key="tradeoff_x").set_value("effect_on_precursors").run()
    at.selectbox(key="tradeoff_y").set_value("diplomatic_cost").run()
    text = " ".join(m.value for m in at.markdown)
    assert "Sanctions and indictments is beaten on both criteria by China's own interest" in text
    at.selectbox(key="compare_a").set_value("global_industry_self_regulation").run()
    at.selectbox(key="compare_b").set_value("law_enforcement_cooperation").run()
    chart(at, "compare_chart")
    assert any(
        h.startswith("Global industry self-regulation leads Law-enforcement cooperation by 10.0 points")
        for h in headings(at)
    )


def test_robustness_page_uses_the_weigh_page_scenario():
    at = launch(WEIGH)
    widget(at, "radio", "method_choice").set_value("topsis").run()
    widget(at, "slider", "weight_diplomatic_cost").set_value(100).run()
    widget(at, "slider", "weight_effect_on_precursors").set_value(0).run()
    at.switch_page(ROBUSTNESS).run()
    assert not at.exception
    assert widget(at, "slider", "weight_diplomatic_cost").value == 100
    assert "TOPSIS" in " ".join(c.value for c in at.caption)
    acc = chart(at, "acceptability_chart")
    assert plain_labels(acc["data"][0]["y"])[0] == "China's own interest"


SUPPLY = "app_pages/supply_chain.py"


def test_supply_chain_page_draws_every_chart_with_source_and_data():
    at = launch(SUPPLY)
    for key in (
        "routes_chart",
        "before_after_chart",
        "timeline_chart",
        "deaths_chart",
        "value_chart",
        "industry_chart",
        "displacement_chart",
    ):
        chart(at, key)
    assert sum(c.value.startswith("Source:") for c in at.caption) >= 7
    downloads = at.get("download_button")
    assert len(downloads) >= 7
    assert any("0.007%" in h for h in headings(at))


def test_era_selector_switches_the_routes():
    at = launch(SUPPLY)
    after = [a["text"].replace("<br>", " ") for a in chart(at, "routes_chart")["layout"]["annotations"]]
    assert "precursors and pre-precursors" in after
    at.get("button_group")[0].set_value("before_2019").run()
    before = [a["text"].replace("<br>", " ") for a in chart(at, "routes_chart")["layout"]["annotations"]]
    assert "finished fentanyl" in before and "precursors and pre-precursors" not in before


def test_displacement_assumption_changes_the_ranking_on_the_weigh_page():
    at = launch(SUPPLY)
    widget(at, "slider", "displacement_substitution_share").set_value(1.0).run()
    assert any("still standing" in h for h in headings(at))
    widget(at, "toggle", "account_for_displacement").set_value(True).run()
    assert at.session_state["scenario"].account_for_displacement
    table = at.dataframe[-1].value
    aml = table.set_index("Option").loc["Anti-money-laundering"]
    assert aml["Rank with displacement"] < aml["Rank ignoring displacement"]
    at.switch_page(WEIGH).run()
    assert not at.exception
    labels = ranking_labels(at)
    assert labels.index("Anti-money-laundering") < 4
    # The weights themselves did not move.
    assert dict(at.session_state["scenario"].weights)["effect_on_precursors"] == 30


SCENARIOS = "app_pages/scenarios.py"


def test_the_url_follows_the_scenario():
    at = launch(WEIGH)
    assert at.query_params["w"] == ["30~20~10~20~10~10"] or at.query_params["w"] == "30~20~10~20~10~10"
    widget(at, "slider", "weight_durability").set_value(55).run()
    w = at.query_params["w"]
    assert (w[0] if isinstance(w, list) else w) == "30~55~10~20~10~10"


def test_a_share_link_restores_the_scenario_and_names_bad_parts():
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["w"] = "0~0~0~0~100~0"
    at.query_params["m"] = "tp"
    at.query_params["g"] = "diplomatic_cost:3"
    at.query_params["c"] = "telepathy"
    at.run()
    at.switch_page(WEIGH).run()
    assert not at.exception
    scenario = at.session_state["scenario"]
    assert scenario.method == "topsis" and dict(scenario.weights)["diplomatic_cost"] == 100
    assert scenario.certainty == "fairly_sure"  # the bad part was ignored, the default kept
    assert ranking_labels(at)[-1].startswith("✕ Diplomatic concession")
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
    assert "/weigh?v=1&w=30~20~10~20~10~10" in code.replace("%7E", "~")
    at.toggle(key="show_qr").set_value(True).run()
    assert at.get("image")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download this scenario (JSON)" in labels and "Download the ranking (CSV)" in labels


def test_saved_scenarios_compare_side_by_side():
    at = launch(SCENARIOS)
    at.button(key="save_scenario").click().run()
    at.switch_page(WEIGH).run()
    at.button(key="lens_diplomacy_first").click().run()
    at.switch_page(SCENARIOS).run()
    at.text_input(key="save_name").input("Diplomacy").run()
    at.button(key="save_scenario").click().run()
    table = at.dataframe[0].value
    assert list(table.columns) == ["Scenario 1", "Diplomacy"]
    assert table.loc["Rank 1", "Scenario 1"] == "Global industry self-regulation"
    assert table.loc["Rank 1", "Diplomacy"] == "China's own interest"
    assert any("disagree on the top option" in m.value for m in at.markdown)
    differs = next(m.value for m in at.markdown if m.value.startswith("**What differs:**"))
    assert "the weight on diplomatic cost (Scenario 1 10%, Diplomacy 35%)" in differs
    at.button(key="restore_0").click().run()
    assert at.session_state["scenario"].lens == "report_emphasis"


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
    text = " ".join(m.value for m in at.markdown)
    assert "**Your own score** (not from a source)" in text
    assert r"My reading: \$5 \<b\>bold\</b\>" in text


def test_a_million_samples_run_on_request_for_the_current_settings_only():
    at = launch(ROBUSTNESS)
    assert "20,000 random draws" in chart(at, "acceptability_chart")["layout"]["xaxis"]["title"]["text"]
    at.button(key="run_million").click().run()
    assert "1,000,000 random draws" in chart(at, "acceptability_chart")["layout"]["xaxis"]["title"]["text"]
    widget(at, "slider", "weight_durability").set_value(40).run()
    assert "20,000 random draws" in chart(at, "acceptability_chart")["layout"]["xaxis"]["title"]["text"]
