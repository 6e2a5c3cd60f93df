"""Sections of the "Understand the supply chain" page."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from charts.supply_chain import (
    ERA_NAMES,
    before_after_figure,
    deaths_figure,
    displacement_figure,
    industry_figure,
    routes_figure,
    timeline_figure,
    value_chain_figure,
)
from core.displacement import supply_paths
from core.evidence import Evidence
from core.facts import citation
from core.ranking import rank_options
from core.scenario import Scenario
from core.supply_chain import SupplyChain, industry_scale, value_chain
from core.text import md_escape
from ui import state
from ui.assumptions import displacement_controls
from ui.chart_block import chart_block
from ui.figures import look

ERAS = {"before_2019": "Before May 2019", "after_2019": "After May 2019"}


def _sources(evidence: Evidence, quote_ids) -> str:
    seen: list[str] = []
    for qid in quote_ids:
        c = citation(evidence, qid)
        if c not in seen:
            seen.append(c)
    return "; ".join(seen) + "."


def routes_section(evidence: Evidence, chain: SupplyChain) -> None:
    era = (
        st.segmented_control(
            "Era",
            options=list(ERAS),
            format_func=ERAS.get,
            default="after_2019",
            key="routes_era",
            persist_state="session",
        )
        or "after_2019"
    )
    routes = chain.routes[chain.routes["era"].isin([era, "both"])]
    title = (
        "Before 2019, brokers in China shipped fentanyl straight to the US"
        if era == "before_2019"
        else "After 2019, precursors go from China to Mexico's cartels, and fentanyl on to the US"
    )
    names = dict(zip(chain.places["place_id"], chain.places["name"], strict=True))
    summary = "; ".join(
        f"{names[r.from_place]} to {names[r.to_place]}: {r.what}" for r in routes.itertuples(index=False)
    )
    table = routes.assign(
        **{
            "From": routes["from_place"].map(names),
            "To": routes["to_place"].map(names),
            "Source": [citation(evidence, q) for q in routes["quote_id"]],
        }
    )[["From", "To", "what", "era", "description", "Source"]].rename(
        columns={"what": "What moves", "era": "Era", "description": "Description"}
    )
    chart_block(
        routes_figure(chain.places, routes, look=look()),
        key="routes_chart",
        title=title,
        summary=f"Routes {ERA_NAMES[era]}: {summary}. Positions are approximate; no source gives volumes.",
        source=_sources(evidence, routes["quote_id"]),
        table=table,
        filename=f"routes-{era}.csv",
    )


def before_after_section(evidence: Evidence, chain: SupplyChain) -> None:
    fentanyl = chain.routes[chain.routes["route_id"].isin(["china_us_direct", "china_mexico", "mexico_us"])]
    chart_block(
        before_after_figure(chain.places, fentanyl, look=look()),
        key="before_after_chart",
        title="Scheduling did not stop the flow: it moved it through Mexico",
        summary="Before May 2019: finished fentanyl from China straight to the US. After: precursors and "
        "pre-precursors from China to Mexico, and finished fentanyl from Mexico to the US. Arrows show "
        "direction only; no source gives volumes.",
        source=_sources(evidence, ["R3c", *fentanyl["quote_id"]]),
        table=fentanyl.assign(Source=[citation(evidence, q) for q in fentanyl["quote_id"]])[
            ["era", "from_place", "to_place", "what", "Source"]
        ],
        filename="before-after-2019.csv",
    )


def timeline_section(evidence: Evidence, chain: SupplyChain) -> None:
    events = chain.events
    table = events.assign(Source=[citation(evidence, q) for q in events["quote_id"]])[
        ["date", "title", "detail", "post_seed", "caveat", "Source"]
    ]
    disputed = events[events["caveat"] != ""]
    summary = "; ".join(
        f"{r.date}: {r.title}" + (" (after the article)" if r.post_seed else "") for r in events.itertuples(index=False)
    )
    chart_block(
        timeline_figure(events, look=look()),
        key="timeline_chart",
        title="China's controls came in steps, and cooperation tracked the relationship",
        summary=summary + ". " + " ".join(f"Disputed: {r.title}. {r.caveat}" for r in disputed.itertuples()),
        source=_sources(evidence, events["quote_id"]),
        table=table,
        filename="timeline.csv",
    )
    for r in disputed.itertuples():
        st.caption(md_escape(f"Disputed: {r.title}. {r.caveat}"))


def deaths_section(evidence: Evidence, chain: SupplyChain) -> None:
    deaths = chain.deaths
    final = deaths[deaths["status"] == "final"]
    synth = final[final["measure"] == "synthetic_opioids"].set_index("year")["deaths"]
    first, peak = int(synth.index.min()), int(synth.idxmax())
    published_later = dict(zip(final["year"], final["post_seed"], strict=False))
    mark = " (counted after the article)" if published_later.get(peak) else ""
    title = (
        f"Deaths from synthetic opioids rose from {synth[first]:,} in {first} to a peak of "
        f"{synth[peak]:,} in {peak}{mark}"
    )
    sources = evidence.sources.set_index("source_id")
    table = deaths.assign(
        Source=[f"{sources.at[s, 'publisher']}, {sources.at[s, 'title']}" for s in deaths["source_id"]]
    )[["year", "measure", "deaths", "status", "period", "post_seed", "note", "Source"]]
    summary = "; ".join(
        f"{r.year} {r.measure.replace('_', ' ')} {r.deaths:,} ({r.status})" for r in deaths.itertuples()
    )
    chart_block(
        deaths_figure(deaths, look=look()),
        key="deaths_chart",
        title=title,
        summary=summary + ". Years without a verified figure are left out.",
        source="CDC/NCHS final counts as listed in the data table; the diamonds are the article's 12-month "
        "provisional counts (Brookings blog, 7 Mar 2022). Years without a verified figure are left out.",
        table=table,
        filename="overdose-deaths.csv",
    )


def value_section(evidence: Evidence) -> None:
    amounts, share_low, share_high = value_chain(evidence)
    title = (
        f"China's exports are worth about {share_low * 100:.3f}% to {share_high * 100:.3f}% of what US users "
        "spend on drugs"
    )
    chart_block(
        value_chain_figure(amounts.labels, amounts.low, amounts.high, amounts.notes, look=look()),
        key="value_chart",
        title=title,
        summary=f"{amounts.labels[0]}: {amounts.notes[0]}. {amounts.labels[1]}: {amounts.notes[1]}. "
        "An order-of-magnitude comparison of different years, on a log scale.",
        source=_sources(evidence, ["S20a", "O32"]) + " The share is our arithmetic; the years differ (about 2022 "
        "against 2016), so read it as an order of magnitude.",
        table=amounts.table("US dollars per year"),
        filename="value-chain.csv",
    )


def industry_section(evidence: Evidence) -> None:
    amounts, times_low, times_high = industry_scale(evidence)
    chart_block(
        industry_figure(amounts.labels, amounts.low, amounts.high, amounts.notes, look=look()),
        key="industry_chart",
        title=f"China's chemical trade has {times_low:.0f} to {times_high:.0f} times as many firms as its "
        "pharmaceutical industry",
        summary=f"{amounts.labels[0]}: {amounts.notes[0]}. {amounts.labels[1]}: {amounts.notes[1]}.",
        source=_sources(evidence, ["S4a", "S4b"]) + " The 160,000 lower bound appears only in the article.",
        table=amounts.table("firms"),
        filename="industry-scale.csv",
    )


def _change(before: float, after: float) -> str:
    if pd.isna(before) or pd.isna(after):
        return ""
    if before == after:
        return "same"
    return f"up {int(before - after)}" if after < before else f"down {int(after - before)}"


def displacement_section(evidence: Evidence, scenario: Scenario) -> None:
    st.markdown(
        "**An illustrative model, not a forecast.** Caulkins warns that even if Beijing cracks down, "
        '"another player would likely step in"; the sources document supply rerouted through Mexico, '
        "pre-precursors replacing scheduled chemicals, and Myanmar replacing China for Australia's meth. "
        "No source gives a price elasticity or a relocation lag: every number below is your assumption, "
        "with its default and the reason for it under the **?**."
    )
    controls, chart = st.columns([1, 2], gap="large")
    with controls:
        displacement_controls(
            evidence, scenario, ("effectiveness", "substitution_share", "half_life_months", "horizon_years")
        )
    params = scenario.displacement
    paths = supply_paths(params)
    with chart:
        title = (
            f"After {params.horizon_years} years, {paths.surviving_share * 100:.0f}% of the first-year effect "
            "is still standing"
        )
        table = pd.DataFrame(
            {
                "Month": paths.months.astype(int),
                "Supply with no option": paths.baseline,
                "With the option, no substitution": paths.without_substitution.round(2),
                "With the option and substitution": paths.with_substitution.round(2),
            }
        )
        chart_block(
            displacement_figure(
                paths.months,
                paths.baseline,
                paths.without_substitution,
                paths.with_substitution,
                paths.surviving_share,
                params.horizon_years,
                look=look(),
            ),
            key="displacement_chart",
            title=title,
            summary=f"Supply index over {params.horizon_years} years: the option cuts "
            f"{params.effectiveness * 100:.0f}% of the supply it reaches; substitutes fill "
            f"{params.substitution_share * 100:.0f}% of the gap with a half-life of {params.half_life_months:g} "
            f"months. {paths.surviving_share * 100:.0f}% of the first-year effect remains.",
            source="An illustrative model with parameters you set. Its defaults are illustrations, loosely "
            "anchored on episodes the sources describe: the rerouting through Mexico after 2019 (Brookings, "
            "March 2022), the online market's recovery about seven months after the 2023 crackdown, and "
            "Australia's turn to Myanmar after Task Force Blaze (see each parameter's help).",
            table=table,
            filename="displacement-model.csv",
        )
    st.subheader("Does displacement change the ranking?")
    st.toggle(
        "Account for displacement in the ranking",
        value=state.widget_value(state.DISPLACEMENT_ON),
        **state.bound(state.DISPLACEMENT_ON),
        help="Discounts the effect on precursors of the supply-side options by the surviving share above. "
        "The value weights do not change.",
    )
    if sum(w for _, w in scenario.weights) <= 0:
        st.warning("All weights are zero, so nothing can be ranked: set the weights on the Weigh page.")
        return
    without = rank_options(evidence, replace(scenario, account_for_displacement=False))
    with_d = rank_options(evidence, replace(scenario, account_for_displacement=True))
    rank_with = dict(zip(with_d.option_ids, with_d.rank, strict=True))
    rows = []
    for option_id, name, rank in zip(without.option_ids, without.names, without.rank, strict=True):
        after = rank_with[option_id]
        rows.append(
            {
                "Option": name,
                "Supply-side": bool(evidence.option_supply_side[evidence.option_ids.index(option_id)]),
                "Rank ignoring displacement": None if pd.isna(rank) else int(rank),
                "Rank with displacement": None if pd.isna(after) else int(after),
                "Change": _change(rank, after),
            }
        )
    moved = [r["Option"] for r in rows if r["Change"].startswith(("up", "down"))]
    top_before, top_after = without.top_ids, with_d.top_ids
    if set(top_before) != set(top_after):
        after_names = ", ".join(evidence.option_name(o) for o in top_after)
        before_names = ", ".join(evidence.option_name(o) for o in top_before)
        verdict = f"Taking displacement seriously changes the top option: {after_names} instead of {before_names}."
    elif moved:
        verdict = f"The top option stays the same; {', '.join(moved)} change places."
    else:
        verdict = "With these weights and assumptions, displacement changes no option's rank."
    st.markdown(f"**{md_escape(verdict)}** The weights are your current ones.")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
