"""Seminar mode in real Chromium: a facilitator at a projector opens a room, a student joins from a phone with the
join link, answers, and the facilitator's view counts the answer by itself (no reload), then reveals the room."""

from __future__ import annotations

import json
import random
import re

import pytest

from browser_kit import DATABASES, SHOTS, exceptions, full_screenshot, layout_problems, new_page, wait_idle
from core.scenario import default_scenario
from core.scenario_io import to_json
from store.rooms import Rooms, make_engine, new_participant
from strategies import EVIDENCE
from test_browser import browser, server  # noqa: F401  (the module's fixtures: one server, one browser)

pytestmark = pytest.mark.browser


def test_a_room_opens_a_phone_answers_and_the_projector_counts_it_by_itself(server, browser):  # noqa: F811
    projector = new_page(browser, "1280x720")
    projector.goto(server + "/room")
    projector.wait_for_selector('[data-testid="stMain"] h1', timeout=30_000)
    wait_idle(projector)
    projector.get_by_role("button", name="Open a room").click()
    projector.wait_for_selector('h1:has-text("Room code")', timeout=30_000)
    wait_idle(projector)
    code = re.search(r"Room code: (\w{6})", projector.locator("h1").nth(1).inner_text()).group(1)
    projector.screenshot(path=str(SHOTS / "room-open-1280x720.png"))

    phone = new_page(browser, "390x844")
    phone.goto(f"{server}/join?room={code}")
    phone.wait_for_selector('[data-testid="stMain"] h1', timeout=30_000)
    wait_idle(phone)
    assert phone.get_by_label("Room code").input_value() == code  # the link brought the code
    phone.get_by_label("Your name (optional; you may stay anonymous)").fill("Ana")
    phone.get_by_role("button", name="Join").click()
    phone.wait_for_selector("text=Your ranking", timeout=30_000)
    wait_idle(phone)
    phone.get_by_role("button", name="Submit my answer").click()
    phone.wait_for_selector("text=Saved for round 1", timeout=30_000)
    wait_idle(phone)
    full_screenshot(phone, SHOTS / "join-phone-390x844.png", 390)
    scroll = phone.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]'); return [m.scrollWidth, m.clientWidth]; }"
    )
    assert scroll[0] <= scroll[1] + 1  # nothing runs off the phone's screen sideways

    # The facilitator's view refreshes itself on its timer: no click, no reload.
    projector.wait_for_selector("text=1 joined · 1 answered", timeout=15_000)
    # Thirty more answers, each its own weighting, straight into the server's store: a real room to reveal.
    rooms = Rooms(make_engine(DATABASES[server]))
    rng = random.Random(3)
    base = json.loads(to_json(default_scenario(EVIDENCE), EVIDENCE))
    for _ in range(30):
        person = new_participant()
        rooms.join(code, person, None)
        answer = {**base, "weights": {c: rng.choice(range(0, 101, 5)) for c in EVIDENCE.criterion_ids}, "lens": None}
        answer["weights"][EVIDENCE.criterion_ids[0]] += 5  # never all zero
        rooms.submit(code, person, json.dumps(answer))
    projector.wait_for_selector("text=31 joined · 31 answered", timeout=15_000)
    projector.get_by_role("button", name="Reveal the answers").click()
    projector.wait_for_selector("text=put", timeout=30_000)
    projector.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
    wait_idle(projector)
    full_screenshot(projector, SHOTS / "room-revealed-1280x720.png", 1280)
    assert not layout_problems(projector)
    for page in (projector, phone):
        assert not exceptions(page) and not page.errors and not page.outside
        page.context.close()
