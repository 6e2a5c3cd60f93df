"""Figures for the Weigh page: the ranking as stacked contributions, and the score matrix."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from charts.theme import (
    GREY,
    INK,
    MUTED,
    OKABE_ITO,
    VALUE_SCALE,
    criterion_colours,
    empty_figure,
    make_figure,
    plain,
    wrap,
)
from core.ranking import Ranking


def ranking_label(name: str, role: str, post_seed: bool, ruled_out: bool) -> str:
    label = plain(name)
    if role == "status_quo":
        label += " (baseline)"
    if post_seed:
        label += " †"
    if ruled_out:
        label = "✕ " + label
    return label


def ranking_figure(
    ranking: Ranking,
    criterion_names: Sequence[str],
    title: str,
    presentation: bool = False,
) -> go.Figure:
    """Horizontal bars, best at the top.

    For the weighted sum each bar is split into per-criterion contributions (in
    points out of 100); TOPSIS closeness is not additive, so its bars are whole.
    Ruled-out options are drawn grey at the bottom with their reason written beside
    them; the status quo is labelled "(baseline)" and marked by a dotted line.
    """
    if not ranking.option_ids:
        return empty_figure("No options to rank.", presentation)
    method = ranking.method
    criterion_ids = ranking.criterion_ids
    ruled = ranking.ruled_out
    labels = [
        ranking_label(n, r, bool(p), bool(o))
        for n, r, p, o in zip(ranking.names, ranking.roles, ranking.post_seed, ruled, strict=True)
    ]
    data: list[dict] = []
    if method == "weighted_sum":
        colours = criterion_colours(list(criterion_ids))
        for j, (cid, cname) in enumerate(zip(criterion_ids, criterion_names, strict=True)):
            data.append(
                {
                    "type": "bar",
                    "orientation": "h",
                    "y": labels,
                    "x": (ranking.contributions[:, j] * 100).tolist(),
                    "name": plain(cname),
                    "marker": {"color": [GREY if r else colours[cid] for r in ruled], "line": {"width": 0}},
                    "hovertemplate": f"{plain(cname)}: %{{x:.1f}} points<extra>%{{y}}</extra>",
                }
            )
        totals = ranking.score * 100
        axis_title = "Overall score, points out of 100 (each segment is one criterion's contribution)"
        text = [f"{t:.1f}" for t in totals]
        xmax = 100.0
    else:
        totals = np.where(ruled, 0.0, np.nan_to_num(ranking.score))
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": totals.tolist(),
                "name": "TOPSIS closeness",
                "marker": {"color": OKABE_ITO[0]},
                "hovertemplate": "Closeness to the ideal: %{x:.3f}<extra>%{y}</extra>",
                "showlegend": False,
            }
        )
        axis_title = "Closeness to the ideal option (TOPSIS, 0 to 1)"
        text = [f"{t:.3f}" for t in totals]
        xmax = 1.0
    # The total, or why an option is ruled out, written at the end of each bar.
    data.append(
        {
            "type": "scatter",
            "mode": "text",
            "y": labels,
            "x": [float(t) for t in totals],
            "text": [
                "ruled out: " + plain(reason) if r else t
                for t, r, reason in zip(text, ruled, ranking.reasons, strict=True)
            ],
            "textposition": "middle right",
            "textfont": {"color": [MUTED if r else INK for r in ruled]},
            "showlegend": False,
            "hoverinfo": "skip",
        }
    )
    shapes = []
    sq = [i for i, role in enumerate(ranking.roles) if role == "status_quo" and not ruled[i]]
    if len(sq):
        x_sq = float(totals[sq[0]])
        shapes.append(
            {
                "type": "line",
                "x0": x_sq,
                "x1": x_sq,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"color": MUTED, "dash": "dot", "width": 2},
            }
        )
    scale = 1.35 if presentation else 1.0
    layout = {
        "title": {"text": plain(title)},
        "barmode": "stack",
        "xaxis": {
            "title": {"text": axis_title},
            "range": [0, xmax * 1.25],
            "tickvals": [xmax * k / 5 for k in range(6)],
            "fixedrange": True,
        },
        "yaxis": {"autorange": "reversed", "fixedrange": True},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0, "traceorder": "normal"},
        "shapes": shapes,
        "height": int((190 + 46 * len(labels)) * scale),
        "margin": {"r": 30},
    }
    return make_figure(data, layout, presentation)


def matrix_figure(
    values: np.ndarray,
    raw: np.ndarray,
    labels: Sequence[Sequence[str]],
    option_names: Sequence[str],
    criterion_names: Sequence[str],
    title: str,
    presentation: bool = False,
) -> go.Figure:
    """Option-by-criterion heatmap.

    Colour is the 0-1 value (blue good, orange bad, whatever the criterion's
    direction); the text is the raw score and its word on the criterion's scale.
    """
    if values.size == 0:
        return empty_figure("No scores to show.", presentation)
    text = [[f"{raw[i, j]:g} · {plain(labels[i][j])}" for j in range(raw.shape[1])] for i in range(raw.shape[0])]
    data = [
        {
            "type": "heatmap",
            "z": np.asarray(values, dtype=float).tolist(),
            "x": [wrap(c, 14) for c in criterion_names],
            "y": [plain(o) for o in option_names],
            "text": text,
            "texttemplate": "%{text}",
            "textfont": {"size": 15 if not presentation else 22},
            "colorscale": [list(s) for s in VALUE_SCALE],
            "zmin": 0,
            "zmax": 1,
            "xgap": 2,
            "ygap": 2,
            "colorbar": {"title": {"text": "Value"}, "tickvals": [0, 0.5, 1], "ticktext": ["worst", "middle", "best"]},
            "hovertemplate": "%{y}<br>%{x}: %{text}<extra></extra>",
        }
    ]
    scale = 1.35 if presentation else 1.0
    layout = {
        "title": {"text": plain(title)},
        "xaxis": {"side": "top", "fixedrange": True, "tickangle": 0},
        "yaxis": {"autorange": "reversed", "fixedrange": True},
        "height": int((150 + 52 * len(option_names)) * scale),
        "margin": {"t": 120},
    }
    return make_figure(data, layout, presentation)
