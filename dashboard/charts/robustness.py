"""Figures for "how sure is the ranking": chance of ranking first, chance of each rank, sweeps,
the tradeoff between two criteria, and a two-option comparison."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from charts.theme import (
    BLUE,
    DESK,
    GREY,
    INK,
    LINE_DASHES,
    MUTED,
    OPTION_PALETTE,
    VERMILLION,
    Look,
    empty_figure,
    legend_name,
    legend_on_top,
    make_figure,
    plain,
    rank_colours,
    wrap,
)
from core.montecarlo import ChanceInfo
from core.sensitivity import SweepInfo
from core.tradeoffs import ComparisonInfo, TradeoffInfo

DARK_GREY = "#6B6B6B"  # a marker that carries white text: 5.3:1 both ways


def _pct(p: float) -> str:
    if p == 0:
        return "0%"
    if p < 0.01:
        return "<1%"
    return f"{p * 100:.0f}%"


def first_chance_figure(info: ChanceInfo, *, look: Look = DESK) -> go.Figure:
    """Compact bars: each option's chance of ranking first, highest at the top."""
    names, first, samples = info.names, info.rank_probs[:, 0] if len(info.names) else np.zeros(0), info.samples
    if len(names) == 0:
        return empty_figure("No option passes your limits.", look)
    order = np.argsort(-np.asarray(first), kind="stable")
    labels = [wrap(names[i], look.wrap, look.label_lines) for i in order]
    values = [float(first[i]) for i in order]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": labels,
            "x": values,
            "marker": {"color": [BLUE if v == max(values) else GREY for v in values]},
            "text": [_pct(v) for v in values],
            "textposition": "outside",
            "textfont": {"size": look.font},
            "cliponaxis": False,
            "hovertemplate": "%{y}: ranks first in %{x:.1%} of the draws<extra></extra>",
        }
    ]
    lines = max(label.count("<br>") + 1 for label in labels)
    title = "Chance of ranking first" if look.name == "phone" else f"Chance of ranking first ({samples:,} random draws)"
    layout = {
        "xaxis": {
            "title": {"text": title},
            "range": [0, 1.15],
            "tickformat": ".0%",
            "tickvals": [0, 0.5, 1] if look.name == "phone" else [0, 0.25, 0.5, 0.75, 1],
            "fixedrange": True,
        },
        "yaxis": {"autorange": "reversed", "fixedrange": True},
        "height": int(90 * look.scale + (0.75 * look.row + 14 * (lines - 1)) * len(labels)),
        "showlegend": False,
        "margin": {"t": 10, "r": 10},
    }
    return make_figure(data, layout, look)


def rank_acceptability_figure(info: ChanceInfo, *, look: Look = DESK) -> go.Figure:
    """Stacked bars per option: the share of draws in which it takes each rank (rank 1 darkest)."""
    names, rank_probs, samples = info.names, info.rank_probs, info.samples
    if len(names) == 0:
        return empty_figure("No option passes your limits.", look)
    n = len(names)
    # Options in order of their expected rank, best first.
    expected = rank_probs @ np.arange(1, n + 1)
    order = np.argsort(expected, kind="stable")
    labels = [wrap(names[i], look.wrap, look.label_lines) for i in order]
    colours = rank_colours(n)
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": labels,
            "x": [float(rank_probs[i, r]) for i in order],
            "name": _rank_name(r, colours),
            "marker": {"color": colours[r], "line": {"width": 1, "color": "white"}},
            "hovertemplate": f"%{{y}}: rank {r + 1} in %{{x:.1%}} of the draws<extra></extra>",
            # The ranks that share a colour share one legend entry (each segment's hover still names its rank).
            "legendgroup": colours[r],
            "showlegend": colours.index(colours[r]) == r,
        }
        for r in range(n)
    ]
    lines = max(label.count("<br>") + 1 for label in labels)
    title = (
        "Share of draws with each rank" if look.name == "phone" else f"Share of {samples:,} random draws with each rank"
    )
    layout = {
        "barmode": "stack",
        "xaxis": {"title": {"text": title}, "range": [0, 1], "tickformat": ".0%", "fixedrange": True},
        "yaxis": {"autorange": "reversed", "fixedrange": True},
        "legend": legend_on_top(look),
        "height": int(150 * look.scale + (0.85 * look.row + 14 * (lines - 1)) * n),
        "margin": {"t": 10, "r": 10},
    }
    return make_figure(data, layout, look)


def _rank_name(r: int, colours: list[str]) -> str:
    """The legend's name for rank ``r + 1``: "rank 4 or lower" when the ranks below share its colour."""
    shared = colours.count(colours[r]) > 1
    return f"rank {r + 1} or lower" if shared else f"rank {r + 1}"


def sweep_figure(info: SweepInfo, *, look: Look = DESK) -> go.Figure:
    """Each option's overall score as one criterion's weight goes from 0 to 100%.

    The shares where the top option changes are marked by a dotted line and their percentage (the
    text beside the chart says who takes the lead there). Each option keeps its colour and dash.
    """
    if info.scores.size == 0:
        return empty_figure("No option passes your limits.", look)
    data = _sweep_line_traces(info, look)
    current = info.sweep.current
    shapes = [_vertical_line(current, {"color": INK, "width": 2 * look.line})]
    now = ("left" if current < 0.75 else "right", "bottom")
    annotations = [_share_label(current * 100, 0, now, f"now {current * 100:.0f}%", look)]
    for k, (share, _, _) in enumerate(info.sweep.changes):
        shapes.append(_vertical_line(share, {"color": MUTED, "width": 1.5 * look.line, "dash": "dot"}))
        anchors = ("left" if share < 0.85 else "right", "top")
        annotations.append(_share_label(share * 100, 1 - 0.09 * k, anchors, f"{share * 100:.0f}%", look))
    layout = {
        "xaxis": {"title": {"text": f"Weight on {plain(info.criterion_name.lower())} (%)"}, "range": [0, 100]},
        "yaxis": {"title": {"text": plain(info.score_label)}},
        "shapes": shapes,
        "annotations": annotations,
        "legend": legend_on_top(look),
        "height": int(520 * look.scale),
        "margin": {"t": 10, "r": 10},
    }
    return make_figure(data, layout, look)


def _sweep_line_traces(info: SweepInfo, look: Look) -> list[dict]:
    """A line per option, in the option's own colour and dash."""
    x = (np.asarray(info.sweep.t) * 100).tolist()
    colours = [OPTION_PALETTE[k % len(OPTION_PALETTE)] for k in info.palette_index]
    dashes = [LINE_DASHES[k % len(LINE_DASHES)] for k in info.palette_index]
    return [
        {
            "type": "scatter",
            "mode": "lines",
            "x": x,
            "y": info.scores[:, i].tolist(),
            "name": plain(name),
            "line": {"color": colours[i], "dash": dashes[i], "width": 3 * look.line},
            "hovertemplate": f"{plain(name)}: %{{y:.1f}} at %{{x:.0f}}%<extra></extra>",
        }
        for i, name in enumerate(info.names)
    ]


def _vertical_line(share: float, line: dict) -> dict:
    """A line from the bottom of the plot to its top at ``share`` of the weight."""
    return {"type": "line", "x0": share * 100, "x1": share * 100, "y0": 0, "y1": 1, "yref": "paper", "line": line}


def _share_label(x: float, y: float, anchors: tuple[str, str], text: str, look: Look) -> dict:
    """A percentage written beside its line; ``anchors`` are the label's ``xanchor`` and ``yanchor``."""
    xanchor, yanchor = anchors
    return {
        "x": x,
        "y": y,
        "yref": "paper",
        "yanchor": yanchor,
        "text": text,
        "showarrow": False,
        "xanchor": xanchor,
        "bgcolor": "rgba(255,255,255,0.9)",
        "font": {"color": INK, "size": look.small},
    }


def tradeoff_figure(info: TradeoffInfo, *, look: Look = DESK) -> go.Figure:
    """Options on two criteria, better to the right and up, with the front of options not beaten on both.

    Each option is a numbered marker, named in the legend, so names never collide on the plot;
    options at the same point share a marker ("2, 5").
    """
    view = info.view
    if len(info.names) == 0:
        return empty_figure("No option passes your limits.", look)
    groups: dict[tuple[float, float], list[int]] = {}
    for i, (x, y) in enumerate(zip(view.x_value, view.y_value, strict=True)):
        groups.setdefault((round(float(x), 9), round(float(y), 9)), []).append(i)
    data = [_front_trace(info, look)]
    for point, members in groups.items():
        data.append(_point_trace(info, point, members, look))
    return make_figure(data, _tradeoff_layout(info, look), look)


def _front_trace(info: TradeoffInfo, look: Look) -> dict:
    """The steps through the options not beaten on both criteria (the Pareto front)."""
    view = info.view
    front_pts = sorted(
        {(float(x), float(y)) for x, y, f in zip(view.x_value, view.y_value, view.on_front, strict=True) if f}
    )
    return {
        "type": "scatter",
        "mode": "lines",
        "x": [p[0] for p in front_pts],
        "y": [p[1] for p in front_pts],
        "line": {
            "color": BLUE,
            "width": 2 * look.line,
            "dash": "dash",
            "shape": "hv" if len(front_pts) > 1 else "linear",
        },
        "name": "Not beaten on both (the Pareto front)",
        "hoverinfo": "skip",
    }


def _point_trace(info: TradeoffInfo, point: tuple[float, float], members: list[int], look: Look) -> dict:
    """One numbered marker for the options at ``point``, blue if any of them is on the front."""
    names = info.names
    front = any(info.view.on_front[i] for i in members)
    return {
        "type": "scatter",
        "mode": "markers+text",
        "x": [point[0]],
        "y": [point[1]],
        "text": [", ".join(str(i + 1) for i in members)],
        "textposition": "middle center",
        "textfont": {"color": "white", "size": look.small},
        "marker": {
            "color": BLUE if front else DARK_GREY,
            "size": 30 * look.line + 10 * (len(members) - 1),
            "line": {"color": "white", "width": 1},
        },
        "name": "<br>".join(legend_name(f"{i + 1} {names[i]}", look) for i in members),
        "hovertemplate": "<br>".join(plain(names[i]) for i in members) + "<extra></extra>",
    }


def _tradeoff_layout(info: TradeoffInfo, look: Look) -> dict:
    x_ticks, y_ticks = info.x_ticks, info.y_ticks
    return {
        "xaxis": {
            "title": {"text": f"{plain(info.x_name)} (better to the right)"},
            "range": [-0.12, 1.12],
            "tickvals": list(x_ticks),
            "ticktext": [wrap(v, 10 if look.name == "phone" else 16) for v in x_ticks.values()],
            "fixedrange": True,
        },
        "yaxis": {
            "title": {"text": f"{plain(info.y_name)} (better up)"},
            "range": [-0.12, 1.12],
            "tickvals": list(y_ticks),
            "ticktext": [plain(v) for v in y_ticks.values()],
            "fixedrange": True,
        },
        "legend": {**legend_on_top(look), "orientation": "v" if look.name == "phone" else "h"},
        "height": int(560 * look.scale),
        "margin": {"t": 10, "r": 10},
    }


def comparison_figure(info: ComparisonInfo, *, look: Look = DESK) -> go.Figure:
    """Diverging bars: points each criterion gives option A (right) or option B (left)."""
    criterion_names = info.criterion_names
    if len(criterion_names) == 0:
        return empty_figure("No criteria to compare.", look)
    diff = np.asarray(info.comparison.difference, dtype=float)
    lim = max(float(np.abs(diff).max()), 1.0) * 1.35
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": [wrap(c, look.wrap) for c in criterion_names],
            "x": diff.tolist(),
            "marker": {"color": [BLUE if d >= 0 else VERMILLION for d in diff]},
            "text": [f"{d:+.1f}" for d in diff],
            "textposition": "outside",
            "textfont": {"size": look.font},
            "cliponaxis": False,
            "hovertemplate": "%{y}: %{x:+.1f} points<extra></extra>",
        }
    ]
    sides, top_margin = _sides(info, look)
    layout = {
        "xaxis": {
            "title": {"text": "Points out of 100"},
            "range": [-lim, lim],
            "zeroline": True,
            "zerolinecolor": INK,
            "zerolinewidth": 2,
            "fixedrange": True,
        },
        "yaxis": {"autorange": "reversed", "fixedrange": True},
        "annotations": sides,
        "height": int(120 * look.scale + 0.8 * look.row * len(criterion_names)),
        "showlegend": False,
        "margin": {"t": top_margin, "r": 10},
    }
    return make_figure(data, layout, look)


def _sides(info: ComparisonInfo, look: Look) -> tuple[list[dict], int]:
    """The labels above the plot, "favours B" on the left and "favours A" on the right, and the top margin
    they need."""
    name_a, name_b = info.name_a, info.name_b
    left_text = "← favours " + wrap(name_b, look.wrap + 4)
    # One above the other on a phone, or when the two names are too long to share a line (the user's own, or two
    # long names), so the labels never meet.
    stacked = look.name == "phone" or len(name_a) + len(name_b) > look.wrap * 3 // 2
    left_lines = left_text.count("<br>") + 1
    sides = [
        {"x": 0, "xanchor": "left", "text": left_text, "font": {"color": VERMILLION, "size": look.small}, "yshift": 0},
        {
            "x": 1,
            "xanchor": "right",
            "text": "favours " + wrap(name_a, look.wrap + 4) + " →",
            "font": {"color": BLUE, "size": look.small},
            "yshift": (look.small + 6) * left_lines if stacked else 0,
        },
    ]
    right_lines = sides[1]["text"].count("<br>") + 1
    top_margin = (look.small + 6) * ((left_lines + right_lines) if stacked else max(left_lines, right_lines)) + 20
    annotations = [
        {
            **side,
            "xref": "paper",
            "y": 1.01,
            "yref": "paper",
            "yanchor": "bottom",
            "showarrow": False,
            "align": side["xanchor"],
        }
        for side in sides
    ]
    return annotations, top_margin
