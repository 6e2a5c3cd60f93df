"""Explanatory charts of the supply chain: routes, before/after 2019, timeline, deaths, value, scale,
and the displacement model. Data in, ``go.Figure`` out; every builder draws only what it is given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.theme import (
    BLUE,
    DESK,
    GREEN,
    GREY,
    INK,
    MUTED,
    ORANGE,
    VERMILLION,
    Look,
    empty_figure,
    legend_name,
    legend_on_top,
    make_figure,
    plain,
    wrap,
)
from core.supply_info import AmountsInfo, DeathsInfo, DisplacementInfo, EventsInfo, RoutesInfo

ERA_COLOURS = {"before_2019": ORANGE, "after_2019": BLUE, "both": GREEN}
ERA_NAMES = {
    "before_2019": "before the May 2019 scheduling",
    "after_2019": "after the May 2019 scheduling",
    "both": "before and after",
}
REPORT_DATE = pd.Timestamp("2022-03-15")
# Labels go below these places so the arrows and route labels above them stay readable.
LABEL_BELOW = {"mexico", "myanmar", "australia"}


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
    xref, yref, centre = panel.xref, panel.yref, panel.centre
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
    dx, dy = x1 - x0, y1 - y0
    length = float(np.hypot(dx, dy)) or 1.0
    nx, ny = -dy / length, dx / length  # a unit normal to the arrow
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    if abs(nx) > 0.5:
        # A steep arrow: its label goes on the side that faces the middle of the map.
        if (centre[0] - mx) * nx < 0:
            nx, ny = -nx, -ny
    elif ny < 0:
        nx, ny = -nx, -ny  # a flat arrow: its label goes above it
    shift = 6
    label = {
        "x": mx,
        "y": my,
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
    stacked = look.name == "phone"
    x_range = (95.0, 280.0)
    centre = (sum(x_range) / 2, 30.0)
    data, annotations = [], []
    panels = (("before_2019", "x", "y", "Before May 2019"), ("after_2019", "x2", "y2", "After May 2019"))
    for era, xref, yref, label in panels:
        era_routes = fentanyl[fentanyl["era"].isin([era, "both"])]
        places_here = sorted(set(era_routes["from_place"]) | set(era_routes["to_place"]))
        panel = Panel(xref, yref, x_range, centre)
        data.append(_places(pos, name, places_here, panel, look))
        # What moves where is written under the panel's heading, not on the arrows: the panels are
        # narrow, and arrows this short leave no room for labels beside them.
        moves = "<br>".join(
            wrap(f"{name[r.from_place]} → {name[r.to_place]}: {r.what}", 30) for r in era_routes.itertuples(index=False)
        )
        annotations.append(
            {
                "text": f"<b>{label}</b><br>{moves}",
                "x": 0,
                "y": 1.0,
                "xref": f"{xref} domain",
                "yref": f"{yref} domain",
                "xanchor": "left",
                "yanchor": "bottom",
                "align": "left",
                "showarrow": False,
                "font": {"size": look.small, "color": ERA_COLOURS[era]},
            }
        )
        for r in era_routes.itertuples(index=False):
            arrow, _ = _route((pos[r.from_place], pos[r.to_place]), r.what, ERA_COLOURS[era], panel, look)
            annotations.append(arrow)
    axis = {"visible": False, "range": list(x_range), "fixedrange": True}
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
    return make_figure(data, layout, look)


# --------------------------------------------------------------------------- timeline
def timeline_figure(info: EventsInfo, *, look: Look = DESK) -> go.Figure:
    """Events down the page, earliest first, so the labels fit any screen; events after the report's
    date sit on a shaded band marked "after the article". A disputed event is drawn hollow and its
    label ends with "(disputed)"."""
    events = info.events
    if events.empty:
        return empty_figure("No events to show.", look)
    dates = pd.to_datetime(events["date"], format="mixed")
    post = events["post_seed"].to_numpy(dtype=bool)
    disputed = events["caveat"].astype(bool).to_numpy()
    colours = [VERMILLION if p else BLUE for p in post]
    # Say a date only as precisely as the source gives it ("2018", not "Jan 2018").
    when = [
        d.strftime("%Y") if len(raw) == 4 else d.strftime("%b %Y") for d, raw in zip(dates, events["date"], strict=True)
    ]
    width = 34 if look.name == "phone" else 80
    labels = [
        f"<b>{w}</b>  " + wrap(t + (" (disputed)" if c else "") + (" †" if p else ""), width)
        for w, t, c, p in zip(when, events["title"], disputed, post, strict=True)
    ]
    lines = [label.count("<br>") + 1 for label in labels]
    later = [i for i, d in enumerate(dates) if d > REPORT_DATE]
    # Each event's row is as tall as its label needs; the first event after the article gets extra
    # room above it for the band's own label.
    band_label = 26 * look.scale
    heights = [max(34, 20 * n + 10) * look.scale for n in lines]
    tops = np.cumsum([0, *heights[:-1]]) + np.array(
        [band_label if later and i >= later[0] else 0 for i in range(len(heights))]
    )
    y = list(tops + np.array(heights) / 2)
    total = float(sum(heights) + (band_label if later else 0))
    data = [
        {
            "type": "scatter",
            "mode": "markers+text",
            "x": [0] * len(events),
            "y": y,
            "text": labels,
            "textposition": "middle right",
            "textfont": {"color": colours, "size": look.font},
            "marker": {
                "size": 14 * look.line,
                "color": ["white" if d else c for d, c in zip(disputed, colours, strict=True)],
                "symbol": "circle",
                "line": {"width": 3, "color": colours},
            },
            "customdata": [plain(d) for d in events["detail"]],
            "hovertemplate": "%{text}<br>%{customdata}<extra></extra>",
            "showlegend": False,
            "cliponaxis": False,
        }
    ]
    shapes = [
        {"type": "line", "x0": 0, "x1": 0, "y0": 0, "y1": total, "line": {"color": GREY, "width": 2}, "layer": "below"}
    ]
    annotations = []
    if later:
        top = float(tops[later[0]]) - band_label
        shapes.append(
            {
                "type": "rect",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": top,
                "y1": total,
                "fillcolor": "rgba(213,94,0,0.08)",
                "line": {"width": 0},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "xref": "paper",
                "x": 1,
                "y": top + band_label / 2,
                "yanchor": "middle",
                "xanchor": "right",
                "text": "† after the article (March 2022) ↓",
                "showarrow": False,
                "font": {"color": VERMILLION, "size": look.small},
            }
        )
    layout = {
        "xaxis": {"visible": False, "range": [-0.04, 1], "fixedrange": True},
        "yaxis": {"visible": False, "range": [total + 4, -24], "fixedrange": True},
        "shapes": shapes,
        "annotations": annotations,
        "height": int(total + 50),
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
    }
    return make_figure(data, layout, look)


# --------------------------------------------------------------------------- deaths
def deaths_figure(info: DeathsInfo, *, look: Look = DESK) -> go.Figure:
    """Annual final CDC counts as lines with gaps where no verified figure exists (hollow markers:
    counts published after the article), and the article's 12-month provisional counts as separate,
    labelled diamonds."""
    deaths = info.deaths
    if deaths.empty:
        return empty_figure("No death counts to show.", look)
    final = deaths[deaths["status"] == "final"]
    years = list(range(int(deaths["year"].min()), int(deaths["year"].max()) + 1))
    data = []
    series = (
        ("all_overdose", "All drug overdose deaths (final)", BLUE, "solid"),
        ("synthetic_opioids", "Synthetic opioids other than methadone (final)", VERMILLION, "dash"),
    )
    for measure, label, colour, dash in series:
        rows = final[final["measure"] == measure]
        by_year = dict(zip(rows["year"], rows["deaths"], strict=True))
        later = dict(zip(rows["year"], rows["post_seed"], strict=True))
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": years,
                "y": [by_year.get(y) for y in years],  # None leaves a gap: missing years are not filled in
                "connectgaps": False,
                "name": legend_name(label, look),
                "line": {"color": colour, "width": 3 * look.line, "dash": dash},
                # Hollow markers: counts published after the article (March 2022).
                "marker": {
                    "size": 11 * look.line,
                    "color": ["white" if later.get(y) else colour for y in years],
                    "line": {"color": colour, "width": 2.5},
                },
                "hovertemplate": "%{x}: %{y:,} deaths<extra>" + label + "</extra>",
            }
        )
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "x": [None],
            "y": [None],
            "name": legend_name("Hollow marker: a count published after the article (March 2022)", look),
            "marker": {"size": 11, "color": "white", "line": {"color": MUTED, "width": 2.5}},
        }
    )
    provisional = deaths[deaths["status"] == "provisional"]
    names = {
        "all_overdose_12m_provisional": "All overdoses, 12 months to Sep 2021 (provisional, the article's figure)",
        "opioids_12m_provisional": "All opioids, 12 months to Sep 2021 (provisional, the article's figure)",
    }
    for r in provisional.itertuples(index=False):
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "x": [r.year + 0.75 - 1],  # the 12 months end in September of that year
                "y": [r.deaths],
                "text": [f"{r.deaths:,}"],
                "textposition": "middle left",
                "textfont": {"size": look.small},
                "name": legend_name(names.get(r.measure, r.measure), look),
                "marker": {"size": 14 * look.line, "symbol": "diamond-open", "color": INK, "line": {"width": 3}},
                "hovertemplate": "%{y:,} deaths<extra>" + plain(names.get(r.measure, r.measure)) + "</extra>",
                "cliponaxis": False,
            }
        )
    layout = {
        "xaxis": {
            "title": {"text": "Year"},
            "dtick": 2 if look.name == "phone" else 1,
            "fixedrange": True,
        },
        "yaxis": {"title": {"text": "Deaths"}, "rangemode": "tozero", "tickformat": ",", "fixedrange": True},
        "legend": {**legend_on_top(look), "orientation": "v"},
        "height": int(600 * look.scale),
        "margin": {"t": 10, "r": 10},
    }
    return make_figure(data, layout, look)


# --------------------------------------------------------------------------- value chain and scale
def value_chain_figure(info: AmountsInfo, *, look: Look = DESK) -> go.Figure:
    """Dollar amounts as points on a log scale, so a ten-thousandfold gap is visible and honest.

    Bars would mislead on a log axis (their length depends on where the axis starts), so each
    item is a dot, or a thick segment from ``low`` to ``high`` for a range. Each note is written
    on the side of its point that has room.
    """
    labels, low, high, notes = info.amounts.labels, info.amounts.low, info.amounts.high, info.amounts.notes
    if len(labels) == 0:
        return empty_figure("No amounts to show.", look)
    y = [wrap(x, look.wrap + 6) for x in labels]
    colours = [VERMILLION, BLUE, *([GREY] * max(0, len(labels) - 2))]
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": [lo, hi],
            "y": [label, label],
            "line": {"color": colour, "width": 10 * look.line},
            "marker": {"size": 18 * look.line, "color": colour},
            "hovertemplate": "%{y}: $%{x:,.0f}<extra></extra>",
            "showlegend": False,
        }
        for label, lo, hi, colour in zip(y, low, high, colours, strict=False)
    ]
    mid = 1e9  # the middle of the axis (log scale)
    annotations = [
        {
            "x": float(np.log10(hi if hi < mid else lo)),
            "y": label,
            "xshift": 16 if hi < mid else -16,
            "xanchor": "left" if hi < mid else "right",
            "text": wrap(note, 22 if look.name == "phone" else 28),
            "showarrow": False,
            "font": {"size": look.small},
            "align": "left" if hi < mid else "right",
        }
        for label, lo, hi, note in zip(y, low, high, notes, strict=True)
    ]
    layout = {
        "xaxis": {
            "type": "log",
            "title": {"text": "US dollars a year (log scale)"},
            "range": [6, 12.6],
            # Every hundredfold, so the labels fit flat however narrow the column; the
            # tenfold steps between them stay as grid lines.
            "tickvals": [1e6, 1e8, 1e10, 1e12],
            "ticktext": ["$1m", "$100m", "$10bn", "$1tn"],
            "tickangle": 0,
            "minor": {"tickvals": [1e7, 1e9, 1e11], "showgrid": True},
            "fixedrange": True,
        },
        "yaxis": {"autorange": "reversed", "fixedrange": True, "range": [-0.6, len(labels) - 0.4]},
        "annotations": annotations,
        "height": int(320 * look.scale),
        "margin": {"r": 20, "t": 10},
    }
    return make_figure(data, layout, look)


def industry_figure(info: AmountsInfo, *, look: Look = DESK) -> go.Figure:
    """Counts of firms; a range is drawn as a solid bar to its lower bound and a hatched bar on to its upper."""
    labels, low, high, notes = info.amounts.labels, info.amounts.low, info.amounts.high, info.amounts.notes
    if len(labels) == 0:
        return empty_figure("No counts to show.", look)
    y = [wrap(x, look.wrap) for x in labels]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": y,
            "x": list(low),
            "name": "at least",
            "marker": {"color": BLUE},
            "hovertemplate": "%{y}: at least %{x:,}<extra></extra>",
        },
        {
            "type": "bar",
            "orientation": "h",
            "y": y,
            "x": [h - lo for lo, h in zip(low, high, strict=True)],
            "name": "up to (the range the source gives)",
            "marker": {
                "color": "#9CC6E4",
                "pattern": {"shape": "/", "fgcolor": BLUE},
                "line": {"color": BLUE, "width": 2},
            },
            "text": [plain(n) for n in notes],
            "textposition": "outside",
            "textfont": {"size": look.small},
            "cliponaxis": False,
            "hovertemplate": "%{y}: range up to the upper bound<extra></extra>",
        },
    ]
    layout = {
        "barmode": "stack",
        "xaxis": {
            "title": {"text": "Firms"},
            "tickformat": ",",
            "range": [0, max(high) * 1.7],
            "nticks": 4 if look.name == "phone" else 5,
            "fixedrange": True,
        },
        "yaxis": {"autorange": "reversed", "fixedrange": True},
        "legend": legend_on_top(look),
        "height": int(300 * look.scale),
        "margin": {"t": 10, "r": 10},
    }
    return make_figure(data, layout, look)


# --------------------------------------------------------------------------- displacement
def displacement_figure(info: DisplacementInfo, *, look: Look = DESK) -> go.Figure:
    """Supply index over the years: no option, the option without substitution, and with it."""
    paths, horizon_years = info.paths, info.horizon_years
    months, baseline, without, with_sub = (
        paths.months,
        paths.baseline,
        paths.without_substitution,
        paths.with_substitution,
    )
    surviving = paths.surviving_share
    if len(months) == 0:
        return empty_figure("Nothing to model.", look)
    years = (np.asarray(months) / 12).tolist()
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": years,
            "y": np.asarray(baseline).tolist(),
            "name": "Supply with no option",
            "line": {"color": GREY, "width": 3 * look.line},
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": years,
            "y": np.asarray(without).tolist(),
            "name": "With the option, if nobody substitutes",
            "line": {"color": BLUE, "width": 3 * look.line, "dash": "dash"},
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": years,
            "y": np.asarray(with_sub).tolist(),
            "name": "With the option, as substitutes step in",
            "line": {"color": VERMILLION, "width": 4 * look.line},
        },
    ]
    layout = {
        "xaxis": {"title": {"text": "Years after the option starts"}, "range": [0, max(years)], "fixedrange": True},
        "yaxis": {
            "title": {"text": "Supply (100 = before the option)"},
            "range": [0, 110],
            "tickvals": [25, 50, 75, 100],  # no 0 here: it would sit on the years' 0 in the corner
            "fixedrange": True,
        },
        "annotations": [
            {
                "x": horizon_years,
                "y": float(np.asarray(with_sub)[-1]),
                "text": wrap(f"{surviving * 100:.0f}% of the first-year effect still standing", 20),
                "showarrow": True,
                "ax": -30,
                "ay": 50,
                "xanchor": "right",
                "align": "right",
                "font": {"color": VERMILLION, "size": look.small},
                "bgcolor": "rgba(255,255,255,0.9)",
            }
        ],
        "legend": {**legend_on_top(look), "orientation": "v" if look.name == "phone" else "h"},
        "height": int(480 * look.scale),
        "margin": {"t": 10, "r": 10},
    }
    return make_figure(data, layout, look)
