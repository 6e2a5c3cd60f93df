"""Figures for the seminar room's projector: who puts what first, the spread of weights, and who disagrees."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from charts.theme import (
    BLUE,
    GREY,
    PROJECTOR,
    Look,
    criterion_colours,
    empty_figure,
    legend_on_top,
    make_figure,
    wrap,
)
from core.seminar import RoomResults


def first_figure(results: RoomResults, *, look: Look = PROJECTOR) -> go.Figure:
    """How many put each option first, most first. Every name is written whole (a tie names each option)."""
    counts = sorted(results.first_counts.items(), key=lambda kv: -kv[1])
    if not counts:
        return empty_figure("No answers yet.", look)
    top = counts[0][1]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": [wrap(name, look.wrap) for name, _ in counts],
            "x": [c for _, c in counts],
            "marker": {"color": [BLUE if c == top else GREY for _, c in counts]},
            "text": [f"{c} of {results.n}" for _, c in counts],
            "textposition": "outside",
            "cliponaxis": False,
            "hoverinfo": "skip",
        }
    ]
    layout = {
        "xaxis": {
            "title": {"text": "People who put it first"},
            "range": [0, results.n * 1.2],
            "dtick": max(1, math.ceil(results.n / 5)),  # whole people
            "fixedrange": True,
        },
        "yaxis": {"autorange": "reversed", "fixedrange": True},
        "height": int(look.row * len(counts) + 110 * look.scale),
        "margin": {"t": 10, "r": 40},
    }
    return make_figure(data, layout, look)


def weights_figure(results: RoomResults, *, look: Look = PROJECTOR) -> go.Figure:
    """Each criterion's weights across the room: a box (middle half and median) and every answer as a dot."""
    if not results.n:
        return empty_figure("No answers yet.", look)
    colours = criterion_colours(list(results.criterion_names))
    data = [
        {
            "type": "box",
            "orientation": "h",
            "name": wrap(name, look.wrap),
            "x": results.shares[:, j].round(1).tolist(),
            "boxpoints": "all",
            "jitter": 0.4,
            "pointpos": 0,
            "marker": {"color": colours[name], "size": 8 * look.line},
            "line": {"color": colours[name], "width": 2 * look.line},
            "fillcolor": "rgba(0,0,0,0)",
            "hoverinfo": "skip",
            "showlegend": False,
        }
        for j, name in enumerate(results.criterion_names)
    ]
    layout = {
        "xaxis": {"title": {"text": "Weight, % of the total"}, "range": [0, 100], "fixedrange": True},
        "yaxis": {"autorange": "reversed", "fixedrange": True},
        "height": int(look.row * len(results.criterion_names) + 110 * look.scale),
        "margin": {"t": 10, "r": 20},
    }
    return make_figure(data, layout, look)


def disagreement_figure(results: RoomResults, *, look: Look = PROJECTOR) -> go.Figure:
    """Answers (rows, numbered; grouped by the option they put first, the biggest group on top) by criterion
    weight, each cell saying its weight in %: where the room splits."""
    if not results.n:
        return empty_figure("No answers yet.", look)
    order = sorted(range(results.n), key=lambda i: (-results.first_counts[results.first[i]], results.first[i]))
    z = results.shares[order]
    written = results.n <= 60  # each cell says its weight
    data = [
        {
            "type": "heatmap",
            "z": np.round(z, 0).tolist(),
            "x": [wrap(c, 10) for c in results.criterion_names],
            "y": [f"#{k + 1}" for k in range(results.n)],
            "text": np.round(z, 0).astype(int).astype(str).tolist(),
            "texttemplate": "%{text}" if written else "",
            "textfont": {"size": look.small},
            "colorscale": [[0, "#FFFFFF"], [1, "#00204D"]],
            "zmin": 0,
            "zmax": max(50.0, float(z.max())),
            "showscale": not written,  # a very large room: too many rows to write in, so a scale instead
            "colorbar": {"title": {"text": "%"}, "thickness": 16, "tickfont": {"size": look.small}},
            "hoverinfo": "skip",
            "xgap": 1,
            "ygap": 1 if results.n <= 60 else 0,
        }
    ]
    layout = {
        "xaxis": {"side": "top", "tickangle": 0, "fixedrange": True, "tickfont": {"size": look.small}},
        "yaxis": {"type": "category", "autorange": "reversed", "fixedrange": True, "showticklabels": written},
        "height": int(min(900, 140 * look.scale + max(24, look.small + 8) * results.n)),
        "margin": {"t": 10, "r": 10},
    }
    return make_figure(data, layout, look)


MAX_GROUPS = 4  # columns a projector can show side by side; the rest are one column of their own


def groups_figure(results: RoomResults, *, look: Look = PROJECTOR) -> go.Figure:
    """The groups of similar views (by the option they put first, the largest first) and their typical
    weights, as a grid whose every cell says its weight in %: a column per group, a row per criterion."""
    groups = results.groups()
    if groups.empty:
        return empty_figure("No answers yet.", look)
    criteria = list(results.criterion_names)
    columns = [(f"{row['Puts first']} ({row['People']})", [row[c] for c in criteria]) for _, row in groups.iterrows()]
    if len(columns) > MAX_GROUPS:
        rest = groups.iloc[MAX_GROUPS - 1 :]
        typical = (rest[criteria].mul(rest["People"], axis=0).sum() / rest["People"].sum()).round(0)
        columns = [*columns[: MAX_GROUPS - 1], (f"All other views ({int(rest['People'].sum())})", list(typical))]
    z = [[float(values[j]) for _, values in columns] for j in range(len(criteria))]
    width = max(12, 44 // len(columns))
    data = [
        {
            "type": "heatmap",
            "z": z,
            "x": [wrap(label, width) for label, _ in columns],
            "y": [wrap(c, 16) for c in criteria],
            "text": [[f"{v:.0f}" for v in row] for row in z],
            "texttemplate": "%{text}",
            "textfont": {"size": look.small},
            "colorscale": [[0, "#FFFFFF"], [1, "#00204D"]],
            "zmin": 0,
            "zmax": max(50.0, max(max(row) for row in z)),
            "showscale": False,
            "hoverinfo": "skip",
            "xgap": 2,
            "ygap": 2,
        }
    ]
    layout = {
        "xaxis": {"side": "top", "tickangle": 0, "fixedrange": True, "type": "category"},
        "yaxis": {"type": "category", "autorange": "reversed", "fixedrange": True},
        "height": int(look.row * len(criteria) + 160 * look.scale),
        "margin": {"t": 10, "r": 10},
    }
    return make_figure(data, layout, look)


def moved_figure(before: RoomResults, after: RoomResults, *, look: Look = PROJECTOR) -> go.Figure:
    """The share of the room putting each option first, in the round before and this one."""
    if not before.n or not after.n:
        return empty_figure("Both rounds need answers to compare them.", look)
    names = list(dict.fromkeys([*after.first_counts, *before.first_counts]))  # this round's views first
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": label,
            "y": [wrap(n, look.wrap) for n in names],
            "x": [round(100 * res.first_counts.get(n, 0) / res.n) for n in names],
            "marker": {"color": colour},
            "text": [f"{round(100 * res.first_counts.get(n, 0) / res.n)}%" for n in names],
            "textposition": "outside",
            "cliponaxis": False,
            "hoverinfo": "skip",
        }
        for label, res, colour in (("Round before", before, GREY), ("This round", after, BLUE))
    ]
    layout = {
        "barmode": "group",
        "xaxis": {"title": {"text": "Share of the room putting it first (%)"}, "range": [0, 120], "fixedrange": True},
        "yaxis": {"autorange": "reversed", "fixedrange": True},
        "legend": legend_on_top(look),
        "height": int(look.row * 1.6 * len(names) + 140 * look.scale),
        "margin": {"t": 10, "r": 40},
    }
    return make_figure(data, layout, look)
