"""Expanders whose content is built only while they are open.

Tables, downloads and second looks that most readers never open cost every rerun when they are
built anyway; a room of phones pays that on every slider move. The open state is kept under
``key`` (so it survives reruns and a test can set it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st


@contextmanager
def lazy_expander(label: str, key: str, expanded: bool = False) -> Iterator[bool]:
    """``with lazy_expander(label, key) as open_:`` build the content only ``if open_``."""
    with st.expander(label, expanded=expanded, key=key, on_change="rerun") as box:
        yield bool(box.open)
