"""Chart builders: valid plotly, the right traces in the right order, safe text, empty input."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import plotly.graph_objects as go

from charts.ranking import matrix_figure, ranking_figure
from charts.theme import OKABE_ITO, empty_figure, plain, wrap
from core.ranking import Ranking, rank_options
from core.scenario import default_scenario
from core.scoring import Gate, to_value


def assert_valid(fig: go.Figure) -> dict:
    """Rebuild the figure with plotly's validation on: a typo in a property name fails here."""
    spec = fig.to_dict()
    go.Figure(spec)
    return spec


def names(evidence):
    return [evidence.criterion_name(c) for c in evidence.criterion_ids]


def test_weighted_sum_bars_stack_one_trace_per_criterion_best_first(evidence):
    ranking = rank_options(evidence, default_scenario(evidence))
    spec = assert_valid(ranking_figure(ranking, names(evidence), "Title"))
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    assert [b["name"] for b in bars] == names(evidence)
    assert spec["layout"]["barmode"] == "stack"
    assert bars[0]["y"][0] == ranking.names[0]
    # Segments add up to the total shown at the end of each bar.
    totals = np.sum([b["x"] for b in bars], axis=0)
    assert np.allclose(totals, ranking.score * 100)
    text = next(t for t in spec["data"] if t["type"] == "scatter")["text"]
    assert text[0] == f"{ranking.score[0] * 100:.1f}"
    # Colour-blind-safe palette, one fixed colour per criterion.
    assert bars[0]["marker"]["color"][0] == OKABE_ITO[0]


def test_status_quo_is_labelled_and_marked_by_a_line(evidence):
    ranking = rank_options(evidence, default_scenario(evidence))
    spec = assert_valid(ranking_figure(ranking, names(evidence), "Title"))
    labels = spec["data"][0]["y"]
    assert "Status quo (March 2022) (baseline)" in labels
    line = spec["layout"]["shapes"][0]
    i = ranking.roles.index("status_quo")
    assert line["x0"] == ranking.score[i] * 100


def test_ruled_out_options_are_grey_last_and_give_their_reason(evidence):
    scenario = replace(default_scenario(evidence), gates=(Gate("diplomatic_cost", 3),))
    ranking = rank_options(evidence, scenario)
    spec = assert_valid(ranking_figure(ranking, names(evidence), "Title"))
    assert spec["data"][0]["y"][-1].startswith("✕ Diplomatic concession")
    assert spec["data"][0]["marker"]["color"][-1] == "#B8B8B8"
    text = next(t for t in spec["data"] if t["type"] == "scatter")["text"]
    assert text[-1].startswith("ruled out: diplomatic cost is 4 (very high)")


def test_topsis_bars_are_whole(evidence):
    ranking = rank_options(evidence, replace(default_scenario(evidence), method="topsis"))
    spec = assert_valid(ranking_figure(ranking, names(evidence), "Title"))
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    assert len(bars) == 1
    assert bars[0]["x"] == ranking.score.tolist()
    assert "TOPSIS" in spec["layout"]["xaxis"]["title"]["text"]


def test_post_article_option_is_marked(evidence):
    ranking = rank_options(evidence, replace(default_scenario(evidence), include_post_seed=True))
    spec = ranking_figure(ranking, names(evidence), "Title").to_dict()
    assert "Fentanyl tariffs (2025) †" in spec["data"][0]["y"]


def test_text_from_data_cannot_inject_markup(evidence):
    ranking = rank_options(evidence, default_scenario(evidence))
    hostile = replace(ranking, names=("<b onclick=x>Bold</b>", *ranking.names[1:]))
    spec = assert_valid(ranking_figure(hostile, ["<script>alert(1)</script>", *names(evidence)[1:]], "<i>t</i>"))
    assert spec["data"][0]["y"][0] == "&lt;b onclick=x&gt;Bold&lt;/b&gt;"
    assert spec["data"][0]["name"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert spec["layout"]["title"]["text"] == "&lt;i&gt;t&lt;/i&gt;"
    assert wrap("Independence from US-China relations", 16) == "Independence<br>from US-China<br>relations"
    assert plain("a < b & c") == "a &lt; b &amp; c"


def test_empty_input_gives_a_message_not_an_exception(evidence):
    empty = Ranking(
        "weighted_sum",
        (),
        (),
        (),
        np.array([]),
        np.array([]),
        np.array([]),
        np.array([], bool),
        (),
        np.zeros((0, 6)),
        evidence.criterion_ids,
        np.ones(6) / 6,
    )
    spec = assert_valid(ranking_figure(empty, names(evidence), "Title"))
    assert spec["layout"]["annotations"][0]["text"] == "No options to rank."
    spec = assert_valid(matrix_figure(np.zeros((0, 6)), np.zeros((0, 6)), [], [], names(evidence), "t"))
    assert spec["layout"]["annotations"][0]["text"] == "No scores to show."
    assert assert_valid(empty_figure("Nothing"))["data"] == []


def test_matrix_shows_raw_score_and_word_coloured_by_value(evidence):
    values = to_value(evidence.likely, evidence.scale_min, evidence.scale_max, evidence.benefit)
    labels = [
        [evidence.scale_label(c, v) for c, v in zip(evidence.criterion_ids, row, strict=True)]
        for row in evidence.likely
    ]
    option_names = [evidence.option_name(o) for o in evidence.option_ids]
    spec = assert_valid(matrix_figure(values, evidence.likely, labels, option_names, names(evidence), "t"))
    heat = spec["data"][0]
    i = evidence.option_ids.index("diplomatic_concession")
    j = evidence.criterion_ids.index("diplomatic_cost")
    assert heat["text"][i][j] == "4 · very high"
    assert heat["z"][i][j] == 0.0  # the worst value, whatever the direction
    assert heat["y"] == option_names


def test_presentation_template_enlarges_type(evidence):
    ranking = rank_options(evidence, default_scenario(evidence))
    desk = ranking_figure(ranking, names(evidence), "t").to_dict()["layout"]
    room = ranking_figure(ranking, names(evidence), "t", presentation=True).to_dict()["layout"]
    assert room["template"]["layout"]["font"]["size"] > desk["template"]["layout"]["font"]["size"] >= 14
    assert room["height"] > desk["height"]


def test_long_titles_wrap_to_fit_a_small_screen(evidence):
    ranking = rank_options(evidence, default_scenario(evidence))
    title = "Global industry self-regulation ranks first with these weights, ahead of everything else by far"
    layout = ranking_figure(ranking, names(evidence), title).to_dict()["layout"]
    lines = layout["title"]["text"].split("<br>")
    assert len(lines) == 2 and all(len(line) <= 60 for line in lines)
    assert " ".join(lines) == title
    assert layout["margin"]["t"] > 60


# ----------------------------------------------------------------------------- supply-chain builders
def test_supply_chain_builders_draw_the_data_they_are_given(evidence):
    import pandas as pd

    from charts.supply_chain import (
        before_after_figure,
        deaths_figure,
        displacement_figure,
        industry_figure,
        routes_figure,
        timeline_figure,
        value_chain_figure,
    )
    from conftest import DATA
    from core.displacement import Displacement, supply_paths
    from core.supply_chain import load_supply_chain

    chain = load_supply_chain(evidence, DATA)
    after = chain.routes[chain.routes["era"].isin(["after_2019", "both"])]
    spec = assert_valid(routes_figure(chain.places, after, "Title"))
    arrows = [a for a in spec["layout"]["annotations"] if a.get("showarrow")]
    assert len(arrows) == len(after)
    assert "finished fentanyl" in [a["text"] for a in spec["layout"]["annotations"]]
    spec = assert_valid(before_after_figure(chain.places, chain.routes, "Title"))
    assert [a["text"] for a in spec["layout"]["annotations"] if a["text"].startswith("<b>")] == [
        "<b>Before May 2019</b>",
        "<b>After May 2019</b>",
    ]
    spec = assert_valid(timeline_figure(chain.events, "Title"))
    labels = spec["data"][0]["text"]
    assert len(labels) == len(chain.events)
    assert "<b>2018</b>  Chinese police stop acting on US tips (article's date) (disputed)" in labels
    assert "<b>Nov 2019</b>  Joint US-China fentanyl case ends in sentencing" in labels
    assert labels[-1].endswith("China requires export licences for 13 precursors †")
    assert spec["data"][0]["marker"]["color"][labels.index(next(x for x in labels if "(disputed)" in x))] == "white"
    assert any("after the article" in a["text"] for a in spec["layout"]["annotations"])
    spec = assert_valid(deaths_figure(chain.deaths, "Title"))
    all_overdose = spec["data"][0]
    assert all_overdose["y"][all_overdose["x"].index(2014)] is None  # a gap, not a filled-in year
    assert any(t.get("marker", {}).get("symbol") == "diamond-open" for t in spec["data"])
    spec = assert_valid(value_chain_figure(["a", "b"], [1e7, 1.5e11], [2.5e7, 1.5e11], ["n1", "n2"], "Title"))
    assert spec["layout"]["xaxis"]["type"] == "log"
    assert spec["data"][0]["x"] == [1e7, 2.5e7]
    spec = assert_valid(industry_figure(["p", "c"], [5000, 160000], [5000, 400000], ["n1", "n2"], "Title"))
    assert spec["data"][1]["x"] == [0, 240000]
    paths = supply_paths(Displacement())
    spec = assert_valid(
        displacement_figure(
            paths.months,
            paths.baseline,
            paths.without_substitution,
            paths.with_substitution,
            paths.surviving_share,
            5,
            "Title",
        )
    )
    assert [t["name"] for t in spec["data"]][2] == "With the option, as substitutes step in"
    empty = pd.DataFrame(columns=chain.routes.columns)
    for fig in (
        routes_figure(chain.places, empty, "t"),
        timeline_figure(chain.events.iloc[0:0], "t"),
        deaths_figure(chain.deaths.iloc[0:0], "t"),
        value_chain_figure([], [], [], [], "t"),
        industry_figure([], [], [], [], "t"),
    ):
        assert assert_valid(fig)["layout"]["annotations"][0]["text"].startswith("No ")
