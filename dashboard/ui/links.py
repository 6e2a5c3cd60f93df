"""Share links: read the scenario from the URL once per session, keep the URL in step with it, and make the
links and QR codes that other people open (at the public address, never at one a browser claims)."""

from __future__ import annotations

import io
import os
import socket
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import segno
import streamlit as st

from core.evidence import Evidence
from core.scenario_link import MAX_LINK_CHARS, from_query, known_parts, link_length, to_query
from core.text import md_escape, quoted
from ui import state

ROOM_PART = "room"  # a seminar join link's room code (join?room=ABC234)


def read_link_once(evidence: Evidence) -> None:
    """On a session's first run, load the scenario a share link carries (bad parts give notices)."""
    if st.session_state.get(state.LINK_READ):
        return
    st.session_state[state.LINK_READ] = True
    query = {k: st.query_params.get_all(k) for k in st.query_params.keys()}  # noqa: SIM118
    room = query.pop(ROOM_PART, None)
    if room:
        st.session_state[state.JOIN_CODE] = str(room[-1])[:6].upper()  # a seminar join link: not a scenario part
    if not query:
        return
    if not set(query) & known_parts():
        names = ", ".join(quoted(k) for k in sorted(query)[:5])
        state.notify(f"Ignored the unknown link parts: {names}.")
        return
    loaded = from_query(query, evidence, state.get_scenario())
    state.apply_scenario(loaded.scenario, loaded.notices)


def share_query(evidence: Evidence) -> dict[str, str]:
    return to_query(state.get_scenario(), evidence)


def keep_url_in_step(evidence: Evidence) -> bool:
    """Write the scenario into the URL; return False when the edits had to be left out (too long).

    Skipped when the URL already holds what was written for this very scenario (immutable, so ``is``
    suffices): parts of a page that rerun alone call this after every move."""
    scenario = state.get_scenario()
    now = st.query_params.to_dict()
    written = st.session_state.get(state.URL_WRITTEN)
    if written is not None and written[0] is scenario and written[1] == now:
        return written[2]  # (a page switch drops the query: then it differs, and is written again)
    query = share_query(evidence)
    whole = link_length(query) <= MAX_LINK_CHARS
    if not whole:
        query = {k: v for k, v in query.items() if k != "x"}
    code = st.session_state.get(state.JOINED) or st.session_state.get(state.JOIN_CODE)
    if code:
        query[ROOM_PART] = code  # a participant who reloads the page stays in the room
    if now != query:
        st.query_params.from_dict(query)
    st.session_state[state.URL_WRITTEN] = (scenario, query, whole)
    return whole


_SHOW = {"success": st.success, "info": st.info, "warning": st.warning}
_ICONS = {"success": ":material/check_circle:", "info": ":material/info:", "warning": ":material/warning:"}


def show_notices() -> None:
    """Show the queued messages, every one escaped: they may quote a file's or a link's text."""
    for kind, text in state.take_notices():
        _SHOW[kind](md_escape(text), icon=_ICONS[kind])


# --------------------------------------------------------------------------- the address links carry
PUBLIC_URL_VARIABLE = "DASHBOARD_PUBLIC_URL"
_LOOPBACK = ("localhost", "127.0.0.1", "::1")
_ALL = ("", "0.0.0.0", "::")


@dataclass(frozen=True)
class Origin:
    """Where links, QR codes and files send people: set once, or the address the server listens on.

    Never the address a browser claims (a request's Host header), which a client chooses."""

    url: str  # ends with "/"
    reachable: bool  # other machines on the network can open it
    port: int
    bad_public: str | None = None  # a DASHBOARD_PUBLIC_URL that is not an http(s) address


def network_address() -> str | None:
    """This machine's address on its network, if it has one (no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def _host(address: str) -> str:
    return f"[{address}]" if ":" in address else address


def origin() -> Origin:
    """The public address (``DASHBOARD_PUBLIC_URL``) if set, else the one the server listens on."""
    public = os.environ.get(PUBLIC_URL_VARIABLE, "").strip()
    port = int(st.get_option("server.port") or 8501)
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    suffix = f"{base}/" if base else ""
    bad = None
    if public:
        parts = urlsplit(public)
        if parts.scheme in ("http", "https") and parts.netloc:
            return Origin(public.rstrip("/") + "/", True, port)
        bad = public
    bind = str(st.get_option("server.address") or "").strip()
    if bind in _ALL:
        address = network_address()
        if address:
            return Origin(f"http://{address}:{port}/{suffix}", True, port, bad)
        return Origin(f"http://localhost:{port}/{suffix}", False, port, bad)
    loopback = bind.lower() in _LOOPBACK or bind.startswith("127.")
    return Origin(f"http://{_host(bind)}:{port}/{suffix}", not loopback, port, bad)


def link_to(evidence: Evidence, page: str = "weigh") -> tuple[str, bool]:
    """The share link to ``page`` at this scenario, and whether the score edits had to be left out (too long)."""
    start = origin().url
    query = share_query(evidence)
    too_long = link_length(query, start + page) > MAX_LINK_CHARS
    if too_long:
        query = {k: v for k, v in query.items() if k != "x"}
    return start + page + "?" + urlencode(query), too_long


def file_link(evidence: Evidence) -> str:
    """The link back that files carry (briefings, pictures): only at a configured public address, since a file
    travels to people who cannot open this machine's loopback or private address; "" when none is set."""
    where = origin()
    if not os.environ.get(PUBLIC_URL_VARIABLE, "").strip() or where.bad_public:
        return ""
    return link_to(evidence)[0]


def qr_png(url: str) -> bytes:
    """A QR code of ``url`` as a PNG, drawn here (nothing fetched)."""
    qr = segno.make(url, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def loopback_notice() -> bool:
    """Say so when the server listens on this computer only, which phones cannot reach; True if it does."""
    where = origin()
    if where.bad_public:
        st.warning(
            md_escape(
                f"{PUBLIC_URL_VARIABLE} is set to {quoted(where.bad_public)}, which is not an http or https "
                "address, so links use the address the server listens on instead."
            ),
            icon=":material/link_off:",
        )
    if where.reachable:
        return False
    st.info(
        md_escape(
            f"The dashboard listens only on this computer (port {where.port}), so phones in the room cannot open "
            "this link. To serve the room from this computer, start it with "
            f"streamlit run dashboard/app.py --server.address 0.0.0.0 --server.port {where.port} "
            "and the link and QR code use this computer's network address; on a hosted server, set "
            f"{PUBLIC_URL_VARIABLE} to the address people open."
        ),
        icon=":material/wifi_off:",
    )
    return True
