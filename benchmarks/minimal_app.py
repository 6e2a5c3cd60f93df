"""The reference: one slider and one plotly chart, the smallest useful Streamlit page."""

import plotly.graph_objects as go
import streamlit as st

n = st.slider("Points", 1, 100, 10, key="n")
st.plotly_chart(go.Figure(go.Scatter(x=list(range(n)), y=[i * i for i in range(n)])), theme=None)
