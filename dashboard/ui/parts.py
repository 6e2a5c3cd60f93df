"""Parts of a page that rerun on their own (Streamlit fragments) and keep the share link in step.

A seminar room is one server process: when a weight slider moves, only the results need redrawing,
not the score matrix, the evidence card or the app's frame. A part reads the session's state
itself (never arguments that could be stale on its own reruns) and, because the app's frame does
not run on those reruns, writes the scenario into the URL itself.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import streamlit as st

from ui.links import keep_url_in_step
from ui.loaders import get_evidence


def page_part(key: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Decorate a function drawing one part of a page; ``key`` lets a control outside it rerun it alone.

    Arguments are those of the page's last full run: pass only what a part's own reruns cannot change.
    """

    def wrap(body: Callable[..., None]) -> Callable[..., None]:
        @st.fragment(key=key)
        @wraps(body)
        def part(*args: Any, **kwargs: Any) -> None:
            body(*args, **kwargs)
            keep_url_in_step(get_evidence())

        return part

    return wrap
