"""One way to put a figure on the page: its takeaway title as text, the chart in our own look, its summary."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from charts.theme import DESK, PHONE, Look
from core.text import md_escape
from ui.client import narrow

PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "zoomIn2d", "zoomOut2d", "pan2d", "zoom2d"],
    # The camera button saves any chart as a 1920x1080 PNG for a slide or a projector: laid out at 960x540
    # and drawn at twice the size, so its text is twice the desk's (30 px), in the browser, with no server work.
    "toImageButtonOptions": {"format": "png", "width": 960, "height": 540, "scale": 2, "filename": "fentanyl-chart"},
}


def look() -> Look:
    """The look for this user's screen: a phone's, or the desk's."""
    return PHONE if narrow() else DESK


def show_figure(fig: go.Figure, *, key: str, title: str, summary: str, note: str = "", **chart: Any) -> None:
    """Draw ``fig`` under its takeaway ``title`` with our own template (``theme=None``), then its summary.

    The title is page text (it wraps on any screen and is a heading for screen readers); the
    summary is the chart's accessible name and is also shown under it, as plain text, followed by ``note``
    (a sentence read off the same data). ``chart`` passes selection options to ``st.plotly_chart``.
    """
    st.markdown(f"#### {md_escape(title)}")
    st.plotly_chart(fig, theme=None, config=PLOTLY_CONFIG, width="stretch", key=key, alt=summary[:500], **chart)
    st.caption(md_escape(f"{summary} {note}" if note else summary))
