"""One bounded, thread-safe memo for results that any session may share.

Results here depend only on the sourced evidence and the scenario (never on a user's own edits:
callers keep those out), are read-only, and cost more to compute than to look up. Every store is
bounded, by the number of entries or by their size in bytes, so a room full of users cannot grow
the server's memory without limit.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Memo(Generic[T]):
    """A least-recently-used store of at most ``max_entries`` entries or ``max_bytes`` bytes.

    ``size`` gives an entry's size in bytes (default 1, so ``max_bytes`` then counts entries too).
    An entry bigger than a quarter of the store is computed but not kept, so one large on-demand
    run never evicts the everyday entries.
    """

    def __init__(self, max_entries: int = 256, max_bytes: int | None = None, size: Callable[[T], int] | None = None):
        self._items: OrderedDict[Hashable, tuple[T, int]] = OrderedDict()
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._size = size or (lambda _value: 1)
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
        value = make()
        size = self._size(value)
        if self._max_bytes is not None and size > self._max_bytes // 4:
            return value
        with self._lock:
            if key not in self._items:
                self._items[key] = (value, size)
                self._bytes += size
            while len(self._items) > 1 and (
                len(self._items) > self._max_entries or (self._max_bytes is not None and self._bytes > self._max_bytes)
            ):
                _, (_, old) = self._items.popitem(last=False)
                self._bytes -= old
        return value

    def __len__(self) -> int:
        return len(self._items)

    @property
    def bytes(self) -> int:
        return self._bytes

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0
