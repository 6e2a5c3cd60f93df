"""Presenter mode: the briefing, one scene per screen, for a projector (no sidebar or controls in sight)."""

from ui.present_view import keys, scene_part

scene_part()
keys()
