"""What the ranking and score-matrix charts draw: info objects computed from a ranking, and the maths table."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from core.evidence import Evidence
from core.problem import Problem
from core.ranking import Ranking
from core.ranking_words import MARKS_LEGEND, cell_mark, cell_note, summary_text
from core.scoring import (
    to_value,
)


def maths_table(problem: Problem, ranking: Ranking) -> pd.DataFrame:
    """The table behind the ranking: score used, 0-1 value, weight and contribution per cell."""
    evidence = problem.evidence
    rows = []
    for option_id, name in zip(ranking.option_ids, ranking.names, strict=True):
        i = evidence.option_ids.index(option_id)
        for j, cid in enumerate(evidence.criterion_ids):
            value = float(problem.values[i, j])
            rows.append(
                {
                    "Option": name,
                    "Criterion": evidence.criterion_name(cid),
                    "Direction": "more is better" if evidence.benefit[j] else "less is better",
                    "Score used (0-4)": round(float(problem.likely[i, j]), 3),
                    "Sourced score": float(evidence.likely[i, j]),
                    "Value (0-1)": round(value, 3),
                    "Weight (%)": round(float(ranking.shares[j]) * 100, 1),
                    "Contribution (points)": round(value * float(ranking.shares[j]) * 100, 2),
                    "Rests on": cell_note(evidence, option_id, cid) or "its quotes",
                }
            )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- chart information
@dataclass(frozen=True)
class RankingInfo:
    """What the ranking chart draws, with its takeaway title and its text summary."""

    ranking: Ranking
    criterion_names: tuple[str, ...]
    title: str
    summary: str
    notes: tuple[tuple[str, ...], ...] = ()  # per option (ranking order) and criterion: what the score rests on


def ranking_info(problem: Problem, ranking: Ranking) -> RankingInfo:
    evidence = problem.evidence
    top = ranking.top_ids
    if len(top) == 1:
        title = f"{ranking.names[ranking.option_ids.index(top[0])]} ranks first with these weights"
    else:
        title = "A tie for first place" if top else "Every option is ruled out"
    return RankingInfo(
        ranking=ranking,
        criterion_names=tuple(evidence.criterion_name(c) for c in evidence.criterion_ids),
        title=title,
        summary=summary_text(ranking) + " The dotted line marks the status quo, doing nothing new; † marks an "
        "option from after the article.",
        notes=tuple(tuple(cell_note(evidence, o, c) for c in evidence.criterion_ids) for o in ranking.option_ids),
    )


@dataclass(frozen=True)
class MatrixInfo:
    """The option-by-criterion scores: 0-1 values (colour), raw scores, their words and marks (✎ yours)."""

    option_ids: tuple[str, ...]
    option_names: tuple[str, ...]
    criterion_names: tuple[str, ...]
    values: np.ndarray
    raw: np.ndarray
    words: tuple[tuple[str, ...], ...]
    marks: tuple[tuple[str, ...], ...]
    title: str
    summary: str


def matrix_info(evidence: Evidence, include_post_seed: bool) -> MatrixInfo:
    keep = evidence.options_in_view(include_post_seed)
    ids = tuple(o for o, k in zip(evidence.option_ids, keep, strict=True) if k)
    likely = evidence.likely[keep]
    return MatrixInfo(
        option_ids=ids,
        option_names=tuple(evidence.option_name(o) for o in ids),
        criterion_names=tuple(evidence.criterion_name(c) for c in evidence.criterion_ids),
        values=to_value(likely, evidence.scale_min, evidence.scale_max, evidence.benefit),
        raw=likely,
        words=tuple(
            tuple(evidence.scale_label(c, v) for c, v in zip(evidence.criterion_ids, row, strict=True))
            for row in likely
        ),
        marks=tuple(tuple(cell_mark(evidence, o, c) for c in evidence.criterion_ids) for o in ids),
        title="Scores by option and criterion: blue is good, orange is bad",
        summary="Each cell shows the likely score (0 to 4); colour shows how good that is on the criterion, whichever "
        "way the criterion runs (blue good, orange bad). " + MARKS_LEGEND,
    )


def ranking_rows(info: RankingInfo, keep: int) -> RankingInfo:
    """The ranking with only its first ``keep`` competing options and the baseline (a projector shows a few
    bars, read from the back); the rest, ranked lower or ruled out, are left out."""
    ranking = info.ranking
    competing = [k for k in range(len(ranking.option_ids)) if not ranking.baseline[k]]
    rows = sorted([*competing[:keep], *np.flatnonzero(ranking.baseline)])
    if len(rows) == len(ranking.option_ids):
        return info

    def pick(value):
        if isinstance(value, np.ndarray) and value.shape[:1] == (len(ranking.option_ids),):
            return value[rows]
        if isinstance(value, tuple) and len(value) == len(ranking.option_ids) and value is not ranking.criterion_ids:
            return tuple(value[k] for k in rows)
        return value

    trimmed = replace(ranking, **{f.name: pick(getattr(ranking, f.name)) for f in fields(ranking)})
    notes = tuple(info.notes[k] for k in rows) if len(info.notes) == len(ranking.option_ids) else info.notes
    return replace(info, ranking=trimmed, notes=notes)


def matrix_rows(info: MatrixInfo, option_ids: tuple[str, ...]) -> MatrixInfo:
    """The matrix with only ``option_ids``' rows, in that order (a projector shows a few rows, read from the back)."""
    keep = [info.option_ids.index(o) for o in option_ids]
    return replace(
        info,
        option_ids=tuple(info.option_ids[k] for k in keep),
        option_names=tuple(info.option_names[k] for k in keep),
        values=info.values[keep],
        raw=info.raw[keep],
        words=tuple(info.words[k] for k in keep),
        marks=tuple(info.marks[k] for k in keep),
    )
