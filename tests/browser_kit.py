"""Helpers for the browser tests: finding Chromium, starting the server, waiting, and measuring layouts.

The layout check reads the DOM the way a reader sees it: every text of every chart must lie inside
its chart and must not overlap another, and the main area must not scroll sideways (Streamlit
scrolls inside ``[data-testid="stMain"]``, so that element is measured, never the document).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import DASHBOARD, ROOT

SHOTS = ROOT / "tests" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# name -> (width, height, phone)
VIEWPORTS = {
    "1920x1080": (1920, 1080, False),
    "1280x720": (1280, 720, False),
    "1024x768": (1024, 768, False),
    "390x844": (390, 844, True),
}
PAGES = {
    "overview": "/",
    "weigh": "/weigh",
    "robustness": "/robustness",
    "supply_chain": "/supply-chain",
    "scenarios": "/scenarios",
}
CHART_PAGES = {"weigh", "robustness", "supply_chain"}
VERDICT = '[data-testid="stMain"] [data-testid="stMarkdownContainer"] h3'
LOOPBACK = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


def unavailable(reason: str):
    if os.environ.get("DASHBOARD_REQUIRE_BROWSER") == "1":
        pytest.fail(f"Browser tests are required here but cannot run: {reason}")
    pytest.skip(reason)


def find_chromium() -> str | None:
    for candidate in (os.environ.get("DASHBOARD_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None  # let Playwright try its own download


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


DATABASES: dict[str, str] = {}  # each test server's seminar store, by its URL


@contextmanager
def streamlit_server(app: Path = DASHBOARD / "app.py", extra: tuple[str, ...] = ()) -> Iterator[str]:
    """A server on a free port, with its own seminar store in a temporary file (its URL in ``DATABASES[url]``)."""
    port = free_port()
    folder = tempfile.mkdtemp(prefix="browser-tests-")
    database = f"sqlite:///{folder}/rooms.sqlite3"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(app),
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
            *extra,
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "DATABASE_URL": database},
    )
    url = f"http://127.0.0.1:{port}"
    DATABASES[url] = database
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
    try:
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def new_page(browser, viewport: str = "1920x1080"):
    """A page in a fresh context (a new session) at ``viewport``, recording errors and outside requests."""
    width, height, phone = VIEWPORTS[viewport]
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone, device_scale_factor=1
    )
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.outside = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("request", lambda r: None if r.url.startswith(LOOPBACK) else page.outside.append(r.url))
    return page


def open_page(browser, url: str, viewport: str = "1920x1080"):
    page = new_page(browser, viewport)
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=30_000)
    wait_idle(page)
    return page


def offline_page(browser, path: Path, **options):
    """A page that opened the file at ``path`` with every request but the file's own refused: returns the page,
    the addresses it tried to fetch and the script errors it raised (both must stay empty)."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    fetched: list[str] = []

    def block(route):
        if route.request.url.startswith("file:"):
            return route.continue_()
        fetched.append(route.request.url)
        return route.abort()

    context.route("**/*", block)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    return page, fetched, errors


def wait_idle(page) -> None:
    """Wait until the script run has finished (the "Running" status is gone) and plotly has laid out."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    page.wait_for_timeout(500)


def wait_for_charts(page) -> None:
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
    wait_idle(page)


def exceptions(page) -> list[str]:
    return page.locator('[data-testid="stException"]').all_inner_texts()


# Every text drawn inside a chart (titles, axis titles, ticks, legend entries, annotations, data
# labels), with its box; hover labels and the mode bar are not part of the drawing.
LAYOUT_PROBLEMS_JS = """
() => {
  const problems = [];
  const main = document.querySelector('[data-testid="stMain"]');
  if (main.scrollWidth > main.clientWidth + 1) {
    problems.push(`the main area scrolls sideways (${main.scrollWidth} > ${main.clientWidth})`);
  }
  const overlap = (a, b) => {
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return w > 1.5 && h > 1.5;
  };
  document.querySelectorAll('.js-plotly-plot').forEach((plot, k) => {
    const frame = plot.getBoundingClientRect();
    if (frame.width < 2 || frame.height < 2) return;  // not drawn (a closed expander)
    const owner = plot.closest('[class*="st-key-"]');
    const name = owner ? [...owner.classList].find(c => c.startsWith('st-key-')) : `chart ${k}`;
    const texts = [];
    plot.querySelectorAll('.main-svg text').forEach(t => {
      if (t.closest('.hoverlayer') || t.closest('.modebar')) return;
      const label = (t.textContent || '').trim();
      if (!label) return;
      const style = getComputedStyle(t);
      if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0') return;
      const box = t.getBoundingClientRect();
      if (box.width < 0.5 || box.height < 0.5) return;
      texts.push({label, box});
      const outside = box.left < frame.left - 1 || box.right > frame.right + 1
        || box.top < frame.top - 1 || box.bottom > frame.bottom + 1;
      if (outside) {
        problems.push(`${name}: "${label.slice(0, 40)}" is cut off by the chart's edge`);
      }
    });
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        if (overlap(texts[i].box, texts[j].box)) {
          problems.push(`${name}: "${texts[i].label.slice(0, 30)}" overlaps "${texts[j].label.slice(0, 30)}"`);
        }
      }
    }
  });
  return problems;
}
"""


def layout_problems(page, checks: int = 3) -> list[str]:
    """The chart texts cut off or overprinted, and sideways scrolling, once the layout has settled.

    On a loaded machine plotly may lay a chart out again after the page looks idle (the container's width
    arrives late); a problem found is looked for again a second later, so only what stays wrong is reported.
    """
    problems = page.evaluate(LAYOUT_PROBLEMS_JS)
    for _ in range(checks - 1):
        if not problems:
            break
        page.wait_for_timeout(1_000)
        problems = page.evaluate(LAYOUT_PROBLEMS_JS)
    return problems


def main_fits(page) -> tuple[int, int]:
    """``(scrollHeight, clientHeight)`` of the main area."""
    return tuple(
        page.evaluate(
            "() => { const m = document.querySelector('[data-testid=\"stMain\"]'); "
            "return [m.scrollHeight, m.clientHeight]; }"
        )
    )


def full_screenshot(page, path: Path, width: int) -> None:
    """The whole main area in one picture, for a person to look at."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(height) + 50, 12_000)})
    wait_idle(page)
    page.locator('[data-testid="stMain"]').screenshot(path=str(path))


def timed_switch(page, link: str, title: str, charts: bool) -> float:
    """Seconds from a click on a page's link until that page is drawn: its title shown, its charts laid
    out and the script finished. Polled on every animation frame, with no fixed waits."""
    start = time.perf_counter()
    page.get_by_role("link", name=link).first.click()
    page.wait_for_function(
        """([title, charts]) => {
          const h1 = document.querySelector('[data-testid="stMain"] h1');
          if (!h1 || h1.innerText.trim() !== title) return false;
          if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
          return !charts || document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg').length > 0;
        }""",
        arg=[title, charts],
        timeout=30_000,
        polling="raf",
    )
    return time.perf_counter() - start
