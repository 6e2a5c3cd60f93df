"""A chart with everything a reader needs: takeaway title, the chart, summary, source, data and CSV."""

from __future__ import annotations

from functools import partial

import plotly.graph_objects as go
import streamlit as st

from core.export import safe_csv
from core.supply_info import ChartText
from core.text import md_escape
from ui.figures import show_figure
from ui.lazy import lazy_expander


def chart_block(fig: go.Figure, *, key: str, text: ChartText) -> None:
    show_figure(fig, key=key, title=text.title, summary=text.summary)
    st.caption("Source: " + md_escape(text.source))
    with lazy_expander("The data behind this chart", key=f"{key}_data") as open_:
        if open_:
            st.dataframe(text.table, hide_index=True, width="stretch")
            st.download_button(
                "Download as CSV",
                data=partial(safe_csv, text.table),  # made when clicked, not on every rerun
                file_name=text.filename,
                mime="text/csv",
                key=f"{key}_csv",
                on_click="ignore",
            )
