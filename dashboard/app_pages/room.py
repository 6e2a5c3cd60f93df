"""Seminar mode, the facilitator's side: open a room, put its code on the projector, reveal the answers."""

import streamlit as st

from ui.loaders import get_evidence
from ui.seminar_view import facilitator_page

st.title("Run a seminar room")
facilitator_page(get_evidence())
