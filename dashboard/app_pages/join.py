"""Seminar mode, a participant's side: join a room from a phone, weigh the options, submit."""

import streamlit as st

from ui.join_view import page
from ui.loaders import get_evidence

st.title("Join a seminar room")
page(get_evidence())
