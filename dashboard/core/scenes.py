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
from core.packages import best_pair, best_pair_sentence, interactions
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


def source_entry(evidence: Evidence, source_id: str) -> tuple[str, str, str]:
    """``(id, citation, url)`` of a source: publisher, title, date and whether it came after the article."""
    row = evidence.source_rows[source_id]
    date = f", {row['date']}" if row["date"] else ""
    later = " (after the article)" if row.get("post_seed") else ""
    return source_id, f'{row["publisher"]}, "{row["title"]}"{date}{later}', str(row.get("url") or "")


@dataclass(frozen=True)
class QuoteShown:
    """A quote as a file shows it under a score: its words, who said it where, and its source."""

    quote_id: str
    text: str
    verbatim: bool  # False: the source's words summarised, and marked so
    speaker: str  # empty when the publisher speaks for itself
    locator: str  # where in the source
    caveat: str
    source_id: str
    source: str  # the source's citation: publisher, title, date, "(after the article)"
    url: str  # the publisher's page, or empty
    later: bool  # the quote or its source comes from after the article (March 2022)
    against: bool = False  # the strongest case against the score, not a quote behind it


@dataclass(frozen=True)
class CellQuotes:
    """One score shown (an option on a criterion, or an interaction in a package) and the quotes behind it."""

    option: str
    criterion: str
    score: str  # the score in words: "3 (high), range 2 to 4"
    note: str  # what else a reader must know: the user's own score, no source, as of March 2022
    quotes: tuple[QuoteShown, ...]


def _quote_shown(evidence: Evidence, quote_id: str, against: bool) -> QuoteShown:
    q = evidence.quote_rows[quote_id]
    sid = str(q["source_id"])
    source = evidence.source_rows[sid]
    _sid, citation, url = source_entry(evidence, sid)
    speaker = "" if q["speaker"] == source["publisher"] else str(q["speaker"] or "")
    return QuoteShown(
        quote_id=quote_id,
        text=str(q["text"]),
        verbatim=bool(q["verbatim"]),
        speaker=speaker,
        locator=str(q["locator"] or ""),
        caveat=str(q["caveat"] or ""),
        source_id=sid,
        source=citation,
        url=url,
        later=bool(q.get("post_seed")) or bool(source.get("post_seed")),
        against=against,
    )


def _quotes_of(evidence: Evidence, row: Any) -> tuple[QuoteShown, ...]:
    """The quotes a score row names, behind it first, then against it; each once, known ids only."""
    out: dict[str, QuoteShown] = {}
    for column, against in (("quote_ids", False), ("against_quote_ids", True)):
        for qid in split_quote_ids(row.get(column, "")):
            if qid in evidence.quote_rows and qid not in out:
                out[qid] = _quote_shown(evidence, qid, against)
    return tuple(out.values())


def _score_words(evidence: Evidence, criterion_id: str, row: Any) -> str:
    likely, low, high = (float(row[k]) for k in ("likely", "low", "high"))
    word = evidence.scale_label(criterion_id, likely)
    return f"{likely:g} ({word}), range {low:g} to {high:g}"


def _shown_packages(problem: Problem) -> list[tuple[str, ...]]:
    """The packages whose scores a briefing of ``problem`` shows: the scenario's own, and the best pair the
    takeaways name."""
    packages = [tuple(p) for p in problem.scenario.packages]
    if "takeaways" in problem.scenario.scenes and (best := best_pair(problem)) is not None:
        packages.append(best.members)
    return packages


def quotes_behind(problem: Problem) -> tuple[CellQuotes, ...]:
    """Every score shown, with the quotes behind it (and the strongest against it): the options in view on
    every criterion, then the sourced interactions that move a package's score, in the evidence's order."""
    evidence = problem.evidence
    cells = []
    for i in problem.view:
        option = evidence.option_ids[i]
        for criterion in evidence.criterion_ids:
            row = evidence.score_rows.get((option, criterion))
            if row is None:
                continue
            if row.get("user_edit"):
                note = f"Your own score, not from a source. Your reason: {row.get('rationale', '')}"
            elif not split_quote_ids(row.get("quote_ids", "")):
                note = "No source: our judgement. No quote speaks to this score."
            elif row.get("as_of_2022"):
                note = "As of March 2022: the score as the sources before the article support it."
            else:
                note = ""
            quotes = () if row.get("user_edit") else _quotes_of(evidence, row)
            cells.append(
                CellQuotes(
                    evidence.option_name(option),
                    evidence.criterion_name(criterion),
                    _score_words(evidence, criterion, row),
                    note,
                    quotes,
                )
            )
    packages = _shown_packages(problem)
    for it in interactions(problem):
        if any(set(it.options) <= set(members) for members in packages):
            a, b = (evidence.option_name(o) for o in it.options)
            quotes = tuple(_quote_shown(evidence, q, False) for q in it.quote_ids if q in evidence.quote_rows)
            cells.append(
                CellQuotes(
                    f"{a} with {b}, in a package",
                    evidence.criterion_name(evidence.criterion_ids[it.criterion]),
                    f"{it.shift:+g} when both are in one package",
                    f"A sourced interaction: {it.rationale}",
                    quotes,
                )
            )
    return tuple(cells)


@dataclass(frozen=True)
class QuoteCount:
    """What the briefing file's appendix holds: distinct quotes behind the scores, more against them, and the
    sources they cite (how many with a link to the publisher's page)."""

    behind: int  # quotes behind the scores
    against: int  # quotes only against them
    behind_sources: int  # the sources of the quotes behind the scores
    sources: int  # the sources of every quote in the appendix
    linked: int  # of those, the ones with the publisher's page


def count_quotes(cells: tuple[CellQuotes, ...]) -> QuoteCount:
    """How many distinct quotes and sources ``cells`` show: the one count the Sources scene and the file give."""
    shown = [q for c in cells for q in c.quotes]
    behind = {q.quote_id for q in shown if not q.against}
    against = {q.quote_id for q in shown if q.against} - behind
    sources = {q.source_id: q.url for q in shown}
    return QuoteCount(
        len(behind),
        len(against),
        len({q.source_id for q in shown if not q.against}),
        len(sources),
        sum(bool(u) for u in sources.values()),
    )


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
        tops = [info.option_ids[competing[k]] for k in np.flatnonzero(np.isclose(column, column.max()))]
        if len(tops) == 1:
            best.setdefault(tops[0], []).append(criterion.lower())
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
    n_quotes = count_quotes(quotes_behind(problem)).behind
    points = (
        "Each score, from 0 to 4, is our reading of quoted sources: blue is good, orange bad."
        + (
            f" The {len(leaders)} leaders of {every} with these weights, and the status quo."
            if len(leaders) < every
            else ""
        ),
        "† later evidence · ° no source (our judgement) · ✎ your own score",
    )
    notes = (
        f"{n_quotes} quotes stand behind the scores of the options in view; each is in the app's evidence cards "
        "and the briefing file's appendix.",
    )
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
        headline += f"; {clause}" if ranking.n_ranked and (clause := baseline_clause(ranking)) else ""
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
    shown = count_quotes(quotes_behind(problem))  # what the briefing file's appendix holds, counted from it
    sourced, n_scores = _sourced_count(problem)
    n_judged = n_scores - sourced
    deaths = [evidence.source_rows[s] for s in dict.fromkeys(chain.deaths["source_id"])]
    years = sorted(str(r["date"])[:4] for r in deaths if r["date"])
    later = sum(bool(r.get("post_seed")) for r in deaths)
    more = f" (and {shown.against} more against them)" if shown.against else ""
    quotes = shown.behind + shown.against
    points = (
        f"The options: {source_name(evidence, 'brookings_report_2022')}, the report.",
        f"The framing: {source_name(evidence, 'epoch_times_2022')}, the article that summarises it.",
        f"The deaths: {len(deaths)} sources from {years[0]} to {years[-1]}, {later} of them after the article.",
        f"All {shown.behind} quotes behind these scores{more} are in the briefing file's appendix, each with its "
        "source."
        if quotes
        else "No quote stands behind these scores: each is our judgement or your own.",
        f"{evidence.stamp}.",
    )
    return Scene(
        "sources",
        SCENE_NAMES["sources"],
        f"{sourced} of {n_scores} scores rest on quoted sources: {shown.behind} quotes from "
        f"{shown.behind_sources} sources" + (f"; {n_judged} are our judgement (°)" if n_judged else ""),
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
