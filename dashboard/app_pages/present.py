"""Presenter mode: the briefing, one scene per screen, for a projector (no sidebar or controls in sight)."""

from ui.present_view import scene_part
from ui.scene_nav import keys

scene_part()
keys()
