"""The look shared by every chart: palettes with enough contrast, and one layout per kind of screen.

A :class:`Look` holds what differs between a desk monitor, a phone and a projector (type sizes,
how narrow labels must wrap, how tall rows are). Every builder takes one, so the same chart
is drawn for each screen from the same data.

Charts carry no title of their own: the app writes each takeaway title above its chart as text,
which wraps on any screen and reads as a heading to a screen reader. Legends sit above the plot,
so they never collide with an axis title below it; on a desk or a phone, below the band where plotly's
toolbar shows (:func:`clear_of_toolbar`).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache

import plotly.graph_objects as go
import plotly.io as pio

from core.text import clean, shorten

# Okabe-Ito hues, with orange, sky blue and yellow darkened so every mark has at least 3:1 contrast
# against the white background (WCAG 1.4.11); the order keeps neighbours apart for colour-blind readers.
CRITERION_PALETTE = ("#0072B2", "#B06A00", "#009E73", "#CC79A7", "#6F4E9E", "#D55E00", "#000000", "#5E5E5E")
# Paul Tol's "bright" hues for options (criteria use the palette above, so the two never share a meaning),
# with the light yellow and cyan replaced by darker ochre and purple for the same 3:1.
OPTION_PALETTE = ("#4477AA", "#EE6677", "#228833", "#8A6E2F", "#6F4E9E", "#AA3377", "#777777", "#000000")
LINE_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash")
# Ranks 1, 2 and 3, then every lower rank: four steps along the dark half of cividis (made to be read with
# any colour blindness), rank 1 darkest, each about 16 points of CIELAB lightness from the next (L* 10, 29, 45,
# 60), so they stay apart under protanopia, deuteranopia and tritanopia too; the lightest is still 3.1:1
# against white. Between L* 10 and the 3:1 limit (about L* 61) there is room for four such steps, not ten:
# the ranks below the third share the fourth colour, and the chart names them together ("rank 4 or lower").
RANK_STOPS = ("#001A43", "#2B4470", "#676A72", "#9A9178")
BLUE = "#0072B2"
VERMILLION = "#D55E00"
GREEN = "#009E73"
ORANGE = "#B06A00"
GREY = "#888888"  # de-emphasised marks (ruled out, beaten on both): still 3.5:1
INK = "#1A1A1A"
MUTED = "#4D4D4D"  # secondary text: 8.4:1
FONT = "Source Sans Pro, Arial, sans-serif"
# Blue (good) to orange (bad) diverging scale, readable with red-green colour blindness. The cells
# carry their own text, which plotly writes in black or white, whichever contrasts more.
VALUE_SCALE = (
    (0.0, "#B35806"),
    (0.25, "#F1A340"),
    (0.5, "#F7F7F7"),
    (0.75, "#92C5DE"),
    (1.0, "#2166AC"),
)


@dataclass(frozen=True)
class Look:
    """What a chart needs to know about the screen it is drawn for."""

    name: str
    font: int  # base text size in px
    small: int  # annotations, legend
    wrap: int  # characters per line for category labels
    row: int  # height of one bar row in px
    scale: float  # multiplies fixed heights
    line: float  # line and marker width factor
    label_lines: int | None = None  # most lines a name takes on a category axis (then an ellipsis); None: all
    toolbar: bool = False  # drawn with plotly's toolbar (the mode bar) over its top right corner


DESK = Look("desk", font=15, small=14, wrap=22, row=46, scale=1.0, line=1.0, toolbar=True)
PHONE = Look("phone", font=13, small=12, wrap=14, row=52, scale=0.9, line=1.0, toolbar=True)
# The same looks for a chart shown still, with no toolbar (a briefing file, presenter mode on a phone).
PAPER = replace(DESK, toolbar=False)
STILL_PHONE = replace(PHONE, toolbar=False)
# Plotly's toolbar: a row of buttons 2 to 29 px below the chart's top edge, at its right (shown while the mouse
# is over the chart, and after a tap on a phone). A chart drawn with it keeps that band free.
TOOLBAR_PX = 34
# A projector: at least 22 px chart text at 1024x768 (legible from the back of a room); the large
# projector look scales it up on a screen of 1600x900 or more.
# On a projector a chart fills the room the scene's text leaves, so its rows may be short: each name takes one
# line (a long name of the user's own ends in an ellipsis; the scene's text says it whole).
PROJECTOR = Look("projector", font=24, small=22, wrap=36, row=70, scale=1.4, line=1.6, label_lines=1)
PROJECTOR_LARGE = Look("projector_large", font=32, small=28, wrap=36, row=90, scale=1.8, line=2.0, label_lines=1)


def criterion_colours(criterion_ids: tuple[str, ...] | list[str]) -> dict[str, str]:
    """A fixed colour per criterion, by its position in the evidence base."""
    return {c: CRITERION_PALETTE[i % len(CRITERION_PALETTE)] for i, c in enumerate(criterion_ids)}


def rank_colours(n: int) -> list[str]:
    """``n`` colours, rank 1 first: the first three ranks each their own, every lower rank the fourth."""
    return [RANK_STOPS[min(k, len(RANK_STOPS) - 1)] for k in range(n)]


def contrast(a: str, b: str = "#FFFFFF") -> float:
    """WCAG contrast ratio between two ``#RRGGBB`` colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def _register() -> None:
    if "dashboard" in pio.templates:
        return
    pio.templates["dashboard"] = go.layout.Template(
        layout=go.Layout(
            font=dict(family=FONT, size=DESK.font, color=INK),
            paper_bgcolor="white",
            plot_bgcolor="white",
            colorway=list(CRITERION_PALETTE),
            xaxis=dict(gridcolor="#E5E5E5", zerolinecolor="#BDBDBD", automargin=True, linecolor="#4D4D4D"),
            yaxis=dict(gridcolor="#E5E5E5", zerolinecolor="#BDBDBD", automargin=True),
            legend=dict(font=dict(size=DESK.small)),
            hoverlabel=dict(font=dict(size=DESK.font)),
            margin=dict(l=10, r=20, t=20, b=40),
        )
    )


_register()


@lru_cache(maxsize=4)
def template_dict(look: Look = DESK) -> dict:
    """The template for ``look`` as a plain dict, made once per look and shared by every figure (never changed)."""
    template = json.loads(pio.to_json(pio.templates["dashboard"], validate=False))
    layout = template["layout"]
    layout["font"]["size"] = look.font
    layout["legend"]["font"]["size"] = look.small
    layout["hoverlabel"]["font"]["size"] = look.font
    return template


class Drawn(go.Figure):
    """A figure made of plain dicts, handed to Streamlit as it is.

    ``go.Figure`` copies its input when built and again in ``to_dict()``; Streamlit calls
    ``to_dict()`` on every rerun. Three charts a rerun made those copies about 10 ms of a Weigh
    rerun, so a chart keeps its spec and gives it out unchanged (nothing downstream modifies it).
    The builders' output is checked against plotly's schema in the tests instead.
    """

    def __init__(self, spec: dict):
        self._spec = spec

    def __repr__(self) -> str:
        return f"Drawn({self._spec!r:.200})"

    def to_dict(self) -> dict:
        return self._spec

    def to_plotly_json(self) -> dict:
        return self._spec


def legend_on_top(look: Look) -> dict:
    """A horizontal legend above the plot area: the plot's top margin grows to fit it, and nothing
    else lives there (titles are outside the chart), so it never overlaps a label."""
    return {
        "orientation": "h",
        "yanchor": "bottom",
        "y": 1.02,
        "x": 0,
        "xanchor": "left",
        "traceorder": "normal",
        "font": {"size": look.small},
    }


def legend_name(text: object, look: Look) -> str:
    """A legend entry, wrapped so it fits beside nothing else on a phone."""
    return wrap(text, 34 if look.name == "phone" else 90)


def make_figure(data: list[dict], layout: dict, look: Look = DESK) -> go.Figure:
    """Plain trace and layout dicts as a figure, without plotly's per-property validation or copies."""
    return Drawn({"data": data, "layout": {**clear_of_toolbar(layout, look), "template": template_dict(look)}})


def clear_of_toolbar(layout: dict, look: Look) -> dict:
    """What a chart writes above its plot (a legend, labels such as "favours A") starts below the toolbar's band,
    so the toolbar never covers it; the chart grows by the band, so its plot keeps its height.

    A legend above the plot is placed from the top of the whole chart, the band's height down (plotly then makes
    the top margin as tall as the band and the legend together); labels above the plot move down with it, the top
    margin growing by the band. Projector looks have no toolbar and are left as they are."""
    height = layout.get("height")
    if not look.toolbar or not isinstance(height, int):
        return layout
    legend = layout.get("legend")
    legend_above = (
        isinstance(legend, dict)
        and legend.get("yanchor") == "bottom"
        and legend.get("y", 0) >= 1
        and layout.get("showlegend", True)
    )
    labels_above = any(
        a.get("yref") == "paper" and a.get("y", 0) >= 1 and a.get("yanchor") == "bottom"
        for a in layout.get("annotations", ())
    )
    if not (legend_above or labels_above):
        return layout
    taller = height + TOOLBAR_PX
    out = {**layout, "height": taller}
    if legend_above:
        out["legend"] = {**legend, "yref": "container", "y": 1 - TOOLBAR_PX / taller, "yanchor": "top"}
    if labels_above:
        margin = layout.get("margin", {})
        out["margin"] = {**margin, "t": margin.get("t", 20) + TOOLBAR_PX}
    return out


def wrap_lines(text: str, width: int) -> list[str]:
    """Words of ``text`` on lines of at most ``width`` characters; a longer word gets a line of its own,
    and a long hyphenated word may break after a hyphen ("Anti-money-" / "laundering")."""
    pieces: list[tuple[str, bool]] = []  # (piece, joins the previous piece without a space)
    for word in text.split():
        parts = re.findall(r"[^-]+-*|-+", word) if len(word) > width and "-" in word.strip("-") else [word]
        pieces.extend((part, k > 0) for k, part in enumerate(parts))
    lines: list[str] = []
    for piece, glued in pieces:
        joiner = "" if glued else " "
        if lines and len(lines[-1]) + len(joiner) + len(piece) <= width:
            lines[-1] += joiner + piece
        else:
            lines.append(piece)
    return lines


def empty_figure(message: str, look: Look = DESK) -> go.Figure:
    """A blank figure that says why there is nothing to draw."""
    return make_figure(
        [],
        {
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": [
                {"text": plain(message), "showarrow": False, "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper"}
            ],
            "height": 200,
        },
        look,
    )


def plain(text: object) -> str:
    """Text from data made safe for a plotly label: its tags show as text, never as markup, and
    invisible or bidirectional characters are dropped."""
    # The same labels come back on every rerun: their safe forms are kept (as md_escape keeps its own).
    return _plain(str(text))


@lru_cache(maxsize=8192)
def _plain(text: str) -> str:
    return html.escape(clean(text), quote=False)


def wrap(text: object, width: int = 16, max_lines: int | None = None) -> str:
    """Escape ``text`` and break it onto lines of about ``width`` characters for axis labels; with
    ``max_lines``, a longer text (a user's own option name, say) ends its last line with an ellipsis, so a
    label never grows taller than its row and plotly never hides a neighbour's label to make room."""
    return _wrap(str(text), width, max_lines)


@lru_cache(maxsize=8192)
def _wrap(text: str, width: int, max_lines: int | None) -> str:
    lines = wrap_lines(text, width)
    if max_lines is not None and len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], shorten(" ".join(lines[max_lines - 1 :]), width)]
    return "<br>".join(plain(line) for line in lines)
