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
PAGES = {"overview": "/", "weigh": "/weigh", "robustness": "/robustness", "supply_chain": "/supply-chain"}
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
    if name != "overview":
        wait_for_charts(page)
    else:
        wait_idle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{size}.png"))
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not errors, errors
    assert page.locator('[data-testid="stMain"] h1').first.is_visible()
    page.close()


@pytest.mark.parametrize("name", ["weigh", "robustness", "supply_chain"])
def test_full_length_screenshot(server, browser, name):
    page, _ = open_page(browser, server + PAGES[name], (1920, 1080))
    wait_for_charts(page)
    main = page.locator('[data-testid="stMain"]')
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1920, "height": min(int(height) + 50, 6000)})
    wait_idle(page)
    main.screenshot(path=str(SHOTS / f"{name}-full-1920.png"))
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
