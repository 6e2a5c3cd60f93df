"""Chart builders: valid plotly (checked against its schema), the data they are given drawn in the right
order, text from data never read as markup, a message for empty input, and a layout per screen."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from charts.ranking import matrix_figure, ranking_figure
from charts.robustness import (
    comparison_figure,
    first_chance_figure,
    rank_acceptability_figure,
    sweep_figure,
    tradeoff_figure,
)
from charts.supply_chain import (
    before_after_figure,
    deaths_figure,
    displacement_figure,
    industry_figure,
    routes_figure,
    timeline_figure,
    value_chain_figure,
)
from charts.theme import CRITERION_PALETTE, DESK, GREY, PHONE, PROJECTOR, empty_figure, plain, wrap, wrap_lines
from conftest import DATA
from core.displacement import Displacement, supply_paths
from core.ranking import Ranking, rank_options
from core.scenario import default_scenario
from core.scoring import Gate, to_value
from core.supply_chain import load_supply_chain


def assert_valid(fig: go.Figure) -> dict:
    """Rebuild the figure with plotly's validation on: a typo in a property name fails here."""
    spec = fig.to_dict()
    go.Figure(spec)
    return spec


def names(evidence):
    return [evidence.criterion_name(c) for c in evidence.criterion_ids]


def unwrap(labels):
    """Labels as one line: a break after a hyphen joins without a space."""
    return [label.replace("-<br>", "-").replace("<br>", " ") for label in labels]


def test_weighted_sum_bars_stack_one_trace_per_criterion_best_first(evidence):
    ranking = rank_options(evidence, default_scenario(evidence))
    spec = assert_valid(ranking_figure(ranking, names(evidence)))
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    assert [b["name"] for b in bars] == names(evidence)
    assert spec["layout"]["barmode"] == "stack"
    assert unwrap(bars[0]["y"])[0] == ranking.names[0]
    totals = np.sum([b["x"] for b in bars], axis=0)  # segments add up to the total at the end of the bar
    assert np.allclose(totals, ranking.score * 100)
    text = next(t for t in spec["data"] if t["type"] == "scatter")["text"]
    assert text[0] == f"{ranking.score[0] * 100:.1f}"
    assert bars[0]["marker"]["color"][0] == CRITERION_PALETTE[0]
    # The legend sits above the plot, where no axis title can run into it.
    assert spec["layout"]["legend"]["yanchor"] == "bottom" and spec["layout"]["legend"]["y"] >= 1


def test_status_quo_is_labelled_and_marked_by_a_line(evidence):
    ranking = rank_options(evidence, default_scenario(evidence))
    spec = assert_valid(ranking_figure(ranking, names(evidence)))
    assert "Status quo (March 2022) (baseline)" in unwrap(spec["data"][0]["y"])
    i = ranking.roles.index("status_quo")
    assert spec["layout"]["shapes"][0]["x0"] == ranking.score[i] * 100


def test_ruled_out_options_are_grey_last_with_the_reason_in_the_hover(evidence):
    scenario = replace(default_scenario(evidence), gates=(Gate("diplomatic_cost", 3),))
    ranking = rank_options(evidence, scenario)
    spec = assert_valid(ranking_figure(ranking, names(evidence)))
    assert unwrap(spec["data"][0]["y"])[-1].startswith("✕ Diplomatic concession")
    assert spec["data"][0]["marker"]["color"][-1] == GREY
    assert next(t for t in spec["data"] if t["type"] == "scatter")["text"][-1] == "ruled out"
    assert spec["data"][0]["customdata"][-1].startswith("diplomatic cost is 4 (very high)")


def test_topsis_bars_are_whole(evidence):
    ranking = rank_options(evidence, replace(default_scenario(evidence), method="topsis"))
    spec = assert_valid(ranking_figure(ranking, names(evidence)))
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    assert len(bars) == 1 and bars[0]["x"] == ranking.score.tolist()
    assert "TOPSIS" in spec["layout"]["xaxis"]["title"]["text"]


def test_text_from_data_cannot_inject_markup(evidence):
    ranking = rank_options(evidence, default_scenario(evidence))
    hostile = replace(ranking, names=("<b onclick=x>Bold</b>", *ranking.names[1:]))
    spec = assert_valid(ranking_figure(hostile, ["<script>alert(1)</script>", *names(evidence)[1:]]))
    assert spec["data"][0]["y"][0] == "&lt;b onclick=x&gt;Bold&lt;/b&gt;"
    assert spec["data"][0]["name"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert plain("a < b & c\u202e") == "a &lt; b &amp; c"  # and invisible controls dropped


def test_labels_wrap_at_spaces_and_after_hyphens_of_long_words():
    assert wrap("Independence from US-China relations", 16) == "Independence<br>from US-China<br>relations"
    assert wrap_lines("Anti-money-laundering", 16) == ["Anti-money-", "laundering"]
    assert wrap_lines("pre- and post-", 30) == ["pre- and post-"]


def test_empty_input_gives_a_message_not_an_exception(evidence):
    empty = Ranking(
        "weighted_sum",
        *((),) * 3,
        np.array([]),
        np.array([]),
        np.array([]),
        np.array([], bool),
        (),
        np.zeros((0, 6)),
        evidence.criterion_ids,
        np.ones(6) / 6,
    )
    assert assert_valid(ranking_figure(empty, names(evidence)))["layout"]["annotations"][0]["text"] == (
        "No options to rank."
    )
    spec = assert_valid(matrix_figure(np.zeros((0, 6)), np.zeros((0, 6)), [], [], [], names(evidence)))
    assert spec["layout"]["annotations"][0]["text"] == "No scores to show."
    assert assert_valid(empty_figure("Nothing"))["data"] == []
    for fig in (
        first_chance_figure([], np.array([]), 10),
        rank_acceptability_figure([], np.zeros((0, 0)), 10),
        sweep_figure(np.linspace(0, 1, 3), np.zeros((3, 0)), [], [], [], 0.2, [], "c", "s"),
        tradeoff_figure(np.array([]), np.array([]), [], np.array([], bool), "x", "y", {}, {}),
        comparison_figure(np.array([]), [], "a", "b"),
    ):
        assert assert_valid(fig)["layout"]["annotations"][0]["text"].startswith("No ")


def test_matrix_shows_the_score_with_its_marks_and_clickable_cells(evidence):
    values = to_value(evidence.likely, evidence.scale_min, evidence.scale_max, evidence.benefit)
    words = [
        [evidence.scale_label(c, v) for c, v in zip(evidence.criterion_ids, row, strict=True)]
        for row in evidence.likely
    ]
    marks = [["" for _ in evidence.criterion_ids] for _ in evidence.option_ids]
    marks[0][0] = " ✎"
    option_names = [evidence.option_name(o) for o in evidence.option_ids]
    spec = assert_valid(matrix_figure(values, evidence.likely, words, marks, option_names, names(evidence)))
    heat, cells = spec["data"]
    i, j = evidence.option_ids.index("diplomatic_concession"), evidence.criterion_ids.index("diplomatic_cost")
    assert heat["text"][i][j] == "4" and heat["text"][0][0].endswith(" ✎")
    assert heat["z"][i][j] == 0.0  # the worst value, whatever the direction
    assert unwrap(heat["y"]) == option_names
    # One invisible marker per cell carries its position for a click, and its word on the scale.
    k = i * len(evidence.criterion_ids) + j
    assert cells["customdata"][k] == [i, j] and "very high" in cells["text"][k]
    headings = [a["text"].replace("<br>", " ") for a in spec["layout"]["annotations"]]
    assert headings == names(evidence)


@pytest.mark.parametrize("look", [DESK, PHONE, PROJECTOR])
def test_each_look_sizes_the_type_for_its_screen(evidence, look):
    ranking = rank_options(evidence, default_scenario(evidence))
    layout = ranking_figure(ranking, names(evidence), look=look).to_dict()["layout"]
    assert layout["template"]["layout"]["font"]["size"] == look.font
    labels = ranking_figure(ranking, names(evidence), look=look).to_dict()["data"][0]["y"]
    assert all(len(line) <= max(look.wrap, 15) for label in labels for line in label.split("<br>"))


def test_robustness_builders_draw_what_they_are_given():
    labels = ["Alpha option", "Beta", "Gamma"]
    spec = assert_valid(first_chance_figure(labels, np.array([0.2, 0.7, 0.1]), 20_000))
    assert unwrap(spec["data"][0]["y"]) == ["Beta", "Alpha option", "Gamma"]  # most likely first
    assert spec["data"][0]["text"] == ["70%", "20%", "10%"]
    probs = np.array([[0.6, 0.4, 0], [0.4, 0.6, 0], [0, 0, 1]])
    spec = assert_valid(rank_acceptability_figure(labels, probs, 20_000))
    assert [t["name"] for t in spec["data"]] == ["rank 1", "rank 2", "rank 3"]
    t = np.linspace(0, 1, 5)
    spec = assert_valid(
        sweep_figure(t, np.ones((5, 3)) * 50, labels, ["#000"] * 3, ["solid"] * 3, 0.2, [0.5], "C", "S")
    )
    assert [a["text"] for a in spec["layout"]["annotations"]] == ["now 20%", "50%"]
    spec = assert_valid(
        tradeoff_figure(
            np.array([1.0, 0.5, 0.5]),
            np.array([0.0, 0.5, 0.5]),
            labels,
            np.array([True, True, True]),
            "X",
            "Y",
            {0.0: "0 none", 1.0: "4 high"},
            {0.0: "0", 1.0: "4"},
        )
    )
    markers = [d for d in spec["data"] if d["mode"] == "markers+text"]
    assert [m["text"] for m in markers] == [["1"], ["2, 3"]]  # options at one point share a marker
    assert markers[1]["name"] == "2 Beta<br>3 Gamma"
    spec = assert_valid(comparison_figure(np.array([3.0, -2.0]), ["C1", "C2"], "Alpha option", "Beta"))
    assert spec["data"][0]["x"] == [3.0, -2.0]
    sides = [a["text"] for a in spec["layout"]["annotations"]]
    assert sides[0].startswith("← favours Beta") and sides[1].endswith("Alpha option →")


def test_supply_chain_builders_draw_the_data_they_are_given(evidence):
    chain = load_supply_chain(evidence, DATA)
    after = chain.routes[chain.routes["era"].isin(["after_2019", "both"])]
    spec = assert_valid(routes_figure(chain.places, after))
    arrows = [a for a in spec["layout"]["annotations"] if a.get("showarrow")]
    assert len(arrows) == len(after)
    assert "finished fentanyl" in unwrap([a["text"] for a in spec["layout"]["annotations"]])
    spec = assert_valid(before_after_figure(chain.places, chain.routes))
    panels = [a["text"] for a in spec["layout"]["annotations"] if a["text"].startswith("<b>")]
    assert [p.split("<br>")[0] for p in panels] == ["<b>Before May 2019</b>", "<b>After May 2019</b>"]
    assert "finished fentanyl" in panels[0].replace("<br>", " ")
    spec = assert_valid(timeline_figure(chain.events))
    labels = unwrap(spec["data"][0]["text"])
    assert len(labels) == len(chain.events)
    assert "<b>2018</b>  Chinese police stop acting on US tips (article's date) (disputed)" in labels
    assert labels[-1].endswith("China requires export licences for 13 precursors †")
    assert spec["data"][0]["marker"]["color"][next(i for i, x in enumerate(labels) if "(disputed)" in x)] == "white"
    assert any("after the article" in a["text"] for a in spec["layout"]["annotations"])
    spec = assert_valid(deaths_figure(chain.deaths))
    all_overdose = spec["data"][0]
    assert all_overdose["y"][all_overdose["x"].index(2014)] is None  # a gap, not a filled-in year
    assert any(t.get("marker", {}).get("symbol") == "diamond-open" for t in spec["data"])
    spec = assert_valid(value_chain_figure(["a", "b"], [1e7, 1.5e11], [2.5e7, 1.5e11], ["n1", "n2"]))
    assert spec["layout"]["xaxis"]["type"] == "log" and spec["data"][0]["x"] == [1e7, 2.5e7]
    spec = assert_valid(industry_figure(["p", "c"], [5000, 160000], [5000, 400000], ["n1", "n2"]))
    assert spec["data"][1]["x"] == [0, 240000]
    paths = supply_paths(Displacement())
    spec = assert_valid(
        displacement_figure(
            paths.months, paths.baseline, paths.without_substitution, paths.with_substitution, paths.surviving_share, 5
        )
    )
    assert [t["name"] for t in spec["data"]][2] == "With the option, as substitutes step in"
    empty = pd.DataFrame(columns=chain.routes.columns)
    for fig in (
        routes_figure(chain.places, empty),
        timeline_figure(chain.events.iloc[0:0]),
        deaths_figure(chain.deaths.iloc[0:0]),
        value_chain_figure([], [], [], []),
        industry_figure([], [], [], []),
    ):
        assert assert_valid(fig)["layout"]["annotations"][0]["text"].startswith("No ")


def test_a_phone_stacks_the_before_and_after_panels(evidence):
    chain = load_supply_chain(evidence, DATA)
    desk = before_after_figure(chain.places, chain.routes).to_dict()["layout"]
    phone = before_after_figure(chain.places, chain.routes, look=PHONE).to_dict()["layout"]
    assert desk["yaxis"]["domain"] == desk["yaxis2"]["domain"]  # side by side
    assert phone["yaxis"]["domain"][0] > phone["yaxis2"]["domain"][1]  # one above the other
