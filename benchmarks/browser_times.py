"""Cold start and page switches in Chromium: ``python benchmarks/run.py --only browser_times``.

Each repeat starts a fresh ``streamlit run`` (the project's, then the minimal app's), waits until
it answers its health check, and times a new browser tab from the request to the page fully
drawn: its title shown, its charts laid out, and the script finished. Then, on the project,
each page is switched to twice by its link; the second round is the warm one. Nothing is
asserted: the figures are printed and returned.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from pathlib import Path

from load import Server, minimal_app, project_app

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
DRAWN = """([title, charts]) => {
  const h1 = document.querySelector('[data-testid="stMain"] h1');
  if (title && (!h1 || h1.innerText.trim() !== title)) return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  return !charts || document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg').length > 0;
}"""
# The project's pages by link text, title, and whether they draw charts.
SWITCHES = (
    ("How sure is the ranking?", "How sure is the ranking?", True),
    ("Understand the supply chain", "Understand the supply chain", True),
    ("Share, save and edit", "Share, save and edit", False),
    ("Overview", None, False),
    ("Weigh the options", "Weigh the options", True),
)


def find_chromium() -> str | None:
    for candidate in (os.environ.get("DASHBOARD_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _wait_drawn(page, title: str | None, charts: bool) -> None:
    page.wait_for_function(DRAWN, arg=[title, charts], timeout=60_000, polling="raf")


def browser_times(repeats: int = 3) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    first: dict[str, list[float]] = {"weigh": [], "minimal": []}
    switches: dict[str, list[float]] = {"first": [], "warm": []}
    for _ in range(repeats):
        for name, app in (("weigh", project_app("weigh")), ("minimal", minimal_app())):
            # The server first (its health check runs its own event loop), then a browser for it.
            with Server(app) as server, sync_playwright() as p:
                browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
                page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
                start = time.perf_counter()
                page.goto(f"http://127.0.0.1:{server.port}/{app.url_path}")
                _wait_drawn(page, "Weigh the options" if name == "weigh" else None, True)
                first[name].append(time.perf_counter() - start)
                if name == "weigh":
                    for round_ in ("first", "warm"):
                        for link, title, charts in SWITCHES:
                            page.wait_for_timeout(300)
                            start = time.perf_counter()
                            page.get_by_role("link", name=link).first.click()
                            page.wait_for_timeout(50)  # the old page's status clears before the new run
                            _wait_drawn(page, title, charts)
                            switches[round_].append(time.perf_counter() - start)
                browser.close()
    weigh, minimal = statistics.median(first["weigh"]), statistics.median(first["minimal"])
    warm = switches["warm"]
    print("Cold start and page switches in Chromium (a fresh server each repeat, median of", repeats, "repeats)")
    print(f"  first Weigh page drawn          {weigh:6.2f} s")
    print(f"  first minimal app page drawn    {minimal:6.2f} s")
    print(f"  ratio                           {weigh / minimal:6.2f} x   (target <= 2x)")
    print(f"  page switch, first visit        {statistics.median(switches['first']):6.2f} s median")
    print(f"  page switch, warm               {statistics.median(warm):6.2f} s median, {max(warm):.2f} s worst")
    print("                                           (target: warm under 1 s)")
    return {
        "cold_weigh_s": round(weigh, 2),
        "cold_minimal_s": round(minimal, 2),
        "cold_ratio": round(weigh / minimal, 2),
        "switch_first_median_s": round(statistics.median(switches["first"]), 2),
        "switch_warm_median_s": round(statistics.median(warm), 2),
        "switch_warm_worst_s": round(max(warm), 2),
    }
