"""Seminar mode, the room's screen for the projector: the code to join, then the revealed results (no controls)."""

from ui.scene_nav import keys
from ui.screen_view import screen_page

screen_page()
keys()
