"""The briefing's scenes, one idea each, built from the current scenario for presenter mode and the exports.

Each scene has a headline sentence written from the data (never fixed text), a few short points, at most
one chart (described here by its ``info``; :mod:`charts.briefing` draws it) and the sources it rests on.
The briefing that strings the chosen scenes together is :mod:`core.briefing`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from core.evidence import Evidence, split_quote_ids
from core.facts import count, fact, sources_of
from core.model import additive
from core.montecarlo import Acceptability, assumptions_text, first_chance_info, first_sentence
from core.packages import best_pair_sentence
from core.problem import Problem
from core.ranking import rank_options
from core.ranking_info import matrix_info, matrix_rows, ranking_info, ranking_rows
from core.ranking_words import agreement_note, baseline_clause, baseline_sentence, lead_split, verdict, why_first
from core.sensitivity import TippingPoint, tipping_points, tipping_sentence
from core.settings import SCENE_NAMES
from core.supply_chain import SupplyChain
from core.supply_info import deaths_fall, deaths_info, displacement_info, displacement_rank_change

# The sources every briefing names: the report the options come from and the article that started the project.
CORE_SOURCES = ("brookings_report_2022", "epoch_times_2022")


@dataclass(frozen=True)
class Scene:
    """One screen of the briefing."""

    scene_id: str
    name: str  # what the briefer calls it when choosing scenes
    headline: str  # a sentence written from the data
    points: tuple[str, ...]  # short lines under the headline
    info: Any = None  # what the scene's chart draws (a chart-info object), or None for a text scene
    chart_summary: str = ""  # the chart in words (its accessible name)
    sources: tuple[str, ...] = ()  # who the scene's facts come from, as people name them
    notes: tuple[str, ...] = ()  # what the presenter may add: in the deck's notes and the briefing file
    source_ids: tuple[str, ...] = ()  # the sources behind ``sources``, for footnotes


def source_name(evidence: Evidence, source_id: str) -> str:
    row = evidence.source_rows[source_id]
    return f"{row['publisher']}, {row['date']}" if row["date"] else str(row["publisher"])


def _question(evidence: Evidence, chain: SupplyChain) -> Scene:
    if evidence.as_of_march_2022:  # what the article could say
        deaths = fact(evidence, "overdose_deaths_12m_2021")
        opioids = count(evidence, "opioid_deaths_12m_2021")
        headline = (
            f"{count(evidence, 'overdose_deaths_12m_2021')} Americans died of overdoses in the 12 months to "
            f"September 2021; {opioids} of those deaths involved opioids"
        )
    else:  # the latest final count, and its fall, from the counts the chart draws; no cause credited
        deaths = fact(evidence, "overdose_deaths_2024")
        f = deaths_fall(chain.deaths)
        headline = (
            f"{f.deaths:,} Americans died of overdoses in {f.year}, {f.fall:.1%} fewer than in {f.year - 1}"
            + (": the largest one-year fall in the counts" if f.largest else "")
            + ", with no single cause established"
            if f is not None
            else f"{count(evidence, 'overdose_deaths_2024')} Americans died of overdoses in 2024"
        )
    points = [
        "The question: which options from the March 2022 Brookings report should Washington pursue with Beijing, "
        "and at what cost?",
    ]
    info = deaths_info(evidence, chain)
    if not evidence.as_of_march_2022:  # the later counts are part of "everything known today"
        final = chain.deaths[(chain.deaths["status"] == "final") & (chain.deaths["measure"] == "synthetic_opioids")]
        latest = final.loc[final["year"].idxmax()]
        later = " (counted after the article)" if bool(latest["post_seed"]) else ""
        notes = (f"Synthetic opioids alone killed {int(latest['deaths']):,} in {int(latest['year'])}{later}.",)
    else:
        notes = ()
    return Scene(
        "question",
        SCENE_NAMES["question"],
        headline,
        tuple(points),
        info,
        info.text.summary,
        (sources_of(evidence, str(deaths["quote_id"])), "CDC/NCHS final counts"),
        (*notes, info.text.source),
        source_ids=(str(evidence.quote_rows[str(deaths["quote_id"])]["source_id"]), *death_sources(chain)),
    )


def _options(problem: Problem) -> Scene:
    evidence = problem.evidence
    ids = [evidence.option_ids[i] for i in problem.view]
    roles = {o: evidence.option_roles[evidence.option_ids.index(o)] for o in ids}
    competing = [o for o in ids if roles[o] == "option"]
    anti = [o for o in ids if roles[o] == "anti_option"]
    headline = f"{len(competing)} options to weigh against doing nothing new"
    if anti:
        headline += f", and {len(anti)} the sources warn against"
    later = {o for o in ids if evidence.option_post_seed[evidence.option_ids.index(o)]}
    then, since = [o for o in competing if o not in later], [o for o in competing if o in later]
    points = []
    if then:
        points.append("In the report and the article: " + ", ".join(evidence.option_name(o) for o in then) + ".")
    if since:
        points.append(
            "Pressed since (after the article, †): " + ", ".join(evidence.option_name(o) for o in since) + "."
        )
    points += [f"Warned against: {evidence.option_name(o)}." for o in anti]
    points += [f"Measured against: {evidence.option_name(o)}." for o in ids if roles[o] == "status_quo"]
    # What each one is, in the data's own one line: the deck's notes and the briefing file carry them.
    rows = [evidence.option_rows[o] for o in ids]
    summaries = tuple(f"{evidence.option_name(r['option_id'])}: {r['summary']}" for r in rows if r.get("summary"))
    return Scene(
        "options",
        SCENE_NAMES["options"],
        headline,
        tuple(points),
        notes=summaries,
        sources=tuple(source_name(evidence, s) for s in CORE_SOURCES),
        source_ids=CORE_SOURCES,
    )


SCENE_ROWS = 6  # options a projected matrix shows (the leaders with these weights), besides the status quo


def _tradeoffs(problem: Problem) -> Scene:
    evidence = problem.evidence
    info = matrix_info(evidence, bool(problem.scenario.include_post_seed))
    ranking = rank_options(problem)
    roles = {o: evidence.option_roles[evidence.option_ids.index(o)] for o in info.option_ids}
    order = [o for o in ranking.option_ids if o in roles and roles[o] != "status_quo"]  # ranked, then ruled out
    leaders = order[:SCENE_ROWS]
    shown = [*leaders, *(o for o in info.option_ids if roles[o] == "status_quo")]
    every = len(order)
    info = matrix_rows(info, tuple(shown))  # the headline below is read from the rows the chart draws
    competing = [
        k for k, o in enumerate(info.option_ids) if evidence.option_roles[evidence.option_ids.index(o)] == "option"
    ]
    best: dict[str, list[str]] = {}
    for j, criterion in enumerate(info.criterion_names if competing else ()):
        column = info.values[competing, j]
        leaders = [info.option_ids[competing[k]] for k in np.flatnonzero(np.isclose(column, column.max()))]
        if len(leaders) == 1:
            best.setdefault(leaders[0], []).append(criterion.lower())
    if len(best) > 1:
        (a, crit_a), (b, crit_b) = sorted(best.items(), key=lambda kv: -len(kv[1]))[:2]
        headline = (
            f"No option is best on every tradeoff: {evidence.option_name(a)} leads on {crit_a[0]}, "
            f"{evidence.option_name(b)} on {crit_b[0]}"
        )
    elif best:
        ((a, crit_a),) = best.items()
        headline = f"{evidence.option_name(a)} leads alone on {', '.join(crit_a)}"
    else:
        headline = "No option leads alone on any tradeoff"
    n_quotes = len({q for row in evidence.score_rows.values() for q in split_quote_ids(row.get("quote_ids", ""))})
    points = (
        "Each score, from 0 to 4, is our reading of quoted sources: blue is good, orange bad."
        + (
            f" The {len(leaders)} leaders of {every} with these weights, and the status quo."
            if len(leaders) < every
            else ""
        ),
        "† later evidence · ° no source (our judgement) · ✎ your own score",
    )
    notes = (f"{n_quotes} quotes stand behind the scores; each is in the app's evidence cards.",)
    return Scene("tradeoffs", SCENE_NAMES["tradeoffs"], headline, points, info, info.summary, notes=notes)


def _weights_line(problem: Problem) -> str:
    evidence = problem.evidence
    pairs = sorted(zip(evidence.criterion_ids, problem.shares, strict=True), key=lambda p: -p[1])
    return "Weights: " + ", ".join(f"{evidence.criterion_name(c)} {s * 100:.0f}%" for c, s in pairs if s > 0) + "."


def _ranking(problem: Problem) -> Scene:
    ranking = rank_options(problem)
    info = ranking_info(problem, ranking)
    top = ranking.top_ids
    if ranking.n_ranked >= 2 and len(top) == 1:
        gap = float(ranking.score[0] - ranking.score[1])
        unit = f"{gap * 100:.1f} points" if additive(ranking.method) else f"{gap:.3f} in closeness"
        headline = f"{ranking.names[0]} ranks first, {unit} ahead of {ranking.names[1]}"
        headline += f"; {clause}" if (clause := baseline_clause(ranking)) else ""
    else:
        sentence, tail = verdict(ranking), baseline_sentence(ranking)
        headline = (sentence[: len(sentence) - len(tail)] if tail else sentence).rstrip(".")
    points = [p for p in (short_why(problem.evidence, ranking), _weights_line(problem)) if p]
    shown = ranking_rows(info, SCENE_ROWS)  # the chart draws these bars; the sentences name only them
    competing = int((~ranking.baseline).sum())
    if shown is not info:
        points.append(f"The first {SCENE_ROWS} of {competing} options, and the status quo; all are in the app.")
    notes = tuple(
        p
        for p in (baseline_sentence(ranking).strip(), why_first(problem.evidence, ranking), _weights_line(problem))
        if p
    )
    return Scene("ranking", SCENE_NAMES["ranking"], headline, tuple(points), shown, info.summary, notes=notes)


def short_why(evidence: Evidence, ranking: Any) -> str:
    """Why the leader leads, short enough for a projector: where it gains and loses against the runner-up."""
    if ranking.n_ranked < 2:
        return ""
    diff, ahead, behind = lead_split(ranking)

    def listing(picked: list[int]) -> str:
        return ", ".join(f"{evidence.criterion_name(ranking.criterion_ids[j]).lower()} {diff[j]:+.1f}" for j in picked)

    if not ahead and not behind:
        return why_first(evidence, ranking)
    parts = []
    if ahead:
        parts.append(f"ahead on {listing(ahead)}")
    if behind:
        parts.append(f"behind on {listing(behind)}")
    return f"Against {ranking.names[1]}: " + "; ".join(parts) + " (weighted points)."


def nearest_tipping(points: list[TippingPoint]) -> TippingPoint | None:
    """The tipping point that needs the smallest change of one weight, or None if no weight changes the top."""
    best, gap = None, float("inf")
    for point in points:
        for side in (point.below, point.above):
            if side is not None and abs(side[0] - point.current) < gap:
                best, gap = point, abs(side[0] - point.current)
    return best


def _how_sure(problem: Problem, acc: Acceptability) -> Scene:
    info = first_chance_info(problem, acc)
    nearest = nearest_tipping(tipping_points(problem))
    change = (
        tipping_sentence(problem.evidence, nearest)
        if nearest is not None
        else "No single weight, from 0% to 100%, changes the top option."
    )
    return Scene(
        "robustness",
        SCENE_NAMES["robustness"],
        first_sentence(problem.evidence, acc),
        (f"What would change it: {change}",),
        info,
        info.summary,
        notes=(agreement_note(problem), assumptions_text(problem, acc.samples)),
    )


def _displacement(evidence: Evidence, problem: Problem) -> Scene:
    info = displacement_info(problem.scenario)
    change = displacement_rank_change(evidence, problem.scenario)
    points = (
        change.verdict,
        "An illustration, not a forecast: every number in this model is an assumption.",
    )
    return Scene(
        "displacement",
        SCENE_NAMES["displacement"],
        info.text.title,
        points,
        info,
        info.text.summary,
        notes=(info.text.summary, info.text.source),
    )


def _takeaways(problem: Problem, acc: Acceptability) -> Scene:
    ranking = rank_options(problem)
    nearest = nearest_tipping(tipping_points(problem))
    points = [f"How sure: {first_sentence(problem.evidence, acc)}."]
    if nearest is not None:
        points.append(f"What would change it: {tipping_sentence(problem.evidence, nearest)}")
    points += [
        f"Together: {best_pair_sentence(problem, short=True)}",
        "Scores are our readings of quoted sources, not forecasts.",
    ]
    top = ranking.top_ids
    clause = baseline_clause(ranking)
    if len(top) == 1:
        headline = f"{problem.evidence.option_name(top[0])} comes first with these weights"
    elif top:
        headline = "Options tie for first with these weights"
    else:
        headline = "Every option is ruled out by the limits set"
    headline += f"; {clause}" if clause and top else ""
    return Scene("takeaways", SCENE_NAMES["takeaways"], headline, tuple(points))


def _sourced_count(problem: Problem) -> tuple[int, int]:
    """Of the scores of the options in view, how many rest on quoted sources, and how many there are."""
    evidence = problem.evidence
    cells = [(evidence.option_ids[i], c) for i in problem.view for c in evidence.criterion_ids]
    return sum(cell not in evidence.unsourced_cells for cell in cells), len(cells)


def _sources_scene(evidence: Evidence, chain: SupplyChain, problem: Problem) -> Scene:
    n_sources = len(evidence.source_rows)
    n_quotes = len(evidence.quote_rows)
    sourced, n_scores = _sourced_count(problem)
    n_judged = n_scores - sourced
    deaths = [evidence.source_rows[s] for s in dict.fromkeys(chain.deaths["source_id"])]
    years = sorted(str(r["date"])[:4] for r in deaths if r["date"])
    later = sum(bool(r.get("post_seed")) for r in deaths)
    points = (
        f"The options: {source_name(evidence, 'brookings_report_2022')}, the report.",
        f"The framing: {source_name(evidence, 'epoch_times_2022')}, the article that summarises it.",
        f"The deaths: {len(deaths)} sources from {years[0]} to {years[-1]}, {later} of them after the article.",
        "Every quote, with its source and link, is in the app's evidence cards and the briefing file.",
        f"{evidence.stamp}.",
    )
    return Scene(
        "sources",
        SCENE_NAMES["sources"],
        f"{n_scores - n_judged} of {n_scores} scores rest on quoted sources: {n_quotes} quotes from "
        f"{n_sources} sources" + (f"; {n_judged} are our judgement (°)" if n_judged else ""),
        points,
    )


def death_sources(chain: SupplyChain) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(s) for s in chain.deaths["source_id"]))


def build_scene(scene_id: str, evidence: Evidence, problem: Problem, chain: SupplyChain, acc: Acceptability) -> Scene:
    """One scene, built from the evidence the scenario ranks (its date and edits applied) and the problem;
    ``acc`` is the chance of each option ranking first for ``problem``."""
    makers = {
        "question": lambda: _question(evidence, chain),
        "options": lambda: _options(problem),
        "tradeoffs": lambda: _tradeoffs(problem),
        "ranking": lambda: _ranking(problem),
        "robustness": lambda: _how_sure(problem, acc),
        "displacement": lambda: _displacement(evidence, problem),
        "takeaways": lambda: _takeaways(problem, acc),
        "sources": lambda: _sources_scene(evidence, chain, problem),
    }
    return makers[scene_id]()
