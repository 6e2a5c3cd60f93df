"""Real Chromium against a real server: every page at every screen size, the controls, and hostile input.

Screenshots go to ``tests/screenshots/`` for a person to look at. The browser is found in this order:
``$DASHBOARD_CHROMIUM``, ``/usr/bin/chromium``, Playwright's own download. With none, these tests
skip with a reason, unless ``DASHBOARD_REQUIRE_BROWSER=1`` (set by ``.ci/run``), when they fail.
Page-switch times are written to ``tests/screenshots/timings.json`` (measured, never asserted).
"""

from __future__ import annotations

import json
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from browser_kit import (
    CHART_PAGES,
    CHROMIUM_ARGS,
    PAGES,
    SHOTS,
    VERDICT,
    VIEWPORTS,
    exceptions,
    find_chromium,
    full_screenshot,
    layout_problems,
    new_page,
    open_page,
    streamlit_server,
    timed_switch,
    unavailable,
    wait_for_charts,
    wait_idle,
)

pytestmark = pytest.mark.browser
TIMINGS: dict[str, float] = {}
OUTSIDE = "203.0.113.5"  # TEST-NET-3: an address that must never be fetched


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("playwright is not installed: pip install -r requirements-dev.txt")
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS)
        except Error as err:
            unavailable(
                f"no Chromium found ({err.message.splitlines()[0]}); install Debian's chromium "
                "(apt-get install chromium) or run 'playwright install chromium'"
            )
        yield browser
        browser.close()
    SHOTS.mkdir(parents=True, exist_ok=True)
    if TIMINGS:
        (SHOTS / "timings.json").write_text(json.dumps(TIMINGS, indent=2))


def _slider(page, index: int):
    return page.locator('[data-testid="stSlider"]').nth(index).locator('input[type="range"]')


@pytest.mark.parametrize("size", VIEWPORTS)
def test_every_page_fits_its_screen_with_nothing_cut_off_or_overprinted(server, browser, size):
    """Each page at each size: no exception, nothing fetched from outside, no sideways scroll, and no chart
    text cut off or printed over another. A full-length screenshot of each is kept for a person to check."""
    width = VIEWPORTS[size][0]
    page = open_page(browser, server + "/", size)
    problems: dict[str, list[str]] = {}
    for name in PAGES:
        if name != "overview":
            start = time.perf_counter()
            page.get_by_role("link", name=_nav_name(name)).first.click() if size != "390x844" else page.goto(
                server + PAGES[name]
            )
            if name in CHART_PAGES:
                wait_for_charts(page)
            else:
                wait_idle(page)
            TIMINGS[f"{size} open {name}"] = round(time.perf_counter() - start, 2)
        page.screenshot(path=str(SHOTS / f"{name}-{size}.png"))
        assert not exceptions(page), (name, exceptions(page))
        found = layout_problems(page)
        if found:
            problems[name] = found
        full_screenshot(page, SHOTS / f"{name}-full-{size}.png", width)
        page.set_viewport_size({"width": width, "height": VIEWPORTS[size][1]})
    assert not page.errors, page.errors
    assert not page.outside, f"requests left the machine: {page.outside[:5]}"
    assert not problems, problems
    page.context.close()


def _nav_name(name: str) -> str:
    return {
        "weigh": "Weigh the options",
        "robustness": "How sure is the ranking?",
        "supply_chain": "Understand the supply chain",
        "scenarios": "Share, save and edit",
    }[name]


TITLES = {
    "weigh": "Weigh the options",
    "robustness": "How sure is the ranking?",
    "supply_chain": "Understand the supply chain",
    "scenarios": "Share, save and edit",
}


def test_a_fresh_server_draws_the_weigh_page_and_its_time_is_recorded(browser):
    """A server that has served nobody yet: the first Weigh page is fully drawn, without an error, and the
    seconds from the request to the page drawn are written to timings.json (measured, never asserted)."""
    with streamlit_server() as url:
        page = new_page(browser, "1920x1080")
        start = time.perf_counter()
        page.goto(url + "/weigh")
        page.wait_for_function(
            """() => {
              const h1 = document.querySelector('[data-testid="stMain"] h1');
              return h1 && h1.innerText.trim() === 'Weigh the options'
                && !document.querySelector('[data-testid="stStatusWidget"]')
                && document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg').length >= 3;
            }""",
            timeout=60_000,
            polling="raf",
        )
        TIMINGS["cold start weigh"] = round(time.perf_counter() - start, 2)
        assert not exceptions(page) and not page.errors
        page.context.close()


def test_switching_pages_is_measured_first_and_warm(server, browser):
    """Page switches timed from the click to the page drawn (written to timings.json, not asserted)."""
    page = open_page(browser, server + "/", "1280x720")
    for round_ in ("first", "warm"):
        for name in ("weigh", "robustness", "supply_chain", "scenarios"):
            seconds = timed_switch(page, _nav_name(name), TITLES[name], name in CHART_PAGES)
            TIMINGS[f"{round_} switch to {name}"] = round(seconds, 3)
            wait_idle(page)
    assert not exceptions(page)
    page.context.close()


def test_a_phone_sees_weights_and_the_top_three_together(server, browser):
    page = open_page(browser, server + "/weigh", "390x844")
    wait_for_charts(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_attribute("data-collapsed") == "true"  # the sidebar does not cover the page
    assert sidebar.bounding_box()["x"] + sidebar.bounding_box()["width"] <= 1
    slider = page.locator('[data-testid="stMain"] [data-testid="stSlider"]').first
    slider.scroll_into_view_if_needed()
    podium = page.locator(".st-key-podium")
    box, slider_box = podium.bounding_box(), slider.bounding_box()
    assert box and slider_box and box["y"] >= 0 and slider_box["y"] + slider_box["height"] <= 844
    assert "1." in podium.inner_text()
    page.screenshot(path=str(SHOTS / "weigh-phone-weights.png"))
    page.context.close()


def test_keyboard_on_a_weight_slider_redraws_the_ranking(server, browser):
    page = open_page(browser, server + "/weigh", "1920x1080")
    wait_for_charts(page)
    verdict = page.locator(VERDICT).filter(has_text="With these weights")
    before = verdict.inner_text()
    bar_labels = page.locator('[data-testid="stPlotlyChart"]').first.locator(".ytick text")
    labels_before = bar_labels.all_text_contents()
    highlighted = page.locator('.st-key-lens_buttons [data-testid="stBaseButton-primary"]')
    assert highlighted.count() == 1  # the default lens
    slider = _slider(page, 4)  # diplomatic cost
    assert slider.get_attribute("aria-label") == "Diplomatic or strategic cost (less is better)"
    slider.focus()
    for _ in range(18):  # 10 -> 100 importance points, in steps of 5
        page.keyboard.press("ArrowRight", delay=30)
    page.wait_for_function("(el) => el.value === '100'", arg=slider.element_handle(), timeout=15_000)
    page.wait_for_function(
        "([sel, before]) => [...document.querySelectorAll(sel)].some("
        "h => h.innerText.startsWith('With these weights') && h.innerText !== before)",
        arg=[VERDICT, before],
        timeout=15_000,
    )
    wait_idle(page)
    assert verdict.inner_text() != before
    assert bar_labels.all_text_contents() != labels_before
    # Key presses redraw only the results and the lens buttons; the link and the buttons still follow.
    page.wait_for_function("() => new URLSearchParams(location.search).get('w') !== null", timeout=15_000)
    assert _weights_in_link(page)[4] == "100"
    assert highlighted.count() == 0
    assert page.locator('[aria-live="polite"] h3').filter(has_text="With these weights").count() == 1
    assert not exceptions(page) and not page.errors
    page.screenshot(path=str(SHOTS / "weigh-after-keyboard-1920x1080.png"))
    page.context.close()


def _weights_in_sliders(page) -> list[str]:
    sliders = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]')
    return [sliders.nth(i).input_value() for i in range(6)]


def _weights_in_link(page) -> list[str]:
    w = parse_qs(urlsplit(page.url).query).get("w", [""])[0]
    return [str(round(float(x))) for x in w.split("~")] if w else []


def test_a_lens_click_then_a_key_press_never_leaves_sliders_and_ranking_apart(server, browser):
    """Twenty times: a lens button, then within 50 ms an arrow key on a slider. Once the page settles,
    the sliders show exactly the weights the link (and so the ranking) uses."""
    page = open_page(browser, server + "/weigh", "1920x1080")
    wait_for_charts(page)
    lenses = ["Diplomacy first", "Public health first", "Equal weights"]
    mismatches = []
    for k in range(20):
        page.get_by_role("button", name=re.compile(lenses[k % 3])).first.click()
        page.wait_for_timeout(20)
        slider = _slider(page, k % 6)
        slider.focus()
        page.keyboard.press("ArrowRight" if k % 2 else "ArrowLeft")
        wait_idle(page)
        page.wait_for_timeout(300)
        if _weights_in_sliders(page) != _weights_in_link(page):
            mismatches.append((k, _weights_in_sliders(page), _weights_in_link(page)))
    assert not mismatches, mismatches
    assert not exceptions(page)
    page.context.close()


def test_dollar_signs_in_quotes_render_as_text(server, browser):
    page = open_page(browser, server + "/", "1920x1080")
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "less than $25 million per year" in body
    assert page.locator(".katex").count() == 0  # nothing was typeset as LaTeX
    page.context.close()


def test_a_share_link_opens_the_same_ranking_on_the_weigh_page_in_a_fresh_browser(server, browser):
    page = open_page(browser, server + "/weigh", "1920x1080")
    wait_for_charts(page)
    slider = _slider(page, 4)
    slider.focus()
    for _ in range(18):
        page.keyboard.press("ArrowRight", delay=30)
    page.wait_for_function(
        "() => new URL(location.href).searchParams.get('w') === '30~20~10~20~100~10'", timeout=15_000
    )
    wait_idle(page)
    verdict = page.locator(VERDICT).filter(has_text="With these weights").inner_text()
    page.get_by_role("link", name="Share, save and edit").click()
    wait_idle(page)
    link = page.locator('[data-testid="stCode"] code').inner_text().strip()
    assert urlsplit(link).path == "/weigh"  # students land where they act, not on the Overview
    page.context.close()
    fresh = new_page(browser, "1024x768")  # a different person, a new session
    fresh.goto(link)
    wait_for_charts(fresh)
    assert fresh.locator(VERDICT).filter(has_text="With these weights").inner_text() == verdict
    assert not fresh.locator('[data-testid="stAlert"]').filter(has_text="evidence version").count()
    fresh.screenshot(path=str(SHOTS / "share-link-fresh-1024x768.png"))
    fresh.context.close()


def test_a_loopback_link_says_phones_cannot_open_it(server, browser):
    """The server listens on loopback: the notice says so and gives the command with the server's own port."""
    page = open_page(browser, server + "/scenarios", "1280x720")
    assert page.get_by_text("phones in the room cannot open this link").count() == 1
    port = server.rsplit(":", 1)[1]
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "--server.address 0.0.0.0" in text and f"--server.port {port}" in text
    page.context.close()


def test_qr_code_is_big_enough_to_scan_from_the_back(server, browser):
    page = open_page(browser, server + "/scenarios", "1920x1080")
    page.get_by_text("Show a QR code for the room").click()
    image = page.locator('[data-testid="stImage"] img').first
    image.wait_for(timeout=15_000)
    wait_idle(page)
    box = image.bounding_box()
    natural = image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    # A square code at least 400 CSS pixels wide: with segno's scale of 10 each module is several pixels,
    # large enough for a phone camera across a seminar room on a projector.
    assert box["width"] >= 400 and abs(box["width"] - box["height"]) < 2
    assert natural[0] == natural[1] and natural[0] >= 400
    image.screenshot(path=str(SHOTS / "qr-code.png"))
    page.context.close()


def _upload(page, index: int, path) -> None:
    page.locator('[data-testid="stFileUploader"]').nth(index).locator('input[type="file"]').set_input_files(str(path))


def test_a_downloaded_scenario_file_loads_in_a_fresh_session_on_every_page(server, browser, tmp_path):
    page = open_page(browser, server + "/weigh", "1920x1080")
    wait_for_charts(page)
    page.get_by_role("button", name="Diplomacy first").click()
    wait_idle(page)
    page.get_by_text("Assumptions (not values): the model").click()
    page.get_by_text("Read durability through the displacement model").click()
    wait_idle(page)
    page.get_by_text("Expected impact (speed and durability qualify the effect)").click()
    wait_idle(page)
    verdict = page.locator(VERDICT).first.inner_text()
    page.get_by_role("link", name="Share, save and edit").click()
    wait_idle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download this scenario (JSON)").click()
    saved = tmp_path / "scenario.json"
    download.value.save_as(saved)
    written = json.loads(saved.read_text())
    assert written["account_for_displacement"] is True and written["method"] == "expected_impact"
    page.context.close()

    fresh = open_page(browser, server + "/scenarios", "1280x720")
    _upload(fresh, 0, saved)
    fresh.get_by_text("Loaded scenario.json").wait_for(timeout=15_000)
    for name in ("weigh", "robustness", "supply_chain", "overview", "scenarios"):
        fresh.goto(fresh.url.split("?")[0].rsplit("/", 1)[0] + PAGES[name] + "?" + urlsplit(fresh.url).query)
        wait_for_charts(fresh) if name in CHART_PAGES else wait_idle(fresh)
        assert not exceptions(fresh), (name, exceptions(fresh))
        if name == "weigh":
            assert fresh.locator(VERDICT).first.inner_text() == verdict
    assert not fresh.errors
    fresh.context.close()


def test_uploading_scores_through_the_widget_changes_the_ranking(server, browser, tmp_path):
    upload = tmp_path / "my-scores.csv"
    upload.write_text(
        "option_id,criterion_id,likely,low,high,rationale\n"
        "diplomatic_concession,diplomatic_cost,0,0,0,<b>My view</b> $5\n"
        "diplomatic_concession,ill_effects_risk,0,0,0,mine\n"
        "diplomatic_concession,effect_on_precursors,4,4,4,mine\n"
        "diplomatic_concession,durability,4,4,4,mine\n",
        encoding="utf-8",
    )
    page = open_page(browser, server + "/scenarios", "1920x1080")
    _upload(page, 1, upload)
    success = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Loaded 4 score edits")
    success.wait_for(timeout=15_000)
    page.get_by_role("link", name="Weigh the options").click()
    wait_for_charts(page)
    verdict = page.locator(VERDICT).filter(has_text="With these weights").inner_text()
    assert "Diplomatic concession (anti-option) ranks first" in verdict
    assert not exceptions(page) and not page.errors
    page.context.close()


def test_a_broken_upload_is_named_and_changes_nothing(server, browser, tmp_path):
    upload = tmp_path / "broken.csv"
    upload.write_text("option_id,criterion_id,likely,low,high,rationale\nencourage_aml,durability,0x10,0,2,r\n")
    page = open_page(browser, server + "/scenarios", "1920x1080")
    _upload(page, 1, upload)
    page.get_by_text("Your scores were not used").wait_for(timeout=15_000)
    assert "'0x10' is not a finite number" in page.locator('[data-testid="stAlert"]').last.inner_text()
    assert not exceptions(page)
    page.context.close()


def test_compare_view_names_the_top_options_and_shows_rank_one_first(server, browser):
    page = open_page(browser, server + "/scenarios", "1280x720")
    page.get_by_role("button", name="Save it for comparison").click()
    wait_idle(page)
    page.get_by_role("link", name="Weigh the options").click()
    wait_for_charts(page)
    page.get_by_role("button", name="Diplomacy first").click()
    wait_idle(page)
    page.get_by_role("link", name="Share, save and edit").click()
    wait_idle(page)
    page.get_by_label("Name this scenario").fill("Diplomacy first")
    page.get_by_role("button", name="Save it for comparison").click()
    wait_idle(page)
    sentence = page.get_by_text("The saved scenarios disagree on the top option:")
    sentence.wait_for(timeout=15_000)
    assert "Scenario 1 puts" in sentence.inner_text() and "Diplomacy first puts" in sentence.inner_text()
    table = page.locator('[data-testid="stDataFrame"]').first
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "compare-1280x720.png"))
    # The whole table is drawn: no row (Rank 1 least of all) hides inside a scroll.
    scroller = table.locator(".dvn-scroller").first
    sizes = scroller.evaluate("el => [el.scrollHeight, el.clientHeight]")
    assert sizes[0] <= sizes[1] + 2, sizes
    page.context.close()


# --------------------------------------------------------------------------- hostile text
PAYLOAD = f"![x](http://{OUTSIDE}/p.png) [Click to re-verify](http://{OUTSIDE}/login) www.{OUTSIDE}.example :red[hi]"


NAME_PAYLOAD = f"![x](http://{OUTSIDE}/p.png) www.{OUTSIDE}.example"  # within the 80 characters of a name


def _no_outside_markup(page) -> None:
    wait_idle(page)
    assert page.locator(f'a[href*="{OUTSIDE}"]').count() == 0, "a live link to the outside address"
    assert page.locator(f'img[src*="{OUTSIDE}"]').count() == 0, "an image from the outside address"
    # (Headings carry in-page anchors, "#with-these-weights-...", made from their text: not links out.)
    assert page.locator('a[href*="example"]:not([href^="#"])').count() == 0, "a bare address became a link"
    assert not page.outside, f"the browser fetched from outside: {page.outside}"
    assert not exceptions(page)


def test_hostile_link_parts_are_named_as_text(server, browser):
    from urllib.parse import quote

    page = new_page(browser, "1280x720")
    page.goto(server + "/weigh?w=1~2~" + quote(PAYLOAD) + "&" + quote(PAYLOAD) + "=1&l=" + quote(PAYLOAD))
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=30_000)
    notices = page.locator('[data-testid="stAlert"]').all_inner_texts()
    assert any("Ignored the link's weights" in n for n in notices), notices
    assert all(len(n) < 600 for n in notices)  # echoed values are capped
    _no_outside_markup(page)
    page.context.close()


def test_hostile_file_names_options_and_saved_names_stay_text(server, browser, tmp_path):
    # A score table whose own option has a hostile name, uploaded under a hostile file name.
    rows = ["option_id,criterion_id,likely,low,high,rationale,option_name"] + [
        f'mine,{c},2,1,3,r,"{NAME_PAYLOAD}"'
        for c in (
            "effect_on_precursors",
            "durability",
            "time_to_effect",
            "independence_from_relations",
            "diplomatic_cost",
            "ill_effects_risk",
        )
    ]
    named = tmp_path / "[x](http:__203.0.113.5) www.203.0.113.5.example.csv"
    named.write_text("\n".join(rows), encoding="utf-8")
    page = open_page(browser, server + "/scenarios", "1280x720")
    _upload(page, 1, named)
    page.locator('[data-testid="stAlertContentSuccess"]').wait_for(timeout=15_000)
    _no_outside_markup(page)  # the success notice names the file
    assert page.get_by_role("button", name=re.compile("Remove your option")).count() == 1
    # Save it under a hostile name and restore it: the button and the notice show text.
    page.get_by_label("Name this scenario").fill(PAYLOAD[:40])
    page.get_by_role("button", name="Save it for comparison").click()
    wait_idle(page)
    page.get_by_role("button", name=re.compile("^Restore")).first.click()
    _no_outside_markup(page)
    # A broken upload with a hostile name: the error names it as text.
    bad = tmp_path / (PAYLOAD[:30].replace("/", "_") + ".json")
    bad.write_text("{not json", encoding="utf-8")
    _upload(page, 0, bad)
    page.locator('[data-testid="stAlertContentError"]').wait_for(timeout=15_000)
    _no_outside_markup(page)
    for name in ("weigh", "robustness"):
        page.get_by_role("link", name=_nav_name(name)).click()
        wait_for_charts(page)
        _no_outside_markup(page)
    page.context.close()


def test_help_marks_and_slider_thumbs_are_big_enough_to_touch(server, browser):
    page = open_page(browser, server + "/weigh", "390x844")
    wait_for_charts(page)
    boxes = page.evaluate(
        """() => [
          ...document.querySelectorAll('[data-testid="stTooltipHoverTarget"] button'),
          ...document.querySelectorAll('[data-testid="stSlider"] div:has(> div > input[type="range"])'),
        ].map(el => { const r = el.getBoundingClientRect(); return [r.width, r.height]; })"""
    )
    assert len(boxes) >= 12  # six help marks and six thumbs at least
    small = [b for b in boxes if b[0] < 24 or b[1] < 24]
    assert not small, small
    page.context.close()


def test_clicking_a_cell_of_the_score_matrix_opens_its_evidence(server, browser):
    page = open_page(browser, server + "/weigh", "1920x1080")
    wait_for_charts(page)
    matrix = page.locator(".st-key-matrix_chart .js-plotly-plot")
    matrix.scroll_into_view_if_needed()
    wait_idle(page)
    area = matrix.locator(".nsewdrag").first.bounding_box()
    from strategies import EVIDENCE

    shown = [o for o, s in zip(EVIDENCE.option_ids, EVIDENCE.options_in_view(True), strict=True) if s]
    rows, columns = len(shown), len(EVIDENCE.criterion_ids)
    row, column = shown.index("diplomatic_concession"), EVIDENCE.criterion_ids.index("diplomatic_cost")
    page.mouse.click(
        area["x"] + area["width"] * (column + 0.5) / columns, area["y"] + area["height"] * (row + 0.5) / rows
    )
    wait_idle(page)
    card = page.locator(".st-key-evidence_card")
    card.wait_for(timeout=15_000)
    assert "Diplomatic concession (anti-option) · Diplomatic cost" in card.inner_text()
    assert not exceptions(page)
    page.context.close()


def test_a_link_with_more_parts_than_the_server_reads_is_named(server, browser):
    page = new_page(browser, "1280x720")
    page.goto(server + "/weigh?" + "&".join(f"p{i}=1" for i in range(1_001)))
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=30_000)
    notice = page.get_by_text("more than the 1,000 the server reads")
    notice.wait_for(timeout=15_000)
    assert "1,001 parts" in notice.inner_text()
    page.context.close()


@pytest.mark.parametrize("size", ["1920x1080", "1024x768"])
def test_a_package_is_built_in_the_browser_and_drawn_without_overlaps(server, browser, size):
    page = open_page(browser, server + "/weigh", size)
    wait_for_charts(page)
    page.get_by_text("Combine options into packages", exact=False).first.click()  # built when opened
    wait_idle(page)
    picker = page.get_by_label("Options to combine (two or three)")
    picker.scroll_into_view_if_needed()
    for name in ("Anti-money-laundering", "Law-enforcement cooperation"):
        picker.click()
        page.get_by_role("option", name=name).click()
        wait_idle(page)
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # leave the picker, as a user does: its last choice reaches the server
    wait_idle(page)
    page.get_by_role("button", name="Add this package").click()
    wait_idle(page)
    chart = page.locator(".st-key-packages_chart")
    chart.wait_for(timeout=15_000)
    chart.scroll_into_view_if_needed()
    wait_idle(page)
    assert "(package)" in chart.inner_text()
    assert page.get_by_text("adding", exact=False).count() >= 1
    assert not layout_problems(page), layout_problems(page)
    assert not exceptions(page)
    page.screenshot(path=str(SHOTS / f"packages-{size}.png"))
    page.context.close()


@pytest.mark.parametrize("size", ["1280x720", "390x844"])
def test_every_page_passes_axe_wcag_checks(server, browser, size):
    """WCAG 2.1 AA (as US public universities and federal offices must meet): axe-core finds no violation on
    any page, at a desk and on a phone."""
    from axe_playwright_python.sync_playwright import Axe

    def check(name: str, page) -> None:
        result = Axe().run(
            page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]}}
        )
        violations = [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in result.response["violations"]]
        if violations:
            found[name] = violations

    found: dict[str, list[str]] = {}
    for name, path in PAGES.items():
        page = open_page(browser, server + path, size)
        if name in CHART_PAGES:
            wait_for_charts(page)
        check(name, page)
        page.context.close()
    # Presenter mode twice: its controls at rest (faded out), and shown for as long as the keyboard is on one of
    # them; each checked once its fade is over, never halfway.
    page = new_page(browser, size)
    page.goto(server + "/present")
    page.wait_for_selector(".st-key-presenter h2", timeout=30_000)
    wait_idle(page)
    for state, opacity in (("at rest", "0"), ("shown", "1")):
        for _ in range(12 if opacity == "1" else 0):
            if page.evaluate("() => !!document.activeElement.closest('.st-key-scene_nav')"):
                break
            page.keyboard.press("Tab")
        page.wait_for_function(
            "(want) => getComputedStyle(document.querySelector('.st-key-scene_next')).opacity === want",
            arg=opacity,
            timeout=15_000,
        )
        check(f"present, controls {state}", page)
    page.context.close()
    assert not found, found
