"""What the seminar's three pages share: the store and the links to join a room and to show its screen.

The store is one per server process and database, kept outside Streamlit's caches: any client can ask the
server to clear those (a ``clear_cache`` message), and the rooms' connection pool must outlive that.
"""

from __future__ import annotations

import threading

from store.rooms import Rooms, make_engine
from store.schema import database_url
from ui.links import origin

_LOCK = threading.Lock()
_STORES: dict[str, Rooms] = {}


def get_rooms() -> Rooms:
    """The store for this process's database (made once; it holds a connection pool, never room data)."""
    url = database_url()
    with _LOCK:
        if url not in _STORES:
            _STORES[url] = Rooms(make_engine(url))
        return _STORES[url]


def forget_stores() -> None:
    """Close every store (tests point the app at a new database)."""
    with _LOCK:
        for rooms in _STORES.values():
            rooms.engine.dispose()
        _STORES.clear()


def join_link(code: str) -> str:
    return f"{origin().url}join?room={code}"


def screen_link(code: str) -> str:
    return f"{origin().url}screen?room={code}"
