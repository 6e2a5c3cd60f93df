"""Memoised results of the heavier computations, keyed on small immutable values.

The results depend only on the evidence version and the scenario (no user data), are
immutable, and are cheap to recompute, so one bounded store serves every session.
A plain memo avoids st.cache_data's pickling, which cost more than the work here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import plotly.graph_objects as go

from charts.ranking import matrix_figure
from charts.theme import Look
from core.evidence import Evidence
from core.ranking import options_in_view
from core.robustness import Acceptability, rank_acceptability
from core.scenario import Scenario
from core.scoring import to_value

T = TypeVar("T")


class Memo:
    """A small thread-safe least-recently-used store."""

    def __init__(self, size: int):
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]  # type: ignore[return-value]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value


_ACCEPTABILITY = Memo(512)
_MATRIX = Memo(16)


def acceptability(evidence: Evidence, scenario: Scenario, samples: int, first_only: bool = False) -> Acceptability:
    """Rank acceptability for a scenario; the same inputs return the stored (read-only) result."""
    make = lambda: rank_acceptability(evidence, scenario, samples=samples, first_only=first_only)  # noqa: E731
    if "-u" in evidence.version:
        return make()  # a user's own edits stay out of the shared store
    return _ACCEPTABILITY.get((evidence.version, scenario, samples, first_only), make)


def score_matrix_figure(evidence: Evidence, include_post_seed: bool, look: Look) -> go.Figure:
    """The option-by-criterion heatmap; it depends only on the evidence, which options are in view and the look.

    Shared between sessions: ``st.plotly_chart`` copies a figure before sending it, so nothing mutates it.
    """

    def make() -> go.Figure:
        keep = options_in_view(evidence, include_post_seed)
        likely = evidence.likely[keep]
        values = to_value(likely, evidence.scale_min, evidence.scale_max, evidence.benefit)
        ids = [o for o, k in zip(evidence.option_ids, keep, strict=True) if k]
        words = [
            [evidence.scale_label(c, v) for c, v in zip(evidence.criterion_ids, row, strict=True)] for row in likely
        ]
        marks = [
            [" ✎" if evidence.score_rows[(o, c)].get("user_edit") else "" for c in evidence.criterion_ids] for o in ids
        ]
        return matrix_figure(
            values,
            likely,
            words,
            marks,
            [evidence.option_name(o) for o in ids],
            [evidence.criterion_name(c) for c in evidence.criterion_ids],
            look=look,
        )

    if "-u" in evidence.version:
        return make()  # a user's own edits stay out of the shared store
    return _MATRIX.get((evidence.version, include_post_seed, look), make)
