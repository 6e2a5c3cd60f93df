"""The schematic routes map of the supply chain, and the same map before and after China's May 2019
class-wide scheduling. Data in, ``go.Figure`` out; every builder draws only what it is given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from charts.theme import (
    BLUE,
    DESK,
    GREEN,
    INK,
    ORANGE,
    Look,
    empty_figure,
    legend_on_top,
    make_figure,
    plain,
    wrap,
)
from core.supply_info import RoutesInfo

ERA_COLOURS = {"before_2019": ORANGE, "after_2019": BLUE, "both": GREEN}
ERA_NAMES = {
    "before_2019": "before the May 2019 scheduling",
    "after_2019": "after the May 2019 scheduling",
    "both": "before and after",
}
# Labels go below these places so the arrows and route labels above them stay readable.
LABEL_BELOW = {"mexico", "myanmar", "australia"}
PAIR_X_RANGE = (95.0, 280.0)  # the horizontal range of each panel of the before-and-after pair


def _x(lon: float) -> float:
    """Pacific-centred longitude, so China and the Americas sit on one map without a seam."""
    return lon if lon >= 0 else lon + 360


# --------------------------------------------------------------------------- routes map
@dataclass(frozen=True)
class Panel:
    """One map panel: its axes, its horizontal range and the middle that route labels lean towards."""

    xref: str
    yref: str
    x_range: tuple[float, float]
    centre: tuple[float, float]


def _places(pos: dict, name: dict, ids: Sequence[str], panel: Panel, look: Look) -> dict:
    """The places as labelled dots: labels below where arrows would cover them, and leaning inwards
    near the left or right edge so they are never cut off."""
    lo, hi = panel.x_range
    xref, yref = panel.xref, panel.yref

    def position(p: str) -> str:
        vertical = "bottom" if p in LABEL_BELOW else "top"
        share = (pos[p][0] - lo) / (hi - lo)
        return f"{vertical} {'right' if share < 0.2 else 'left' if share > 0.8 else 'center'}"

    return {
        "type": "scatter",
        "mode": "markers+text",
        "x": [pos[p][0] for p in ids],
        "y": [pos[p][1] for p in ids],
        "text": [plain(name[p]) for p in ids],
        "textposition": [position(p) for p in ids],
        "textfont": {"size": look.font},
        "marker": {"size": 14 * look.line, "color": INK},
        "xaxis": xref,
        "yaxis": yref,
        "hoverinfo": "text",
        "showlegend": False,
        "cliponaxis": False,
    }


def _route(
    segment: tuple[tuple[float, float], tuple[float, float]], what: str, colour: str, panel: Panel, look: Look
) -> list[dict]:
    """An arrow from ``start`` to ``end``, and its label (what moves) set beside the arrow's middle.

    The label is pushed off the arrow by a fixed number of pixels (above a flat arrow, towards the
    panel's centre beside a steep one) and anchored on that side, so it never sits on the line.
    """
    (x0, y0), (x1, y1) = segment
    xref, yref = panel.xref, panel.yref
    arrow = {
        "x": x1,
        "y": y1,
        "ax": x0,
        "ay": y0,
        "xref": xref,
        "yref": yref,
        "axref": xref,
        "ayref": yref,
        "showarrow": True,
        "arrowhead": 3,
        "arrowsize": 1.4,
        "arrowwidth": 3 * look.line,
        "arrowcolor": colour,
        "standoff": 12,
        "startstandoff": 12,
        "text": "",
    }
    nx, ny = _label_side(segment, panel.centre)
    shift = 6
    label = {
        "x": (x0 + x1) / 2,
        "y": (y0 + y1) / 2,
        "xref": xref,
        "yref": yref,
        "xshift": shift * nx,
        "yshift": shift * ny,
        "xanchor": "right" if nx < -0.3 else "left" if nx > 0.3 else "center",
        "yanchor": "bottom" if ny > 0.3 else "top" if ny < -0.3 else "middle",
        "text": wrap(what, 14),
        "showarrow": False,
        "font": {"color": colour, "size": look.small},
        "bgcolor": "rgba(255,255,255,0.85)",
    }
    return [arrow, label]


def _label_side(
    segment: tuple[tuple[float, float], tuple[float, float]], centre: tuple[float, float]
) -> tuple[float, float]:
    """The unit normal to the arrow on the side its label goes: the side that faces the middle of the map
    beside a steep arrow, above a flat one."""
    (x0, y0), (x1, y1) = segment
    dx, dy = x1 - x0, y1 - y0
    length = float(np.hypot(dx, dy)) or 1.0
    nx, ny = -dy / length, dx / length  # a unit normal to the arrow
    mx = (x0 + x1) / 2
    if abs(nx) > 0.5:
        # A steep arrow: its label goes on the side that faces the middle of the map.
        if (centre[0] - mx) * nx < 0:
            nx, ny = -nx, -ny
    elif ny < 0:
        nx, ny = -nx, -ny  # a flat arrow: its label goes above it
    return nx, ny


def routes_figure(info: RoutesInfo, *, look: Look = DESK) -> go.Figure:
    """A schematic map (positions approximate, no base map: nothing is fetched) with one arrow per route.

    ``info.routes`` is already filtered to the era to show; arrows are coloured by era.
    """
    places, routes = info.places, info.routes
    if routes.empty or places.empty:
        return empty_figure("No routes to show for this era.", look)
    pos = {r.place_id: (_x(r.lon), r.lat) for r in places.itertuples(index=False)}
    used = sorted(set(routes["from_place"]) | set(routes["to_place"]))
    name = dict(zip(places["place_id"], places["name"], strict=True))
    x_range, y_range = (70.0, 285.0), (-38.0, 52.0)
    panel = Panel("x", "y", x_range, (sum(x_range) / 2, sum(y_range) / 2))
    annotations = []
    for r in routes.itertuples(index=False):
        annotations += _route((pos[r.from_place], pos[r.to_place]), r.what, ERA_COLOURS[r.era], panel, look)
    data = [_places(pos, name, used, panel, look)]
    for era in ERA_COLOURS:
        if (routes["era"] == era).any():
            # Legend entries for the arrow colours.
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": [None],
                    "y": [None],
                    "name": f"route {ERA_NAMES[era]}",
                    "line": {"color": ERA_COLOURS[era], "width": 4},
                }
            )
    layout = {
        "xaxis": {"visible": False, "range": list(x_range), "fixedrange": True},
        "yaxis": {"visible": False, "range": list(y_range), "fixedrange": True},
        "annotations": annotations,
        "legend": legend_on_top(look),
        "height": int((620 if look.name == "phone" else 520) * look.scale),
        "plot_bgcolor": "#F4F7FA",
        "margin": {"t": 10, "l": 10, "r": 10, "b": 10},
    }
    return make_figure(data, layout, look)


def before_after_figure(info: RoutesInfo, *, look: Look = DESK) -> go.Figure:
    """The fentanyl routes before and after May 2019, side by side (stacked on a phone): a paired chart
    without volumes. No source gives amounts, so the panels show which way supply moved, not how much."""
    places, routes = info.places, info.routes
    fentanyl = routes[
        routes["from_place"].isin(["china", "mexico"]) & routes["to_place"].isin(["united_states", "mexico"])
    ]
    if fentanyl.empty:
        return empty_figure("No fentanyl routes to show.", look)
    pos = {r.place_id: (_x(r.lon), r.lat) for r in places.itertuples(index=False)}
    name = dict(zip(places["place_id"], places["name"], strict=True))
    data, annotations = [], []
    panels = (("before_2019", "x", "y", "Before May 2019"), ("after_2019", "x2", "y2", "After May 2019"))
    for era, xref, yref, label in panels:
        era_routes = fentanyl[fentanyl["era"].isin([era, "both"])]
        places_here = sorted(set(era_routes["from_place"]) | set(era_routes["to_place"]))
        panel = Panel(xref, yref, PAIR_X_RANGE, (sum(PAIR_X_RANGE) / 2, 30.0))
        data.append(_places(pos, name, places_here, panel, look))
        # What moves where is written under the panel's heading, not on the arrows: the panels are
        # narrow, and arrows this short leave no room for labels beside them.
        moves = "<br>".join(
            wrap(f"{name[r.from_place]} → {name[r.to_place]}: {r.what}", 30) for r in era_routes.itertuples(index=False)
        )
        annotations.append(_panel_heading(f"<b>{label}</b><br>{moves}", ERA_COLOURS[era], panel, look))
        for r in era_routes.itertuples(index=False):
            arrow, _ = _route((pos[r.from_place], pos[r.to_place]), r.what, ERA_COLOURS[era], panel, look)
            annotations.append(arrow)
    return make_figure(data, _before_after_layout(annotations, look), look)


def _panel_heading(text: str, colour: str, panel: Panel, look: Look) -> dict:
    """The panel's heading (and what moves where) above its top left corner."""
    return {
        "text": text,
        "x": 0,
        "y": 1.0,
        "xref": f"{panel.xref} domain",
        "yref": f"{panel.yref} domain",
        "xanchor": "left",
        "yanchor": "bottom",
        "align": "left",
        "showarrow": False,
        "font": {"size": look.small, "color": colour},
    }


def _before_after_layout(annotations: list[dict], look: Look) -> dict:
    """Two panels side by side, or one above the other on a phone."""
    stacked = look.name == "phone"
    axis = {"visible": False, "range": list(PAIR_X_RANGE), "fixedrange": True}
    yaxis = {"visible": False, "range": [8, 52], "fixedrange": True}
    if stacked:
        layout = {
            "xaxis": {**axis, "domain": [0, 1]},
            "xaxis2": {**axis, "domain": [0, 1], "anchor": "y2"},
            "yaxis": {**yaxis, "domain": [0.6, 0.86]},
            "yaxis2": {**yaxis, "domain": [0.0, 0.26], "anchor": "x2"},
        }
    else:
        layout = {
            "xaxis": {**axis, "domain": [0, 0.48]},
            "xaxis2": {**axis, "domain": [0.52, 1]},
            "yaxis": {**yaxis, "domain": [0, 0.7]},
            "yaxis2": {**yaxis, "domain": [0, 0.7], "anchor": "x2"},
        }
    layout.update(
        {
            "annotations": annotations,
            "height": int((640 if stacked else 400) * look.scale),
            "plot_bgcolor": "#F4F7FA",
            "margin": {"t": 10, "l": 10, "r": 10, "b": 10},
        }
    )
    return layout


# --------------------------------------------------------------------------- timeline
