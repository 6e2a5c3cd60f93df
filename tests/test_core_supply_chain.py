"""Supply-chain tables and the displacement model."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.displacement import PARAMETERS, Displacement, supply_paths, surviving_share
from core.evidence import EvidenceError
from core.problem import build_problem
from core.ranking import rank_options
from core.scenario import default_scenario
from core.scoring import InputError
from core.supply_chain import industry_scale, load_supply_chain, value_chain


# ----------------------------------------------------------------------------- tables
def test_every_event_route_and_count_has_a_source(evidence, chain):
    for qid in list(chain.events["quote_id"]) + list(chain.routes["quote_id"]):
        assert evidence.source_rows[evidence.quote_rows[qid]["source_id"]]
    for sid in chain.deaths["source_id"]:
        assert sid in evidence.source_rows


def test_timeline_marks_post_article_events_and_the_disputed_claim(chain):
    events = chain.events.set_index("event_id")
    for event_id in (
        "cooperation_suspended",
        "woodside_agreement",
        "precursor_controls_2024",
        "tariff_10",
        "export_licences",
    ):
        assert events.at[event_id, "post_seed"]
    for event_id in (
        "task_force_blaze",
        "precursor_scheduling",
        "class_wide_scheduling",
        "otay_mesa_seizure",
        "brookings_report",
    ):
        assert not events.at[event_id, "post_seed"]
    assert "Xingtai in November 2019" in events.at["tips_stop_claim", "caveat"]
    assert list(chain.events["date"]) == sorted(chain.events["date"])


def test_deaths_keep_the_provisional_figure_apart_and_leave_gaps(chain):
    deaths = chain.deaths
    provisional = deaths[deaths["status"] == "provisional"].set_index("measure")["deaths"]
    assert provisional["all_overdose_12m_provisional"] == 104288
    assert provisional["opioids_12m_provisional"] == 78388
    synth_years = set(deaths[deaths["measure"] == "synthetic_opioids"]["year"])
    assert {2015, 2016, 2020}.isdisjoint(synth_years), "years without a verified figure must be left out"
    final = deaths[(deaths["measure"] == "all_overdose")].set_index("year")["deaths"]
    assert final[2019] == 70630 and final[2022] == 107941


def test_value_chain_and_industry_come_from_facts(evidence):
    amounts, low, high = value_chain(evidence)
    assert amounts.high[0] == 25_000_000 and amounts.low[0] == 10_000_000 and amounts.high[1] == 150e9
    assert low == pytest.approx(10e6 / 150e9) and high == pytest.approx(25e6 / 150e9)
    scale, times_low, times_high = industry_scale(evidence)
    assert scale.low == (5000, 160000) and scale.high == (5000, 400000)
    assert (times_low, times_high) == (32, 80)


def test_broken_supply_chain_table_is_named(evidence, data_copy):
    folder = data_copy(
        routes=lambda t: t.replace("china_mexico,after_2019,china,mexico", "china_mexico,later,china,mexico")
    )
    with pytest.raises(EvidenceError) as info:
        load_supply_chain(evidence, folder)
    assert str(info.value) == ("routes.csv, row 3, column 'era': 'later' must be one of before_2019, after_2019, both.")
    folder = data_copy(deaths=lambda t: t.replace("2019,all_overdose,70630", "2019,all_overdose,-5"))
    with pytest.raises(EvidenceError, match=r"deaths\.csv, row 9, column 'deaths': '-5\.0' must be a positive whole"):
        load_supply_chain(evidence, folder)


# ----------------------------------------------------------------------------- the displacement model
def test_no_substitution_keeps_the_full_effect():
    params = Displacement(substitution_share=0.0)
    paths = supply_paths(params)
    assert surviving_share(params) == 1.0
    assert np.allclose(paths.with_substitution, paths.without_substitution)


@given(st.floats(0, 1), st.floats(0, 1), st.floats(1, 36), st.integers(1, 10))
def test_more_substitution_never_helps(r1, r2, half_life, years):
    lo, hi = sorted((r1, r2))
    a = surviving_share(Displacement(substitution_share=lo, half_life_months=half_life, horizon_years=years))
    b = surviving_share(Displacement(substitution_share=hi, half_life_months=half_life, horizon_years=years))
    assert b <= a + 1e-12
    assert 0 <= b <= 1


def test_zero_effectiveness_changes_nothing():
    paths = supply_paths(Displacement(effectiveness=0.0))
    assert np.allclose(paths.with_substitution, 100) and np.allclose(paths.without_substitution, 100)


def test_paths_have_monthly_shape_and_units():
    paths = supply_paths(Displacement(horizon_years=3, effectiveness=0.4, substitution_share=0.5))
    assert paths.months.shape == (37,) and paths.months[-1] == 36
    assert paths.without_substitution[0] == pytest.approx(60.0)
    assert paths.with_substitution[0] == pytest.approx(60.0)
    assert paths.with_substitution[-1] < 100 and paths.with_substitution[-1] > 60
    # Substitutes approach but never exceed the share of the gap the user allows.
    assert paths.with_substitution.max() <= 100 - 40 * 0.5 + 1e-9


def test_default_anchored_on_the_seven_month_recovery():
    params = Displacement()
    filled_by_month_7 = 1 - 0.5 ** (7 / params.half_life_months)
    assert filled_by_month_7 == pytest.approx(0.8, abs=0.02)
    for name, spec in PARAMETERS.items():
        assert spec.low <= getattr(params, name) <= spec.high
        assert "source" in spec.reason.lower() or "report" in spec.reason.lower()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"substitution_share": 1.5}, "'substitution_share' must lie from 0 to 1; got 1.5."),
        ({"half_life_months": float("nan")}, "'half_life_months' must be a number"),
        ({"horizon_years": 0}, "'horizon_years' must lie from 1 to 10; got 0."),
    ],
)
def test_bad_parameters_are_named(evidence, change, message):
    scenario = replace(default_scenario(evidence), displacement=replace(Displacement(), **change))
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        rank_options(build_problem(evidence, scenario))
