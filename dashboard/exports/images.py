"""Static chart images from kaleido, which draws plotly figures in a headless Chromium.

Starting Chromium takes a second or two, so each server process keeps one kaleido browser and
hands it every image (under a lock: one image at a time), instead of starting one per image.
Where no Chromium is found, :func:`available` says so and the app says it plainly; the HTML
briefing needs none.
"""

from __future__ import annotations

import atexit
import threading
from typing import Any

import plotly.graph_objects as go

NO_CHROMIUM = (
    "Chart images (the PowerPoint deck and PNG files) need a Chromium browser on the server, and none was "
    "found. Install one (on Debian or Ubuntu: sudo apt install chromium; elsewhere Google Chrome works too, "
    "or run kaleido_get_chrome once) and restart the app. The HTML briefing works without it."
)
_LOCK = threading.Lock()
_STARTED = False
_FOUND: list[str | None] = []  # the browser found, looked up once per process


class ImagesUnavailable(RuntimeError):
    """No Chromium for kaleido; the message says what to do."""


def chromium_path() -> str | None:
    """The Chromium that kaleido would use, or None (looked up once per process)."""
    if not _FOUND:
        try:
            from choreographer.browsers.chromium import Chromium

            _FOUND.append(Chromium.find_browser(skip_local=False))
        except Exception:
            _FOUND.append(None)
    return _FOUND[0]


def available() -> bool:
    return chromium_path() is not None


def _start() -> None:
    global _STARTED
    if _STARTED:
        return
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    atexit.register(kaleido.stop_sync_server, silence_warnings=True)
    _STARTED = True


def png(fig: go.Figure | dict[str, Any], width: int, height: int, scale: float = 1.0) -> bytes:
    """``fig`` as a PNG of ``width`` x ``height`` CSS pixels times ``scale``; raises :class:`ImagesUnavailable`."""
    return _image(fig, "png", width, height, scale)


def svg(fig: go.Figure | dict[str, Any], width: int, height: int) -> str:
    """``fig`` as SVG text, laid out exactly as :func:`png` draws it (the labels plotly shows are its text)."""
    out = _image(fig, "svg", width, height, 1.0)
    return out.decode("utf-8") if isinstance(out, bytes) else out


def _image(fig: go.Figure | dict[str, Any], kind: str, width: int, height: int, scale: float) -> bytes:
    if not available():
        raise ImagesUnavailable(NO_CHROMIUM)
    import kaleido

    spec = fig.to_dict() if hasattr(fig, "to_dict") else fig
    with _LOCK:
        _start()
        return kaleido.calc_fig_sync(spec, opts={"format": kind, "width": width, "height": height, "scale": scale})
