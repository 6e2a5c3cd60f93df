"""Words true to their charts on every page and file that says a number: the Weigh page, How sure, the
briefing file and the room's revealed view. Each claim is recomputed from the data of the chart drawn beside
it (the figure's own traces), for generated scenarios: weights, limits, edits, packages, models, both dates."""

from __future__ import annotations

import html
import json
import re

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charts.briefing import scene_figure
from charts.ranking import ranking_figure
from charts.robustness import first_chance_figure
from charts.seminar import first_figure
from conftest import examples
from core.briefing import build_briefing
from core.hindsight import scenario_evidence
from core.model import additive
from core.montecarlo import first_chance_info, first_sentence, rank_acceptability
from core.problem import build_problem
from core.ranking import rank_options
from core.ranking_info import ranking_info
from core.ranking_words import adds_and_costs_sentence, baseline_sentence, verdict, why_first
from core.seminar import first_sentence as room_first_sentence
from core.seminar import room_results
from core.supply_chain import load_supply_chain
from exports.html import briefing_html
from strategies import EVIDENCE, scenarios

CHAIN = load_supply_chain(EVIDENCE)
NUMBER = r"([+-]?\d+(?:\.\d+)?)"
SOME = settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _number_after(text: str, prefix: str) -> float:
    m = re.match(NUMBER, text.split(prefix, 1)[1])
    assert m, (prefix, text)
    return float(m[1])


def _drawn(problem, ranking):
    """Per row of the ranking chart: its total, gains and costs, and each criterion's segment (from the traces)."""
    spec = ranking_figure(ranking_info(problem, ranking)).to_dict()
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    segments = np.array([b["x"] for b in bars], dtype=float).T  # (rows, traces)
    return (
        segments.sum(axis=1),
        np.clip(segments, 0, None).sum(axis=1),
        np.clip(segments, None, 0).sum(axis=1),
        segments,
    )


@SOME
@given(scenarios())
def test_the_weigh_pages_words_are_the_numbers_its_ranking_chart_draws(scenario):
    evidence = scenario_evidence(EVIDENCE, scenario)
    problem = build_problem(evidence, scenario)
    ranking = rank_options(problem)
    totals, gains, costs, segments = _drawn(problem, ranking)
    n, unit = ranking.n_ranked, 1 if additive(ranking.method) else 0.001
    said = verdict(ranking)
    if n >= 2 and ranking.rank[1] != 1:
        gap = _number_after(said, f"ahead of {ranking.names[1]} by ")
        assert abs(gap - (totals[0] - totals[1])) <= unit * 0.51, said
    # How many options the chart draws beyond the status quo's line, as the sentence says.
    base = [k for k in range(len(ranking.names)) if ranking.baseline[k]]
    sentence = baseline_sentence(ranking)
    if base and n:
        above = int((np.round(totals[:n], 6) > round(totals[base[0]], 6)).sum())
        expected = f"All {n} options" if above == n else "No option" if above == 0 else f"{above} of {n} options"
        assert sentence.startswith(f" {expected} do"), (sentence, above)
    # What each option adds and costs against doing nothing new: its segments right and left of zero.
    adds = adds_and_costs_sentence(ranking)
    assert bool(adds) == (additive(ranking.method) and ranking.reference == "nothing_new" and n > 0)
    for k in range(n if adds else 0):
        rest = adds.split(f"{ranking.names[k]} gains ", 1)[1]
        m = re.match(rf"{NUMBER} and costs {NUMBER} \(net {NUMBER}\)", rest)
        assert m, rest
        assert abs(float(m[1]) - gains[k]) <= 0.051 and abs(float(m[2]) - abs(costs[k])) <= 0.051
        assert abs(float(m[3]) - totals[k]) <= 0.051
    # Why the leader leads: each amount is the gap between the first two bars' segments for that criterion.
    why = why_first(evidence, ranking)
    if why and additive(ranking.method) and "score the same" not in why:
        for j, cid in enumerate(ranking.criterion_ids):
            name = evidence.criterion_name(cid).lower()
            if f"{name} (+" in why:
                amount = _number_after(why, f"{name} (+")
                assert abs(amount - abs(segments[0, j] - segments[1, j])) <= 0.051, (name, why)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_how_sure_says_the_share_its_chance_chart_draws(scenario):
    evidence = scenario_evidence(EVIDENCE, scenario)
    problem = build_problem(evidence, scenario)
    acc = rank_acceptability(problem, samples=400, first_only=True)
    said = first_sentence(evidence, acc)
    if not acc.option_ids:
        assert said == "No option passes your limits."
        return
    bars = first_chance_figure(first_chance_info(problem, acc)).to_dict()["data"][0]
    top = max(bars["x"])
    assert said.endswith("of draws within our assumed ranges")
    assert f"in {top * 100:.0f}% of draws" in said
    leaders = [k for k, x in enumerate(bars["x"]) if np.isclose(x, top)]
    assert (" each rank first" in said) == (len(leaders) > 1)


def _payloads(page: str) -> list[dict]:
    return [json.loads(p.replace("<\\/", "</")) for p in re.findall(r"var f=(\{.*?\});Plotly\.newPlot", page)]


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_the_briefing_file_says_each_scenes_words_beside_that_scenes_own_chart(scenario):
    evidence = scenario_evidence(EVIDENCE, scenario)
    problem = build_problem(evidence, scenario)
    acc = rank_acceptability(problem, samples=300, first_only=True)
    briefing = build_briefing(evidence, problem, CHAIN, acc)
    figures = [scene_figure(s) for s in briefing.scenes]
    page = briefing_html(briefing, figures, link="", made="today")
    drawn = iter(_payloads(page))
    for scene, fig in zip(briefing.scenes, figures, strict=True):
        assert f"<h2>{html.escape(scene.headline, quote=True)}</h2>" in page
        if fig is None:
            continue
        payload = next(drawn)  # the chart under this headline is the scene's own figure, data unchanged
        assert json.loads(json.dumps(fig.to_dict()["data"], default=str)) == payload["data"]
    # The summary's verdict is the ranking's, whose claims the test above recomputes from its chart.
    assert f"<li>{html.escape(verdict(rank_options(problem)), quote=True)}</li>" in page


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(scenarios(), min_size=1, max_size=5))
def test_the_rooms_revealed_view_says_what_its_first_place_chart_draws(answers):
    results = room_results(EVIDENCE, answers)
    bars = first_figure(results).to_dict()["data"][0]
    counts = [int(x) for x in bars["x"]]
    top = max(counts)
    leaders = [k for k, c in enumerate(counts) if c == top]
    said = room_first_sentence(results)
    if len(leaders) == 1:
        assert said.startswith(f"{top} of {results.n} ({top / results.n:.0%}) put "), said
    else:
        assert said.startswith(f"The room is split {len(leaders)} ways: "), said
        assert said.endswith(f"are each put first by {top} of {results.n}."), said
    assert all(text == f"{c} of {results.n}" for text, c in zip(bars["text"], counts, strict=True))
