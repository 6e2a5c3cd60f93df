"""Helpers for the AppTest tests: launching a page, and finding charts, widgets and text on it."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from conftest import DASHBOARD

APP = str(DASHBOARD / "app.py")
WEIGH = "app_pages/weigh.py"
ROBUSTNESS = "app_pages/robustness.py"
SUPPLY = "app_pages/supply_chain.py"
SCENARIOS = "app_pages/scenarios.py"


def launch(page: str | None = None) -> AppTest:
    """A fresh session opened on ``page`` (the app's default page without one)."""
    at = AppTest.from_file(APP, default_timeout=30)
    if page:
        at.switch_page(page)  # before the first run a page is known by its file name...
    at.run()
    if page:
        opened = getattr(at, "_page_hash", None)
        if opened is None or at.switch_page(page)._page_hash != opened:
            at.run()  # ...which is not its address for every page (supply-chain): open it now that pages are known
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart(at: AppTest, key: str) -> dict:
    """The figure of the plotly chart drawn with ``key``."""
    matches = [el for el in at.get("plotly_chart") if el.proto.id.endswith(f"-{key}")]
    assert matches, f"no chart with key {key!r}"
    return json.loads(matches[0].proto.spec)


def widget(at: AppTest, kind: str, name: str):
    """The widget of ``kind`` that shows setting ``name`` (its key carries the scenario's generation)."""
    for w in getattr(at, kind):
        if w.key and w.key.rsplit("-g", 1)[0] == name:
            return w
    raise AssertionError(f"no {kind} for {name!r}")


def move(at: AppTest, name: str, value: float) -> AppTest:
    """Move the weight slider of criterion ``name`` as a user does, then show the whole page.

    A weight move redraws only the parts of the page it changes (as in the browser); AppTest then
    holds only those parts, so the page is drawn again to read everything.
    """
    widget(at, "slider", f"weight_{name}").set_value(value).run()
    if not at.slider:
        at.run()
    return at


def open_panel(at: AppTest, key: str) -> AppTest:
    """Open the expander with ``key`` (its content is built only while open), and rerun."""
    at.session_state[key] = True
    return at.run()


def headings(at: AppTest) -> list[str]:
    """The takeaway titles written above the charts."""
    return [m.value.removeprefix("#### ") for m in at.markdown if m.value.startswith("#### ")]


def plain_labels(labels: list[str]) -> list[str]:
    return [label.replace("-<br>", "-").replace("<br>", " ") for label in labels]


def ranking_labels(at: AppTest) -> list[str]:
    return plain_labels(chart(at, "ranking_chart")["data"][0]["y"])


def verdict(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("### "))


def text(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown) + " " + " ".join(c.value for c in at.caption)
