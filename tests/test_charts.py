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

from charts.briefing import score_bars_figure
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
from charts.theme import (
    CRITERION_PALETTE,
    DESK,
    GREY,
    PHONE,
    PROJECTOR,
    PROJECTOR_LARGE,
    empty_figure,
    plain,
    wrap,
    wrap_lines,
)
from core.displacement import Displacement
from core.montecarlo import ChanceInfo, acceptability_info, first_chance_info, rank_acceptability
from core.problem import build_problem
from core.ranking import rank_options
from core.ranking_info import matrix_info, ranking_info, ranking_rows
from core.scenario import default_scenario
from core.scenes import SCENE_ROWS
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
    # The legend sits above the plot, where no axis title can run into it (below the toolbar's band, on a desk).
    legend = spec["layout"]["legend"]
    assert legend["yref"] == "container" and legend["yanchor"] == "top" and legend["y"] < 1
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
    # Ranks 1 to 3 each their own entry; the lower ranks share a colour and one entry (every segment's hover still
    # names its rank).
    named = [t["name"] for t in spec["data"] if t["showlegend"]]
    assert named == ["rank 1", "rank 2", "rank 3", "rank 4 or lower"] and len(full.names) > 4
    assert [t["hovertemplate"].split(" in ")[0] for t in spec["data"]] == [
        f"%{{y}}: rank {r + 1}" for r in range(len(full.names))
    ]
    assert len({t["marker"]["color"] for t in spec["data"][3:]}) == 1
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


# ----------------------------------------------------------------------------- on the projector and under the toolbar
def _px_mapping(layout: dict, plot: tuple[float, float]):
    """Data to px inside a plot area of ``plot`` = (width, height), y growing downwards as on the screen."""
    (x0, x1), (y0, y1) = layout["xaxis"]["range"], layout["yaxis"]["range"]
    w, h = plot
    return (lambda x: (np.asarray(x, dtype=float) - x0) / (x1 - x0) * w), (
        lambda y: (y1 - np.asarray(y, dtype=float)) / (y1 - y0) * h
    )


def note_box(note: dict, layout: dict, plot: tuple[float, float]) -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom, in px of the plot area) of an annotation with an arrow, sized generously
    from its text (0.62 em a character, 1.35 em a line, and its padding) however plotly places it: its tail given
    in data (``axref`` "x") or in px from the point it points at."""
    px, py = _px_mapping(layout, plot)
    lines = note["text"].split("<br>")
    size = note["font"]["size"]
    width, height = max(len(line) for line in lines) * 0.62 * size + 10, len(lines) * 1.35 * size + 10
    if note.get("axref") == "x":
        tail_x, tail_y = float(px(note["ax"])), float(py(note["ay"]))
    else:
        tail_x, tail_y = float(px(note["x"])) + note["ax"], float(py(note["y"])) + note["ay"]
    left = {"right": tail_x - width, "left": tail_x}.get(note.get("xanchor"), tail_x - width / 2)
    top = {"top": tail_y, "bottom": tail_y - height}.get(note.get("yanchor"), tail_y - height / 2)
    return left, top, left + width, top + height


def line_under(box, trace: dict, layout: dict, plot: tuple[float, float]) -> bool:
    """Whether any stretch of ``trace``'s line (its width included) runs under ``box``."""
    px, py = _px_mapping(layout, plot)
    x, y = np.asarray(trace["x"], dtype=float), np.asarray(trace["y"], dtype=float)
    t = np.linspace(0, 1, 12)[:, None]
    xs, ys = px(x[:-1] + t * np.diff(x)).ravel(), py(y[:-1] + t * np.diff(y)).ravel()  # every segment, densely
    half = trace["line"]["width"] / 2
    left, top, right, bottom = box
    return bool(np.any((xs >= left - half) & (xs <= right + half) & (ys >= top - half) & (ys <= bottom + half)))


# The plot area (width, height in px) each screen gives the displacement chart, measured in Chromium and rounded
# down (a scene's plot is shorter when its headline or points take more lines: 366 px at 1920x1080 and 197 px at
# 1024x768 were the least seen): the scene on a projector (the large look from 1600x900), and the Supply chain page
# at a desk (1024x768 with the sidebar open: the narrowest) and on a phone.
DISPLACEMENT_PLOTS = {
    "scene at 1920x1080": (PROJECTOR_LARGE, (1684, 340)),
    "scene at 1280x720": (PROJECTOR, (1106, 180)),
    "scene at 1024x768": (PROJECTOR, (866, 180)),
    "page at 1024x768": (DESK, (259, 340)),
    "page at 390x844": (PHONE, (306, 300)),
}


def displacement_cases() -> list[Displacement]:
    """The defaults, the extremes of every slider, and 40 seeded draws of the four assumptions."""
    rng = np.random.default_rng(20261203)
    drawn = [
        Displacement(
            substitution_share=round(rng.uniform(0, 1) / 0.05) * 0.05,
            half_life_months=float(rng.integers(1, 37)),
            horizon_years=int(rng.integers(1, 11)),
            effectiveness=round(rng.uniform(0.05, 1) / 0.05) * 0.05,
        )
        for _ in range(40)
    ]
    extremes = [
        Displacement(share, half_life, years, effect)
        for share in (0.0, 0.5, 1.0)
        for half_life in (1.0, 36.0)
        for years in (1, 10)
        for effect in (0.05, 0.5, 1.0)
    ]
    return [Displacement(), *extremes, *drawn]


@pytest.mark.parametrize("where", DISPLACEMENT_PLOTS)
def test_the_displacement_note_covers_no_line(evidence, where):
    """The note about how much of the cut still stands has a background: on every screen, for the defaults, every
    slider's extremes and seeded draws of the assumptions, its box lies clear of all three lines."""
    look, plot = DISPLACEMENT_PLOTS[where]
    covered = []
    for params in displacement_cases():
        info = displacement_info(replace(default_scenario(evidence), displacement=params))
        spec = displacement_figure(info, look=look).to_dict()
        (note,) = [a for a in spec["layout"]["annotations"] if "still stands" in a["text"]]
        orange = spec["data"][2]  # the note points at the end of its line, in its colour
        assert note["showarrow"] and (note["x"], note["y"]) == (orange["x"][-1], orange["y"][-1])
        assert note["font"]["color"] == orange["line"]["color"]
        box = note_box(note, spec["layout"], plot)
        under = [t["name"] for t in spec["data"] if line_under(box, t, spec["layout"], plot)]
        if under:
            covered.append((params, under))
    assert not covered, f"{len(covered)} cases, the first: {covered[:3]}"


RANKING_SCENE_PLOT_PX = 520  # the ranking scene's plot width at 1024x768 (the narrowest projector), in Chromium


def struck_labels(spec: dict, plot_px: float) -> list[str]:
    """The bars' value labels that the status quo's dotted line runs through, at a plot ``plot_px`` wide: each
    label is written just beyond its bar's end (to the right of a gain, to the left of a loss), sized generously
    (0.6 em a character and its padding)."""
    segments = spec["layout"].get("shapes") or []
    if not segments:
        return []
    line = segments[0]["x0"]
    assert all(s["x0"] == s["x1"] == line for s in segments)  # one line, drawn in pieces

    def drawn_on(row: int) -> bool:
        return any(s.get("yref") == "paper" or s["y0"] <= row <= s["y1"] for s in segments)

    low, high = spec["layout"]["xaxis"]["range"]
    units = (high - low) / plot_px  # data units in one px
    bars = spec["data"][0]
    size = bars["textfont"]["size"]
    struck = []
    for row, (x, text) in enumerate(zip(bars["x"], bars["text"], strict=True)):
        if x is None or not np.isfinite(x) or not drawn_on(row):
            continue  # a ruled-out option under closeness to the ideal draws no bar; the line breaks on a row
        reach = (len(text) * 0.6 * size + 6) * units
        start, end = (x, x + reach) if x >= 0 else (x - reach, x)
        if start < line < end:
            struck.append(f"{text} at {x:.3g} (line at {line:.3g})")
    return struck


def generated_weightings(evidence, n: int = 30) -> list[tuple[tuple[str, float], ...]]:
    """``n`` seeded weightings, from even to lopsided (a Dirichlet draw), in whole importance points."""
    rng = np.random.default_rng(314)
    criteria = evidence.criterion_ids
    return [
        tuple(
            (c, float(round(w)))
            for c, w in zip(criteria, rng.dirichlet(np.full(len(criteria), 0.7)) * 100, strict=True)
        )
        for _ in range(n)
    ]


@pytest.mark.parametrize(
    ("method", "reference"),
    [
        ("weighted_sum", "nothing_new"),
        ("expected_impact", "nothing_new"),
        ("weighted_sum", "scored"),
        ("topsis", "nothing_new"),
        ("expected_impact", "scored"),
    ],
)
def test_the_status_quo_line_strikes_through_no_value_label_of_the_ranking_scene(evidence, method, reference):
    """The ranking scene at 1024x768, for seeded generated weightings (with a limit now and then): no bar's value
    label lies across the status quo's dotted line."""
    struck = []
    for k, weights in enumerate(generated_weightings(evidence)):
        gates = (Gate("diplomatic_cost", 3),) if k % 5 == 0 else ()
        problem = problem_for(evidence, weights=weights, method=method, reference=reference, gates=gates)
        scene = ranking_rows(ranking_info(problem, rank_options(problem)), SCENE_ROWS)
        spec = score_bars_figure(scene, look=PROJECTOR).to_dict()
        # The line still marks the status quo: it runs through the status quo's own row.
        own = next((k for k, label in enumerate(spec["data"][0]["y"]) if "(baseline)" in label), None)
        if own is not None and spec["layout"].get("shapes"):
            assert any(s["y0"] <= own <= s["y1"] for s in spec["layout"]["shapes"]), weights
        struck += [f"weights {[w for _, w in weights]}: {s}" for s in struck_labels(spec, RANKING_SCENE_PLOT_PX)]
    assert not struck, struck[:5]


WEIGH_PLOT_PX = 560  # the Weigh page's ranking plot at 1024x768 with the sidebar open, in Chromium (about)


@pytest.mark.parametrize(
    ("method", "reference"),
    [
        ("weighted_sum", "nothing_new"),
        ("weighted_sum", "scored"),
        ("expected_impact", "scored"),
        ("topsis", "nothing_new"),
    ],
)
def test_the_weigh_pages_status_quo_line_strikes_through_no_total(evidence, method, reference):
    """The Weigh page's ranking writes each total just right of its bar: the status quo's dotted line breaks on
    every row where it would cross one, and still runs through the status quo's own row."""
    struck = []
    for k, weights in enumerate(generated_weightings(evidence)):
        gates = (Gate("diplomatic_cost", 3),) if k % 5 == 0 else ()
        problem = problem_for(evidence, weights=weights, method=method, reference=reference, gates=gates)
        spec = ranking_figure(ranking_info(problem, rank_options(problem)), look=DESK).to_dict()
        totals = next(t for t in spec["data"] if t.get("mode") == "text")
        written = {"x": totals["x"], "text": totals["text"], "textfont": {"size": DESK.font}}
        # A total is always written to the right of its bar's end, gains or not.
        written["x"] = [abs(x) if x is not None else None for x in written["x"]]
        struck += [f"{[w for _, w in weights]}: {s}" for s in struck_labels({**spec, "data": [written]}, WEIGH_PLOT_PX)]
    assert not struck, struck[:5]


def test_the_line_check_sees_a_label_that_straddles_the_line():
    """The check above is not blind: a label written from just left of the line runs through it."""
    spec = {
        "layout": {"shapes": [{"x0": 50.0, "x1": 50.0, "yref": "paper"}], "xaxis": {"range": [0, 100]}},
        "data": [{"x": [48.0, 20.0, 50.0, -5.0], "text": ["48.0", "20.0", "50.0", "-5.0"], "textfont": {"size": 22}}],
    }
    assert struck_labels(spec, 520) == ["48.0 at 48 (line at 50)"]


TOOLBAR_BOTTOM_PX = 30  # plotly's toolbar ends 29 px below the chart's top (measured in Chromium)


def above_plot_figures(evidence, chain, look) -> dict[str, dict]:
    """Every builder whose chart writes a legend or labels above its plot, drawn in ``look``."""
    problem = problem_for(evidence)
    full = acceptability_info(problem, rank_acceptability(problem, samples=500))
    trade = tradeoff_info(problem, tradeoff(problem, "effect_on_precursors", "diplomatic_cost"))
    comparison = comparison_info(problem, compare_options(problem, "global_industry_self_regulation", "encourage_aml"))
    figures = {
        "ranking": ranking_figure(ranking_for(evidence), look=look),
        "matrix": matrix_figure(matrix_info(evidence, include_post_seed=True), look=look),
        "acceptability": rank_acceptability_figure(full, look=look),
        "sweep": sweep_figure(sweep_info(problem, weight_sweep(problem, "diplomatic_cost")), look=look),
        "tradeoff": tradeoff_figure(trade, look=look),
        "comparison": comparison_figure(comparison, look=look),
        "deaths": deaths_figure(deaths_info(evidence, chain), look=look),
        "industry": industry_figure(industry_info(evidence), look=look),
        "displacement": displacement_figure(displacement_info(default_scenario(evidence)), look=look),
        "routes": routes_figure(routes_info(evidence, chain, "after_2019"), look=look),
    }
    return {name: fig.to_dict()["layout"] for name, fig in figures.items()}


@pytest.mark.parametrize("look", [DESK, PHONE], ids=["desk", "phone"])
def test_what_a_chart_writes_above_its_plot_starts_below_the_toolbar(evidence, chain, look):
    """On a desk and a phone plotly's toolbar covers the top right of every chart: a legend above the plot starts
    below it, and labels above the plot (a matrix's headings, "favours A") have the toolbar's band above them."""
    problems = []
    for name, layout in above_plot_figures(evidence, chain, look).items():
        legend = layout.get("legend", {})
        if layout.get("showlegend", True) and legend.get("yref") == "container":
            top = (1 - legend["y"]) * layout["height"]
            if legend["yanchor"] != "top" or top < TOOLBAR_BOTTOM_PX:
                problems.append(f"{name}: its legend starts {top:.0f} px from the top")
        elif layout.get("showlegend", True) and legend.get("y", 0) >= 1:
            problems.append(f"{name}: its legend is placed from the plot, just above it, under the toolbar")
        margin = layout.get("margin", {}).get("t", 0)
        for note in layout.get("annotations", []):
            if note.get("yref") == "paper" and note.get("y", 0) >= 1 and note.get("yanchor") == "bottom":
                size = note.get("font", {}).get("size", look.small)
                reach = note.get("yshift", 0) + (note["text"].count("<br>") + 1) * 1.3 * size
                if margin - reach < TOOLBAR_BOTTOM_PX:
                    problems.append(f"{name}: '{note['text'][:20]}' reaches {margin - reach:.0f} px from the top")
    assert not problems, problems
