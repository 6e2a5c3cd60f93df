"""One way to put a figure on the page, so our template is never replaced."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from ui.text import md_escape

PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "zoomIn2d", "zoomOut2d", "pan2d", "zoom2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def show_figure(fig: go.Figure, *, key: str, summary: str) -> None:
    """Draw ``fig`` with our own template (``theme=None``) and its summary in words.

    The summary is the chart's accessible name and is also shown under it, as plain text.
    """
    st.plotly_chart(fig, theme=None, config=PLOTLY_CONFIG, width="stretch", key=key, alt=summary[:500])
    st.caption(md_escape(summary))
