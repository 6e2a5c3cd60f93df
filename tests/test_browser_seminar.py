"""Seminar mode in real Chromium, as a class meets it: the facilitator's controls on a laptop, the room's view
on the projector, students on phones. The key is shown once and is never on the projected page; nothing
read off the projector opens the controls; reloads and second tabs are no new people; the room's view fits
the projector before and after the reveal; a phone confirms an answer where the thumb is and hears of a
new round by itself; and every page passes axe's WCAG 2.1 AA checks."""

from __future__ import annotations

import json
import random
import re

import pytest

from browser_kit import (
    DATABASES,
    SHOTS,
    exceptions,
    full_screenshot,
    layout_problems,
    main_fits,
    new_page,
    wait_idle,
)
from core.scenario import default_scenario
from core.scenario_io import to_json
from store.rooms import Rooms, make_engine, new_participant
from strategies import EVIDENCE
from test_browser import browser, server  # noqa: F401  (the module's fixtures: one server, one browser)
from test_browser_briefing import SCENE_TEXT_JS

pytestmark = pytest.mark.browser
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]


def _axe(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in result.response["violations"]]


def _store(base_url) -> Rooms:
    return Rooms(make_engine(DATABASES[base_url]))


def _open_room(chrome, base_url, size: str = "1280x720"):
    """The facilitator's laptop opens a room: the key is read from the dialog (as the facilitator would),
    which is then closed. Returns (the controls page, the code, the key)."""
    controls = new_page(chrome, size)
    controls.goto(base_url + "/room")
    controls.wait_for_selector('[data-testid="stMain"] h1', timeout=30_000)
    wait_idle(controls)
    controls.get_by_role("button", name="Open a room").click()
    dialog = controls.get_by_role("dialog")
    dialog.wait_for(timeout=30_000)
    key = dialog.locator('input[type="password"]').input_value()
    controls.screenshot(path=str(SHOTS / f"room-key-dialog-{size}.png"))
    dialog.get_by_role("button", name="I have kept it: close").click()
    controls.wait_for_selector('[data-testid="stDialog"]', state="detached", timeout=30_000)
    controls.wait_for_selector("text=joined ·", timeout=30_000)
    wait_idle(controls)
    code = re.search(r"Room (\w{6})", controls.locator("h2").first.inner_text()).group(1)
    return controls, code, key


def _screen(chrome, base_url, code: str, size: str = "1280x720"):
    screen = new_page(chrome, size)
    screen.goto(f"{base_url}/screen?room={code}")
    screen.wait_for_selector(".st-key-room_screen h1, .st-key-presenter h2", timeout=30_000)
    wait_idle(screen)
    return screen


def _join(chrome, base_url, code: str, context=None, name: str = ""):
    """A phone opens the join link and joins (or, in a context that has joined before, is back by itself)."""
    phone = context.new_page() if context is not None else new_page(chrome, "390x844")
    if context is not None:
        phone.errors, phone.outside = [], []
    phone.goto(f"{base_url}/join?room={code}")
    phone.wait_for_selector('[data-testid="stMain"] h1', timeout=30_000)
    wait_idle(phone)
    if phone.get_by_role("button", name="Join").count():
        if name:
            phone.get_by_label("Your name (optional; you may stay anonymous)").fill(name)
        phone.get_by_role("button", name="Join").click()
    phone.wait_for_selector("text=Your ranking", timeout=30_000)
    wait_idle(phone)
    return phone


def _submit(phone, round_: int = 1) -> None:
    phone.get_by_role("button", name="Submit my answer").click()
    phone.wait_for_selector(f"text=Saved for round {round_}", timeout=30_000)
    wait_idle(phone)


def _slider(phone, index: int):
    return phone.locator('[data-testid="stSlider"]').nth(index).locator('input[type="range"]')


def _fill_room(base_url, code: str, n: int, seed: int = 3) -> None:
    """``n`` more answers, each its own weighting, straight into the base_url's store: a real room to reveal."""
    rooms = _store(base_url)
    rng = random.Random(seed)
    base = json.loads(to_json(default_scenario(EVIDENCE), EVIDENCE))
    for k in range(n):
        person = new_participant()
        rooms.join(code, person, None, f"10.9.{k // 200}.{k % 200}")
        answer = {**base, "weights": {c: rng.choice(range(0, 101, 5)) for c in EVIDENCE.criterion_ids}, "lens": None}
        answer["weights"][EVIDENCE.criterion_ids[0]] += 5  # never all zero
        rooms.submit(code, person, json.dumps(answer))


def _counts(page) -> str:
    return page.locator("h3").filter(has_text="joined").first.inner_text()


def test_the_projected_view_never_holds_the_key_and_nothing_read_off_it_opens_the_controls(server, browser):  # noqa: F811
    controls, code, key = _open_room(browser, server)
    screen = _screen(browser, server, code)
    steps: list[tuple[str, str]] = []

    def look(step: str) -> None:
        for name, page in (("projector", screen), ("controls", controls)):
            wait_idle(page)
            html = page.content()
            assert key not in html, f"the key is in the {name}'s page after {step}"
            steps.append((step, name))
        storage = screen.evaluate("() => JSON.stringify(Object.assign({}, localStorage))")
        assert key not in storage

    look("opening")
    phones = [_join(browser, server, code, name=f"Student {k}") for k in range(3)]
    for phone in phones:
        _submit(phone)
    screen.wait_for_selector("text=3 joined · 3 answered", timeout=15_000)
    look("answers")
    controls.get_by_role("button", name="Reveal the answers").click()
    screen.wait_for_selector(".st-key-presenter h2", timeout=15_000)
    look("the reveal")
    # Everything the room can read off the projector, tried as the key from a phone: none opens the controls.
    words = set(re.findall(r"[A-Za-z0-9_\-]{6,}", screen.evaluate("() => document.body.innerText")))
    words |= set(re.findall(r"[A-Za-z0-9_\-]{16,}", screen.content()))
    thief = new_page(browser, "390x844")
    thief.goto(server + "/room")
    thief.wait_for_selector('[data-testid="stMain"] h1', timeout=30_000)
    wait_idle(thief)
    thief.get_by_text("Take the controls of a room you opened on another device").click()
    refused = []
    for word in sorted(words)[:8]:
        thief.get_by_label("Room code").fill(code)
        thief.get_by_label("Facilitator key").fill(word)
        thief.get_by_role("button", name="Take the controls").click()
        wait_idle(thief)
        message = thief.locator('[data-testid="stAlertContentError"]').first.inner_text()
        refused.append(message)
        assert "Start a new round" not in thief.content(), f"{word!r} opened the controls"
    assert any("does not open this room" in m for m in refused)
    assert "Too many wrong keys" in refused[-1]  # this phone is locked out after five wrong keys
    # The facilitator's own laptop is not: its controls work, and a reload comes back without the key.
    controls.get_by_role("button", name="Start a new round").click()
    screen.wait_for_selector(".st-key-room_screen h1", timeout=15_000)
    look("a new round")
    controls.reload()
    controls.wait_for_selector("text=joined ·", timeout=30_000)
    look("the facilitator's reload")
    assert code in controls.locator("h2").first.inner_text()
    assert len(steps) == 10
    for page in (screen, controls, thief, *phones):
        assert not exceptions(page) and not page.errors and not page.outside
        page.context.close()


def test_eight_people_with_reloads_and_second_tabs_are_eight_and_keep_their_weights(server, browser):  # noqa: F811
    controls, code, _key = _open_room(browser, server)
    phones = [_join(browser, server, code) for _ in range(8)]
    # Two reload, after moving a weight they have not submitted; two open the link again in a second tab.
    for phone in phones[:2]:
        _slider(phone, 0).focus()
        phone.keyboard.press("ArrowRight")
        wait_idle(phone)
        before = _slider(phone, 0).get_attribute("aria-valuenow")
        phone.reload()
        phone.wait_for_selector("text=Your ranking", timeout=30_000)
        wait_idle(phone)
        assert _slider(phone, 0).get_attribute("aria-valuenow") == before  # the weight the phone had
    tabs = [_join(browser, server, code, context=phone.context) for phone in phones[2:4]]
    for page in [*phones, *tabs]:
        _submit(page)
    rooms = _store(server)
    assert rooms.counts(code) == (8, 8)
    controls.wait_for_selector("text=8 joined · 8 answered", timeout=15_000)
    for page in (controls, *phones):
        assert not exceptions(page) and not page.errors and not page.outside
        page.context.close()


@pytest.mark.parametrize("size", ["1280x720", "1024x768"])
def test_the_rooms_view_fits_the_projector_before_and_after_the_reveal(server, browser, size):  # noqa: F811
    controls, code, _key = _open_room(browser, server)
    screen = _screen(browser, server, code, size)
    problems: list[str] = []

    def fits(where: str) -> None:
        scroll, client = main_fits(screen)
        if scroll > client + 1:
            problems.append(f"{where}: the screen scrolls ({scroll} > {client})")
        problems.extend(f"{where}: {p}" for p in layout_problems(screen))

    _fill_room(server, code, 30)
    screen.wait_for_selector("text=30 joined · 30 answered", timeout=15_000)
    fits("before the reveal")
    box = screen.locator('[data-testid="stImage"] img').bounding_box()
    height = screen.viewport_size["height"]
    assert box and box["y"] + box["height"] <= height and box["height"] >= 0.4 * height  # the QR code, whole
    screen.screenshot(path=str(SHOTS / f"room-screen-join-{size}.png"))
    controls.get_by_role("button", name="Reveal the answers").click()
    screen.wait_for_selector(".st-key-presenter h2", timeout=15_000)
    wait_idle(screen)
    scene = 1
    while True:
        screen.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
        wait_idle(screen)
        fits(f"scene {scene}")
        seen = screen.evaluate(SCENE_TEXT_JS)
        if seen["sidebar"]:
            problems.append(f"scene {scene}: the sidebar is in sight")
        if seen["smallestBody"] < 22 or (seen["smallestChart"] or 99) < 22:
            problems.append(f"scene {scene}: text of {seen['smallestBody']} / {seen['smallestChart']} px")
        problems.extend(f"scene {scene}: '{t}' runs past the screen" for t in seen["outside"] + seen["below"])
        screen.screenshot(path=str(SHOTS / f"room-screen-scene-{scene}-{size}.png"))
        if screen.locator(".st-key-scene_next button").is_disabled():
            break
        screen.keyboard.press("PageDown")
        scene += 1
        screen.wait_for_function(
            "(want) => [...document.querySelectorAll('.st-key-presenter p')].some(p => p.innerText.startsWith(want))",
            arg=f"{scene} / ",
            timeout=15_000,
        )
    assert scene >= 3 and not problems, "\n".join(problems)
    for page in (screen, controls):
        assert not exceptions(page) and not page.errors and not page.outside
        page.context.close()


def test_a_phone_confirms_where_the_thumb_is_and_hears_of_a_new_round_by_itself(server, browser):  # noqa: F811
    controls, code, _key = _open_room(browser, server)
    phone = _join(browser, server, code)
    button = phone.get_by_role("button", name="Submit my answer")
    button.scroll_into_view_if_needed()
    _submit(phone)
    saved = phone.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Saved for round 1")
    box, at = saved.bounding_box(), button.bounding_box()
    height = phone.viewport_size["height"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, box  # on the screen
    assert abs(box["y"] - (at["y"] + at["height"])) < 120, (box, at)  # beside the button
    full_screenshot(phone, SHOTS / "join-phone-saved-390x844.png", 390)
    controls.get_by_role("button", name="Start a new round").click()
    phone.wait_for_selector("text=Round 2 has started", timeout=15_000)  # no tap, no reload
    button = phone.get_by_role("button", name="Submit my answer")
    button.click()
    phone.wait_for_selector("text=Submit them unchanged for round 2?", timeout=15_000)
    phone.get_by_role("button", name="Yes, submit them").click()
    phone.wait_for_selector("text=Saved for round 2", timeout=15_000)
    assert _store(server).counts(code) == (1, 1)
    # The slider says which way is "more important".
    help_text = phone.locator('[data-testid="stSlider"]').first.locator('[data-testid="stTooltipHoverTarget"]')
    assert help_text.count() == 1
    for page in (phone, controls):
        assert not exceptions(page) and not page.errors and not page.outside
        page.context.close()


def test_the_seminar_pages_pass_the_accessibility_checks(server, browser):  # noqa: F811
    controls, code, _key = _open_room(browser, server)
    phone = _join(browser, server, code)
    _submit(phone)
    screen = _screen(browser, server, code)
    found = {"controls": _axe(controls), "phone": _axe(phone), "projector before the reveal": _axe(screen)}
    _fill_room(server, code, 12)
    controls.get_by_role("button", name="Reveal the answers").click()
    screen.wait_for_selector(".st-key-presenter h2", timeout=15_000)
    wait_idle(screen)
    found["projector after the reveal"] = _axe(screen)
    assert not any(found.values()), found
    for page in (controls, phone, screen):
        page.context.close()
