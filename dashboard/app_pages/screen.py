"""Seminar mode, the room's screen for the projector: the code to join, then the revealed results (no controls)."""

from ui.present_view import keys
from ui.room_screen import screen_page

screen_page()
keys()
