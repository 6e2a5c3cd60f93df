"""Presenter mode's way back (AppTest): Back, and Escape which clicks it, lead to the page the briefer came from,
whichever page that was (the sidebar reaches presenter mode from every page, the Share page by a link), and to
the Weigh page when presenter mode was the first page opened."""

from __future__ import annotations

from app_kit import SCENARIOS, SUPPLY, launch

PRESENT = "app_pages/present.py"


def _back(at) -> str:
    """The address the presenter's Back link leads to."""
    (link,) = [el for el in at.get("page_link") if el.proto.label == "Back to the app"]
    return link.proto.page


def test_back_leads_to_the_page_the_briefer_came_from():
    at = launch(SCENARIOS)  # the Share page, with its "Present these scenes" link
    at.switch_page(PRESENT).run()
    assert _back(at) == "scenarios"
    next(b for b in at.button if b.key == "scene_next").click().run()  # stepping keeps the way back
    assert _back(at) == "scenarios"
    at.switch_page(SUPPLY).run()  # another page, then presenter mode again from the sidebar
    at.switch_page(PRESENT).run()
    assert _back(at) == "supply-chain"
    at.switch_page("app_pages/overview.py").run()
    at.switch_page(PRESENT).run()
    assert _back(at) == ""  # the Overview, the app's first page, at the root address
    assert not at.exception


def test_presenter_mode_opened_first_leads_back_to_the_weigh_page():
    at = launch(PRESENT)
    assert _back(at) == "weigh"
