"""Saved scenarios side by side: their top options first, then the settings that make them differ."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from core import settings as schema
from core.evidence import Evidence
from core.hindsight import scenario_evidence
from core.packages import combine
from core.problem import Problem, build_problem
from core.ranking import rank_options
from core.scenario import Scenario

TOP_RANKS = 3


@dataclass(frozen=True)
class ScenarioComparison:
    """``table`` has one column per saved scenario; its first rows are the top ranks, so the answer
    is read first. ``agreement`` names the top option of each; ``differences`` the settings that differ."""

    labels: tuple[str, ...]
    table: pd.DataFrame
    agreement: str
    differences: tuple[str, ...]


def _top_names(names: Sequence[str]) -> str:
    return " and ".join(names) if names else "no option (all ruled out)"


def compare_scenarios(base: Evidence, saved: Sequence[tuple[str, Scenario]]) -> ScenarioComparison:
    """Compare saved scenarios, each ranked with its own edits on top of the sourced ``base``."""
    columns: dict[str, dict[str, str]] = {}
    tops: dict[str, tuple[str, ...]] = {}
    for label, s in saved:
        evidence = scenario_evidence(base, s)
        problem = build_problem(evidence, s)
        ranking = rank_options(problem)
        column = {f"Rank {k + 1}": ranking.names[k] if k < ranking.n_ranked else "" for k in range(TOP_RANKS)}
        total = sum(w for _, w in s.weights)
        for c, w in s.weights:
            column[f"Weight: {base.criterion_name(c)}"] = f"{w / total * 100:.0f}%" if total > 0 else "0%"
        column |= dict(schema.settings_words(s, evidence, every=True))
        column["Packages"] = "; ".join(_package_line(problem, p) for p in s.packages) or "none"  # with scores
        column["Limits"] = schema.limits_words(s, base)
        column["Your score edits"] = str(len(s.overrides) + len(s.custom_options))
        columns[label] = column
        tops[label] = tuple(evidence.option_name(o) for o in ranking.top_ids)
    labels = tuple(label for label, _ in saved)
    if len(set(tops.values())) <= 1:
        first = next(iter(tops.values()), ())
        agreement = f"All saved scenarios put {_top_names(first)} first."
    else:
        agreement = (
            "The saved scenarios disagree on the top option: "
            + "; ".join(f"{label} puts {_top_names(names)} first" for label, names in tops.items())
            + "."
        )
    return ScenarioComparison(labels, pd.DataFrame(columns), agreement, tuple(differences(base, saved)))


def _package_line(problem: Problem, package: tuple[str, ...]) -> str:
    combined = combine(problem, package)
    return f"{combined.name} {combined.score * 100:.1f}"


# Structured parts compared by value, with the words that name them; every setting of the schema too.
_STRUCTURED = (("gates", "the limits"), ("overrides", "your score edits"), ("custom_options", "your own options"))


def differences(base: Evidence, saved: Sequence[tuple[str, Scenario]]) -> list[str]:
    """Weights that differ by at least five points of share across the saved scenarios, and other settings."""
    out = []
    shares = []
    for _, s in saved:
        total = sum(x for _, x in s.weights) or 1.0
        shares.append({c: w / total * 100 for c, w in s.weights})
    for cid in base.criterion_ids:
        values = [s[cid] for s in shares]
        if values and max(values) - min(values) >= 5:
            parts = ", ".join(f"{label} {v:.0f}%" for (label, _), v in zip(saved, values, strict=True))
            out.append(f"the weight on {base.criterion_name(cid).lower()} ({parts})")
    compared = [*_STRUCTURED, *((x.name, x.label) for x in schema.all_settings())]
    for attr, name in compared:
        if len({repr(getattr(s, attr)) for _, s in saved}) > 1:
            out.append(name)
    return out
