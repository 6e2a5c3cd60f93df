"""Fair downloads: ``python benchmarks/run.py --only fair_downloads``.

One session asks for the PowerPoint deck twelve times in a row (its charts are drawn by the process's one
kaleido browser, a second or more each); meanwhile another session downloads its scenario file (about
10 KB). The figure that matters is how long that small download takes under the deck requests, against the
same download with nobody asking for decks. Real Chromium against a real server; nothing is asserted.
"""

from __future__ import annotations

import statistics
import time

from browser_times import CHROMIUM_ARGS, find_chromium
from load import Server, project_app

DECK_CLICKS = 12


def _small_download(page) -> float:
    start = time.perf_counter()
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Download this scenario (JSON)").click()
    info.value.path()  # the whole file has arrived
    return time.perf_counter() - start


def _open(browser, url: str):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True).new_page()
    page.goto(url)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    return page


def fair_downloads(repeats: int = 3) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    alone, loaded = [], []
    with Server(project_app("weigh")) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        url = f"http://127.0.0.1:{server.port}/scenarios"
        asker, other = _open(browser, url), _open(browser, url)
        deck = asker.get_by_role("button", name="Slides (PowerPoint)")
        if not deck.count():
            raise SystemExit("The server found no Chromium for kaleido, so it offers no deck to ask for.")
        deck.click()  # the first deck starts kaleido's Chromium: not part of what is measured
        asker.wait_for_selector("text=Download the slides", timeout=120_000)
        for _ in range(repeats):
            alone.append(_small_download(other))
            for _ in range(DECK_CLICKS):
                deck.click()
            loaded.append(_small_download(other))
            asker.wait_for_selector("text=Download the slides", timeout=120_000)
        refused = asker.locator("text=Still preparing the slides").count()
        browser.close()
    print(f"Fair downloads: one session asks for the deck {DECK_CLICKS} times; another downloads a 10 KB file")
    print(f"  the small download alone:        median {statistics.median(alone):.3f} s ({repeats} repeats)")
    print(f"  under {DECK_CLICKS} deck requests:         median {statistics.median(loaded):.3f} s")
    print(f"  the asking session was told 'still preparing': {'yes' if refused else 'no'}")
    return {
        "download_alone_s": round(statistics.median(alone), 3),
        "download_under_deck_requests_s": round(statistics.median(loaded), 3),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(fair_downloads()))
