"""A chart with everything a reader needs: takeaway title, the chart, summary, source, data and CSV."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from core.export import safe_csv
from core.supply_info import ChartText
from core.text import md_escape
from ui.figures import show_figure


def chart_block(fig: go.Figure, *, key: str, text: ChartText) -> None:
    show_figure(fig, key=key, title=text.title, summary=text.summary)
    st.caption("Source: " + md_escape(text.source))
    with st.expander("The data behind this chart"):
        st.dataframe(text.table, hide_index=True, width="stretch")
        st.download_button(
            "Download as CSV",
            data=safe_csv(text.table),
            file_name=text.filename,
            mime="text/csv",
            key=f"{key}_csv",
            on_click="ignore",
        )
