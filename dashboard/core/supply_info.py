"""What each supply-chain chart shows, in words: its data, takeaway title, summary, sources and table.

Computed here (pure, tested) and drawn by :mod:`charts.supply_chain`; the page only lays them out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from core.displacement import SupplyPaths, supply_paths
from core.evidence import Evidence
from core.facts import citation
from core.problem import build_problem
from core.ranking import RankChange, rank_change
from core.scenario import Scenario
from core.supply_chain import Amounts, SupplyChain, industry_scale, value_chain

ERAS = {"before_2019": "Before May 2019", "after_2019": "After May 2019"}
ERA_WORDS = {"before_2019": "before the May 2019 scheduling", "after_2019": "after the May 2019 scheduling"}


@dataclass(frozen=True)
class ChartText:
    """Everything around a chart: its takeaway title, summary, sources, data table and CSV name."""

    title: str
    summary: str
    source: str
    table: pd.DataFrame
    filename: str


@dataclass(frozen=True)
class RoutesInfo:
    places: pd.DataFrame
    routes: pd.DataFrame
    text: ChartText


@dataclass(frozen=True)
class EventsInfo:
    events: pd.DataFrame
    text: ChartText
    disputed: tuple[str, ...]


@dataclass(frozen=True)
class DeathsInfo:
    deaths: pd.DataFrame
    text: ChartText


@dataclass(frozen=True)
class AmountsInfo:
    amounts: Amounts
    text: ChartText


@dataclass(frozen=True)
class DisplacementInfo:
    paths: SupplyPaths
    horizon_years: int
    text: ChartText
    standing: float = 1.0  # the share of the first cut the chart shows still standing at its end


def sources_sentence(evidence: Evidence, quote_ids: Iterable[str]) -> str:
    """The sources of ``quote_ids``, each once, as one sentence."""
    seen: list[str] = []
    for qid in quote_ids:
        c = citation(evidence, qid)
        if c not in seen:
            seen.append(c)
    return "; ".join(seen) + "."


def routes_info(evidence: Evidence, chain: SupplyChain, era: str) -> RoutesInfo:
    all_routes = chain.routes
    routes = all_routes[all_routes["era"].isin([era, "both"])]
    places = chain.places
    names = dict(zip(places["place_id"], places["name"], strict=True))
    title = (
        "Before 2019, brokers in China shipped fentanyl straight to the US"
        if era == "before_2019"
        else "After 2019, precursors go from China to Mexico's cartels, and fentanyl on to the US"
    )
    listing = "; ".join(
        f"{names[r.from_place]} to {names[r.to_place]}: {r.what}" for r in routes.itertuples(index=False)
    )
    table = routes.assign(
        From=routes["from_place"].map(names),
        To=routes["to_place"].map(names),
        Source=[citation(evidence, q) for q in routes["quote_id"]],
    )[["From", "To", "what", "era", "description", "Source"]].rename(
        columns={"what": "What moves", "era": "Era", "description": "Description"}
    )
    text = ChartText(
        title,
        f"Routes {ERA_WORDS[era]}: {listing}. Positions are approximate; no source gives volumes.",
        sources_sentence(evidence, routes["quote_id"]),
        table,
        f"routes-{era}.csv",
    )
    return RoutesInfo(places, routes, text)


def before_after_info(evidence: Evidence, chain: SupplyChain) -> RoutesInfo:
    routes = chain.routes
    fentanyl = routes[routes["route_id"].isin(["china_us_direct", "china_mexico", "mexico_us"])]
    table = fentanyl.assign(Source=[citation(evidence, q) for q in fentanyl["quote_id"]])[
        ["era", "from_place", "to_place", "what", "Source"]
    ]
    text = ChartText(
        "Scheduling did not stop the flow: it moved it through Mexico",
        "Before May 2019: finished fentanyl from China straight to the US. After: precursors and pre-precursors "
        "from China to Mexico, and finished fentanyl from Mexico to the US. Arrows show direction only; no source "
        "gives volumes.",
        sources_sentence(evidence, ["R3c", *fentanyl["quote_id"]]),
        table,
        "before-after-2019.csv",
    )
    return RoutesInfo(chain.places, fentanyl, text)


def timeline_info(evidence: Evidence, chain: SupplyChain) -> EventsInfo:
    events = chain.events
    disputed = events[events["disputed"]]
    listing = "; ".join(
        f"{r.date}: {r.title}" + (" (after the article)" if r.post_seed else "") for r in events.itertuples(index=False)
    )
    notes = tuple(f"Disputed: {r.title}. {r.caveat}" for r in disputed.itertuples())
    table = events.assign(Source=[citation(evidence, q) for q in events["quote_id"]])[
        ["date", "title", "detail", "post_seed", "caveat", "Source"]
    ]
    text = ChartText(
        "China's controls came in steps, and cooperation tracked the relationship",
        listing + ". " + " ".join(notes),
        sources_sentence(evidence, events["quote_id"]),
        table,
        "timeline.csv",
    )
    return EventsInfo(events, text, notes)


@dataclass(frozen=True)
class DeathsFall:
    """The latest fall in the final counts of all overdose deaths, as the chart and the briefing say it."""

    peak_year: int
    peak: int
    year: int
    deaths: int
    fall: float  # the share fewer than the year before
    largest: bool  # the largest one-year fall in the counts


def deaths_fall(deaths: pd.DataFrame) -> DeathsFall | None:
    """The peak and the latest year of the final all-overdose counts, if the latest year is below the year before."""
    final = deaths[(deaths["status"] == "final") & (deaths["measure"] == "all_overdose")]
    series = final.set_index("year")["deaths"].sort_index()
    peak, last = int(series.idxmax()), int(series.index.max())
    if last == peak or last - 1 not in series.index or series[last] >= series[last - 1]:
        return None
    fall = (series[last - 1] - series[last]) / series[last - 1]
    return DeathsFall(peak, int(series[peak]), last, int(series[last]), float(fall), series.diff().idxmin() == last)


def deaths_title(deaths: pd.DataFrame) -> str | None:
    """The deaths chart's takeaway: the peak, the latest year and how it compares with the year before (the
    largest fall in the counts said so), crediting no cause (deaths fell in 2023 too, before the November 2023
    agreement). None when the counts do not come down from their peak."""
    f = deaths_fall(deaths)
    if f is None:
        return None
    largest = ", the largest one-year fall in these counts" if f.largest else ""
    return (
        f"Overdose deaths peaked at {f.peak:,} in {f.peak_year} and fell to {f.deaths:,} in {f.year}: "
        f"{f.fall:.1%} fewer than a year earlier{largest}. No source credits one cause"
    )


def deaths_info(evidence: Evidence, chain: SupplyChain) -> DeathsInfo:
    deaths = chain.deaths
    final = deaths[deaths["status"] == "final"]
    synth = final[final["measure"] == "synthetic_opioids"].set_index("year")["deaths"]
    first, peak = int(synth.index.min()), int(synth.idxmax())
    published_later = dict(zip(final["year"], final["post_seed"], strict=False))
    mark = " (counted after the article)" if published_later.get(peak) else ""
    sources = evidence.source_rows
    table = deaths.assign(Source=[f"{sources[s]['publisher']}, {sources[s]['title']}" for s in deaths["source_id"]])[
        ["year", "measure", "deaths", "status", "period", "post_seed", "note", "Source"]
    ]
    listing = "; ".join(
        f"{r.year} {r.measure.replace('_', ' ')} {r.deaths:,} ({r.status})" for r in deaths.itertuples()
    )
    text = ChartText(
        deaths_title(deaths)
        or f"Deaths from synthetic opioids rose from {synth[first]:,} in {first} to a peak of "
        f"{synth[peak]:,} in {peak}{mark}",
        listing + ". Years without a verified figure are left out.",
        "CDC/NCHS final counts as listed in the data table; the diamonds are the article's 12-month provisional "
        "counts (Brookings blog, 7 Mar 2022). Years without a verified figure are left out.",
        table,
        "overdose-deaths.csv",
    )
    return DeathsInfo(deaths, text)


def value_info(evidence: Evidence) -> AmountsInfo:
    amounts, share_low, share_high = value_chain(evidence)
    text = ChartText(
        f"China's exports are worth about {share_low * 100:.3f}% to {share_high * 100:.3f}% of what US users spend "
        "on cocaine, heroin, marijuana and methamphetamine",
        f"{amounts.labels[0]}: {amounts.notes[0]}. {amounts.labels[1]}: {amounts.notes[1]}. An order-of-magnitude "
        "comparison of different years, on a log scale.",
        sources_sentence(evidence, ["S20a", "O32"])
        + " The share is our arithmetic; the years differ (about 2022 against 2016), so read it as an order of "
        "magnitude.",
        amounts.table("US dollars per year"),
        "value-chain.csv",
    )
    return AmountsInfo(amounts, text)


def industry_info(evidence: Evidence) -> AmountsInfo:
    amounts, times_low, times_high = industry_scale(evidence)
    text = ChartText(
        f"China's chemical trade has {times_low:.0f} to {times_high:.0f} times as many firms as its "
        "pharmaceutical industry",
        f"{amounts.labels[0]}: {amounts.notes[0]}. {amounts.labels[1]}: {amounts.notes[1]}.",
        sources_sentence(evidence, ["S4a", "S4b"]) + " The 160,000 lower bound appears only in the article.",
        amounts.table("firms"),
        "industry-scale.csv",
    )
    return AmountsInfo(amounts, text)


def standing_share(paths: Any) -> float:
    """How much of the option's first cut the chart shows still standing at its last month (1 with no cut)."""
    cut = float(paths.baseline[0] - paths.without_substitution[0])
    return 1.0 if cut <= 0 else float(paths.baseline[-1] - paths.with_substitution[-1]) / cut


def displacement_info(scenario: Scenario) -> DisplacementInfo:
    params = scenario.displacement
    paths = supply_paths(params)
    table = pd.DataFrame(
        {
            "Month": paths.months.astype(int),
            "Supply with no option": paths.baseline,
            "With the option, no substitution": paths.without_substitution.round(2),
            "With the option and substitution": paths.with_substitution.round(2),
        }
    )
    standing = standing_share(paths)
    text = ChartText(
        f"An illustration: {standing * 100:.0f}% of an option's cut still stands after {params.horizon_years} years "
        f"if substitutes fill {params.substitution_share * 100:.0f}% of it",
        f"Supply index over {params.horizon_years} years: the option cuts {params.effectiveness * 100:.0f}% of the "
        f"supply it reaches; substitutes fill {params.substitution_share * 100:.0f}% of the gap with a half-life of "
        f"{params.half_life_months:g} months, so {standing * 100:.0f}% of the first cut still stands at the end. "
        f"Against the average effect of the first year, {paths.surviving_share * 100:.0f}% remains: the share an "
        "effect judged 'erased quickly' keeps when the ranking reads durability through this model. Every number "
        "here is an assumption.",
        "An illustrative model with parameters you set. Its defaults are illustrations, loosely anchored on episodes "
        "the sources describe: the rerouting through Mexico after 2019 (Brookings, March 2022), the online market's "
        "recovery about seven months after the 2023 crackdown, and Australia's turn to Myanmar after Task Force "
        "Blaze (see each parameter's help).",
        table,
        "displacement-model.csv",
    )
    return DisplacementInfo(paths, params.horizon_years, text, standing)


# --------------------------------------------------------------------------- does displacement change the ranking?
def displacement_rank_change(evidence: Evidence, scenario: Scenario) -> RankChange:
    """Each option's rank with durability as the sources label it and read through the displacement model
    (displacement counted once either way, through durability), and the change in one sentence."""
    change = rank_change(
        build_problem(evidence, replace(scenario, account_for_displacement=False)),
        build_problem(evidence, replace(scenario, account_for_displacement=True)),
        ("Rank, durability as labelled", "Rank, durability through the model"),
        "with these weights and assumptions, reading durability through the displacement model",
    )
    supply = dict(zip(evidence.option_names.values(), evidence.option_supply_side, strict=False))
    change.rows.insert(1, "Supply-side", [bool(supply.get(name)) for name in change.rows["Option"]])
    return change
