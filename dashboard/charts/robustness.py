"""Figures for "how sure is the ranking": chance of ranking first, rank acceptability, sweeps,
the tradeoff between two criteria, and a two-option comparison."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from charts.theme import CIVIDIS, GREY, INK, MUTED, OKABE_ITO, empty_figure, make_figure, plain


def _pct(p: float) -> str:
    if p == 0:
        return "0%"
    if p < 0.01:
        return "<1%"
    return f"{p * 100:.0f}%"


def first_chance_figure(
    names: Sequence[str], first: np.ndarray, samples: int, title: str, presentation: bool = False
) -> go.Figure:
    """Compact bars: each option's probability of ranking first, highest at the top."""
    if len(names) == 0:
        return empty_figure("No option passes your limits.", presentation)
    order = np.argsort(-np.asarray(first), kind="stable")
    labels = [plain(names[i]) for i in order]
    values = [float(first[i]) for i in order]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": labels,
            "x": values,
            "marker": {"color": [OKABE_ITO[0] if v == max(values) else "#7FB2D9" for v in values]},
            "text": [_pct(v) for v in values],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y}: ranks first in %{x:.1%} of samples<extra></extra>",
        }
    ]
    scale = 1.35 if presentation else 1.0
    layout = {
        "title": {"text": plain(title)},
        "xaxis": {
            "title": {"text": f"Chance of ranking first ({samples:,} samples of weights and scores)"},
            "range": [0, 1.12],
            "tickformat": ".0%",
            "tickvals": [0, 0.25, 0.5, 0.75, 1],
            "fixedrange": True,
        },
        "yaxis": {"autorange": "reversed", "fixedrange": True},
        "height": int((150 + 34 * len(labels)) * scale),
        "showlegend": False,
    }
    return make_figure(data, layout, presentation)


def rank_acceptability_figure(
    names: Sequence[str], rank_probs: np.ndarray, samples: int, title: str, presentation: bool = False
) -> go.Figure:
    """Stacked bars per option: the share of samples in which it takes each rank (rank 1 darkest)."""
    if len(names) == 0:
        return empty_figure("No option passes your limits.", presentation)
    n = len(names)
    # Order options by expected rank, best first.
    expected = rank_probs @ np.arange(1, n + 1)
    order = np.argsort(expected, kind="stable")
    labels = [plain(names[i]) for i in order]
    data = []
    for r in range(n):
        colour = CIVIDIS[min(r * (len(CIVIDIS) - 1) // max(n - 1, 1), len(CIVIDIS) - 1)]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": [float(rank_probs[i, r]) for i in order],
                "name": f"rank {r + 1}",
                "marker": {"color": colour, "line": {"width": 0}},
                "hovertemplate": f"%{{y}}: rank {r + 1} in %{{x:.1%}} of samples<extra></extra>",
            }
        )
    scale = 1.35 if presentation else 1.0
    layout = {
        "title": {"text": plain(title)},
        "barmode": "stack",
        "xaxis": {
            "title": {"text": f"Share of {samples:,} samples with each rank"},
            "range": [0, 1],
            "tickformat": ".0%",
            "fixedrange": True,
        },
        "yaxis": {"autorange": "reversed", "fixedrange": True},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.3, "x": 0, "traceorder": "normal"},
        "height": int((240 + 40 * n) * scale),
        "margin": {"b": 120},
    }
    return make_figure(data, layout, presentation)


def sweep_figure(
    t: np.ndarray,
    scores: np.ndarray,
    names: Sequence[str],
    colours: Sequence[str],
    dashes: Sequence[str],
    current: float,
    changes: Sequence[tuple[float, str]],
    criterion_name: str,
    score_label: str,
    title: str,
    presentation: bool = False,
) -> go.Figure:
    """Each option's overall score as one criterion's weight goes from 0 to 100%.

    ``changes`` are ``(share, label)`` where the top option changes; they are marked and labelled.
    """
    if scores.size == 0:
        return empty_figure("No option passes your limits.", presentation)
    x = (np.asarray(t) * 100).tolist()
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": x,
            "y": scores[:, i].tolist(),
            "name": plain(name),
            "line": {"color": colours[i], "dash": dashes[i], "width": 3},
            "hovertemplate": f"{plain(name)}: %{{y:.3f}} at %{{x:.0f}}%<extra></extra>",
        }
        for i, name in enumerate(names)
    ]
    shapes = [
        {
            "type": "line",
            "x0": current * 100,
            "x1": current * 100,
            "y0": 0,
            "y1": 1,
            "yref": "paper",
            "line": {"color": INK, "width": 2},
        }
    ]
    annotations = [
        {
            "x": current * 100,
            "y": 1.02,
            "yref": "paper",
            "text": f"now {current * 100:.0f}%",
            "showarrow": False,
            "xanchor": "left",
            "font": {"color": INK},
        }
    ]
    for k, (share, label) in enumerate(changes):
        shapes.append(
            {
                "type": "line",
                "x0": share * 100,
                "x1": share * 100,
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"color": MUTED, "width": 1.5, "dash": "dot"},
            }
        )
        annotations.append(
            {
                "x": share * 100,
                "y": 0.96 - 0.09 * k,
                "yref": "paper",
                "text": f"{share * 100:.0f}%: {plain(label)}",
                "showarrow": False,
                "xanchor": "left" if share < 0.6 else "right",
                "bgcolor": "rgba(255,255,255,0.85)",
                "font": {"color": INK},
            }
        )
    scale = 1.35 if presentation else 1.0
    layout = {
        "title": {"text": plain(title)},
        "xaxis": {"title": {"text": f"Weight on {plain(criterion_name.lower())} (%)"}, "range": [0, 100]},
        "yaxis": {"title": {"text": score_label}},
        "shapes": shapes,
        "annotations": annotations,
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0},
        "height": int(520 * scale),
    }
    return make_figure(data, layout, presentation)


def tradeoff_figure(
    x_value: np.ndarray,
    y_value: np.ndarray,
    names: Sequence[str],
    on_front: np.ndarray,
    x_name: str,
    y_name: str,
    x_ticks: Mapping[float, str],
    y_ticks: Mapping[float, str],
    title: str,
    presentation: bool = False,
) -> go.Figure:
    """Options on two criteria, better to the right and up, with the Pareto front drawn.

    Options at the same point share one marker and one label.
    """
    if len(names) == 0:
        return empty_figure("No option passes your limits.", presentation)
    groups: dict[tuple[float, float], list[int]] = {}
    for i, (x, y) in enumerate(zip(x_value, y_value, strict=True)):
        groups.setdefault((round(float(x), 9), round(float(y), 9)), []).append(i)
    xs, ys, texts, colours, sizes = [], [], [], [], []
    for (x, y), members in groups.items():
        xs.append(x)
        ys.append(y)
        texts.append("<br>".join(plain(names[i]) for i in members))
        front = any(on_front[i] for i in members)
        colours.append(OKABE_ITO[0] if front else GREY)
        sizes.append(18 if front else 14)
    front_pts = sorted({(float(x), float(y)) for x, y, f in zip(x_value, y_value, on_front, strict=True) if f})
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": [p[0] for p in front_pts],
            "y": [p[1] for p in front_pts],
            "line": {
                "color": OKABE_ITO[0],
                "width": 2,
                "dash": "dash",
                "shape": "hv" if len(front_pts) > 1 else "linear",
            },
            "name": "Pareto front (not beaten on both)",
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "mode": "markers+text",
            "x": xs,
            "y": ys,
            "text": texts,
            "textposition": "middle right",
            "marker": {"color": colours, "size": sizes, "line": {"color": "white", "width": 1}},
            "name": "Options (grey: beaten on both by another)",
            "hovertemplate": "%{text}<extra></extra>",
        },
    ]
    scale = 1.35 if presentation else 1.0
    layout = {
        "title": {"text": plain(title)},
        "xaxis": {
            "title": {"text": f"{plain(x_name)} (better to the right)"},
            "range": [-0.08, 1.45],
            "tickvals": list(x_ticks),
            "ticktext": [plain(v) for v in x_ticks.values()],
            "fixedrange": True,
        },
        "yaxis": {
            "title": {"text": f"{plain(y_name)} (better up)"},
            "range": [-0.1, 1.12],
            "tickvals": list(y_ticks),
            "ticktext": [plain(v) for v in y_ticks.values()],
            "fixedrange": True,
        },
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0},
        "height": int(560 * scale),
    }
    return make_figure(data, layout, presentation)


def comparison_figure(
    difference: np.ndarray,
    criterion_names: Sequence[str],
    name_a: str,
    name_b: str,
    title: str,
    presentation: bool = False,
) -> go.Figure:
    """Diverging bars: points each criterion gives option A (right) or option B (left)."""
    if len(criterion_names) == 0:
        return empty_figure("No criteria to compare.", presentation)
    diff = np.asarray(difference, dtype=float)
    lim = max(float(np.abs(diff).max()), 1.0) * 1.3
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": [plain(c) for c in criterion_names],
            "x": diff.tolist(),
            "marker": {"color": [OKABE_ITO[0] if d >= 0 else OKABE_ITO[5] for d in diff]},
            "text": [f"{d:+.1f}" for d in diff],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y}: %{x:+.1f} points<extra></extra>",
        }
    ]
    scale = 1.35 if presentation else 1.0
    layout = {
        "title": {"text": plain(title)},
        "xaxis": {
            "title": {"text": f"← favours {plain(name_b)}   |   points out of 100   |   favours {plain(name_a)} →"},
            "range": [-lim, lim],
            "zeroline": True,
            "zerolinecolor": INK,
            "zerolinewidth": 2,
            "fixedrange": True,
        },
        "yaxis": {"autorange": "reversed", "fixedrange": True},
        "height": int((160 + 44 * len(criterion_names)) * scale),
        "showlegend": False,
    }
    return make_figure(data, layout, presentation)
