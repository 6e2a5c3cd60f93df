"""On the projector, in real Chromium: presenter mode's and the room screen's controls show only while the mouse
moves (or after a tap) and whenever the keyboard is on them; Escape and Back lead to the page the briefer came
from; the displacement scene's note covers no line and the status quo's line runs through no value label; and no
chart's toolbar covers a legend, on a phone or at a desk.

Screenshots of each state go to ``tests/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import urlencode

import pytest

from browser_kit import DATABASES, SHOTS, VIEWPORTS, exceptions, new_page, open_page, wait_for_charts, wait_idle
from core.displacement import Displacement
from core.scenario import default_scenario
from core.scenario_io import to_json
from core.scenario_link import to_query
from store.rooms import Rooms, make_engine, new_participant
from strategies import EVIDENCE
from test_browser import browser, server  # noqa: F401  (the module's fixtures: one server, one browser)
from test_charts import note_box

pytestmark = pytest.mark.browser
CONTROLS = ("scene_previous", "scene_next", "scene_exit")  # what hides; the counter stays
# The ranking scene, then the displacement scene: the two scenes this file checks.
DECK = replace(default_scenario(EVIDENCE), scenes=("ranking", "displacement"))
# An extreme weighting (a third each on effect and time to effect), and substitutes still stepping in at the
# horizon (90% of the gap, with a 12-month half-life, over 2 years, after a 70% cut): the note's old place, 50 px
# under the end of the orange line, sat on that line.
EXTREME = replace(
    DECK,
    weights=tuple(zip(EVIDENCE.criterion_ids, (40.0, 25.0, 40.0, 5.0, 5.0, 5.0), strict=True)),
    displacement=Displacement(0.9, 12.0, 2, 0.7),
)


def _link(scenario) -> str:
    return "?" + urlencode(to_query(scenario, EVIDENCE))


def _wait_scene(page, number: int, total: int) -> None:
    page.wait_for_function(
        """(want) => [...document.querySelectorAll('.st-key-presenter p')].some(p => p.innerText.trim() === want)""",
        arg=f"{number} / {total}",
        timeout=30_000,
    )
    wait_idle(page)


OPACITIES_JS = """(keys) => keys.map(k => document.querySelector('.st-key-' + k)).filter(Boolean)
  .map(e => getComputedStyle(e).opacity)"""


def _opacities(page) -> list[str]:
    return page.evaluate(OPACITIES_JS, list(CONTROLS))


def _wait_controls(page, opacity: str) -> None:
    """Until every control is drawn at ``opacity`` ("1" shown, "0" hidden), past its fade."""
    page.wait_for_function(
        f"""([keys, want]) => {{ const seen = ({OPACITIES_JS})(keys);
          return seen.length >= 2 && seen.every(o => o === want); }}""",
        arg=[list(CONTROLS), opacity],
        timeout=15_000,
    )


def _at_rest(page) -> None:
    """Until the controls have faded (if they fade), so a screenshot shows the scene as the room sees it."""
    page.wait_for_function("() => !document.documentElement.classList.contains('scene-nav-awake')", timeout=15_000)
    page.wait_for_timeout(500)


def _counter_opacity(page) -> str:
    return page.evaluate(
        """() => { const p = [...document.querySelectorAll('.st-key-scene_nav p')].find(p => / \\/ /.test(p.innerText));
          let o = 1; for (let e = p; e; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity);
          return String(o); }"""
    )


FOCUS_JS = """() => {
  const e = document.activeElement;
  const control = e && e.closest('.st-key-scene_previous, .st-key-scene_next, .st-key-scene_exit');
  if (!control) return null;
  const s = getComputedStyle(e);
  return {control: [...control.classList].find(c => c.startsWith('st-key-')), visible: e.matches(':focus-visible'),
          ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'};
}"""


def _tab_to_a_control(page) -> dict:
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_JS)
        if focused:
            return focused
    raise AssertionError("Tab never reached Previous, Next or Back")


@pytest.mark.parametrize("size", ["1920x1080", "1280x720", "1024x768"])
def test_the_controls_show_while_the_mouse_moves_and_with_the_keyboards_focus_and_fade_at_rest(
    server,  # noqa: F811
    browser,  # noqa: F811
    size,
):
    width, height, _ = VIEWPORTS[size]
    page = new_page(browser, size)
    page.goto(server + "/present" + _link(DECK))
    _wait_scene(page, 1, 2)
    _wait_controls(page, "0")  # nobody moves the mouse: the room sees the scene alone
    assert _counter_opacity(page) == "1"  # the counter stays
    page.screenshot(path=str(SHOTS / f"present-controls-at-rest-{size}.png"))
    # A clicker's key steps the scene and brings no control back.
    page.keyboard.press("PageDown")
    _wait_scene(page, 2, 2)
    assert _opacities(page) == ["0", "0", "0"]
    # The mouse moves: they show, and fade again once it rests.
    page.mouse.move(width / 2, height / 2)
    page.mouse.move(width / 2 + 40, height / 2 + 20, steps=4)
    _wait_controls(page, "1")
    page.screenshot(path=str(SHOTS / f"present-controls-on-move-{size}.png"))
    _wait_controls(page, "0")
    # The keyboard reaches them with Tab: all show, with a focus ring, for as long as one has the focus (well past
    # the time they take to fade), and the keys still step the scenes.
    focused = _tab_to_a_control(page)
    assert focused["visible"] and focused["ring"], focused
    _wait_controls(page, "1")
    page.wait_for_timeout(3_500)
    assert _opacities(page) == ["1", "1", "1"]
    page.screenshot(path=str(SHOTS / f"present-controls-focused-{size}.png"))
    page.keyboard.press("PageUp")
    _wait_scene(page, 1, 2)
    assert not exceptions(page) and not page.errors and not page.outside
    page.context.close()


def test_on_a_touch_screen_a_tap_shows_the_controls(server, browser):  # noqa: F811
    page = new_page(browser, "390x844")
    page.goto(server + "/present" + _link(DECK))
    _wait_scene(page, 1, 2)
    _wait_controls(page, "0")
    page.locator(".st-key-presenter h2").tap()  # anywhere on the scene
    _wait_controls(page, "1")
    page.locator(".st-key-scene_nav").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "present-controls-after-tap-390x844.png"))
    page.locator(".st-key-scene_next button").tap()
    _wait_scene(page, 2, 2)
    _wait_controls(page, "0")
    assert not exceptions(page) and not page.errors and not page.outside
    page.context.close()


def test_escape_and_back_return_to_the_page_the_briefer_came_from(server, browser):  # noqa: F811
    """From the sidebar on the robustness page, Escape returns there; from the Share page's link, the Back control
    returns to the Share page (opened directly, presenter mode returns to the Weigh page: test_browser_briefing)."""
    page = open_page(browser, server + "/robustness", "1280x720")
    page.get_by_role("link", name="Present to a room").click()
    page.wait_for_selector(".st-key-presenter h2", timeout=30_000)
    wait_idle(page)
    page.keyboard.press("Escape")
    page.wait_for_function("() => location.pathname.endsWith('/robustness')", timeout=30_000)
    page.wait_for_selector('[data-testid="stMain"] h1:has-text("How sure is the ranking?")', timeout=30_000)
    page.get_by_role("link", name="Share, save and edit").click()
    page.wait_for_selector('[data-testid="stMain"] h1:has-text("Share, save and edit")', timeout=30_000)
    wait_idle(page)
    page.get_by_role("link", name="Present these scenes").click()
    page.wait_for_selector(".st-key-presenter h2", timeout=30_000)
    wait_idle(page)
    page.mouse.move(200, 200)
    page.mouse.move(260, 240, steps=4)
    _wait_controls(page, "1")
    page.locator(".st-key-scene_exit a").click()
    page.wait_for_function("() => location.pathname.endsWith('/scenarios')", timeout=30_000)
    page.wait_for_selector('[data-testid="stMain"] h1:has-text("Share, save and edit")', timeout=30_000)
    assert not exceptions(page) and not page.errors and not page.outside
    page.context.close()


def test_the_rooms_screen_hides_its_controls_too_through_its_refreshes(server, browser):  # noqa: F811
    """The room's screen steps its results with the same controls: they show while the mouse moves and stay hidden
    at rest, also while the screen redraws itself every few seconds under a still mouse."""
    rooms = Rooms(make_engine(DATABASES[server]))
    opened = rooms.open_room(to_json(default_scenario(EVIDENCE), EVIDENCE))
    base = json.loads(to_json(default_scenario(EVIDENCE), EVIDENCE))
    for k in range(6):
        person = new_participant()
        rooms.join(opened.code, person, None, f"10.8.0.{k}")
        weights = {c: 10 + 15 * ((k + j) % 5) for j, c in enumerate(EVIDENCE.criterion_ids)}
        rooms.submit(opened.code, person, json.dumps({**base, "weights": weights, "lens": None}))
    rooms.reveal(opened.code, opened.token)
    page = new_page(browser, "1280x720")
    page.goto(f"{server}/screen?room={opened.code}")
    page.wait_for_selector(".st-key-presenter h2", timeout=30_000)
    wait_idle(page)
    page.mouse.move(300, 300)
    page.mouse.move(340, 320, steps=4)
    _wait_controls(page, "1")
    page.screenshot(path=str(SHOTS / "room-screen-controls-on-move-1280x720.png"))
    _wait_controls(page, "0")
    page.wait_for_timeout(7_000)  # two of the screen's refreshes, the mouse still where it was
    assert _opacities(page) == ["0", "0"]
    page.screenshot(path=str(SHOTS / "room-screen-controls-at-rest-1280x720.png"))
    assert not exceptions(page) and not page.errors and not page.outside
    page.context.close()


# What the scene's chart draws, in the page's px: the annotation's box, each line's points, the status quo's
# dotted line and the value labels.
NOTE_JS = """() => {
  const plot = document.querySelector('.st-key-presenter .js-plotly-plot');
  const bg = plot.querySelector('.annotation rect.bg');
  const box = bg.getBoundingClientRect();
  const under = [];
  plot.querySelectorAll('.scatterlayer .trace').forEach(trace => {
    const path = trace.querySelector('path.js-line');
    if (!path) return;
    const half = parseFloat(getComputedStyle(path).strokeWidth) / 2;
    const m = path.getScreenCTM();
    for (let s = 0, n = path.getTotalLength(); s <= n; s += 1) {
      const p = new DOMPoint(path.getPointAtLength(s).x, path.getPointAtLength(s).y).matrixTransform(m);
      if (p.x >= box.left - half && p.x <= box.right + half && p.y >= box.top - half && p.y <= box.bottom + half) {
        under.push(trace.__data__[0].trace.name);
        break;
      }
    }
  });
  return {under, width: box.width, height: box.height, plot: [plot._fullLayout._size.w, plot._fullLayout._size.h],
          note: plot._fullLayout.annotations[0]._input, layout: {xaxis: {range: plot._fullLayout.xaxis.range},
          yaxis: {range: plot._fullLayout.yaxis.range}}};
}"""
LINE_JS = """() => {
  const plot = document.querySelector('.st-key-presenter .js-plotly-plot');
  const line = plot.querySelector('.shapelayer path');
  if (!line) return {struck: [], labels: 0};
  const r = line.getBoundingClientRect();
  const x = (r.left + r.right) / 2;
  const labels = [...plot.querySelectorAll('.barlayer text')].filter(t => t.textContent.trim());
  return {labels: labels.length, struck: labels.filter(t => { const b = t.getBoundingClientRect();
    return b.left < x && b.right > x; }).map(t => t.textContent)};
}"""


@pytest.mark.parametrize("case", ["default", "extreme"])
@pytest.mark.parametrize("size", ["1920x1080", "1024x768"])
def test_the_ranking_scenes_line_and_the_displacement_scenes_note_cover_nothing(server, browser, size, case):  # noqa: F811
    """The ranking scene: the status quo's dotted line runs through no value label. The displacement scene: the
    note's box covers no line, and is no larger than the unit tests reckon it (so their geometry holds)."""
    page = new_page(browser, size)
    page.goto(server + "/present" + _link(DECK if case == "default" else EXTREME))
    _wait_scene(page, 1, 2)
    _at_rest(page)
    line = page.evaluate(LINE_JS)
    assert line["labels"] >= 3 and not line["struck"], line
    page.screenshot(path=str(SHOTS / f"present-ranking-{size}-{case}.png"))
    page.keyboard.press("PageDown")
    _wait_scene(page, 2, 2)
    page.wait_for_selector(".st-key-presenter .annotation rect.bg", timeout=30_000)
    drawn = page.evaluate(NOTE_JS)
    assert not drawn["under"], drawn
    left, top, right, bottom = note_box(drawn["note"], drawn["layout"], drawn["plot"])
    assert drawn["width"] <= right - left and drawn["height"] <= bottom - top, drawn
    page.screenshot(path=str(SHOTS / f"present-displacement-{size}-{case}.png"))
    assert not exceptions(page) and not page.errors and not page.outside
    page.context.close()


# Plotly's toolbar against every text a chart draws (legend entries, labels, ticks), once the pointer is over it.
TOOLBAR_JS = """(i) => {
  const plot = document.querySelectorAll('.js-plotly-plot')[i];
  const owner = plot.closest('[class*="st-key-"]');
  const name = owner ? [...owner.classList].find(c => c.startsWith('st-key-')) : `chart ${i}`;
  const buttons = [...plot.querySelectorAll('.modebar-btn')]
    .filter(b => parseFloat(getComputedStyle(b.closest('.modebar-group')).opacity) > 0);
  const texts = [...plot.querySelectorAll('.main-svg text')]
    .filter(t => t.textContent.trim() && !t.closest('.hoverlayer'));
  const hit = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
  const covered = [];
  for (const b of buttons) for (const t of texts) {
    if (hit(b.getBoundingClientRect(), t.getBoundingClientRect())) covered.push(t.textContent.slice(0, 40));
  }
  return {name, buttons: buttons.length, legend: plot.querySelectorAll('.legend .traces').length, covered};
}"""


@pytest.mark.parametrize("size", ["390x844", "1024x768"])
def test_no_chart_toolbar_covers_a_legend_or_a_label(server, browser, size):  # noqa: F811
    """On a phone (after a tap) and at a desk (under the mouse) plotly's toolbar shows over each chart's top right:
    on the robustness and supply chain pages it covers no legend entry ("rank 3", the Pareto front) or label."""
    phone = VIEWPORTS[size][2]
    problems, seen = [], 0
    for path in ("/robustness", "/supply-chain"):
        page = open_page(browser, server + path, size)
        wait_for_charts(page)
        plots = page.locator(".js-plotly-plot")
        for i in range(plots.count()):
            plot = plots.nth(i)
            # Its top in view, below the app's own header: the toolbar's corner is what is measured.
            plot.evaluate(
                "e => { e.scrollIntoView({block: 'start'}); "
                "document.querySelector('[data-testid=\"stMain\"]').scrollBy(0, -120); }"
            )
            page.wait_for_timeout(300)
            box = plot.bounding_box()
            if not box or box["width"] < 2:
                continue  # not drawn (a closed expander)
            # In the chart's corner, on no mark: a tap there selects nothing.
            page.touchscreen.tap(box["x"] + 4, box["y"] + 4) if phone else page.mouse.move(box["x"] + 4, box["y"] + 4)
            page.wait_for_function(
                "(i) => [...document.querySelectorAll('.js-plotly-plot')[i].querySelectorAll('.modebar-group')]"
                ".some(g => getComputedStyle(g).opacity === '1')",
                arg=i,
                timeout=10_000,
            )
            found = page.evaluate(TOOLBAR_JS, i)
            seen += bool(found["legend"])
            if found["covered"]:
                problems.append(f"{path} {found['name']}: the toolbar covers {found['covered']}")
            if phone and found["name"] in ("st-key-acceptability_chart", "st-key-tradeoff_chart"):
                top = {**box, "height": min(box["height"], 420)}  # the toolbar and the legend, as the phone shows them
                page.screenshot(path=str(SHOTS / f"toolbar-{found['name'][7:]}-{size}.png"), clip=top)
        assert not exceptions(page)
        page.context.close()
    assert seen >= 4, "the charts with a legend were not reached"
    assert not problems, "\n".join(problems)
