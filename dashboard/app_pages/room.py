"""Seminar mode, the facilitator's controls: open a room, keep its key, reveal the answers (for your own screen)."""

import streamlit as st

from ui.loaders import get_evidence
from ui.room_view import page

st.title("Run a seminar room")
page(get_evidence())
