"""The briefing: a story of scenes built from the current scenario, for presenter mode and the exports.

Each scene has one idea: a headline sentence written from the data (never fixed text), a few short
points, at most one chart (described here by its ``info``; :mod:`charts.briefing` draws it) and
the sources it rests on. The briefer chooses which scenes to show and in what order: that choice is
the scenario's ``scenes`` setting, so a link or a file carries the deck.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.evidence import Evidence
from core.montecarlo import Acceptability, first_sentence
from core.problem import Problem
from core.ranking import rank_options
from core.ranking_words import agreement_note, verdict
from core.scenes import CORE_SOURCES, Scene, build_scene, death_sources, nearest_tipping
from core.sensitivity import tipping_points, tipping_sentence
from core.settings import EVIDENCE_DATE_NAMES, SCENE_IDS, SCENE_NAMES, limits_words, settings_words
from core.supply_chain import SupplyChain

CAVEAT = (
    "Scores are our interpretations of quoted sources (0 to 4, with a low-high range), not forecasts; the weights "
    "are the briefer's, and every number no source gives is an assumption, labelled as such."
)


@dataclass(frozen=True)
class Briefing:
    """The chosen scenes, in order, with what identifies the briefing: evidence version and scenario."""

    scenes: tuple[Scene, ...]
    stamp: str  # the evidence version
    evidence_view: str  # "Everything known today" or "Only what was knowable in March 2022"
    weights: tuple[tuple[str, float], ...]  # (criterion name, share in %)
    settings: tuple[tuple[str, str], ...]  # (what, value) pairs in words
    sources: tuple[tuple[str, str, str], ...]  # (source id, citation, url) of every source named, each once
    summary: tuple[str, ...] = ()  # the findings in a few sentences, whatever scenes are chosen
    caveat: str = CAVEAT


def _cited(evidence: Evidence, chain: SupplyChain) -> tuple[tuple[str, str, str], ...]:
    """(id, citation, url) of the report, the article and the sources of the death counts, each once."""
    ids = list(CORE_SOURCES)
    ids += [s for s in death_sources(chain) if s not in ids]
    out = []
    for sid in ids:
        row = evidence.source_rows[sid]
        date = f", {row['date']}" if row["date"] else ""
        later = " (after the article)" if row.get("post_seed") else ""
        out.append((sid, f'{row["publisher"]}, "{row["title"]}"{date}{later}', str(row.get("url") or "")))
    return tuple(out)


def _summary(problem: Problem, acc: Acceptability) -> tuple[str, ...]:
    """The findings a reader needs whatever scenes were chosen: the ranking, how sure it is, what would change it."""
    ranking = rank_options(problem)
    nearest = nearest_tipping(tipping_points(problem))
    lines = [verdict(ranking), f"How sure: {first_sentence(problem.evidence, acc)} ({acc.samples:,} draws)."]
    if nearest is not None:
        lines.append(f"What would change it: {tipping_sentence(problem.evidence, nearest)}")
    lines.append(agreement_note(problem))
    return tuple(lines)


def build_briefing(evidence: Evidence, problem: Problem, chain: SupplyChain, acc: Acceptability) -> Briefing:
    """The scenes the scenario chooses, in its order, with the weights, settings and sources in words."""
    scenario = problem.scenario
    return Briefing(
        scenes=tuple(build_scene(s, evidence, problem, chain, acc) for s in scenario.scenes),
        stamp=evidence.stamp,
        evidence_view=EVIDENCE_DATE_NAMES[evidence.view],
        weights=tuple(
            (evidence.criterion_name(c), round(float(s) * 100, 1))
            for c, s in zip(evidence.criterion_ids, problem.shares, strict=True)
        ),
        settings=_settings_words(evidence, scenario),
        sources=_cited(evidence, chain),
        summary=_summary(problem, acc),
    )


def picture_about(evidence: Evidence, scenario: Any, made: str = "", link: str = "", saved: str = "") -> dict[str, str]:
    """What a scene's picture carries in its text chunks: when it was made, the evidence, the link, the
    settings in words and the saved scenario (``saved``, a scenario file) to load it again."""
    return {
        "Creation Time": made,
        "Evidence": f"{evidence.stamp}; {EVIDENCE_DATE_NAMES[scenario.evidence_date]}",
        "URL": link,
        "Settings": "; ".join(f"{what}: {words}" for what, words in _settings_words(evidence, scenario)),
        "Scenario": saved,
    }


def _settings_words(evidence: Evidence, scenario: Any) -> tuple[tuple[str, str], ...]:
    return (*settings_words(scenario, evidence), ("Limits", limits_words(scenario, evidence)))


__all__ = [
    "SCENE_IDS",
    "SCENE_NAMES",
    "Briefing",
    "Scene",
    "build_briefing",
    "build_scene",
    "nearest_tipping",
    "picture_about",
]
