"""Seminar mode, a participant's side: join a room from a phone, weigh the options, submit."""

import streamlit as st

from ui.loaders import get_evidence
from ui.seminar_view import participant_page

st.title("Join a seminar room")
participant_page(get_evidence())
