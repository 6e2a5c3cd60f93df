"""A chart with everything a reader needs: takeaway title, the chart, summary, source, data and CSV."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.export import safe_csv
from core.text import md_escape
from ui.figures import show_figure


def chart_block(
    fig: go.Figure, *, key: str, title: str, summary: str, source: str, table: pd.DataFrame, filename: str
) -> None:
    show_figure(fig, key=key, title=title, summary=summary)
    st.caption("Source: " + md_escape(source))
    with st.expander("The data behind this chart"):
        st.dataframe(table, hide_index=True, width="stretch")
        st.download_button(
            "Download as CSV",
            data=safe_csv(table),
            file_name=filename,
            mime="text/csv",
            key=f"{key}_csv",
            on_click="ignore",
        )
