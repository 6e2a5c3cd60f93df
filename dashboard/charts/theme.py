"""Plotly templates and the colour-blind-safe palette shared by every chart.

``dashboard`` is the desk template; ``presentation`` enlarges type and lines for a
projector and combines with it as ``"dashboard+presentation"``.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache

import plotly.graph_objects as go
import plotly.io as pio

# Okabe-Ito: distinguishable with the common forms of colour blindness.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
# Paul Tol's "bright" scheme, for options (criteria use Okabe-Ito), so the two never share a meaning.
TOL_BRIGHT = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#777777", "#000000")
LINE_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash")
# Cividis (perceptually uniform, readable with colour-blindness), dark = rank 1.
CIVIDIS = ("#00204D", "#31446B", "#666970", "#958F78", "#CBBA69", "#FFEA46", "#FFF3A0", "#FFF9D6")
GREY = "#B8B8B8"
INK = "#1A1A1A"
MUTED = "#555555"
FONT = "Source Sans Pro, Arial, sans-serif"
# Blue (good) to orange (bad) diverging scale, readable with red-green colour blindness.
VALUE_SCALE = (
    (0.0, "#B35806"),
    (0.25, "#F1A340"),
    (0.5, "#F7F7F7"),
    (0.75, "#92C5DE"),
    (1.0, "#2166AC"),
)


def criterion_colours(criterion_ids: tuple[str, ...] | list[str]) -> dict[str, str]:
    """A fixed colour per criterion, by its position in the evidence base."""
    return {c: OKABE_ITO[i % len(OKABE_ITO)] for i, c in enumerate(criterion_ids)}


def option_colours(option_ids: tuple[str, ...] | list[str]) -> dict[str, str]:
    """A fixed colour per option, by its position in the evidence base: the same on every chart."""
    return {o: TOL_BRIGHT[i % len(TOL_BRIGHT)] for i, o in enumerate(option_ids)}


def option_dashes(option_ids: tuple[str, ...] | list[str]) -> dict[str, str]:
    """A fixed line style per option, so lines differ by more than colour."""
    return {o: LINE_DASHES[i % len(LINE_DASHES)] for i, o in enumerate(option_ids)}


def _register() -> None:
    if "dashboard" in pio.templates:
        return
    pio.templates["dashboard"] = go.layout.Template(
        layout=go.Layout(
            font=dict(family=FONT, size=15, color=INK),
            title=dict(font=dict(size=20), x=0, xanchor="left"),
            paper_bgcolor="white",
            plot_bgcolor="white",
            colorway=list(OKABE_ITO),
            xaxis=dict(gridcolor="#E5E5E5", zerolinecolor="#BDBDBD", automargin=True),
            yaxis=dict(gridcolor="#E5E5E5", zerolinecolor="#BDBDBD", automargin=True),
            legend=dict(font=dict(size=14)),
            hoverlabel=dict(font=dict(size=15)),
            margin=dict(l=10, r=20, t=60, b=40),
        )
    )
    pio.templates["presentation"] = go.layout.Template(
        layout=go.Layout(
            font=dict(size=22),
            title=dict(font=dict(size=30)),
            legend=dict(font=dict(size=20)),
            hoverlabel=dict(font=dict(size=20)),
        )
    )


_register()


def template_name(presentation: bool = False) -> str:
    return "dashboard+presentation" if presentation else "dashboard"


@lru_cache(maxsize=2)
def _template_json(presentation: bool) -> str:
    return pio.to_json(pio.templates[template_name(presentation)], validate=False)


def template_dict(presentation: bool = False) -> dict:
    """The merged template as a plain dict (a fresh copy, safe to put in a figure)."""
    return json.loads(_template_json(presentation))


def make_figure(data: list[dict], layout: dict, presentation: bool = False) -> go.Figure:
    """Wrap plain trace and layout dicts in a Figure without plotly's per-property validation.

    Validation costs about 10 ms a figure on every rerun; the builders' output is
    checked against plotly's schema in the tests instead.
    """
    layout = {**layout, "template": template_dict(presentation)}
    title = layout.get("title", {}).get("text")
    if title and "<br>" not in title:
        # Plotly never wraps a title; break long ones so they fit a 1024-pixel screen.
        lines = _wrap_lines(title, TITLE_WIDTH)
        if len(lines) > 1:
            layout["title"] = {**layout["title"], "text": "<br>".join(lines)}
            margin = dict(layout.get("margin", {}))
            margin["t"] = max(margin.get("t", 60), 60) + (34 if presentation else 24) * (len(lines) - 1)
            layout["margin"] = margin
    return go.Figure({"data": data, "layout": layout}, _validate=False)


TITLE_WIDTH = 60


def _wrap_lines(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def empty_figure(message: str, presentation: bool = False) -> go.Figure:
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
        presentation,
    )


def plain(text: object) -> str:
    """Text from data made safe for a plotly label: its tags show as text, never as markup."""
    return html.escape(str(text), quote=False)


def wrap(text: object, width: int = 16) -> str:
    """Escape ``text`` and break it onto lines of about ``width`` characters for axis labels."""
    return "<br>".join(plain(line) for line in _wrap_lines(" ".join(str(text).split()), width))
