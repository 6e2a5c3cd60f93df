"""Explanatory charts of the supply chain over time and in amounts: the timeline, deaths, value, scale and the
displacement model (the routes maps are in :mod:`charts.routes`, the timeline in :mod:`charts.timeline`,
re-exported here). Data in, ``go.Figure`` out; every builder draws only what it is given."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.theme import (
    BLUE,
    DESK,
    GREY,
    INK,
    MUTED,
    VERMILLION,
    Look,
    empty_figure,
    legend_name,
    legend_on_top,
    make_figure,
    plain,
    wrap,
)
from charts.timeline import timeline_figure as timeline_figure  # re-exported: callers draw the timeline from here
from core.supply_info import AmountsInfo, DeathsInfo, DisplacementInfo


# --------------------------------------------------------------------------- deaths
def years_spanned(info) -> int:
    years = info.deaths["year"]
    return int(years.max() - years.min()) if len(years) else 0


# The final CDC series: measure, legend entry, colour and dash.
FINAL_SERIES = (
    ("all_overdose", "All drug overdose deaths (final)", BLUE, "solid"),
    ("synthetic_opioids", "Synthetic opioids other than methadone (final)", VERMILLION, "dash"),
)
PROVISIONAL_NAMES = {
    "all_overdose_12m_provisional": "All overdoses, 12 months to Sep 2021 (provisional, the article's figure)",
    "opioids_12m_provisional": "All opioids, 12 months to Sep 2021 (provisional, the article's figure)",
}


def deaths_figure(info: DeathsInfo, *, look: Look = DESK) -> go.Figure:
    """Annual final CDC counts as lines with gaps where no verified figure exists (hollow markers:
    counts published after the article), and the article's 12-month provisional counts as separate,
    labelled diamonds."""
    deaths = info.deaths
    if deaths.empty:
        return empty_figure("No death counts to show.", look)
    final = deaths[deaths["status"] == "final"]
    years = list(range(int(deaths["year"].min()), int(deaths["year"].max()) + 1))
    data = [_final_trace(final, years, series, look) for series in FINAL_SERIES]
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
    data += [_provisional_trace(r, look) for r in provisional.itertuples(index=False)]
    layout = {
        "xaxis": {
            "title": {"text": "Year"},
            # A year a tick while they fit (a dozen years at most); every other year beyond, and on a phone.
            "dtick": 2 if look.name == "phone" or years_spanned(info) > 10 else 1,
            "fixedrange": True,
        },
        "yaxis": {"title": {"text": "Deaths"}, "rangemode": "tozero", "tickformat": ",", "fixedrange": True},
        "legend": {**legend_on_top(look), "orientation": "v"},
        "height": int(600 * look.scale),
        "margin": {"t": 10, "r": 10},
    }
    return make_figure(data, layout, look)


def _final_trace(final: pd.DataFrame, years: list[int], series: tuple[str, str, str, str], look: Look) -> dict:
    """One final series as a line over every year, with a gap where it has no count."""
    measure, label, colour, dash = series
    rows = final[final["measure"] == measure]
    by_year = dict(zip(rows["year"], rows["deaths"], strict=True))
    later = dict(zip(rows["year"], rows["post_seed"], strict=True))
    return {
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


def _provisional_trace(r, look: Look) -> dict:
    """A 12-month provisional count (a row of the deaths table) as a labelled diamond where its months end."""
    name = PROVISIONAL_NAMES.get(r.measure, r.measure)
    return {
        "type": "scatter",
        "mode": "markers+text",
        "x": [r.year + 0.75 - 1],  # the 12 months end in September of that year
        "y": [r.deaths],
        "text": [f"{r.deaths:,}"],
        "textposition": "middle left",
        "textfont": {"size": look.small},
        "name": legend_name(name, look),
        "marker": {"size": 14 * look.line, "symbol": "diamond-open", "color": INK, "line": {"width": 3}},
        "hovertemplate": "%{y:,} deaths<extra>" + plain(name) + "</extra>",
        "cliponaxis": False,
    }


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
    annotations = [
        _amount_note(label, (lo, hi), note, look) for label, lo, hi, note in zip(y, low, high, notes, strict=True)
    ]
    layout = {
        "xaxis": _value_axis(),
        "yaxis": {"autorange": "reversed", "fixedrange": True, "range": [-0.6, len(labels) - 0.4]},
        "annotations": annotations,
        "height": int(320 * look.scale),
        "margin": {"r": 20, "t": 10},
    }
    return make_figure(data, layout, look)


def _value_axis() -> dict:
    """US dollars on a log scale: labelled every hundredfold, so the labels fit flat however narrow the
    column; the tenfold steps between them stay as grid lines."""
    return {
        "type": "log",
        "title": {"text": "US dollars a year (log scale)"},
        "range": [6, 12.6],
        "tickvals": [1e6, 1e8, 1e10, 1e12],
        "ticktext": ["$1m", "$100m", "$10bn", "$1tn"],
        "tickangle": 0,
        "minor": {"tickvals": [1e7, 1e9, 1e11], "showgrid": True},
        "fixedrange": True,
    }


def _amount_note(label: str, amount: tuple[float, float], note: str, look: Look) -> dict:
    """An amount's note beside its point or segment, on the side of the axis's middle that has room."""
    lo, hi = amount
    mid = 1e9  # the middle of the axis (log scale)
    return {
        "x": float(np.log10(hi if hi < mid else lo)),
        "y": label,
        "xshift": 16 if hi < mid else -16,
        "xanchor": "left" if hi < mid else "right",
        "text": wrap(note, 22 if look.name == "phone" else 28),
        "showarrow": False,
        "font": {"size": look.small},
        "align": "left" if hi < mid else "right",
    }


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
# The displacement chart's note: how tall each look's plot is drawn at the least (width, height in px: a projector's
# chart fills what a 1280x720 or a 1600x900 scene leaves; a desk's or a phone's has its own height, at the narrowest
# screen of its kind), and the supply axis's range, in index points.
NOTE_LEAST_PLOT = {"projector": (800, 170), "projector_large": (1350, 280), "desk": (250, 300), "phone": (280, 250)}
SUPPLY_RANGE = (0.0, 110.0)
# Characters a line of the note: one line on a projector, whose chart is wide and may be short; two on a desk or a
# phone, whose chart is tall and may be narrow.
NOTE_WRAP = {"projector": 40, "projector_large": 40, "desk": 20, "phone": 20}


def displacement_figure(info: DisplacementInfo, *, look: Look = DESK) -> go.Figure:
    """Supply index over the years: no option, the option without substitution, and with it."""
    paths = info.paths
    if len(paths.months) == 0:
        return empty_figure("Nothing to model.", look)
    years = (np.asarray(paths.months) / 12).tolist()
    data = [
        _supply_line(years, paths.baseline, "Supply with no option", {"color": GREY, "width": 3 * look.line}),
        _supply_line(
            years,
            paths.without_substitution,
            "With the option, if nobody substitutes",
            {"color": BLUE, "width": 3 * look.line, "dash": "dash"},
        ),
        _supply_line(
            years,
            paths.with_substitution,
            "With the option, as substitutes step in",
            {"color": VERMILLION, "width": 4 * look.line},
        ),
    ]
    layout = {
        "xaxis": {"title": {"text": "Years after the option starts"}, "range": [0, max(years)], "fixedrange": True},
        "yaxis": {
            # A projector's chart may be short: the axis title then says it in fewer words.
            "title": {"text": "Supply (100 = before)" if look.label_lines else "Supply (100 = before the option)"},
            "range": list(SUPPLY_RANGE),
            "tickvals": [25, 50, 75, 100],  # no 0 here: it would sit on the years' 0 in the corner
            "fixedrange": True,
        },
        "annotations": [_surviving_note(info, data, look)],
        "legend": {**legend_on_top(look), "orientation": "v" if look.name == "phone" else "h"},
        "height": int(480 * look.scale),
        "margin": {"t": 10, "r": 10},
    }
    return make_figure(data, layout, look)


def _supply_line(years: list[float], supply, name: str, line: dict) -> dict:
    return {
        "type": "scatter",
        "mode": "lines",
        "x": years,
        "y": np.asarray(supply).tolist(),
        "name": name,
        "line": line,
    }


def _note_size(text: str, look: Look) -> tuple[float, float]:
    """A generous width and height in px of a note's box (its lines at the look's small size, and its padding)."""
    lines = text.split("<br>")
    return max(len(line) for line in lines) * 0.6 * look.small + 8, len(lines) * 1.3 * look.small + 8


def _free_bands(lines: list[dict], start: float) -> list[tuple[float, float, float]]:
    """The stretches of the supply axis no line crosses right of ``start`` (in years), lowest first, each as
    (bottom, top) in index points and the half widths, in px, of the two lines that bound it."""
    bottom, top = SUPPLY_RANGE
    spans = []
    for line in lines:
        x, y = np.asarray(line["x"], dtype=float), np.asarray(line["y"], dtype=float)
        shown = y[x >= start]
        spans.append((float(shown.min()), float(shown.max()), line["line"]["width"] / 2))
    spans.sort()
    edges = [(bottom, bottom, 0.0), *spans, (top, top, 0.0)]
    return [
        (low_max, high_min, low_half + high_half)
        for (_, low_max, low_half), (high_min, _, high_half) in pairwise(edges)
    ]


def _surviving_note(info: DisplacementInfo, lines: list[dict], look: Look) -> dict:
    """How much of the option's first cut still stands at the horizon, pointing at the end of its line.

    The note's box has a background, so it sits where no line runs: in the stretch of the supply axis that the
    lines leave free under its whole width, right-aligned at the horizon; the stretch next to the line's end
    first (above it, then below), else the tallest free stretch, so it covers no line on any screen."""
    paths = info.paths
    text = wrap(f"{info.standing * 100:.0f}% of the first cut still stands", NOTE_WRAP.get(look.name, 20))
    end = float(np.asarray(paths.with_substitution)[-1])
    horizon = float(info.horizon_years)
    width_px, height_px = _note_size(text, look)
    plot_w, plot_h = NOTE_LEAST_PLOT.get(look.name, NOTE_LEAST_PLOT["desk"])
    per_px = (SUPPLY_RANGE[1] - SUPPLY_RANGE[0]) / plot_h  # index points in one px, at the least height
    start = horizon * (1 - min(1.0, width_px / plot_w))
    bands = _free_bands(lines, start)

    def room(band: tuple[float, float, float]) -> float:
        low, high, half_widths = band
        return high - low - (half_widths + 4) * per_px

    fits = [b for b in bands if room(b) >= height_px * per_px]
    # Next to the line's end first: the band just above it, then the one just below it.
    near = sorted(fits, key=lambda b: min(abs(b[0] - end), abs(b[1] - end)))
    low, high, _ = near[0] if near else max(bands, key=room)
    return {
        "x": horizon,
        "y": end,
        "ax": horizon,
        "ay": (low + high) / 2,
        "axref": "x",
        "ayref": "y",
        "text": text,
        "showarrow": True,
        "arrowcolor": VERMILLION,
        "xanchor": "right",
        "yanchor": "middle",
        "align": "right",
        "font": {"color": VERMILLION, "size": look.small},
        "bgcolor": "rgba(255,255,255,0.9)",
    }
