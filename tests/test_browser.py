"""Real Chromium against a real server: pages load cleanly, a slider moved by keyboard redraws the chart.

Screenshots of every page at 1920x1080 and 1024x768 go to ``tests/screenshots/`` for a person to look at.
The browser is found in this order: ``$DASHBOARD_CHROMIUM``, ``/usr/bin/chromium``, Playwright's own
download. With none, these tests skip with a reason, unless ``DASHBOARD_REQUIRE_BROWSER=1`` (set by
``.ci/run``), when they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import DASHBOARD, ROOT

pytestmark = pytest.mark.browser
SHOTS = ROOT / "tests" / "screenshots"
VIEWPORTS = {"1920x1080": (1920, 1080), "1024x768": (1024, 768)}
PAGES = {
    "overview": "/",
    "weigh": "/weigh",
    "robustness": "/robustness",
    "supply_chain": "/supply-chain",
    "scenarios": "/scenarios",
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str):
    if os.environ.get("DASHBOARD_REQUIRE_BROWSER") == "1":
        pytest.fail(f"Browser tests are required here but cannot run: {reason}")
    pytest.skip(reason)


def _find_chromium() -> str | None:
    for candidate in (os.environ.get("DASHBOARD_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None  # let Playwright try its own download


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(DASHBOARD / "app.py"),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail(f"streamlit did not answer on {url}: {process.stderr.read().decode()[-2000:]}")
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _unavailable("playwright is not installed: pip install -r requirements-dev.txt")
    executable = _find_chromium()
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        except Error as err:
            _unavailable(
                f"no Chromium found ({err.message.splitlines()[0]}); install Debian's chromium "
                "(apt-get install chromium) or run 'playwright install chromium'"
            )
        yield browser
        browser.close()


def open_page(browser, url: str, viewport: tuple[int, int]):
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=30_000)
    return page, errors


def wait_for_charts(page) -> None:
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
    wait_idle(page)


def wait_idle(page) -> None:
    """Wait until the script run has finished (the "Running" status is gone) and plotly has laid out."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    page.wait_for_timeout(500)


VERDICT = '[data-testid="stMain"] [data-testid="stMarkdownContainer"] h3'


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_loads_without_exception_and_is_screenshotted(server, browser, name, size):
    page, errors = open_page(browser, server + PAGES[name], VIEWPORTS[size])
    if name in ("weigh", "robustness", "supply_chain"):
        wait_for_charts(page)
    else:
        wait_idle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{size}.png"))
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not errors, errors
    assert page.locator('[data-testid="stMain"] h1').first.is_visible()
    page.close()


@pytest.mark.parametrize("width", [1920, 1024])
@pytest.mark.parametrize("name", ["weigh", "robustness", "supply_chain"])
def test_full_length_screenshot(server, browser, name, width):
    page, _ = open_page(browser, server + PAGES[name], (width, 1080))
    wait_for_charts(page)
    main = page.locator('[data-testid="stMain"]')
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(height) + 50, 8000)})
    wait_idle(page)
    main.screenshot(path=str(SHOTS / f"{name}-full-{width}.png"))
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


def test_keyboard_on_a_weight_slider_redraws_the_ranking(server, browser):
    page, errors = open_page(browser, server + "/weigh", (1920, 1080))
    wait_for_charts(page)
    verdict = page.locator(VERDICT).filter(has_text="With these weights")
    before = verdict.inner_text()
    bar_labels = page.locator('[data-testid="stPlotlyChart"]').first.locator(".ytick text")
    labels_before = bar_labels.all_text_contents()
    slider = page.locator('[data-testid="stSlider"]').nth(4).locator('input[type="range"]')  # diplomatic cost
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
    assert "China's own interest ranks first" in verdict.inner_text()
    assert bar_labels.all_text_contents() != labels_before
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not errors
    page.screenshot(path=str(SHOTS / "weigh-after-keyboard-1920x1080.png"))
    page.close()


def test_dollar_signs_in_quotes_render_as_text(server, browser):
    page, _ = open_page(browser, server + "/", (1920, 1080))
    page.wait_for_timeout(500)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "less than $25 million per year" in body
    assert page.locator(".katex").count() == 0  # nothing was typeset as LaTeX
    page.close()


def test_a_share_link_opens_the_same_ranking_in_a_fresh_browser(server, browser):
    page, _ = open_page(browser, server + "/weigh", (1920, 1080))
    wait_for_charts(page)
    slider = page.locator('[data-testid="stSlider"]').nth(4).locator('input[type="range"]')  # diplomatic cost
    slider.focus()
    for _ in range(18):
        page.keyboard.press("ArrowRight", delay=30)
    page.wait_for_function(
        "() => new URL(location.href).searchParams.get('w') === '30~20~10~20~100~10'", timeout=15_000
    )
    wait_idle(page)
    link = page.url
    verdict = page.locator(VERDICT).filter(has_text="With these weights").inner_text()
    page.close()
    context = browser.new_context(viewport={"width": 1024, "height": 768})  # a different person, a new session
    fresh = context.new_page()
    fresh.goto(link)
    fresh.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
    wait_idle(fresh)
    assert fresh.locator(VERDICT).filter(has_text="With these weights").inner_text() == verdict
    assert "China's own interest ranks first" in verdict
    fresh.screenshot(path=str(SHOTS / "share-link-fresh-1024x768.png"))
    context.close()


def test_qr_code_is_big_enough_to_scan_from_the_back(server, browser):
    page, _ = open_page(browser, server + "/scenarios", (1920, 1080))
    wait_idle(page)
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
    page.close()


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
    page, errors = open_page(browser, server + "/scenarios", (1920, 1080))
    wait_idle(page)
    page.locator('[data-testid="stFileUploader"]').nth(1).locator('input[type="file"]').set_input_files(str(upload))
    page.get_by_text("Loaded 4 score edit(s) and 0 option(s) of your own from my-scores.csv.").wait_for(timeout=15_000)
    page.get_by_role("link", name="Weigh the options").click()
    wait_for_charts(page)
    verdict = page.locator(VERDICT).filter(has_text="With these weights").inner_text()
    assert "Diplomatic concession (anti-option) ranks first" in verdict
    assert page.locator('[data-testid="stException"]').count() == 0 and not errors
    page.close()


def test_a_broken_upload_is_named_and_changes_nothing(server, browser, tmp_path):
    upload = tmp_path / "broken.csv"
    upload.write_text("option_id,criterion_id,likely,low,high,rationale\nencourage_aml,durability,0x10,0,2,r\n")
    page, _ = open_page(browser, server + "/scenarios", (1920, 1080))
    wait_idle(page)
    page.locator('[data-testid="stFileUploader"]').nth(1).locator('input[type="file"]').set_input_files(str(upload))
    page.get_by_text("Your scores were not used").wait_for(timeout=15_000)
    assert "'0x10' is not a finite number" in page.locator('[data-testid="stAlert"]').last.inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


def test_compare_view_screenshot(server, browser):
    page, _ = open_page(browser, server + "/scenarios", (1920, 1080))
    wait_idle(page)
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
    page.get_by_text("The saved scenarios disagree on the top option.").wait_for(timeout=15_000)
    page.get_by_text("Compare scenarios").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "compare-1920x1080.png"))
    page.set_viewport_size({"width": 1024, "height": 768})
    wait_idle(page)
    page.get_by_text("Compare scenarios").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "compare-1024x768.png"))
    page.close()
