"""Figures for the Weigh page: the ranking as stacked contributions, and the score matrix."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from charts.theme import (
    BLUE,
    DESK,
    GREY,
    INK,
    MUTED,
    VALUE_SCALE,
    Look,
    criterion_colours,
    empty_figure,
    legend_on_top,
    make_figure,
    plain,
    wrap,
)
from core.model import additive
from core.ranking import Ranking
from core.ranking_info import MatrixInfo, RankingInfo


def ranking_label(  # noqa: PLR0913 (the label's parts, spelled out)
    name: str, role: str, post_seed: bool, ruled_out: bool, width: int = 200, max_lines: int | None = None
) -> str:
    label = name
    if role == "status_quo":
        label += " (baseline: doing nothing new)"
    if post_seed:
        label += " †"
    if ruled_out:
        label = "✕ " + label
    return wrap(label, width, max_lines)


def ranking_figure(info: RankingInfo, *, look: Look = DESK) -> go.Figure:
    """Horizontal bars, best at the top.

    For the weighted sum each bar is split into per-criterion contributions (in points out
    of 100); closeness to the ideal (TOPSIS) is not additive, so its bars are whole.
    Ruled-out options are drawn grey at the bottom, marked "ruled out" (the reason is in the
    hover and the text summary); the status quo is labelled "(baseline)" and marked by a
    dotted line.
    """
    ranking = info.ranking
    if not ranking.option_ids:
        return empty_figure("No options to rank.", look)
    labels = [
        ranking_label(n, r, bool(p), bool(o), look.wrap)
        for n, r, p, o in zip(ranking.names, ranking.roles, ranking.post_seed, ranking.ruled_out, strict=True)
    ]
    data: list[dict] = []
    if additive(ranking.method):
        totals = _add_contribution_traces(data, info, labels)
    else:
        totals = _add_closeness_trace(data, info, labels)
    _add_total_trace(data, info, labels, totals, look)
    return make_figure(data, _ranking_layout(info, labels, totals, look), look)


def _add_contribution_traces(data: list[dict], info: RankingInfo, labels: list[str]) -> np.ndarray:
    """One bar trace per criterion, its segments stacked into each option's total; returns the totals."""
    ranking = info.ranking
    criterion_ids, ruled = ranking.criterion_ids, ranking.ruled_out
    reasons = [plain(r) if r else "" for r in ranking.reasons]
    notes = info.notes or tuple(("",) * len(criterion_ids) for _ in ranking.option_ids)
    colours = criterion_colours(list(criterion_ids))
    for j, (cid, cname) in enumerate(zip(criterion_ids, info.criterion_names, strict=True)):
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": (ranking.contributions[:, j] * 100).tolist(),
                "name": plain(cname),
                "marker": {
                    "color": [GREY if r else colours[cid] for r in ruled],
                    "line": {"width": 1, "color": "white"},
                    # The baseline is hatched: a reference, not a competitor.
                    "pattern": {"shape": ["/" if b else "" for b in ranking.baseline], "fgcolor": "white"},
                },
                "customdata": [
                    "<br>".join(x for x in (plain(notes[i][j]), reasons[i]) if x) for i in range(len(labels))
                ],
                "hovertemplate": f"{plain(cname)}: %{{x:.1f}} points<br>%{{customdata}}<extra>%{{y}}</extra>",
            }
        )
    return ranking.score * 100


def _add_closeness_trace(data: list[dict], info: RankingInfo, labels: list[str]) -> np.ndarray:
    """One whole bar per option, its closeness to the ideal (TOPSIS); returns the bars' lengths."""
    ranking = info.ranking
    ruled = ranking.ruled_out
    totals = np.where(ruled, 0.0, np.nan_to_num(ranking.score))
    data.append(
        {
            "type": "bar",
            "orientation": "h",
            "y": labels,
            "x": totals.tolist(),
            "name": "Closeness to the ideal",
            "marker": {"color": [GREY if r else BLUE for r in ruled]},
            "customdata": [plain(r) if r else "" for r in ranking.reasons],
            "hovertemplate": "Closeness to the ideal: %{x:.3f}<br>%{customdata}<extra>%{y}</extra>",
            "showlegend": False,
        }
    )
    return totals


def _add_total_trace(data: list[dict], info: RankingInfo, labels: list[str], totals: np.ndarray, look: Look) -> None:
    """The total, or "ruled out", written at the end of each bar."""
    ranking = info.ranking
    ruled = ranking.ruled_out
    text = [f"{t:.1f}" if additive(ranking.method) else f"{t:.3f}" for t in totals]
    data.append(
        {
            "type": "scatter",
            "mode": "text",
            "y": labels,
            "x": [float(t) for t in _bar_ends(info, totals)],
            "text": ["ruled out" if r else t for t, r in zip(text, ruled, strict=True)],
            "textposition": "middle right",
            "textfont": {"color": [MUTED if r else INK for r in ruled], "size": look.font},
            "showlegend": False,
            "hoverinfo": "skip",
            "cliponaxis": False,
        }
    )


def _bar_ends(info: RankingInfo, totals: np.ndarray) -> np.ndarray:
    """Where each bar ends on the right: the sum of its gains (costs, below zero, stack to the left), or
    the whole bar; the total is written just beyond it."""
    if not additive(info.ranking.method):
        return totals
    gains = np.clip(info.ranking.contributions, 0, None).sum(axis=1) * 100
    return np.maximum(gains, 0.0)


def score_range(low: float, high: float, look_phone: bool) -> tuple[list[float], list[float]]:
    """An axis range from ``low`` to ``high`` points with room for the totals on the right, and its ticks
    (every 10 or 20 points, zero among them)."""
    low, high = min(0.0, low), max(10.0, high)
    step = 20.0 if high - low > 60 or look_phone else 10.0
    ticks = [k * step for k in range(int(np.floor(low / step)), int(np.ceil(high / step)) + 1)]
    span = high - low
    left = 0.15 if low < 0 else 0.02  # a negative total is written beyond its bar's left end
    return [min(low - left * span, ticks[0]), high + 0.22 * span], ticks


def baseline_segments(x: float, ends: np.ndarray, look: Look) -> list[dict]:
    """The status quo's dotted line at ``x``, drawn through the rows whose bar reaches it and broken on the rows
    whose bar stops short of it: a bar's value is written just beyond its end (right of a bar that ends at or
    above zero, left of one below), so on such a row the line could strike through the number. Rows are the
    bars in order (0 at the top); ``ends`` are the bars' ends (NaN: no bar)."""
    reaches = [not np.isfinite(end) or not ((end >= 0 and x > end) or (end < 0 and x < end)) for end in ends]
    segments, start = [], None
    for k, drawn in enumerate([*reaches, False]):
        if drawn and start is None:
            start = k
        elif not drawn and start is not None:
            segments.append((start - 0.5, k - 0.5))
            start = None
    line = {"color": MUTED, "dash": "dot", "width": 2 * look.line}
    return [
        {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": y0, "y1": y1, "yref": "y", "line": line, "layer": "below"}
        for y0, y1 in segments
    ]


def _baseline_shapes(info: RankingInfo, totals: np.ndarray, look: Look) -> list[dict]:
    """A dotted line at the status quo's total, unless it is ruled out, broken where it would cross a total."""
    ranking = info.ranking
    sq = [i for i, role in enumerate(ranking.roles) if role == "status_quo" and not ranking.ruled_out[i]]
    if not sq:
        return []
    return baseline_segments(float(totals[sq[0]]), np.asarray(_bar_ends(info, totals), dtype=float), look)


def score_axis_title(ranking: Ranking, short: bool = False) -> str:
    """The score axis's title: points against doing nothing new (gains stack right of zero, costs left), or out of 100;
    ``short`` for a phone or a projector's whole bars."""
    if ranking.reference == "nothing_new" and ranking.baseline.any():
        return "Points vs doing nothing new" if short else "Points vs doing nothing new: costs left of 0"
    return "Points out of 100" if short else "Overall score, points out of 100"


def _ranking_layout(info: RankingInfo, labels: list[str], totals: np.ndarray, look: Look) -> dict:
    method = info.ranking.method
    if additive(method):
        axis_title = score_axis_title(info.ranking, look.name == "phone")
        contributions = info.ranking.contributions * 100
        low = float(np.clip(contributions, None, 0).sum(axis=1).min())
        xrange, ticks = score_range(low, float(_bar_ends(info, totals).max()), look.name == "phone")
    else:
        axis_title = "Closeness to the ideal, 0 to 1 (TOPSIS)"
        xrange = [0, 1.22]
        ticks = [k / 5 for k in range(6)] if look.name != "phone" else [0, 0.5, 1]
    lines = max(label.count("<br>") + 1 for label in labels)
    return {
        "barmode": "relative",
        "xaxis": {"title": {"text": axis_title}, "range": xrange, "tickvals": ticks, "fixedrange": True},
        "yaxis": {"autorange": "reversed", "fixedrange": True},
        "legend": legend_on_top(look),
        "showlegend": additive(method),
        "shapes": _baseline_shapes(info, totals, look),
        "height": int(130 * look.scale + (look.row + 14 * (lines - 1)) * len(labels)),
        "margin": {"r": 10, "t": 10},
        "bargap": 0.25,
    }


def matrix_figure(info: MatrixInfo, *, look: Look = DESK) -> go.Figure:
    """Option-by-criterion heatmap.

    Colour is the 0-1 value (blue good, orange bad, whatever the criterion's direction); each
    cell shows the raw score and its marks (✎ yours, † after the article) so it fits any column
    width; the score's word on the criterion's scale is in the hover and the text summary.
    """
    if info.values.size == 0:
        return empty_figure("No scores to show.", look)
    raw, words, marks = info.raw, info.words, info.marks
    text = [[f"{raw[i, j]:g}{plain(marks[i][j])}" for j in range(raw.shape[1])] for i in range(raw.shape[0])]
    hover = [[plain(words[i][j]) for j in range(raw.shape[1])] for i in range(raw.shape[0])]
    # A projector's slide is wide: its row labels may take a line each; a desk's matrix keeps them narrow.
    width = look.wrap if look.name.startswith("projector") else min(look.wrap, 16)
    rows = [wrap(o, width, look.label_lines) for o in info.option_names]
    data = [_heatmap_trace(info, rows, text, hover, look), _cell_marker_trace(info, rows, text, hover)]
    return make_figure(data, _matrix_layout(info, rows, look), look)


def _heatmap_trace(
    info: MatrixInfo, rows: list[str], text: list[list[str]], hover: list[list[str]], look: Look
) -> dict:
    """The coloured cells, each with its score and marks written in it."""
    return {
        "type": "heatmap",
        "z": np.asarray(info.values, dtype=float).tolist(),
        "x": list(range(len(info.criterion_names))),
        "y": rows,
        "text": text,
        "customdata": hover,
        "texttemplate": "%{text}",
        "textfont": {"size": look.small if look.label_lines == 1 else look.font + 2},  # short rows: the least
        "colorscale": [list(s) for s in VALUE_SCALE],
        "zmin": 0,
        "zmax": 1,
        "xgap": 2,
        "ygap": 2,
        "showscale": False,
        "hoverinfo": "skip",
    }


def _cell_marker_trace(info: MatrixInfo, rows: list[str], text: list[list[str]], hover: list[list[str]]) -> dict:
    """An invisible marker on every cell: a click on it selects the cell (a heatmap itself reports
    no selection), and it carries the cell's hover text."""
    n_rows, n_columns = info.raw.shape
    criterion_names = info.criterion_names
    return {
        "type": "scatter",
        "mode": "markers",
        "x": [j for i in range(n_rows) for j in range(n_columns)],
        "y": [rows[i] for i in range(n_rows) for _ in range(n_columns)],
        "customdata": [[i, j] for i in range(n_rows) for j in range(n_columns)],
        "text": [
            f"{rows[i]}<br>{plain(criterion_names[j])}: {text[i][j]} ({hover[i][j]})"
            for i in range(n_rows)
            for j in range(n_columns)
        ],
        "hovertemplate": "%{text}<extra></extra>",
        "marker": {"size": 40, "opacity": 0},
        "showlegend": False,
    }


def _matrix_layout(info: MatrixInfo, rows: list[str], look: Look) -> dict:
    # Column headings above the matrix, every other one raised a row, so neighbours never meet even
    # when the columns are narrower than a long word ("Independence").
    size = look.small if look.name.startswith("projector") else look.small - 1  # a projector's stay >= 22 px
    raise_by = 2 * round(size * 1.35)  # two lines of a heading, at the line height plotly gives them
    # Each row tall enough for its label's lines (three on a phone's narrow labels), never under 50 px.
    lines = max(r.count("<br>") + 1 for r in rows)
    row_px = max(50 * look.scale, lines * look.font * 1.3 + 8)
    headings = [
        {
            "x": j,
            "y": 1,
            "xref": "x",
            "yref": "paper",
            "yanchor": "bottom",
            "yshift": 4 + (raise_by if j % 2 else 0),
            "text": wrap(c, 14),
            "showarrow": False,
            "font": {"size": size},
        }
        for j, c in enumerate(info.criterion_names)
    ]
    return {
        "xaxis": {"side": "top", "fixedrange": True, "showticklabels": False, "showgrid": False, "zeroline": False},
        "yaxis": {"autorange": "reversed", "fixedrange": True, "showgrid": False},
        "annotations": headings,
        "height": int(140 * look.scale + row_px * len(info.option_names)),
        "margin": {"t": 2 * raise_by + 16, "r": 10},
    }
