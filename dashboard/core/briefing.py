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
from core.ranking_words import agreement_note, leader_adds_sentence, verdict
from core.scenes import (
    CORE_SOURCES,
    CellQuotes,
    QuoteShown,
    Scene,
    build_scene,
    count_quotes,
    death_sources,
    nearest_tipping,
    quotes_behind,
    source_entry,
)
from core.sensitivity import tipping_points, tipping_sentence
from core.settings import EVIDENCE_DATE_NAMES, SCENE_IDS, SCENE_NAMES, limits_words, settings_words
from core.supply_chain import SupplyChain

CAVEAT = (
    "Scores are our interpretations of quoted sources (0 to 4, with a low-high range), not forecasts; the weights "
    "are the briefer's, and every number no source gives is an assumption, labelled as such."
)


# What a file says instead of a link back when no public address is configured: a link to this machine's
# loopback or private address would open nothing for the people the file is sent to.
NO_LINK = (
    "No link back to the app: none is set for this server. To have files carry one, set the environment "
    "variable DASHBOARD_PUBLIC_URL to the address people open (for example https://policy.example.org/) "
    "and restart the app."
)
TITLE = "Fentanyl precursors from China: weighing the policy options"


@dataclass(frozen=True)
class Cover:
    """The title slide and the head of every file: the briefer's own words (the scenario's cover settings),
    escaped wherever shown. An empty date means the day the file is made."""

    title: str = TITLE
    presenter: str = ""
    organisation: str = ""
    date: str = ""

    def dated(self, made: str) -> str:
        return self.date or made

    def byline(self) -> str:
        """ "Presenter, Organisation", or one of them, or empty."""
        return ", ".join(part for part in (self.presenter, self.organisation) if part)


def cover_of(scenario: Any) -> Cover:
    return Cover(
        title=scenario.briefing_title or TITLE,
        presenter=scenario.presenter,
        organisation=scenario.organisation,
        date=scenario.briefing_date,
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
    cover: Cover = Cover()
    # Every score shown with the quotes behind it (the file's appendix), and the sources those quotes cite
    # that ``sources`` does not already name, each once.
    quotes: tuple[CellQuotes, ...] = ()
    quote_sources: tuple[tuple[str, str, str], ...] = ()

    @property
    def listed_sources(self) -> tuple[tuple[str, str, str], ...]:
        """Every source the file names, each once: the scenes' sources, then those the quotes cite."""
        return (*self.sources, *self.quote_sources)


def _cited(evidence: Evidence, chain: SupplyChain) -> tuple[tuple[str, str, str], ...]:
    """(id, citation, url) of the report, the article and the sources of the death counts, each once."""
    ids = list(CORE_SOURCES)
    ids += [s for s in death_sources(chain) if s not in ids]
    return tuple(source_entry(evidence, sid) for sid in ids)


def _quote_sources(
    evidence: Evidence, cells: tuple[CellQuotes, ...], named: tuple[tuple[str, str, str], ...]
) -> tuple[tuple[str, str, str], ...]:
    """The sources the quotes cite that ``named`` leaves out, each once, in the order the quotes come."""
    known = {sid for sid, _c, _u in named}
    ids = dict.fromkeys(q.source_id for cell in cells for q in cell.quotes if q.source_id not in known)
    return tuple(source_entry(evidence, sid) for sid in ids)


def _summary(problem: Problem, acc: Acceptability) -> tuple[str, ...]:
    """The findings a reader needs whatever scenes were chosen: the ranking, how sure it is, what would change it."""
    ranking = rank_options(problem)
    nearest = nearest_tipping(tipping_points(problem))
    lines = [verdict(ranking)]
    adds = leader_adds_sentence(ranking) if ranking.n_ranked else ""
    if adds:
        lines.append(adds)
    lines += [f"How sure: {first_sentence(problem.evidence, acc)} ({acc.samples:,} draws)."]
    if nearest is not None:
        lines.append(f"What would change it: {tipping_sentence(problem.evidence, nearest)}")
    lines.append(agreement_note(problem))
    return tuple(lines)


def build_briefing(evidence: Evidence, problem: Problem, chain: SupplyChain, acc: Acceptability) -> Briefing:
    """The scenes the scenario chooses, in its order, with the weights, settings and sources in words."""
    scenario = problem.scenario
    cited = _cited(evidence, chain)
    quotes = quotes_behind(problem)
    return Briefing(
        scenes=tuple(build_scene(s, evidence, problem, chain, acc) for s in scenario.scenes),
        stamp=evidence.stamp,
        evidence_view=EVIDENCE_DATE_NAMES[evidence.view],
        weights=tuple(
            (evidence.criterion_name(c), round(float(s) * 100, 1))
            for c, s in zip(evidence.criterion_ids, problem.shares, strict=True)
        ),
        settings=_settings_words(evidence, scenario),
        sources=cited,
        summary=_summary(problem, acc),
        cover=cover_of(scenario),
        quotes=quotes,
        quote_sources=_quote_sources(evidence, quotes, cited),
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
    "NO_LINK",
    "SCENE_IDS",
    "SCENE_NAMES",
    "TITLE",
    "Briefing",
    "CellQuotes",
    "Cover",
    "QuoteShown",
    "Scene",
    "build_briefing",
    "build_scene",
    "count_quotes",
    "cover_of",
    "nearest_tipping",
    "picture_about",
]
