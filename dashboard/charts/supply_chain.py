"""Explanatory charts of the supply chain: routes, before/after 2019, timeline, deaths, value, scale,
and the displacement model. Data in, ``go.Figure`` out; every builder draws only what it is given."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.theme import GREY, INK, MUTED, OKABE_ITO, empty_figure, make_figure, plain

ERA_COLOURS = {"before_2019": OKABE_ITO[1], "after_2019": OKABE_ITO[0], "both": OKABE_ITO[2]}
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


def _scale(presentation: bool) -> float:
    return 1.35 if presentation else 1.0


# --------------------------------------------------------------------------- routes map
def _places(pos: dict, name: dict, ids: Sequence[str], xref: str, yref: str) -> dict:
    """The places as labelled dots, labels below where arrows would cover them."""
    return {
        "type": "scatter",
        "mode": "markers+text",
        "x": [pos[p][0] for p in ids],
        "y": [pos[p][1] for p in ids],
        "text": [plain(name[p]) for p in ids],
        "textposition": ["bottom center" if p in LABEL_BELOW else "top center" for p in ids],
        "marker": {"size": 16, "color": INK},
        "xaxis": xref,
        "yaxis": yref,
        "hoverinfo": "text",
        "showlegend": False,
    }


def _route(
    start: tuple[float, float],
    end: tuple[float, float],
    what: str,
    colour: str,
    xref: str,
    yref: str,
    presentation: bool,
) -> list[dict]:
    """An arrow from ``start`` to ``end`` and its label: what moves along it."""
    (x0, y0), (x1, y1) = start, end
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
        "arrowwidth": 3 * _scale(presentation),
        "arrowcolor": colour,
        "standoff": 14,
        "startstandoff": 14,
        "text": "",
    }
    # A near-vertical arrow gets its label to the left; a short slanted one, below it.
    vertical = abs(x1 - x0) < 10
    short = abs(x1 - x0) + abs(y1 - y0) < 40
    label = {
        "x": (x0 + x1) / 2 - (3 if vertical else 0),
        "y": (y0 + y1) / 2 - (5 if short and not vertical else 0),
        "xref": xref,
        "yref": yref,
        "xanchor": "right" if vertical else "center",
        "text": plain(what),
        "showarrow": False,
        "font": {"color": colour, "size": 14 * _scale(presentation)},
        "bgcolor": "rgba(255,255,255,0.85)",
    }
    return [arrow, label]


def routes_figure(
    places: pd.DataFrame, routes: pd.DataFrame, title: str, presentation: bool = False, height: int = 520
) -> go.Figure:
    """A schematic map (positions approximate, no base map: nothing is fetched) with one arrow per route.

    ``routes`` is already filtered to the era to show; arrows are coloured by era.
    """
    if routes.empty or places.empty:
        return empty_figure("No routes to show for this era.", presentation)
    pos = {r.place_id: (_x(r.lon), r.lat) for r in places.itertuples(index=False)}
    used = sorted(set(routes["from_place"]) | set(routes["to_place"]))
    name = dict(zip(places["place_id"], places["name"], strict=True))
    annotations = []
    for r in routes.itertuples(index=False):
        annotations += _route(pos[r.from_place], pos[r.to_place], r.what, ERA_COLOURS[r.era], "x", "y", presentation)
    data = [_places(pos, name, used, "x", "y")]
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
        "title": {"text": plain(title)},
        "xaxis": {"visible": False, "range": [80, 290], "fixedrange": True},
        "yaxis": {"visible": False, "range": [-38, 52], "fixedrange": True, "scaleanchor": None},
        "annotations": annotations,
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.02, "x": 0},
        "height": int(height * _scale(presentation)),
        "plot_bgcolor": "#F4F7FA",
    }
    return make_figure(data, layout, presentation)


def before_after_figure(
    places: pd.DataFrame, routes: pd.DataFrame, title: str, presentation: bool = False
) -> go.Figure:
    """The fentanyl routes before and after May 2019, side by side: a paired chart without volumes.

    No source gives amounts, so the panels show which way supply moved, not how much.
    """
    fentanyl = routes[
        routes["from_place"].isin(["china", "mexico"]) & routes["to_place"].isin(["united_states", "mexico"])
    ]
    if fentanyl.empty:
        return empty_figure("No fentanyl routes to show.", presentation)
    pos = {r.place_id: (_x(r.lon), r.lat) for r in places.itertuples(index=False)}
    name = dict(zip(places["place_id"], places["name"], strict=True))
    data, annotations = [], []
    panels = (("before_2019", "x", "y", "Before May 2019"), ("after_2019", "x2", "y2", "After May 2019"))
    for era, xref, yref, label in panels:
        era_routes = fentanyl[fentanyl["era"].isin([era, "both"])]
        places_here = sorted(set(era_routes["from_place"]) | set(era_routes["to_place"]))
        data.append(_places(pos, name, places_here, xref, yref))
        annotations.append(
            {
                "text": f"<b>{label}</b>",
                "x": 0.5,
                "y": 1.0,
                "xref": f"{xref} domain",
                "yref": f"{yref} domain",
                "showarrow": False,
                "font": {"size": 18 * _scale(presentation)},
            }
        )
        for r in era_routes.itertuples(index=False):
            annotations += _route(
                pos[r.from_place], pos[r.to_place], r.what, ERA_COLOURS[era], xref, yref, presentation
            )
    axis = {"visible": False, "range": [95, 275], "fixedrange": True}
    layout = {
        "title": {"text": plain(title)},
        "xaxis": {**axis, "domain": [0, 0.48]},
        "xaxis2": {**axis, "domain": [0.52, 1]},
        "yaxis": {"visible": False, "range": [10, 50], "fixedrange": True},
        "yaxis2": {"visible": False, "range": [10, 50], "fixedrange": True, "anchor": "x2"},
        "annotations": annotations,
        "height": int(360 * _scale(presentation)),
        "plot_bgcolor": "#F4F7FA",
    }
    return make_figure(data, layout, presentation)


# --------------------------------------------------------------------------- timeline
def timeline_figure(events: pd.DataFrame, title: str, presentation: bool = False) -> go.Figure:
    """Events down the page, earliest first, so the labels fit any screen; events after the report's
    date sit on a shaded band marked "after the article". A disputed event is drawn hollow and its
    label ends with "(disputed)"."""
    if events.empty:
        return empty_figure("No events to show.", presentation)
    dates = pd.to_datetime(events["date"], format="mixed")
    post = events["post_seed"].to_numpy(dtype=bool)
    disputed = events["caveat"].astype(bool).to_numpy()
    colours = [OKABE_ITO[5] if p else OKABE_ITO[0] for p in post]
    # Say a date only as precisely as the source gives it ("2018", not "Jan 2018").
    when = [
        d.strftime("%Y") if len(raw) == 4 else d.strftime("%b %Y") for d, raw in zip(dates, events["date"], strict=True)
    ]
    labels = [
        f"<b>{w}</b>  " + plain(t) + (" (disputed)" if c else "") + (" †" if p else "")
        for w, t, c, p in zip(when, events["title"], disputed, post, strict=True)
    ]
    y = list(range(len(events)))
    data = [
        {
            "type": "scatter",
            "mode": "markers+text",
            "x": [0] * len(events),
            "y": y,
            "text": labels,
            "textposition": "middle right",
            "textfont": {"color": colours, "size": 15 * _scale(presentation)},
            "marker": {
                "size": 14,
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
        {
            "type": "line",
            "x0": 0,
            "x1": 0,
            "y0": -0.5,
            "y1": len(events) - 0.5,
            "line": {"color": GREY, "width": 2},
            "layer": "below",
        }
    ]
    annotations = []
    later = [i for i, d in enumerate(dates) if d > REPORT_DATE]
    if later:
        shapes.append(
            {
                "type": "rect",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": later[0] - 0.5,
                "y1": len(events) - 0.5,
                "fillcolor": "rgba(213,94,0,0.08)",
                "line": {"width": 0},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "xref": "paper",
                "x": 1,
                "y": later[0] - 0.5,
                "yanchor": "bottom",
                "xanchor": "right",
                "text": "† after the article (March 2022) ↓",
                "showarrow": False,
                "font": {"color": OKABE_ITO[5], "size": 14 * _scale(presentation)},
            }
        )
    layout = {
        "title": {"text": plain(title)},
        "xaxis": {"visible": False, "range": [-0.05, 1], "fixedrange": True},
        "yaxis": {"visible": False, "autorange": "reversed", "fixedrange": True},
        "shapes": shapes,
        "annotations": annotations,
        "height": int((120 + 34 * len(events)) * _scale(presentation)),
        "margin": {"l": 10, "r": 10},
    }
    return make_figure(data, layout, presentation)


# --------------------------------------------------------------------------- deaths
def deaths_figure(deaths: pd.DataFrame, title: str, presentation: bool = False) -> go.Figure:
    """Annual final CDC counts as lines with gaps where no verified figure exists, and the article's
    12-month provisional counts as separate, labelled markers."""
    if deaths.empty:
        return empty_figure("No death counts to show.", presentation)
    final = deaths[deaths["status"] == "final"]
    years = list(range(int(deaths["year"].min()), int(deaths["year"].max()) + 1))
    data = []
    series = (
        ("all_overdose", "All drug overdose deaths (final)", OKABE_ITO[0], "solid"),
        ("synthetic_opioids", "Synthetic opioids other than methadone (final)", OKABE_ITO[5], "dash"),
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
                "name": label,
                "line": {"color": colour, "width": 3, "dash": dash},
                # Hollow markers: counts published after the article (March 2022).
                "marker": {
                    "size": 11,
                    "color": ["white" if later.get(y) else colour for y in years],
                    "line": {"color": colour, "width": 2.5},
                },
                "hovertemplate": "%{x}: %{y:,} deaths<extra>" + label + "</extra>",
            }
        )
    provisional = deaths[deaths["status"] == "provisional"]
    if not provisional.empty:
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
                    "name": names.get(r.measure, r.measure),
                    "marker": {"size": 14, "symbol": "diamond-open", "color": INK, "line": {"width": 3}},
                    "hovertemplate": "%{y:,} deaths<extra>" + plain(names.get(r.measure, r.measure)) + "</extra>",
                }
            )
    layout = {
        "title": {"text": plain(title)},
        "xaxis": {"title": {"text": "Year"}, "dtick": 1, "fixedrange": True},
        "yaxis": {"title": {"text": "Deaths"}, "rangemode": "tozero", "tickformat": ",", "fixedrange": True},
        "annotations": [
            {
                "x": 1,
                "y": 1.04,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "right",
                "text": "hollow markers: counts published after the article (March 2022)",
                "showarrow": False,
                "font": {"color": MUTED},
            }
        ],
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0},
        "height": int(560 * _scale(presentation)),
    }
    return make_figure(data, layout, presentation)


# --------------------------------------------------------------------------- value chain and scale
def value_chain_figure(
    labels: Sequence[str],
    low: Sequence[float],
    high: Sequence[float],
    notes: Sequence[str],
    title: str,
    presentation: bool = False,
) -> go.Figure:
    """Dollar amounts as points on a log scale, so a ten-thousandfold gap is visible and honest.

    Bars would mislead on a log axis (their length depends on where the axis starts), so each
    item is a dot, or a thick segment from ``low`` to ``high`` for a range.
    """
    if len(labels) == 0:
        return empty_figure("No amounts to show.", presentation)
    y = [plain(x) for x in labels]
    colours = [OKABE_ITO[5], OKABE_ITO[0], *([GREY] * max(0, len(labels) - 2))]
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": [lo, hi],
            "y": [label, label],
            "line": {"color": colour, "width": 10},
            "marker": {"size": 18, "color": colour},
            "hovertemplate": "%{y}: $%{x:,.0f}<extra></extra>",
            "showlegend": False,
        }
        for label, lo, hi, colour in zip(y, low, high, colours, strict=False)
    ]
    data.append(
        {
            "type": "scatter",
            "mode": "text",
            "x": [h * 1.6 for h in high],
            "y": y,
            "text": [plain(n) for n in notes],
            "textposition": "middle right",
            "hoverinfo": "skip",
            "showlegend": False,
        }
    )
    layout = {
        "title": {"text": plain(title)},
        "xaxis": {
            "type": "log",
            "title": {"text": "US dollars per year (log scale: each gridline is ten times the last)"},
            "range": [6, 13.3],
            "tickvals": [1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12],
            "ticktext": ["$1m", "$10m", "$100m", "$1bn", "$10bn", "$100bn", "$1tn"],
            "fixedrange": True,
        },
        "yaxis": {"autorange": "reversed", "fixedrange": True, "range": [-0.6, len(labels) - 0.4]},
        "height": int(300 * _scale(presentation)),
        "margin": {"r": 40},
    }
    return make_figure(data, layout, presentation)


def industry_figure(
    labels: Sequence[str],
    low: Sequence[float],
    high: Sequence[float],
    notes: Sequence[str],
    title: str,
    presentation: bool = False,
) -> go.Figure:
    """Counts of firms; a range is drawn as a solid bar to its lower bound and a lighter bar on to its upper."""
    if len(labels) == 0:
        return empty_figure("No counts to show.", presentation)
    y = [plain(x) for x in labels]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": y,
            "x": list(low),
            "name": "at least",
            "marker": {"color": OKABE_ITO[0]},
            "hovertemplate": "%{y}: at least %{x:,}<extra></extra>",
        },
        {
            "type": "bar",
            "orientation": "h",
            "y": y,
            "x": [h - lo for lo, h in zip(low, high, strict=True)],
            "name": "up to (the range the source gives)",
            "marker": {"color": "#9CC6E4", "pattern": {"shape": "/"}},
            "text": [plain(n) for n in notes],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y}: range up to the upper bound<extra></extra>",
        },
    ]
    layout = {
        "title": {"text": plain(title)},
        "barmode": "stack",
        "xaxis": {"title": {"text": "Firms"}, "tickformat": ",", "range": [0, max(high) * 1.35], "fixedrange": True},
        "yaxis": {"autorange": "reversed", "fixedrange": True},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.3, "x": 0},
        "height": int(300 * _scale(presentation)),
    }
    return make_figure(data, layout, presentation)


# --------------------------------------------------------------------------- displacement
def displacement_figure(
    months: np.ndarray,
    baseline: np.ndarray,
    without: np.ndarray,
    with_sub: np.ndarray,
    surviving: float,
    horizon_years: int,
    title: str,
    presentation: bool = False,
) -> go.Figure:
    """Supply index over the years: no option, the option without substitution, and with it."""
    if len(months) == 0:
        return empty_figure("Nothing to model.", presentation)
    years = (np.asarray(months) / 12).tolist()
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": years,
            "y": np.asarray(baseline).tolist(),
            "name": "Supply with no option",
            "line": {"color": GREY, "width": 3},
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": years,
            "y": np.asarray(without).tolist(),
            "name": "With the option, if nobody substitutes",
            "line": {"color": OKABE_ITO[0], "width": 3, "dash": "dash"},
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": years,
            "y": np.asarray(with_sub).tolist(),
            "name": "With the option, as substitutes step in",
            "line": {"color": OKABE_ITO[5], "width": 4},
        },
    ]
    layout = {
        "title": {"text": plain(title)},
        "xaxis": {"title": {"text": "Years after the option starts"}, "range": [0, max(years)], "fixedrange": True},
        "yaxis": {"title": {"text": "Supply (100 = before the option)"}, "range": [0, 110], "fixedrange": True},
        "annotations": [
            {
                "x": horizon_years,
                "y": float(np.asarray(with_sub)[-1]),
                "text": f"{surviving * 100:.0f}% of the first-year effect still standing",
                "showarrow": True,
                "ax": -40,
                "ay": -50,
                "xanchor": "right",
                "font": {"color": OKABE_ITO[5]},
                "bgcolor": "rgba(255,255,255,0.9)",
            }
        ],
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0},
        "height": int(480 * _scale(presentation)),
    }
    return make_figure(data, layout, presentation)
