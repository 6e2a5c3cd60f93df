"""Start ``streamlit run`` after applying a garbage-collection setting, to compare settings under load.

``python benchmarks/serve.py --gc freeze -- streamlit run dashboard/app.py ...``

``--gc`` takes ``freeze`` (import what the app imports, then ``gc.freeze()``, as the app would
do once after its imports), ``threshold=A,B,C`` (``gc.set_threshold``), ``stats`` (count and
time every collection, by generation, and print one line when the server stops), or several
joined by ``+``. Used by benchmarks/load.py; the app itself is not edited.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import signal
import sys
import time
from pathlib import Path

STATS_PREFIX = "gc stats:"
SLOW_MS = 50  # with stats, each collection at least this long is logged with its wall-clock end


def _import_app_modules(script: Path) -> None:
    """Import the modules the app will import, so that freezing moves them out of every collection."""
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import plotly.graph_objects
    import plotly.io  # noqa: F401
    import streamlit  # noqa: F401

    folder = script.resolve().parent
    sys.path.insert(0, str(folder))  # as streamlit run will; the modules are then the same objects
    for package in ("core", "charts", "ui"):
        for path in sorted((folder / package).glob("*.py")):
            name = package if path.stem == "__init__" else f"{package}.{path.stem}"
            importlib.import_module(name)


def _record_collections() -> None:
    """Time every collection by generation. SIGUSR1 starts the count afresh; SIGUSR2 (and exit) prints
    ``gc stats: gen0 n=.. total_ms=.. max_ms=.. | gen1 ... | gen2 ...`` to stderr, and every collection
    of SLOW_MS or more is logged as it ends."""
    started = [0.0]
    counts, totals, longest = [0, 0, 0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]

    def callback(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
            return
        g, ms = info["generation"], (time.perf_counter() - started[0]) * 1000
        counts[g] += 1
        totals[g] += ms
        longest[g] = max(longest[g], ms)
        if ms >= SLOW_MS:
            done = f"{info['collected']} collected, ended at {time.time():.3f}"
            print(f"gc slow: gen{g} {ms:.0f} ms, {done}", file=sys.stderr)

    def reset(*_) -> None:
        counts[:], totals[:], longest[:] = [0, 0, 0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]

    def report(*_) -> None:
        parts = [f"gen{g} n={counts[g]} total_ms={totals[g]:.0f} max_ms={longest[g]:.1f}" for g in range(3)]
        print(STATS_PREFIX, " | ".join(parts), file=sys.stderr, flush=True)

    gc.callbacks.append(callback)
    signal.signal(signal.SIGUSR1, reset)
    signal.signal(signal.SIGUSR2, report)
    atexit.register(report)


def apply(setting: str, script: Path) -> None:
    for part in setting.split("+"):
        name, _, value = part.partition("=")
        if name == "freeze":
            _import_app_modules(script)
            gc.collect()
            gc.freeze()
        elif name == "threshold":
            gc.set_threshold(*(int(v) for v in value.split(",")))
        elif name == "stats":
            _record_collections()
        else:
            raise SystemExit(f"--gc takes freeze, threshold=A,B,C, stats, or several joined by +; got {part!r}.")


def main() -> None:
    args = sys.argv[1:]
    if len(args) < 4 or args[0] != "--gc" or args[2] != "--" or args[3] != "streamlit":
        raise SystemExit("usage: serve.py --gc SETTING -- streamlit run SCRIPT [options]")
    setting, cli = args[1], args[3:]
    script = next((Path(a) for a in cli[2:] if a.endswith(".py")), None)
    if script is None:
        raise SystemExit("serve.py needs the app's script after 'streamlit run'.")
    apply(setting, script)
    from streamlit.web.cli import main as streamlit_main

    sys.argv = cli
    streamlit_main()


if __name__ == "__main__":
    main()
