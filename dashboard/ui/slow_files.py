"""Files that take seconds to make (the PowerPoint deck, a chart picture), made one at a time, off the page.

Kaleido draws charts in one Chromium per process, one picture at a time, and a deck takes a second or
more. Made inside Streamlit's download handler, a session asking for twelve decks held the server's
download threads while they waited their turn, and every other session's downloads waited behind them.
Here such files are made by one worker thread of this module's own: a session has at most one file in
the making (asking again says it is still being prepared), the queue is bounded (past it the server says
it is busy), and the page looks for the finished file every second while one is being made. The bytes
are handed to a download button with a name that carries their fingerprint, so Streamlit's media store
(which tells large files apart by length and samples) never mistakes one user's file for another's.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

import streamlit as st

from core.text import md_escape

JOB = "slow_file_job"
MESSAGE = "slow_file_message"  # (kind, text) about the last request that was not taken
MAX_WAITING = 6  # files queued or in the making, across every session of the process
_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slow-files")
_LOCK = threading.Lock()
_waiting = [0]


@dataclass(frozen=True)
class Job:
    kind: str  # which button asked ("pptx", "png")
    label: str  # what is being made, for the messages ("the slides")
    stem: str  # the file's name before its fingerprint and extension
    extension: str
    mime: str
    future: Future


def _run(make: Callable[[], bytes]) -> bytes:
    try:
        return make()
    finally:
        with _LOCK:
            _waiting[0] -= 1


def request(kind: str, label: str, make: Callable[[], bytes], name: tuple[str, str, str]) -> None:
    """Ask for a file (from a button's callback): ``make`` runs on the worker; ``name`` is (stem, extension, mime).

    A session with a file still in the making, or a server with a full queue, is told so instead."""
    job: Job | None = st.session_state.get(JOB)
    if job is not None and not job.future.done():
        st.session_state[MESSAGE] = (kind, f"Still preparing {job.label}: it will be ready in a moment.")
        return
    with _LOCK:
        if _waiting[0] >= MAX_WAITING:
            st.session_state[MESSAGE] = (kind, "The server is making other people's files just now: try again soon.")
            return
        _waiting[0] += 1
    stem, extension, mime = name
    st.session_state[JOB] = Job(kind, label, stem, extension, mime, _WORKER.submit(_run, make))
    st.session_state[MESSAGE] = None


@st.fragment(run_every=timedelta(seconds=1))
def _waiting_for(job: Job) -> None:
    if job.future.done():
        st.rerun(scope="app")
    st.info(f"Preparing {job.label}…", icon=":material/hourglass_top:")


def show(kind: str) -> None:
    """Where the button of ``kind`` stands: the message about the last request, the wait, or the download."""
    message = st.session_state.get(MESSAGE)
    if message and message[0] == kind:
        st.info(md_escape(message[1]), icon=":material/hourglass_top:")
    job: Job | None = st.session_state.get(JOB)
    if job is None or job.kind != kind:
        return
    if not job.future.done():
        _waiting_for(job)
        return
    try:
        data = job.future.result()
    except Exception as err:  # the drawing failed: say so, and the button can ask again
        st.error(md_escape(f"{job.label.capitalize()} could not be made ({type(err).__name__}). Try again."))
        return
    digest = hashlib.sha256(data).hexdigest()[:10]
    st.download_button(
        f"Download {job.label}",
        data=data,
        file_name=f"{job.stem}-{digest}.{job.extension}",
        mime=job.mime,
        key=f"download_{kind}",
        on_click="ignore",
        icon=":material/download:",
        type="primary",
    )
