"""Run the benchmarks: ``python benchmarks/run.py`` (all) or ``--only NAME``.

Each benchmark prints a readable table; the last line of the run is one JSON object
holding every figure under the names the issues give. Times are medians of repeated
runs, and each is set against a reference measured in the same run, so the ratios
hold up on a noisy machine. Nothing here is asserted: the targets are printed.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "dashboard"))
logging.getLogger("streamlit").setLevel(logging.ERROR)


def _median_rerun_ms(at, change: Callable[[object, int], None], values: list[int], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        for v in values:
            start = time.perf_counter()
            change(at, v)
            at.run()
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def weigh_rerun(repeats: int = 5) -> dict[str, float]:
    """Server time of one rerun after a weight change on the Weigh page, against a minimal app."""
    from streamlit.testing.v1 import AppTest

    values = list(range(5, 100, 10))
    minimal = AppTest.from_file(str(ROOT / "benchmarks" / "minimal_app.py"), default_timeout=60)
    minimal.run()
    weigh = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
    weigh.run()
    weigh.switch_page("app_pages/weigh.py")
    weigh.run()
    if weigh.exception:
        raise SystemExit(f"The Weigh page raised: {weigh.exception[0].value}")

    # Interleave the two so that machine noise hits both alike.
    ref, page = [], []
    for _ in range(repeats):
        ref.append(_median_rerun_ms(minimal, lambda at, v: at.slider(key="n").set_value(v), values, 1))
        page.append(
            _median_rerun_ms(weigh, lambda at, v: at.slider(key="weight_diplomatic_cost").set_value(v), values, 1)
        )
    ref_ms, page_ms = statistics.median(ref), statistics.median(page)
    ratio = page_ms / ref_ms
    print("Weigh page rerun after a weight change (AppTest, server time, median)")
    print(f"  minimal app (one slider, one plotly chart) {ref_ms:8.2f} ms")
    print(f"  Weigh the options                          {page_ms:8.2f} ms")
    print(f"  ratio                                      {ratio:8.2f} x   (target <= 5x)")
    return {
        "weigh_rerun_ms": round(page_ms, 2),
        "minimal_rerun_ms": round(ref_ms, 2),
        "weigh_rerun_ratio": round(ratio, 2),
    }


BENCHMARKS: dict[str, Callable[[], dict[str, float]]] = {"weigh_rerun": weigh_rerun}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(BENCHMARKS), help="run one benchmark")
    args = parser.parse_args()
    figures: dict[str, float] = {}
    for name, bench in BENCHMARKS.items():
        if args.only and name != args.only:
            continue
        figures.update(bench())
        print()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
