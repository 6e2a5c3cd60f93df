"""What the room thinks, from its answers: each answer ranked on its own, the spread, and what survives every view."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from core.problem import build_problem
from core.ranking import rank_options
from core.scenario import default_scenario
from core.seminar import (
    ROBUST_SHARE,
    burst_sentence,
    find_bursts,
    first_label,
    first_sentence,
    moved_sentence,
    results_sentence,
    results_table,
    room_results,
)
from strategies import EVIDENCE


def _answers(lenses: list[str]):
    base = default_scenario(EVIDENCE)
    return [replace(base, weights=tuple(EVIDENCE.lens_weights(lens).items()), lens=lens) for lens in lenses]


def test_each_answer_is_ranked_on_its_own_weights():
    lenses = ["report_emphasis", "diplomacy_first", "report_emphasis"]
    answers = _answers(lenses)
    results = room_results(EVIDENCE, answers)
    for k, scenario in enumerate(answers):
        assert results.first[k] == rank_options(build_problem(EVIDENCE, scenario)).names[0]
        assert np.isclose(results.shares[k].sum(), 100)
    assert sum(results.first_counts.values()) == 3
    assert results.first[0] != results.first[1]  # the two lenses disagree, and the room shows it


def test_robust_options_are_in_the_top_two_for_nearly_everyone():
    answers = _answers(["report_emphasis"] * 9 + ["diplomacy_first"])
    results = room_results(EVIDENCE, answers)
    for name in results.robust():
        assert sum(name in t for t in results.top_two) >= ROBUST_SHARE * results.n
    unanimous = room_results(EVIDENCE, _answers(["report_emphasis"] * 5))
    assert set(unanimous.robust()) == set(unanimous.top_two[0])
    assert "put" in results_sentence(results) and results_sentence(room_results(EVIDENCE, [])) == "No answers yet."


def test_the_groups_and_the_disagreement_follow_the_answers():
    results = room_results(EVIDENCE, _answers(["report_emphasis"] * 3 + ["diplomacy_first"] * 2))
    groups = results.groups()
    assert groups["People"].tolist() == [3, 2]
    spread = dict(results.disagreement())
    assert max(spread.values()) > 0 and set(spread) == set(results.criterion_names)


def test_the_export_is_anonymous_and_numbers_each_person_as_the_room_does():
    answers = _answers(["report_emphasis", "diplomacy_first"])
    table = results_table(room_results(EVIDENCE, answers, numbers=[7, 3], burst=frozenset({3})), 2)
    assert isinstance(table, pd.DataFrame) and table["Participant"].tolist() == [7, 3]
    assert (table["Round"] == 2).all() and "Puts first" in table
    assert table["Joined in a burst"].tolist() == ["no", "yes"]
    assert not any("name" in c.lower() for c in table.columns)


def test_a_move_between_rounds_is_said_in_words():
    before = room_results(EVIDENCE, _answers(["report_emphasis"] * 4))
    after = room_results(EVIDENCE, _answers(["diplomacy_first"] * 4))
    sentence = moved_sentence(before, after)
    assert "100% more put" in sentence and "median weight" in sentence


def test_a_tie_for_first_is_a_view_of_its_own_and_every_chart_draws_it():
    from charts.seminar import disagreement_figure, first_figure, weights_figure

    equal = replace(default_scenario(EVIDENCE), weights=tuple((c, 0.0) for c in EVIDENCE.criterion_ids), lens=None)
    equal = replace(equal, weights=(("effect_on_precursors", 0.0), *equal.weights[1:-1], ("ill_effects_risk", 1.0)))
    answers = [equal, *_answers(["report_emphasis"] * 2)]
    results = room_results(EVIDENCE, answers)
    assert sum(results.first_counts.values()) == results.n == 3
    tied = [f for f in results.first if f.startswith("Tie: ")]
    assert tied, results.first  # the risk of ill effects alone leaves several options level
    for draw in (first_figure, weights_figure, disagreement_figure):
        assert draw(results).to_dict()["data"]
    assert not results.groups().empty


def test_a_tie_between_views_is_said_as_a_tie_whatever_its_size():
    results = room_results(EVIDENCE, _answers(["report_emphasis", "diplomacy_first"] * 2))
    leaders = list(results.first_counts)
    assert len(leaders) == 2 and set(results.first_counts.values()) == {2}
    sentence = first_sentence(results)
    assert sentence.startswith("The room is split 2 ways") and all(name in sentence for name in leaders)
    assert "2 of 4" in sentence and "put" not in sentence.split(":")[0]
    # A six-way tie inside one answer: a view of its own, named as a tie, every option in it.
    assert first_label(["A", "B", "C", "D", "E", "F"]) == "Tie: A, B, C, D, E and F"


def test_a_burst_is_five_or_more_joins_from_one_address_within_a_minute():
    joins = [(k, 100.0 + k, "flood") for k in range(1, 7)]  # six in six seconds from one address
    joins += [(10 + k, 100.0 + 30 * k, "class") for k in range(5)]  # five over two minutes: no burst
    joins += [(20 + k, 100.0 + k, f"phone{k}") for k in range(10)]  # ten phones at once, each its own address
    assert find_bursts(joins) == frozenset(range(1, 7))
    results = room_results(EVIDENCE, _answers(["report_emphasis"] * 3), numbers=[1, 2, 21], burst=find_bursts(joins))
    assert results.in_burst == 2 and "2 of these 3 answers" in burst_sentence(results)
    assert burst_sentence(room_results(EVIDENCE, _answers(["report_emphasis"]), numbers=[21])) is None
