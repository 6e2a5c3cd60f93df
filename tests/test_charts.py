"""Chart builders and the information they draw.

Core builds each chart's information (data, takeaway title, text summary); each builder draws it.
Every builder is checked here: its figure passes plotly's own schema, it draws the data it is given in
the right order, text from data is never read as markup, empty input gives a message, and the
information carries a title and a summary that say what the chart shows.
"""

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
from charts.routes import before_after_figure, routes_figure
from charts.supply_chain import (
    deaths_figure,
    displacement_figure,
    industry_figure,
    timeline_figure,
    value_chain_figure,
)
from charts.theme import CRITERION_PALETTE, DESK, GREY, PHONE, PROJECTOR, empty_figure, plain, wrap, wrap_lines
from core.montecarlo import ChanceInfo, acceptability_info, first_chance_info, rank_acceptability
from core.problem import build_problem
from core.ranking import rank_options
from core.ranking_info import matrix_info, ranking_info
from core.scenario import default_scenario
from core.scoring import Gate
from core.sensitivity import sweep_info, weight_sweep
from core.supply_info import (
    before_after_info,
    deaths_info,
    displacement_info,
    industry_info,
    routes_info,
    timeline_info,
    value_info,
)
from core.tradeoffs import compare_options, comparison_info, tradeoff, tradeoff_info


def assert_valid(fig: go.Figure) -> dict:
    """Rebuild the figure with plotly's validation on: a typo in a property name fails here."""
    spec = fig.to_dict()
    go.Figure(spec)
    return spec


def unwrap(labels):
    """Labels as one line: a break after a hyphen joins without a space."""
    return [label.replace("-<br>", "-").replace("<br>", " ") for label in labels]


def problem_for(evidence, **changes):
    return build_problem(evidence, replace(default_scenario(evidence), **changes))


def ranking_for(evidence, **changes):
    problem = problem_for(evidence, **changes)
    return ranking_info(problem, rank_options(problem))


# ----------------------------------------------------------------------------- the ranking and the matrix
def test_weighted_sum_bars_stack_one_trace_per_criterion_best_first(evidence):
    info = ranking_for(evidence)
    spec = assert_valid(ranking_figure(info))
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    assert [b["name"] for b in bars] == list(info.criterion_names)
    assert spec["layout"]["barmode"] == "relative"  # gains stack right of zero, costs left of it
    assert unwrap(bars[0]["y"])[0].removesuffix(" †") == info.ranking.names[0]  # † marks an option after the article
    totals = np.sum([b["x"] for b in bars], axis=0)  # segments add up to the total written beside the bar
    assert np.allclose(totals, info.ranking.score * 100)
    assert next(t for t in spec["data"] if t["type"] == "scatter")["text"][0] == f"{info.ranking.score[0] * 100:.1f}"
    assert bars[0]["marker"]["color"][0] == CRITERION_PALETTE[0]
    # The legend sits above the plot, where no axis title can run into it.
    assert spec["layout"]["legend"]["yanchor"] == "bottom" and spec["layout"]["legend"]["y"] >= 1
    assert info.title == f"{info.ranking.names[0]} ranks first with these weights"
    assert info.summary.startswith(f"Ranking, best first: {info.ranking.names[0]}")


def test_status_quo_is_labelled_and_marked_by_a_line(evidence):
    info = ranking_for(evidence)
    spec = assert_valid(ranking_figure(info))
    labels = unwrap(spec["data"][0]["y"])
    i = info.ranking.roles.index("status_quo")
    assert labels[i].startswith("Status quo (Dec 2026) (baseline: doing nothing new)")  # today's status quo
    assert spec["data"][0]["marker"]["pattern"]["shape"][i] == "/"  # hatched: a reference, not a competitor
    assert spec["layout"]["shapes"][0]["x0"] == info.ranking.score[i] * 100


def test_ruled_out_options_are_grey_last_with_the_reason_in_the_hover(evidence):
    info = ranking_for(evidence, gates=(Gate("diplomatic_cost", 3),))
    spec = assert_valid(ranking_figure(info))
    assert unwrap(spec["data"][0]["y"])[-1].startswith("✕ Diplomatic concession")
    assert spec["data"][0]["marker"]["color"][-1] == GREY
    assert next(t for t in spec["data"] if t["type"] == "scatter")["text"][-1] == "ruled out"
    assert spec["data"][0]["customdata"][-1].startswith("diplomatic cost is 4 (very high)")
    assert "Ruled out: Diplomatic concession" in info.summary


def test_topsis_bars_are_whole(evidence):
    info = ranking_for(evidence, method="topsis")
    spec = assert_valid(ranking_figure(info))
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    assert len(bars) == 1 and bars[0]["x"] == info.ranking.score.tolist()
    assert "TOPSIS" in spec["layout"]["xaxis"]["title"]["text"]


def test_text_from_data_cannot_inject_markup(evidence):
    info = ranking_for(evidence)
    hostile = replace(
        info,
        ranking=replace(info.ranking, names=("<b onclick=x>Bold</b>", *info.ranking.names[1:])),
        criterion_names=("<script>alert(1)</script>", *info.criterion_names[1:]),
    )
    spec = assert_valid(ranking_figure(hostile))
    assert spec["data"][0]["y"][0].startswith("&lt;b onclick=x&gt;Bold&lt;/b&gt;")
    assert spec["data"][0]["name"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert plain("a < b & c\u202e") == "a &lt; b &amp; c"  # and invisible controls dropped


def test_labels_wrap_at_spaces_and_after_hyphens_of_long_words():
    assert wrap("Independence from US-China relations", 16) == "Independence<br>from US-China<br>relations"
    assert wrap_lines("Anti-money-laundering", 16) == ["Anti-money-", "laundering"]
    assert wrap_lines("pre- and post-", 30) == ["pre- and post-"]


def test_matrix_shows_the_score_with_its_marks_and_clickable_cells(evidence):
    info = matrix_info(evidence, include_post_seed=False)
    info = replace(info, marks=((" ✎", *info.marks[0][1:]), *info.marks[1:]))
    spec = assert_valid(matrix_figure(info))
    heat, cells = spec["data"]
    i, j = info.option_ids.index("diplomatic_concession"), evidence.criterion_ids.index("diplomatic_cost")
    assert heat["text"][i][j] == "4" and heat["text"][0][0].endswith(" ✎")
    assert heat["z"][i][j] == 0.0  # the worst value, whatever the direction
    assert unwrap(heat["y"]) == list(info.option_names)
    # One invisible marker per cell carries its position for a click, and its word on the scale.
    k = i * len(evidence.criterion_ids) + j
    assert cells["customdata"][k] == [i, j] and "very high" in cells["text"][k]
    assert [a["text"].replace("<br>", " ") for a in spec["layout"]["annotations"]] == list(info.criterion_names)
    assert "blue is good" in info.title and "✎" in info.summary


@pytest.mark.parametrize("look", [DESK, PHONE, PROJECTOR])
def test_each_look_sizes_the_type_for_its_screen(evidence, look):
    spec = ranking_figure(ranking_for(evidence), look=look).to_dict()
    assert spec["layout"]["template"]["layout"]["font"]["size"] == look.font
    assert all(len(line) <= max(look.wrap, 15) for label in spec["data"][0]["y"] for line in label.split("<br>"))


# ----------------------------------------------------------------------------- how sure
def test_chance_charts_draw_the_monte_carlo_with_its_assumptions(evidence):
    problem = problem_for(evidence)
    first = first_chance_info(problem, rank_acceptability(problem, samples=2000, first_only=True))
    spec = assert_valid(first_chance_figure(first))
    values = spec["data"][0]["x"]
    assert values == sorted(values, reverse=True)  # most likely first
    assert first.title.startswith("How sure? ") and "2,000 random draws" in first.summary
    full = acceptability_info(problem, rank_acceptability(problem, samples=2000))
    spec = assert_valid(rank_acceptability_figure(full))
    assert [t["name"] for t in spec["data"]] == [f"rank {r + 1}" for r in range(len(full.names))]
    assert full.summary.startswith("Chance of each rank (rank acceptability):")


def test_sweep_marks_each_change_of_leader(evidence):
    problem = problem_for(evidence)
    info = sweep_info(problem, weight_sweep(problem, "diplomatic_cost"))
    spec = assert_valid(sweep_figure(info))
    texts = [a["text"] for a in spec["layout"]["annotations"]]
    assert texts[0] == "now 10%" and len(texts) == 1 + len(info.sweep.changes) >= 2
    assert spec["layout"]["yaxis"]["title"]["text"] == "Overall score, points out of 100"
    assert info.title.startswith("The top option changes") and "takes the lead" in info.summary


def test_tradeoff_numbers_options_and_names_them_in_the_legend(evidence):
    problem = problem_for(evidence)
    info = tradeoff_info(problem, tradeoff(problem, "effect_on_precursors", "diplomatic_cost"))
    spec = assert_valid(tradeoff_figure(info))
    markers = [d for d in spec["data"] if d["mode"] == "markers+text"]
    numbers = sorted(int(n) for m in markers for n in m["text"][0].split(", "))
    assert numbers == list(range(1, len(info.names) + 1))  # every option once
    assert all(m["name"].split("<br>")[0][0].isdigit() for m in markers)
    assert info.title.startswith("On these two criteria, ") and "not beaten on both" in info.title
    assert any("is beaten on both criteria by" in s for s in info.sentences)


def test_comparison_shows_which_side_each_criterion_favours(evidence):
    problem = problem_for(evidence)
    info = comparison_info(problem, compare_options(problem, "global_industry_self_regulation", "encourage_aml"))
    spec = assert_valid(comparison_figure(info))
    assert spec["data"][0]["x"] == info.comparison.difference.tolist()
    sides = [a["text"] for a in spec["layout"]["annotations"]]
    assert sides[0].startswith("← favours Anti-money") and sides[1].endswith("self-regulation →")
    assert info.title.startswith("Global industry self-regulation leads Anti-money-laundering by")


def test_empty_input_gives_a_message_not_an_exception(evidence):
    info = ranking_for(evidence)
    nothing = replace(info, ranking=replace(info.ranking, option_ids=()))
    assert assert_valid(ranking_figure(nothing))["layout"]["annotations"][0]["text"] == "No options to rank."
    no_chance = ChanceInfo((), np.zeros((0, 1)), 100, "t", "s")
    problem = problem_for(evidence)
    sweep = sweep_info(problem, weight_sweep(problem, "durability"))
    no_sweep = replace(sweep, scores=np.zeros((3, 0)), names=(), palette_index=())
    trade = tradeoff_info(problem, tradeoff(problem, "effect_on_precursors", "diplomatic_cost"))
    view = trade.view
    no_trade = replace(
        trade, names=(), view=replace(view, x_value=np.zeros(0), y_value=np.zeros(0), on_front=np.zeros(0, bool))
    )
    comparison = comparison_info(problem, compare_options(problem, "encourage_aml", "status_quo_2022"))
    for fig in (
        empty_figure("No scores"),
        first_chance_figure(no_chance),
        rank_acceptability_figure(no_chance),
        sweep_figure(no_sweep),
        tradeoff_figure(no_trade),
        comparison_figure(replace(comparison, criterion_names=())),
    ):
        assert assert_valid(fig)["layout"]["annotations"][0]["text"].startswith("No ")


# ----------------------------------------------------------------------------- the supply chain
def test_routes_and_the_before_after_panels(evidence, chain):
    info = routes_info(evidence, chain, "after_2019")
    spec = assert_valid(routes_figure(info))
    arrows = [a for a in spec["layout"]["annotations"] if a.get("showarrow")]
    assert len(arrows) == len(info.routes)
    assert "finished fentanyl" in unwrap([a["text"] for a in spec["layout"]["annotations"]])
    assert info.text.title.startswith("After 2019") and "no source gives volumes" in info.text.summary
    assert "quote_id" not in info.text.table.columns and "Source" in info.text.table.columns
    pair = before_after_info(evidence, chain)
    spec = assert_valid(before_after_figure(pair))
    panels = [a["text"] for a in spec["layout"]["annotations"] if a["text"].startswith("<b>")]
    assert [p.split("<br>")[0] for p in panels] == ["<b>Before May 2019</b>", "<b>After May 2019</b>"]
    phone = before_after_figure(pair, look=PHONE).to_dict()["layout"]
    assert phone["yaxis"]["domain"][0] > phone["yaxis2"]["domain"][1]  # stacked on a phone


def test_timeline_marks_disputed_and_later_events(evidence, chain):
    info = timeline_info(evidence, chain)
    spec = assert_valid(timeline_figure(info))
    labels = unwrap(spec["data"][0]["text"])
    assert len(labels) == len(info.events)
    assert "<b>2018</b>  Chinese police stop acting on US tips (article's date) (disputed)" in labels
    assert any(label.endswith("China requires export licences for 13 precursors †") for label in labels)
    assert labels[-1].endswith("IEEPA ('fentanyl') tariffs no longer collected †")  # the latest event last
    assert spec["data"][0]["marker"]["color"][next(i for i, x in enumerate(labels) if "(disputed)" in x)] == "white"
    assert any("after the article" in a["text"] for a in spec["layout"]["annotations"])
    assert info.disputed and info.text.title.startswith("China's controls came in steps")


def test_deaths_leave_gaps_and_mark_the_articles_provisional_counts(evidence, chain):
    info = deaths_info(evidence, chain)
    spec = assert_valid(deaths_figure(info))
    all_overdose = spec["data"][0]
    assert all_overdose["y"][all_overdose["x"].index(2014)] is None  # a gap, not a filled-in year
    assert any(t.get("marker", {}).get("symbol") == "diamond-open" for t in spec["data"])
    # The takeaway does not hide the latest fall, and credits no cause.
    assert info.text.title.startswith("Overdose deaths peaked at 107,941 in 2022 and fell to 79,385 in 2024")
    assert "largest one-year fall" in info.text.title and "No source credits one cause" in info.text.title


def test_value_and_industry_amounts(evidence):
    value = value_info(evidence)
    spec = assert_valid(value_chain_figure(value))
    assert spec["layout"]["xaxis"]["type"] == "log"
    assert spec["data"][0]["x"] == [value.amounts.low[0], value.amounts.high[0]]
    assert "0.007% to 0.017%" in value.text.title
    industry = industry_info(evidence)
    spec = assert_valid(industry_figure(industry))
    assert spec["data"][1]["x"] == [h - lo for lo, h in zip(industry.amounts.low, industry.amounts.high, strict=True)]
    assert industry.text.title.startswith("China's chemical trade has 32 to 80 times")


def test_displacement_model(evidence):
    info = displacement_info(default_scenario(evidence))
    spec = assert_valid(displacement_figure(info))
    assert [t["name"] for t in spec["data"]][2] == "With the option, as substitutes step in"
    assert info.text.title.startswith("An illustration: ")
    # The number the title and the chart's note state is the one the chart's own lines show at their end.
    paths = info.paths
    shown = (paths.baseline[-1] - paths.with_substitution[-1]) / (paths.baseline[0] - paths.without_substitution[0])
    note = next(a["text"] for a in spec["layout"]["annotations"] if "still stands" in a["text"])
    assert f"{shown * 100:.0f}% of an option's cut still stands" in info.text.title
    assert note.replace("<br>", " ").startswith(f"{shown * 100:.0f}% of the first cut")
    assert info.text.table.columns[0] == "Month"


def test_supply_chain_builders_show_a_message_for_nothing(evidence, chain):
    routes = routes_info(evidence, chain, "after_2019")
    no_routes = replace(routes, routes=pd.DataFrame(columns=chain.routes.columns))
    events = timeline_info(evidence, chain)
    deaths = deaths_info(evidence, chain)
    value = value_info(evidence)
    no_amounts = replace(value, amounts=replace(value.amounts, labels=(), low=(), high=(), notes=()))
    for fig in (
        routes_figure(no_routes),
        timeline_figure(replace(events, events=events.events.iloc[0:0])),
        deaths_figure(replace(deaths, deaths=deaths.deaths.iloc[0:0])),
        value_chain_figure(no_amounts),
        industry_figure(no_amounts),
    ):
        assert assert_valid(fig)["layout"]["annotations"][0]["text"].startswith("No ")
