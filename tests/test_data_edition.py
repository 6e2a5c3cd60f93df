"""The December 2026 edition over the real data: today means the newest edition's date, measures have a life,
every score has its case against (or none found), the lapsed tariffs are never a live lever, and the balance
lenses name whose position they read."""

from __future__ import annotations

from core.evidence import split_quote_ids
from core.hindsight import as_of


def test_today_is_the_newest_edition_and_every_stamp_says_so(evidence):
    newest = evidence.tables["editions"]["date"].max()
    assert evidence.edition == newest == "2026-12-03"
    assert evidence.stamp.startswith("Evidence current to 3 Dec 2026")


def test_every_measure_has_a_life_and_the_status_quo_of_today_is_what_is_in_force(evidence):
    in_force = {m["measure_id"] for m in evidence.measures_in_force()}
    for m in evidence.measure_rows.values():
        assert m["in_force_from"] <= evidence.edition
        ended = bool(m["in_force_until"])
        assert ended == bool(m["ended_why"]) and (m["measure_id"] in in_force) == (not ended)
        if m["option_id"] == "status_quo_today":
            assert not ended, m["measure_id"]  # what doing nothing new means today is in force today
    tariffs = evidence.option_rows["fentanyl_tariffs_2025"]
    assert tariffs["role"] == "lapsed" and tariffs["in_force_until"] == "2026-02-24"
    assert "Supreme Court" in tariffs["ended_why"]


def test_the_lapsed_tariffs_are_never_in_view_and_each_date_has_its_own_baseline(evidence):
    for date, baseline in (("today", "status_quo_today"), ("march_2022", "status_quo_2022")):
        dated = as_of(evidence, date)
        for include in (True, False):
            shown = {o for o, s in zip(dated.option_ids, dated.options_in_view(include), strict=True) if s}
            assert "fentanyl_tariffs_2025" not in shown
            assert {o for o in shown if dated.option_roles[dated.option_ids.index(o)] == "status_quo"} == {baseline}


def test_every_score_has_its_case_against_or_says_none_was_found(evidence):
    against = evidence.tables["scores"]["against_quote_ids"]
    assert len(against) == len(evidence.option_ids) * len(evidence.criterion_ids)
    named = [q for cell in against for q in split_quote_ids(cell)]
    assert named and all(q in evidence.quote_rows for q in named)
    for (o, c), row in evidence.score_rows.items():
        assert not set(split_quote_ids(row["against_quote_ids"])) & set(split_quote_ids(row["quote_ids"])), (o, c)


def test_every_score_rests_only_on_words_that_were_read(evidence):
    for (o, c), row in evidence.score_rows.items():
        for qid in split_quote_ids(row["quote_ids"]):
            q = evidence.quote_rows[qid]
            assert q["verbatim"] and q["checked"] in ("publisher", "copy"), (o, c, qid)
            if q["checked"] == "copy":  # a copy is cited as such
                assert (
                    "as reported" in str(evidence.source_rows[q["source_id"]]["access_note"]).lower()
                    or (evidence.source_rows[q["source_id"]]["access_note"])
                ), (o, c, qid)


def test_the_options_each_camp_presses_are_there_marked_as_after_the_article(evidence):
    for option_id in ("calibrated_reciprocity", "us_financial_measures", "un_scheduling", "work_with_mexico_india"):
        row = evidence.option_rows[option_id]
        assert row["post_seed"] and row["role"] == "option", option_id
        cells = [evidence.score_rows[(option_id, c)] for c in evidence.criterion_ids]
        assert all(r["low"] <= r["likely"] <= r["high"] for r in cells)
        assert sum(bool(split_quote_ids(r["quote_ids"])) for r in cells) >= 3, option_id  # mostly sourced


def test_the_balance_lenses_name_whose_position_they_read(evidence):
    for lens_id, who in (("hawk", "House Select Committee on the CCP"), ("engagement", "Felbab-Brown")):
        row = evidence.lens_rows[lens_id]
        assert who in row["name"] and "An assumption" in row["description"] and "ours" in row["description"]
        quote = evidence.quote_rows[row["position_quote_id"]]
        assert quote["checked"] == "publisher"  # the position is read on its own publisher's page
