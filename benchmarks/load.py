"""Load on the real server: ``python benchmarks/load.py --sessions 1,10,20,40 --seconds 20 --page weigh``.

A seminar room is one Streamlit process serving everyone, so this starts ``streamlit run`` on
loopback and opens N websocket sessions that speak Streamlit's own protocol, as the browser
does: fetch the health and host-config endpoints (which set the XSRF cookie), open
``/_stcore/stream`` with the ``streamlit`` subprotocol and the XSRF token, ask for the page,
collect the widgets from the deltas, and then move a slider every ~2 s (seeded jitter),
each time sending every widget's current value. Each rerun is timed from the message sent
to the server's ``script_finished``. The same load runs against the minimal app
(``benchmarks/minimal_app.py``) in the same run, for the reference.

Unlike AppTest, this sees what users wait for: the server's event loop, the websocket, and
the full garbage collection Streamlit runs after every script run (``runner.postScriptGC``).

Each level runs on a fresh server, warmed by one session that loads the page and moves a
slider (this also checks the protocol: if Streamlit's protocol changes, the run stops with a
sentence saying what was missing). Extra ``--config runner.postScriptGC=false`` pairs are
passed to ``streamlit run``; ``--gc freeze`` or ``--gc threshold=A,B,C`` start the server
through ``benchmarks/serve.py``, which applies that garbage-collection setting first.
Nothing here is asserted: the figures are printed, and the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
PERIOD_S = 2.0  # each user moves a slider about every 2 s
RERUN_TIMEOUT_S = 60.0  # a rerun that takes longer fails its session
CONNECT_TIMEOUT_S = 30.0
START_TIMEOUT_S = 90.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
MEMORY_ROOMS = 20  # rooms the seminar memory keeps per slot (ui/identity.py's MAX_ROOMS)


class ProtocolError(Exception):
    """The server did not answer the way Streamlit's browser client expects."""


# --- the apps under load ---------------------------------------------------------------


@dataclass(frozen=True)
class AppSpec:
    """What to run and which sliders a user moves."""

    name: str
    script: Path
    url_path: str  # "" for the main page
    slider_keys: tuple[str, ...]  # user keys, or key prefixes when ``by_prefix``
    by_prefix: bool = False

    def slider_name(self, user_key: str | None) -> str | None:
        """The slider a user key belongs to (the criterion for a weight slider), or None."""
        if user_key is None:
            return None
        if not self.by_prefix:
            return user_key if user_key in self.slider_keys else None
        # "weight_durability" or "weight_durability_0": match the longest criterion id, then a boundary.
        for prefix in sorted(self.slider_keys, key=len, reverse=True):
            if user_key == prefix or (user_key.startswith(prefix) and user_key[len(prefix)] in "_-"):
                return prefix
        return None


def criterion_ids() -> tuple[str, ...]:
    """The criteria's ids, in the evidence's order."""
    with open(ROOT / "data" / "criteria.csv", encoding="utf-8", newline="") as f:
        return tuple(row["criterion_id"] for row in csv.DictReader(f))


def minimal_app() -> AppSpec:
    return AppSpec("minimal app", BENCH / "minimal_app.py", "", ("n",))


def project_app(page: str = "weigh") -> AppSpec:
    if page != "weigh":
        raise SystemExit(f"Only the Weigh page has weight sliders to move; --page {page} is not supported.")
    keys = tuple(f"weight_{cid}" for cid in criterion_ids())
    return AppSpec("Weigh page", ROOT / "dashboard" / "app.py", "weigh", keys, by_prefix=True)


# --- Streamlit's protocol ------------------------------------------------------------


def _protos():
    """Streamlit's protobuf classes, checked for every field this client relies on."""
    try:
        import streamlit  # noqa: F401  (the protos import streamlit's config first)
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from streamlit.proto.NewSession_pb2 import NewSession
        from streamlit.proto.Slider_pb2 import Slider
        from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
    except ImportError as err:
        raise SystemExit(f"Streamlit's protocol classes could not be imported ({err}): is it installed?") from err
    needed = {
        BackMsg: ("rerun_script",),
        ClientState: (
            "query_string",
            "widget_states",
            "page_script_hash",
            "page_name",
            "cached_message_hashes",
            "context_info",
        ),
        ForwardMsg: (
            "hash",
            "metadata",
            "new_session",
            "delta",
            "script_finished",
            "page_info_changed",
            "ref_hash",
            "page_not_found",
        ),
        NewSession: ("page_script_hash", "config"),
        Slider: ("id", "type", "default", "value", "set_value", "min", "max", "step", "options", "raw_value"),
        WidgetState: ("id", "double_array_value", "string_array_value", "bool_value", "string_value"),
        WidgetStates: ("widgets",),
    }
    for cls, names in needed.items():
        have = set(cls.DESCRIPTOR.fields_by_name)
        missing = [n for n in names if n not in have]
        if missing:
            raise SystemExit(
                f"Streamlit's protocol has changed: its {cls.DESCRIPTOR.name} message has no "
                f"{', '.join(missing)} field, which this load benchmark needs. Update benchmarks/load.py."
            )
    statuses = ForwardMsg.ScriptFinishedStatus
    if "FINISHED_SUCCESSFULLY" not in statuses.keys():  # noqa: SIM118 (a protobuf enum, not a dict)
        raise SystemExit("Streamlit's protocol has changed: script_finished has no FINISHED_SUCCESSFULLY status.")
    return BackMsg, ClientState, ContextInfo, ForwardMsg, Slider, WidgetState


BackMsg, ClientState, ContextInfo, ForwardMsg, SliderProto, WidgetState = _protos()
FINISHED_OK = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
FRAGMENT_OK = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_FRAGMENT_RUN_SUCCESSFULLY")
# A callback asked for another run (a part of the page redrawn alone): the rerun goes on.
EARLY_FOR_RERUN = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
SELECT_SLIDER = SliderProto.Type.Value("SELECT_SLIDER")


def _user_key(widget_id: str) -> str | None:
    """The user key a widget id embeds: ``$$ID-<hash>-<key>`` (``None`` when it has none)."""
    parts = widget_id.split("-", 2)
    if len(parts) < 3 or parts[2] == "None":
        return None
    return parts[2]


def _slider_state(ws, w) -> bool:
    if w.type == SELECT_SLIDER:
        ws.string_array_value.data[:] = list(w.raw_value) if w.set_value else [w.options[int(i)] for i in w.default]
    else:
        ws.double_array_value.data[:] = list(w.value) if w.set_value else list(w.default)
    return True


def _checkbox_state(ws, w) -> bool:  # st.checkbox and st.toggle
    ws.bool_value = w.value if w.set_value else w.default
    return True


def _choice_state(ws, w) -> bool:  # st.radio and st.selectbox
    if w.set_value:
        if not w.HasField("raw_value"):
            return False
        ws.string_value = w.raw_value
    elif w.HasField("default") and 0 <= w.default < len(w.options):
        ws.string_value = w.options[w.default]
    else:
        return False
    return True


def _multiselect_state(ws, w) -> bool:
    ws.string_array_value.data[:] = list(w.raw_values) if w.set_value else [w.options[i] for i in w.default]
    return True


def _number_state(ws, w) -> bool:
    value = w.value if w.set_value else w.default
    if w.data_type == 0:  # INT
        ws.int_value = int(value)
    else:
        ws.double_value = value
    return True


def _text_state(ws, w) -> bool:  # st.text_input and st.text_area
    ws.string_value = w.value if w.set_value else w.default
    return True


# Each widget kind the client tracks, and how its value is read from what the server drew (False: not known).
_STATE_READERS = {
    "slider": _slider_state,
    "checkbox": _checkbox_state,
    "radio": _choice_state,
    "selectbox": _choice_state,
    "multiselect": _multiselect_state,
    "number_input": _number_state,
    "text_input": _text_state,
    "text_area": _text_state,
}


def _initial_state(kind: str, w) -> WidgetState | None:
    """The value the browser holds for a widget that the server has just drawn.

    Mirrors the frontend's widgets: a value set by code (``set_value``) wins, else the
    default. Buttons hold no state between clicks; widget kinds not listed are left out
    (the server then keeps their previous value, as if the browser had not sent it).
    """
    reader = _STATE_READERS.get(kind)
    if reader is None:
        return None
    ws = WidgetState(id=w.id)
    return ws if reader(ws, w) else None


STATELESS = {"button", "download_button", "link_button", "page_link"}


# --- one browser session ----------------------------------------------------------------


@dataclass
class SessionStats:
    latencies: list[float] = field(default_factory=list)
    sent: list[float] = field(default_factory=list)  # when each rerun was sent, seconds into the load
    load_s: float | None = None
    failure: str | None = None
    untracked: set[str] = field(default_factory=set)


def cookie_header(cookies: dict[str, str]) -> dict[str, str]:
    """The Cookie header a browser sends with what it holds (nothing when it holds nothing)."""
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}


async def _http_get(
    port: int,
    path: str,
    timeout: float = CONNECT_TIMEOUT_S,
    cookies: dict[str, str] | None = None,
    source: str | None = None,
) -> tuple[int, dict[str, str]]:
    """A plain HTTP/1.1 GET on loopback, sending ``cookies`` (from ``source``, a loopback address, if given):
    the status and the cookies the server set."""
    local = {"local_addr": (source, 0)} if source else {}
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port, **local), timeout)
    try:
        sent = "".join(f"{k}: {v}\r\n" for k, v in cookie_header(cookies or {}).items())
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n{sent}"
            "Connection: close\r\n\r\n".encode("ascii")
        )
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = int(head[0].split()[1]) if head and len(head[0].split()) > 1 else 0
    cookies = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "set-cookie":
            pair = value.strip().split(";", 1)[0]
            k, _, v = pair.partition("=")
            cookies[k.strip()] = v.strip()
    return status, cookies


class BrowserSession:
    """One websocket session that behaves, on the wire, like Streamlit's browser client."""

    def __init__(self, port: int, app: AppSpec):
        self.port = port
        self.app = app
        self.ws = None
        self.stats = SessionStats()
        self.query_string = ""
        self.forwarded_for: str | None = None  # an X-Forwarded-For header to send, as from a proxy
        self.source: str | None = None  # the loopback address to connect from (a phone's own, to a balancer)
        self.cookies: dict[str, str] = {}  # the browser's cookies for the site (a balancer's affinity cookie)
        self.storage: dict[str, str] = {}  # the browser's localStorage for the seminar memory, by slot
        self._reports: dict[str, str] = {}  # component id -> the state its script reported during this run
        self.page_script_hash = ""
        self.max_cache_age = 2
        self.states: dict[str, WidgetState] = {}  # the browser's widget values, by widget id
        self.sliders: dict[str, object] = {}  # slider name -> its latest proto
        self.buttons: dict[str, str] = {}  # a button's user key -> its widget id (to click it)
        self.alerts: list[tuple[int, str]] = []  # (format, body) of the messages the last run showed
        self._seen: set[str] = set()
        self._cache: dict[str, list] = {}  # ForwardMsg cache: hash -> [msg, run count when last used]
        self._runs = 0
        self._waiting: asyncio.Future | None = None
        self._new_session_seen = False
        self._run_error: str | None = None
        self._reader: asyncio.Task | None = None

    async def connect(self) -> None:
        from websockets.asyncio.client import connect

        base = f"127.0.0.1:{self.port}"
        for path in ("/_stcore/health", "/_stcore/host-config"):
            # The browser's cookies go with each request (a balancer's affinity cookie keeps it on one process).
            status, cookies = await _http_get(self.port, path, cookies=self.cookies, source=self.source)
            if status != 200:
                raise ProtocolError(f"the endpoint {path} answered HTTP {status}")
            self.cookies.update(cookies)
        xsrf = self.cookies.get("_streamlit_xsrf")
        # With XSRF protection on (as in .streamlit/config.toml) the server sets this cookie and the
        # browser sends it back as the second subprotocol entry; without it, a placeholder.
        token = xsrf or "PLACEHOLDER_AUTH_TOKEN"
        headers = cookie_header(self.cookies)
        if self.forwarded_for:
            # As a load balancer writes it: the seminar's per-client limits then see each phone on its own
            # (the server must trust this loopback proxy: DASHBOARD_TRUSTED_PROXIES=127.0.0.1).
            headers["X-Forwarded-For"] = self.forwarded_for
        try:
            self.ws = await connect(
                f"ws://{base}/_stcore/stream",
                subprotocols=["streamlit", token],
                origin=f"http://{base}",
                additional_headers=headers,
                max_size=None,
                proxy=None,
                open_timeout=CONNECT_TIMEOUT_S,
                ping_interval=None,  # the browser sends no websocket pings either
                **({"local_addr": (self.source, 0)} if self.source else {}),
            )
        except Exception as err:
            raise ProtocolError(f"the websocket ws://{base}/_stcore/stream could not be opened ({err})") from err
        if self.ws.subprotocol != "streamlit":
            raise ProtocolError(f"the server chose the subprotocol {self.ws.subprotocol!r}, not 'streamlit'")
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    async def reconnect(self, timeout: float = RERUN_TIMEOUT_S) -> float:
        """What the browser does when its websocket drops (the process it was on died): open a new one, which is
        a new session on whichever process the balancer picks, and ask for the page with every widget value it
        holds. Its cookies, its localStorage and its widget values stay, as in the browser's tab."""
        await self.close()
        self.ws, self._reader, self._new_session_seen = None, None, False
        self._cache.clear()  # the new session has sent this client nothing yet
        await self.connect()
        return await self.rerun(list(self.states.values()), timeout)

    # -- receiving --

    async def _read(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for raw in self.ws:
                if isinstance(raw, str):
                    self._fail_run("the server sent a text frame; Streamlit speaks binary protobufs")
                    continue
                self._handle(ForwardMsg.FromString(raw))
        except ConnectionClosed:
            pass
        except Exception as err:  # a message this client cannot read: fail the waiting rerun, loudly
            self._fail_run(f"a ForwardMsg could not be handled ({type(err).__name__}: {err})")
            return
        self._fail_run("the server closed the websocket")

    def _fail_run(self, reason: str) -> None:
        self._run_error = self._run_error or reason
        if self._waiting is not None and not self._waiting.done():
            self._waiting.set_result(None)

    def _resolve(self, msg):
        """The message itself, or the cached one a ``ref_hash`` points to (None if this client never got it);
        cacheable messages are remembered, as the browser does."""
        if msg.WhichOneof("type") == "ref_hash":
            entry = self._cache.get(msg.ref_hash)
            if entry is None:
                self._fail_run(f"the server referred to a cached message this client never got ({msg.ref_hash})")
                return None
            entry[1] = self._runs
            cached = ForwardMsg()
            cached.CopyFrom(entry[0])
            cached.metadata.CopyFrom(msg.metadata)
            return cached
        if msg.metadata.cacheable and msg.hash:
            if msg.hash in self._cache:
                self._cache[msg.hash][1] = self._runs
            else:
                self._cache[msg.hash] = [msg, self._runs]
        return msg

    def _handle(self, msg) -> None:
        msg = self._resolve(msg)
        if msg is None:
            return
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self._new_session(msg.new_session)
        elif kind == "delta":
            if msg.delta.WhichOneof("type") == "new_element":
                self._element(msg.delta.new_element)
        elif kind in ("page_info_changed", "navigation", "page_not_found"):
            self._page(kind, msg)
        elif kind == "script_finished" and self._new_session_seen:
            self._finished(msg.script_finished)

    def _new_session(self, new_session) -> None:
        self._new_session_seen = True
        self._seen = set()
        self.page_script_hash = new_session.page_script_hash or self.page_script_hash
        if new_session.config.max_cached_message_age:
            self.max_cache_age = new_session.config.max_cached_message_age

    def _page(self, kind: str, msg) -> None:
        """The page's address changed, the app navigated to another page, or no page was found."""
        if kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "navigation":
            if msg.navigation.page_script_hash:
                self.page_script_hash = msg.navigation.page_script_hash
        else:
            self._run_error = self._run_error or f"the server found no page at the url path {self.app.url_path!r}"

    def _finished(self, status) -> None:
        if status == EARLY_FOR_RERUN:
            return  # the user still waits for the run that follows
        if status in (FINISHED_OK, FRAGMENT_OK):
            self._end_of_run(full=status == FINISHED_OK)
        else:
            name = ForwardMsg.ScriptFinishedStatus.Name(status)
            self._run_error = self._run_error or f"the script finished with status {name}"
        if self._waiting is not None and not self._waiting.done():
            self._waiting.set_result(time.perf_counter())

    def _element(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind in ("exception", "alert"):
            self._message(kind, element)
            return
        w = getattr(element, kind, None) if kind else None
        if kind == "bidi_component":
            self._component(w)
            return
        wid = getattr(w, "id", "") if w is not None else ""
        if not isinstance(wid, str) or not wid.startswith("$$ID"):
            return  # not a widget
        if hasattr(w, "selection_mode") and not w.selection_mode:
            return  # a chart or table without selections holds no widget state
        self._widget(kind, wid, w)

    def _message(self, kind: str, element) -> None:
        """An exception or an alert the app drew: an exception or an error fails the run."""
        if kind == "exception":
            e = element.exception
            self._run_error = self._run_error or f"the app raised {e.type}: {e.message[:200]}"
            return
        self.alerts.append((element.alert.format, element.alert.body))
        if element.alert.format == element.alert.ERROR:
            self._run_error = self._run_error or f"the app showed an error: {element.alert.body[:200]}"

    def _component(self, w) -> None:
        """A Streamlit v2 component. The seminar memory's script (``ui/identity.py``) is played here on this
        client's localStorage: it writes what the server sends, keeps the last MEMORY_ROOMS rooms, and reports
        what it holds when that differs from what the server knows (which makes the browser run the page again).
        Other components draw nothing this client needs."""
        self._seen.add(w.id)
        try:
            data = json.loads(w.json or w.mixed.json or "null")
        except ValueError:
            return
        if not (isinstance(data, dict) and isinstance(data.get("slot"), str)):
            self.stats.untracked.add("bidi_component")
            return
        try:
            saved = json.loads(self.storage.get(data["slot"], "{}"))
        except ValueError:
            saved = {}
        saved = saved if isinstance(saved, dict) else {}
        for code, value in (data.get("write") or {}).items():
            if value is None:
                saved.pop(code, None)
            elif saved.get(code) != value:
                saved.pop(code, None)
                saved[code] = value
        while len(saved) > MEMORY_ROOMS:
            saved.pop(next(iter(saved)))
        text = json.dumps(saved, separators=(",", ":"), ensure_ascii=False)  # as JSON.stringify writes it
        self.storage[data["slot"]] = text
        if text != data.get("known"):
            self._reports[w.id] = text

    def _widget(self, kind: str, wid: str, w) -> None:
        """A widget the server drew: a slider to move, a button to click, or a value the browser now holds."""
        self._seen.add(wid)
        if kind == "slider":
            name = self.app.slider_name(_user_key(wid))
            if name is not None:
                self.sliders[name] = w
        if kind in STATELESS:
            key = _user_key(wid)
            if key is not None:
                self.buttons[key] = wid
            return
        if wid in self.states and not getattr(w, "set_value", False):
            return  # the browser keeps the value it has
        state = _initial_state(kind, w)
        if state is None:
            self.stats.untracked.add(kind)
        else:
            self.states[wid] = state

    def _end_of_run(self, full: bool) -> None:
        if full:
            # The browser forgets widgets the run did not draw, and expires old cached messages.
            self.states = {k: v for k, v in self.states.items() if k in self._seen}
            self.sliders = {k: v for k, v in self.sliders.items() if v.id in self._seen}
        self._runs += 1
        for h in [h for h, (_, used) in self._cache.items() if self._runs - used > self.max_cache_age]:
            del self._cache[h]

    # -- sending --

    def _client_state(self, widgets: Iterable[WidgetState]):
        cs = ClientState(
            query_string=self.query_string,
            page_script_hash=self.page_script_hash,
            # Before the first run the browser knows only the URL path, so it asks for the page by name.
            page_name="" if self.page_script_hash else self.app.url_path,
            cached_message_hashes=list(self._cache),
            context_info=ContextInfo(
                timezone="UTC",
                timezone_offset=0,
                locale="en-US",
                url=f"http://127.0.0.1:{self.port}/{self.app.url_path}",
                is_embedded=False,
                color_scheme="light",
            ),
        )
        cs.widget_states.widgets.extend(widgets)
        return cs

    async def rerun(self, widgets: Iterable[WidgetState], timeout: float = RERUN_TIMEOUT_S, follow: int = 2) -> float:
        """Send a rerun_script and wait for its script_finished (and for up to ``follow`` runs that a component's
        report brings); the seconds it took."""
        loop = asyncio.get_running_loop()
        self._waiting = loop.create_future()
        self._new_session_seen = False
        self._run_error = None
        self.alerts = []
        from websockets.exceptions import ConnectionClosed

        self._reports = {}
        msg = BackMsg(rerun_script=self._client_state(widgets))
        start = time.perf_counter()
        try:
            await self.ws.send(msg.SerializeToString())
        except ConnectionClosed as err:
            raise ProtocolError(f"the websocket was closed ({err})") from None
        try:
            end = await asyncio.wait_for(self._waiting, timeout)
        except TimeoutError:
            raise ProtocolError(f"no script_finished arrived within {timeout:.0f} s of a rerun") from None
        if self._run_error:
            raise ProtocolError(self._run_error)
        if self._reports and follow > 0:
            # A component's script reported what the browser holds: the browser runs the page again with it,
            # and the user waits for that run too.
            for cid, text in self._reports.items():
                self.states[cid] = WidgetState(id=cid, json_value=json.dumps({"saved": text}))
            return end - start + await self.rerun(list(self.states.values()), timeout, follow - 1)
        return end - start

    async def load_page(self, timeout: float = RERUN_TIMEOUT_S) -> float:
        return await self.rerun([], timeout)

    async def click(self, key: str, timeout: float = RERUN_TIMEOUT_S) -> float:
        """Click the button with user key ``key``, sending every widget's value with it, as the browser does."""
        if key not in self.buttons:
            raise ProtocolError(f"the page drew no button with the key {key!r}")
        clicked = WidgetState(id=self.buttons[key], trigger_value=True)
        return await self.rerun([*self.states.values(), clicked], timeout)

    def move(self, rng: random.Random) -> list[WidgetState]:
        """Every widget's value, with one slider moved to a new value on its own scale."""
        name = rng.choice(sorted(self.sliders))
        s = self.sliders[name]
        state = self.states.get(s.id)
        current = state.double_array_value.data[0] if state and state.double_array_value.data else None
        step = s.step or 1
        values = [s.min + i * step for i in range(int((s.max - s.min) / step) + 1)]
        values = [v for v in values if v != current] or values
        moved = WidgetState(id=s.id)
        moved.double_array_value.data[:] = [float(rng.choice(values))]
        self.states[s.id] = moved
        return list(self.states.values())


# --- the server -------------------------------------------------------------------------


def machine_busy_seconds() -> float:
    """CPU seconds every process on the machine has used since boot (all but idle and iowait), from /proc/stat."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / CLOCK_TICKS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _config_flags(config: Sequence[str]) -> list[str]:
    flags = []
    for pair in config:
        name, sep, value = pair.partition("=")
        if not sep or "." not in name:
            raise SystemExit(f"--config takes section.option=value, such as runner.postScriptGC=false; got {pair!r}.")
        flags += [f"--{name.strip()}", value.strip()]
    return flags


class Server:
    """``streamlit run`` on loopback, with its CPU time and memory read from /proc."""

    def __init__(
        self,
        app: AppSpec,
        config: Sequence[str] = (),
        gc: str | None = None,
        env: dict[str, str] | None = None,
        port: int | None = None,
    ):
        self.app = app
        self.gc = gc
        self.env = {**os.environ, **(env or {})}  # the server's environment: this one's, with ``env`` on top
        self.port = port or free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="load-server-", suffix=".log", delete=False)  # noqa: SIM115
        launcher = [sys.executable, str(BENCH / "serve.py"), "--gc", gc, "--"] if gc else [sys.executable, "-m"]
        self.cmd = [
            *launcher,
            "streamlit",
            "run",
            str(app.script),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(self.port),
            "--browser.gatherUsageStats",
            "false",
            *_config_flags(config),
        ]
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        # From the repository root, so .streamlit/config.toml (XSRF protection on, and the rest) applies to both apps.
        self.proc = subprocess.Popen(self.cmd, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = self.log_tail()
                self.__exit__()
                raise SystemExit(f"streamlit run exited with code {self.proc.returncode}.\n{tail}")
            try:
                status, _ = asyncio.run(_http_get(self.port, "/_stcore/health", timeout=2))
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        tail = self.log_tail()
        self.__exit__()
        raise SystemExit(f"streamlit run did not answer /_stcore/health within {START_TIMEOUT_S:.0f} s.\n{tail}")

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)

    def gc_stats(self, start: bool) -> str | None:
        """With ``--gc stats``: start counting collections afresh, or return the counts since then."""
        if not self.gc or "stats" not in self.gc.split("+"):
            return None
        if start:
            os.kill(self.proc.pid, signal.SIGUSR1)
            return None
        os.kill(self.proc.pid, signal.SIGUSR2)
        for _ in range(50):
            time.sleep(0.1)
            lines = [x for x in Path(self.log.name).read_text(errors="replace").splitlines() if "gc stats:" in x]
            if lines:
                return lines[-1].split("gc stats:", 1)[1].strip()
        return "the server printed no gc stats"

    def log_tail(self, lines: int = 20) -> str:
        text = Path(self.log.name).read_text(encoding="utf-8", errors="replace").splitlines()
        return "Server log (last lines):\n  " + "\n  ".join(text[-lines:]) if text else "The server wrote no log."

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise SystemExit("/proc/<pid>/status has no VmRSS line; this benchmark needs Linux's /proc.")


# --- one level of load ----------------------------------------------------------------


@dataclass
class LevelResult:
    app: str
    sessions: int
    seconds: float
    latencies: list[float]
    page_loads: list[float]
    reruns_per_session: list[int]
    failures: list[str]
    cpu_s: float
    client_cpu_s: float
    others_cpu_s: float  # CPU the rest of the machine used meanwhile (another agent's work, say)
    wall_s: float
    rss_base_mb: float
    rss_loaded_mb: float
    rss_end_mb: float
    untracked: set[str]
    rss_samples: list[tuple[float, float]] = field(default_factory=list)
    gc_stats: str | None = None  # collections by generation during the load, with --gc stats
    timeline: list[tuple[float, float]] = field(default_factory=list)  # (sent at, latency), in order sent

    @property
    def reruns(self) -> int:
        return len(self.latencies)

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]

    @property
    def reruns_per_s(self) -> float:
        return self.reruns / self.wall_s if self.wall_s else 0.0

    @property
    def cpu_ms_per_rerun(self) -> float:
        return self.cpu_s / self.reruns * 1000 if self.reruns else float("nan")

    @property
    def mb_per_session(self) -> float:
        return (self.rss_end_mb - self.rss_base_mb) / self.sessions


async def _warm_up(server: Server, app: AppSpec) -> None:
    """One session loads the page and moves a slider: the imports and caches are paid here, and the
    protocol is checked. Any surprise stops the benchmark with a sentence."""
    s = BrowserSession(server.port, app)
    try:
        await s.connect()
        await s.load_page()
        if not s.page_script_hash:
            raise ProtocolError("no new_session message named the page's script hash")
        if not s.sliders:
            raise ProtocolError(
                f"the {app.name} drew no slider whose key is one of {', '.join(app.slider_keys)}"
                + (" (or starts with one of them)" if app.by_prefix else "")
            )
        await s.rerun(s.move(random.Random(0)))
    except ProtocolError as err:
        raise SystemExit(
            f"The load benchmark could not drive the {app.name} the way a browser does: {err}. "
            "Streamlit's protocol or the app may have changed.\n" + server.log_tail()
        ) from None
    finally:
        await s.close()


async def _user(
    s: BrowserSession,
    rng: random.Random,
    start: float,
    end: float,
    stats: SessionStats,
) -> None:
    """Move a slider about every PERIOD_S seconds until ``end``; a user waits for the chart before moving again."""
    next_at = start + rng.uniform(0, PERIOD_S)
    try:
        while True:
            now = time.perf_counter()
            if next_at >= end:
                break
            if next_at > now:
                await asyncio.sleep(next_at - now)
            sent = time.perf_counter()
            stats.sent.append(sent - start)
            stats.latencies.append(await s.rerun(s.move(rng)))
            next_at = sent + rng.uniform(0.75 * PERIOD_S, 1.25 * PERIOD_S)
    except ProtocolError as err:
        stats.failure = str(err)


async def _level(
    server: Server, app: AppSpec, sessions: int, seconds: float, seed: int, sample_every: float | None
) -> LevelResult:
    await _warm_up(server, app)
    rss_base = server.rss_mb()

    async def open_one(i: int) -> BrowserSession:
        s = BrowserSession(server.port, app)
        await asyncio.sleep(i * 0.05)  # people arrive over a couple of seconds, not in one instant
        try:
            await s.connect()
            s.stats.load_s = await s.load_page()
            if not s.sliders:
                raise ProtocolError("the page drew no slider to move")
        except (ProtocolError, OSError) as err:
            s.stats.failure = f"page load: {err}"
        return s

    people = await asyncio.gather(*(open_one(i) for i in range(sessions)))
    rss_loaded = server.rss_mb()
    server.gc_stats(start=True)
    cpu0, client0, busy0 = server.cpu_seconds(), time.process_time(), machine_busy_seconds()
    start = time.perf_counter()
    end = start + seconds
    samples: list[tuple[float, float]] = []

    async def sampler() -> None:
        while True:
            samples.append((time.perf_counter() - start, server.rss_mb()))
            await asyncio.sleep(sample_every)

    sampling = asyncio.create_task(sampler()) if sample_every else None
    await asyncio.gather(
        *(
            _user(s, random.Random(seed * 10_000 + i), start, end, s.stats)
            for i, s in enumerate(people)
            if s.stats.failure is None
        )
    )
    wall = time.perf_counter() - start
    cpu, client = server.cpu_seconds() - cpu0, time.process_time() - client0
    others = max(0.0, machine_busy_seconds() - busy0 - cpu - client)
    rss_end = server.rss_mb()
    gc_stats = server.gc_stats(start=False)
    if sampling:
        sampling.cancel()
        samples.append((wall, rss_end))
    await asyncio.gather(*(s.close() for s in people), return_exceptions=True)
    return LevelResult(
        app=app.name,
        sessions=sessions,
        seconds=seconds,
        latencies=[x for s in people for x in s.stats.latencies],
        timeline=sorted((t, x) for s in people for t, x in zip(s.stats.sent, s.stats.latencies, strict=False)),
        page_loads=[s.stats.load_s for s in people if s.stats.load_s is not None],
        reruns_per_session=[len(s.stats.latencies) for s in people],
        failures=[s.stats.failure for s in people if s.stats.failure],
        cpu_s=cpu,
        client_cpu_s=client,
        others_cpu_s=others,
        wall_s=wall,
        rss_base_mb=rss_base,
        rss_loaded_mb=rss_loaded,
        rss_end_mb=rss_end,
        untracked=set().union(*(s.stats.untracked for s in people)),
        rss_samples=samples,
        gc_stats=gc_stats,
    )


def measure(
    app: AppSpec,
    sessions: int,
    seconds: float,
    config: Sequence[str] = (),
    gc: str | None = None,
    seed: int = 1,
    sample_every: float | None = None,
) -> LevelResult:
    """Start a fresh server for ``app``, put ``sessions`` users on it for ``seconds``, and stop it."""
    with Server(app, config, gc) as server:
        return asyncio.run(_level(server, app, sessions, seconds, seed, sample_every))


# --- reporting --------------------------------------------------------------------------


def _row(r: LevelResult) -> str:
    return (
        f"  {r.app:<12} {r.sessions:>3}  {r.pct(50):7.3f} {r.pct(95):7.3f}  {r.reruns_per_s:6.1f}  "
        f"{len(r.failures):>3}  {r.cpu_ms_per_rerun:7.1f}  {r.mb_per_session:7.2f}  "
        f"{statistics.median(r.page_loads) if r.page_loads else float('nan'):6.2f}  "
        f"{r.client_cpu_s / max(r.wall_s, 1e-9):6.2f}  {r.others_cpu_s / max(r.wall_s, 1e-9):6.2f}"
    )


HEADER = (
    "  app          N    p50 s   p95 s  rerun/s fail  CPU ms/  MB per  page    cores used by\n"
    "                                                 rerun    session load s  client others\n"
    "  ------------ ---  ------- -------  ------ ----  -------  -------  ------  ------ ------"
)


def _slope(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope in MB per minute."""
    if len(samples) < 2:
        return 0.0
    xs, ys = [t / 60 for t, _ in samples], [m for _, m in samples]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def load(
    sessions: Sequence[int] = (1, 10, 20, 40),
    seconds: float = 20,
    page: str = "weigh",
    config: Sequence[str] = (),
    gc: str | None = None,
    seed: int = 1,
) -> dict[str, float]:
    """The load benchmark: every level against the project page and the minimal app, in the same run."""
    project, minimal = project_app(page), minimal_app()
    setting = " ".join([*config, *([f"gc={gc}"] if gc else [])]) or "the project's .streamlit/config.toml"
    print(f"Load on the real server: N sessions each moving a slider every ~{PERIOD_S:.0f} s ({setting})")
    print(f"  {seconds:g} s per level, a fresh server each; latency = rerun_script sent -> script_finished")
    print(HEADER)
    results: dict[tuple[str, int], LevelResult] = {}
    for n in sessions:
        for app in (project, minimal):  # the reference right after, so machine noise hits both alike
            r = measure(app, n, seconds, config, gc, seed)
            results[(app.name, n)] = r
            print(_row(r), flush=True)
            for reason in sorted(set(r.failures))[:3]:
                print(f"      failed: {reason}")
            if r.gc_stats:
                print(f"      collections during the load: {r.gc_stats}")
    untracked = set().union(*(r.untracked for r in results.values()))
    if untracked:
        print(f"  (widget kinds whose values this client does not model, left out of reruns: {sorted(untracked)})")
    print("  targets at 40 sessions: p95 <= 1 s, 0 failed sessions, <= 15 MB per session")
    figures: dict[str, float] = {}
    for n in sessions:
        p, m = results[(project.name, n)], results[(minimal.name, n)]
        figures.update(
            {
                f"load{n}_p50_s": round(p.pct(50), 3),
                f"load{n}_p95_s": round(p.pct(95), 3),
                f"load{n}_reruns_per_s": round(p.reruns_per_s, 2),
                f"load{n}_failed_sessions": len(p.failures),
                f"load{n}_cpu_ms_per_rerun": round(p.cpu_ms_per_rerun, 1),
                f"load{n}_mb_per_session": round(p.mb_per_session, 2),
                f"load{n}_minimal_p50_s": round(m.pct(50), 3),
                f"load{n}_minimal_p95_s": round(m.pct(95), 3),
                f"load{n}_minimal_cpu_ms_per_rerun": round(m.cpu_ms_per_rerun, 1),
                f"load{n}_others_cores": round(p.others_cpu_s / max(p.wall_s, 1e-9), 2),
            }
        )
    top = max(sessions)
    ratio = results[(project.name, top)].cpu_ms_per_rerun / results[(minimal.name, top)].cpu_ms_per_rerun
    figures["server_cpu_ratio"] = round(ratio, 2)
    print(f"  server CPU per rerun, Weigh page / minimal app, at {top} sessions: {ratio:.2f} x")
    return figures


def soak(
    minutes: float, sessions: int = 40, page: str = "weigh", config: Sequence[str] = (), gc: str | None = None
) -> dict[str, float]:
    """Hold ``sessions`` users on the project page for ``minutes``, sampling server memory every 30 s."""
    r = measure(project_app(page), sessions, minutes * 60, config, gc, seed=7, sample_every=30)
    half = [(t, m) for t, m in r.rss_samples if t >= r.wall_s / 2]
    slope = _slope(half)
    setting = " ".join([*config, *([f"gc={gc}"] if gc else [])]) or "the project's .streamlit/config.toml"
    print(f"Soak: {sessions} sessions on the Weigh page for {minutes:g} min ({setting})")
    print(HEADER)
    print(_row(r))
    if r.gc_stats:
        print(f"  collections during the soak: {r.gc_stats}")
    print(f"  server memory: {r.rss_base_mb:.0f} MB before sessions, {r.rss_loaded_mb:.0f} MB with them loaded")
    print("  minute  RSS MB")
    for t, m in r.rss_samples:
        print(f"  {t / 60:6.1f}  {m:6.0f}")
    print(f"  max {max(m for _, m in r.rss_samples):.0f} MB; trend over the last half {slope:+.2f} MB/min")
    return {
        "soak_minutes": minutes,
        "soak_p50_s": round(r.pct(50), 3),
        "soak_p95_s": round(r.pct(95), 3),
        "soak_reruns": r.reruns,
        "soak_failed_sessions": len(r.failures),
        "soak_rss_base_mb": round(r.rss_base_mb, 1),
        "soak_rss_max_mb": round(max(m for _, m in r.rss_samples), 1),
        "soak_rss_end_mb": round(r.rss_end_mb, 1),
        "soak_rss_slope_mb_per_min": round(slope, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,10,20,40", help="comma-separated session counts")
    parser.add_argument("--seconds", type=float, default=20, help="seconds of slider moves per level (0: soak only)")
    parser.add_argument("--page", default="weigh", help="the project page under load (weigh)")
    parser.add_argument(
        "--config",
        action="extend",
        nargs="+",
        default=[],
        metavar="SECTION.OPTION=VALUE",
        help="passed to streamlit run as --SECTION.OPTION VALUE (one or more; repeatable)",
    )
    parser.add_argument(
        "--gc", help="start the server through serve.py with: freeze, threshold=A,B,C, stats, or several joined by +"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--soak-minutes", type=float, help="then hold the largest N on the project page this long")
    args = parser.parse_args()
    try:
        sessions = [int(n) for n in args.sessions.split(",") if n.strip()]
    except ValueError:
        raise SystemExit(
            f"--sessions takes numbers separated by commas, such as 1,10,20,40; got {args.sessions!r}."
        ) from None
    figures = load(sessions, args.seconds, args.page, args.config, args.gc, args.seed) if args.seconds > 0 else {}
    if args.soak_minutes:
        print()
        figures.update(soak(args.soak_minutes, max(sessions), args.page, args.config, args.gc))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
