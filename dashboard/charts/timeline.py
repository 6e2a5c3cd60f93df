"""The timeline of China's controls and the events around them, down the page (re-exported by
:mod:`charts.supply_chain`). Data in, ``go.Figure`` out; the builder draws only what it is given."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.theme import BLUE, DESK, GREY, VERMILLION, Look, empty_figure, make_figure, plain, wrap
from core.supply_info import EventsInfo

REPORT_DATE = pd.Timestamp("2022-03-15")


@dataclass(frozen=True)
class _Rows:
    """Where the events sit down the page, in pixels from the top."""

    y: list[float]  # the middle of each event's row
    total: float  # the height of all the rows
    band_top: float | None  # the top of the band of events after the article (None: no such event)
    band_label: float  # the room above the first event after the article for the band's own label


def timeline_figure(info: EventsInfo, *, look: Look = DESK) -> go.Figure:
    """Events down the page, earliest first, so the labels fit any screen; events after the report's
    date sit on a shaded band marked "after the article". A disputed event is drawn hollow and its
    label ends with "(disputed)"."""
    events = info.events
    if events.empty:
        return empty_figure("No events to show.", look)
    dates = pd.to_datetime(events["date"], format="mixed")
    labels = _event_labels(events, dates, look)
    rows = _rows(labels, dates, look)
    data = [_events_trace(events, labels, rows, look)]
    shapes = [
        {
            "type": "line",
            "x0": 0,
            "x1": 0,
            "y0": 0,
            "y1": rows.total,
            "line": {"color": GREY, "width": 2},
            "layer": "below",
        }
    ]
    annotations = []
    if rows.band_top is not None:
        shapes.append(_after_band(rows))
        annotations.append(_after_band_label(rows, look))
    layout = {
        "xaxis": {"visible": False, "range": [-0.04, 1], "fixedrange": True},
        "yaxis": {"visible": False, "range": [rows.total + 4, -24], "fixedrange": True},
        "shapes": shapes,
        "annotations": annotations,
        "height": int(rows.total + 50),
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
    }
    return make_figure(data, layout, look)


def _event_labels(events: pd.DataFrame, dates: pd.Series, look: Look) -> list[str]:
    """Each event's date and title, marked "(disputed)" or † (after the article), wrapped to the screen."""
    post = events["post_seed"].to_numpy(dtype=bool)
    disputed = events["disputed"].astype(bool).to_numpy()
    # Say a date only as precisely as the source gives it ("2018", not "Jan 2018").
    when = [
        d.strftime("%Y") if len(raw) == 4 else d.strftime("%b %Y") for d, raw in zip(dates, events["date"], strict=True)
    ]
    width = 34 if look.name == "phone" else 62  # characters: the longest title still fits a 1024-pixel screen
    return [
        f"<b>{w}</b>  " + wrap(t + (" (disputed)" if c else "") + (" †" if p else ""), width)
        for w, t, c, p in zip(when, events["title"], disputed, post, strict=True)
    ]


def _rows(labels: list[str], dates: pd.Series, look: Look) -> _Rows:
    """Each event's row as tall as its label needs; the first event after the article gets extra room
    above it for the band's own label."""
    lines = [label.count("<br>") + 1 for label in labels]
    later = [i for i, d in enumerate(dates) if d > REPORT_DATE]
    band_label = 26 * look.scale
    heights = [max(34, 20 * n + 10) * look.scale for n in lines]
    tops = np.cumsum([0, *heights[:-1]]) + np.array(
        [band_label if later and i >= later[0] else 0 for i in range(len(heights))]
    )
    y = list(tops + np.array(heights) / 2)
    total = float(sum(heights) + (band_label if later else 0))
    band_top = float(tops[later[0]]) - band_label if later else None
    return _Rows(y, total, band_top, band_label)


def _events_trace(events: pd.DataFrame, labels: list[str], rows: _Rows, look: Look) -> dict:
    """A dot and a label per event: vermilion after the article, hollow if disputed."""
    post = events["post_seed"].to_numpy(dtype=bool)
    disputed = events["disputed"].astype(bool).to_numpy()
    colours = [VERMILLION if p else BLUE for p in post]
    return {
        "type": "scatter",
        "mode": "markers+text",
        "x": [0] * len(events),
        "y": rows.y,
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


def _after_band(rows: _Rows) -> dict:
    """The shaded band behind the events after the article."""
    return {
        "type": "rect",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "y0": rows.band_top,
        "y1": rows.total,
        "fillcolor": "rgba(213,94,0,0.08)",
        "line": {"width": 0},
        "layer": "below",
    }


def _after_band_label(rows: _Rows, look: Look) -> dict:
    return {
        "xref": "paper",
        "x": 1,
        "y": rows.band_top + rows.band_label / 2,
        "yanchor": "middle",
        "xanchor": "right",
        "text": "† after the article (March 2022) ↓",
        "showarrow": False,
        "font": {"color": VERMILLION, "size": look.small},
    }
